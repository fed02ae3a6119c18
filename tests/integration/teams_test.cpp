// The whole bot on Microsoft Teams, against a fake Bot Framework speaking the real protocol over
// loopback TLS (OpenID keys, the token endpoint, the Bot Connector) and a driver that signs
// activities as the Bot Framework does.
#include <catch2/catch.hpp>

#include "teams_harness.hpp"
#include "microalign/storage/store.hpp"

using namespace microalign;
using namespace microalign::test;

namespace {

constexpr const char* general = "19:general@thread.tacv2";

// The text of an Adaptive Card's TextBlocks, one per line.
std::string card_text(const nlohmann::json& activity) {
  std::string text;
  for (const auto& block : activity.at("attachments").at(0).at("content").at("body")) {
    if (block.value("type", "") == "TextBlock") text += block.value("text", "") + "\n";
  }
  return text;
}

}  // namespace

TEST_CASE("a status written to the bot in a channel is stored and echoed in its thread", "[teams]") {
  Teams t;
  BotHarness bot(t.config);
  const auto mention = channel_mention(t.teams, "status ENG-42 blocked on the vendor", general);
  CHECK(t.post(bot, mention) == 200);

  const auto updates = bot.updates();
  REQUIRE(updates.size() == 1);
  CHECK(updates[0].where.team == t.teams.options().tenant_id);
  CHECK(updates[0].where.channel == general);
  CHECK(updates[0].user == "29:1user-one-aad-per-bot-id");
  CHECK(updates[0].parsed.kind == UpdateKind::status);
  CHECK(updates[0].parsed.state == TicketState::blocked);
  CHECK(updates[0].parsed.text == "ENG-42 blocked on the vendor");
  CHECK(bot.reader()->workspace_platform(t.teams.options().tenant_id) == "teams");

  // The echo is a reply in the mention's thread, one card; no receipt: the echo confirms it.
  const auto echo = t.teams.wait_for_call(FakeTeams::send_route, 5s);
  REQUIRE(echo);
  CHECK(echo->conversation_id == std::string(general) + ";messageid=" + mention["id"].get<std::string>());
  CHECK(echo->body["attachments"][0]["contentType"] == "application/vnd.microsoft.card.adaptive");
  CHECK(card_text(echo->body).find("User One") != std::string::npos);
  CHECK(card_text(echo->body).find("ENG-42") != std::string::npos);
  CHECK(eventually([&] { return !bot.updates().at(0).echo_ref.empty(); }));
  std::this_thread::sleep_for(300ms);
  CHECK(t.teams.count(FakeTeams::create_route) == 0);
}

TEST_CASE("a redelivered activity is stored once", "[teams]") {
  Teams t;
  BotHarness bot(t.config);
  const auto mention = channel_mention(t.teams, "heads-up the export moves to Monday", general);
  CHECK(t.post(bot, mention) == 200);
  CHECK(t.post(bot, mention) == 200);
  CHECK(bot.updates().size() == 1);
}

TEST_CASE("a command written in a 1:1 chat is answered in that chat", "[teams]") {
  Teams t;
  BotHarness bot(t.config);
  CHECK(t.post(bot, personal_message(t.teams, "away 3d")) == 200);
  const auto answer = t.sent(FakeTeams::send_route);
  CHECK(card_text(answer).find("Nudges paused") != std::string::npos);
  CHECK(card_text(answer).find("@microalign back") != std::string::npos);  // commands as Teams types them
  const auto profile = bot.reader()->owner_profiles(t.teams.options().tenant_id, {"29:1user-one-aad-per-bot-id"});
  CHECK(profile.at("29:1user-one-aad-per-bot-id").away_until.has_value());
  CHECK(profile.at("29:1user-one-aad-per-bot-id").time_zone == "Europe/Berlin");  // from the activity
}

TEST_CASE("a command written in a channel is answered privately, in a 1:1 chat the bot creates", "[teams]") {
  Teams t;
  BotHarness bot(t.config);
  CHECK(t.post(bot, channel_mention(t.teams, "tz Europe/Lisbon", general)) == 200);
  const auto created = t.teams.wait_for_call(FakeTeams::create_route, 5s);
  REQUIRE(created);
  CHECK(created->body["members"][0]["id"] == "29:1user-one-aad-per-bot-id");
  CHECK(created->body["tenantId"] == t.teams.options().tenant_id);
  const auto answer = t.teams.wait_for_call(FakeTeams::send_route, 5s);
  REQUIRE(answer);
  CHECK(answer->conversation_id == "a:conv-29:1user-one-aad-per-bot-id");
  CHECK(card_text(answer->body).find("Europe/Lisbon") != std::string::npos);
  CHECK(bot.reader()->channel_settings(t.teams.options().tenant_id, general)->time_zone == "Europe/Lisbon");
}

TEST_CASE("every broken authentication rule is refused with 401, and nothing is stored", "[teams][auth]") {
  Teams t;
  BotHarness bot(t.config);
  const auto activity = channel_mention(t.teams, "status ENG-1 done", general);
  std::vector<std::pair<std::string, std::string>> broken{
      {"no header", ""},
      {"Basic", "Basic dXNlcjpwdw=="},
  };
  const auto with = [&](auto change) {
    TokenOptions options;
    change(options);
    return t.teams.authorization(options);
  };
  broken.emplace_back("alg none", with([](TokenOptions& o) { o.alg = "none"; }));
  broken.emplace_back("HS256", with([](TokenOptions& o) { o.alg = "HS256"; }));
  broken.emplace_back("wrong issuer", with([](TokenOptions& o) { o.iss = "https://sts.windows.net/x/"; }));
  broken.emplace_back("wrong audience", with([](TokenOptions& o) { o.aud = "someone-else"; }));
  broken.emplace_back("expired", with([](TokenOptions& o) { o.expires_in = -std::chrono::seconds(301 + 5); }));
  broken.emplace_back("not yet valid", with([](TokenOptions& o) { o.not_before_in = std::chrono::seconds(310); }));
  broken.emplace_back("unknown key", with([](TokenOptions& o) { o.key = TokenOptions::Key::unknown; }));
  broken.emplace_back("key not endorsing msteams",
                      with([](TokenOptions& o) { o.key = TokenOptions::Key::unendorsed; }));
  broken.emplace_back("serviceurl mismatch", with([](TokenOptions& o) { o.serviceurl = "https://evil.example/"; }));
  broken.emplace_back("no serviceurl", with([](TokenOptions& o) { o.omit_serviceurl = true; }));
  broken.emplace_back("tampered payload", with([](TokenOptions& o) { o.tamper_payload = true; }));
  broken.emplace_back("tampered signature", with([](TokenOptions& o) { o.tamper_signature = true; }));
  for (const auto& [rule, authorization] : broken) {
    INFO(rule);
    // An empty header is sent as none at all: post_activity only adds a non-empty one.
    CHECK(FakeTeams::post_activity(bot.http_port(), activity, authorization).status == 401);
  }
  CHECK(bot.updates().empty());
  CHECK(t.teams.count(FakeTeams::send_route) == 0);

  // Just inside the five minutes of skew: accepted.
  CHECK(t.post(bot, activity, with([](TokenOptions& o) { o.expires_in = -std::chrono::seconds(240); })) == 200);
  CHECK(bot.updates().size() == 1);
}

TEST_CASE("the bot added to a team records where the team is reached", "[teams]") {
  Teams t;
  BotHarness bot(t.config);
  CHECK(t.post(bot, bot_added_to_team(t.teams, general)) == 200);
  CHECK(bot.reader()->route("teams", t.teams.options().tenant_id, general) == t.teams.base_url());
}

TEST_CASE("digest now posts the channel's digest as one card, a new post in the channel", "[teams][digest]") {
  Teams t;
  BotHarness bot(t.config);
  CHECK(t.post(bot, channel_mention(t.teams, "status ENG-42 at risk, review slipping", general)) == 200);
  REQUIRE(t.teams.wait_for_call(FakeTeams::send_route, 5s));  // the echo
  CHECK(t.post(bot, channel_mention(t.teams, "digest now", general)) == 200);
  REQUIRE(eventually(
      [&] {
        for (const auto& call : t.teams.calls(FakeTeams::send_route)) {
          if (call.conversation_id == general && card_text(call.body).find("Digest") != std::string::npos) return true;
        }
        return false;
      },
      5s));
}

TEST_CASE("a 429 from the connector is retried after Retry-After", "[teams][outbox]") {
  Teams t;
  t.teams.reply_next(FakeTeams::send_route, Reply::rate_limited(1s));
  BotHarness bot(t.config);
  const auto started = std::chrono::steady_clock::now();
  CHECK(t.post(bot, channel_mention(t.teams, "heads-up staging is down until noon", general)) == 200);
  REQUIRE(t.teams.wait_for_call(FakeTeams::send_route, 6s, 2));
  CHECK(std::chrono::steady_clock::now() - started >= 1s);
  CHECK(eventually([&] { return !bot.updates().at(0).echo_ref.empty(); }));
}

TEST_CASE("an expiring connector token is refreshed before it runs out", "[teams][outbox]") {
  Teams t;
  t.teams.set_token_lifetime(std::chrono::seconds(301));  // within five minutes of expiry at once
  BotHarness bot(t.config);
  CHECK(t.post(bot, channel_mention(t.teams, "heads-up one", general)) == 200);
  REQUIRE(t.teams.wait_for_call(FakeTeams::send_route, 5s, 1));
  CHECK(t.post(bot, channel_mention(t.teams, "heads-up two", general)) == 200);
  REQUIRE(t.teams.wait_for_call(FakeTeams::send_route, 5s, 2));
  CHECK(t.teams.issued_tokens().size() >= 2);
}

TEST_CASE("a refused client secret stops the bot at start with one line", "[teams]") {
  Teams t;
  t.teams.reply_next(FakeTeams::token_route,
                     oauth_error(401, "invalid_client", "AADSTS7000215: Invalid client secret"));
  BotHarness bot(t.config);
  const auto outcome = bot.wait_for_exit(5s);
  REQUIRE(outcome);
  CHECK(outcome->find("MicrosoftAppPassword") != std::string::npos);
  CHECK(outcome->find(t.teams.options().app_password) == std::string::npos);
}

TEST_CASE("Slack and Teams served by one process, each answering its own", "[teams][slack]") {
  TestPki pki;
  FakeSlack slack(pki);
  FakeTeams teams(pki);
  pki.trust();
  TempDir dir;
  auto config = config_for(slack, dir.path() / "microalign.db");
  config.teams = teams.config();
  config.http_addr = "127.0.0.1:0";
  BotHarness bot(config);
  REQUIRE(slack.wait_for_connections(2, 5s));
  slack.send_envelope(slash_command("env-1", "/status", "ENG-1 on track", "U111", "C111", slack.response_url("r1")));
  REQUIRE(slack.wait_for_ack("env-1", 3s));
  CHECK(FakeTeams::post_activity(bot.http_port(), channel_mention(teams, "status ENG-2 done", general),
                                 teams.authorization())
            .status == 200);
  REQUIRE(eventually([&] { return bot.updates().size() == 2; }));
  REQUIRE(slack.wait_for_call("chat.postMessage", 5s));     // Slack's echo on Slack
  REQUIRE(teams.wait_for_call(FakeTeams::send_route, 5s));  // Teams' on Teams
  CHECK(slack.calls("chat.postMessage").size() == 1);
  CHECK(teams.count(FakeTeams::send_route) == 1);
}

// ENG-42, owned by User One (Berlin), last heard of on Friday 5 June 2026 in the General
// channel of a workspace the bot has heard from: quiet by Wednesday 10 June, 10:00 in Berlin, the
// clock this returns. The connector gives the nudge card the id "card-activity-1".
app::Clock quiet_ticket_on_wednesday(Teams& t) {
  using namespace std::chrono;
  t.config.nudge_tick = milliseconds(100);
  const auto tenant = t.teams.options().tenant_id;
  const std::string owner = "29:1user-one-aad-per-bot-id";
  const auto friday = sys_days{year{2026} / June / 5} + hours(8);
  auto store = storage::SqliteStore::open(t.config.db_path);
  Update u;
  u.created_at = time_point_cast<milliseconds>(friday);
  u.where = {tenant, general, {}};
  u.user = owner;
  u.parsed.kind = UpdateKind::status;
  u.parsed.state = TicketState::on_track;
  u.parsed.tickets = {"ENG-42"};
  u.parsed.text = "ENG-42 on track";
  store->begin();
  store->insert_update(u);
  store->remember_workspace(tenant, "teams");
  store->remember_route("teams", tenant, general, t.teams.base_url(), u.created_at);
  store->set_time_zone(tenant, owner, "Europe/Berlin");
  store->commit();
  t.teams.reply_next(FakeTeams::send_route, Reply::json({{"id", "card-activity-1"}}, 201));
  return clock_starting_at(time_point_cast<milliseconds>(sys_days{year{2026} / June / 10} + hours(8)));
}

// The nudge card the owner got, once the bot has recorded it (a person cannot click faster).
nlohmann::json nudge_card(Teams& t, BotHarness& bot) {
  const auto dm = t.teams.wait_for_call(FakeTeams::send_route, 5s);
  REQUIRE(dm);
  REQUIRE(eventually([&] {
    return bot.reader()
        ->interactive_message({"teams", t.teams.options().tenant_id, dm->conversation_id, "card-activity-1"})
        .has_value();
  }));
  return dm->body["attachments"][0]["content"];
}

TEST_CASE("a quiet ticket's owner gets a card in a 1:1 chat, and a click answers it in place", "[teams][nudge]") {
  Teams t;
  const auto clock = quiet_ticket_on_wednesday(t);
  const auto tenant = t.teams.options().tenant_id;
  const std::string owner = "29:1user-one-aad-per-bot-id";
  BotHarness bot(t.config, clock);

  // The bot creates the owner's 1:1 chat and sends one card with the ticket's buttons.
  const auto created = t.teams.wait_for_call(FakeTeams::create_route, 5s);
  REQUIRE(created);
  CHECK(created->body["members"][0]["id"] == owner);
  const auto dm = t.teams.wait_for_call(FakeTeams::send_route, 5s);
  REQUIRE(dm);
  const auto conversation = dm->conversation_id;
  CHECK(conversation == "a:conv-" + owner);
  const auto card = dm->body["attachments"][0]["content"];
  CHECK(card_text(dm->body).find("ENG-42") != std::string::npos);
  nlohmann::json on_track;
  for (const auto& block : card["body"]) {
    if (block.value("type", "") != "ActionSet") continue;
    for (const auto& action : block["actions"]) {
      if (action.value("title", "") == "Still on track") on_track = action["data"];
    }
  }
  REQUIRE(on_track.is_object());

  // The click names the card by the id the connector gave it, once the bot has recorded it (a
  // person cannot click faster). The token is signed on the bot's calendar: it checks exp and nbf
  // against its own clock.
  REQUIRE(eventually([&] {
    return bot.reader()->interactive_message({"teams", tenant, conversation, "card-activity-1"}).has_value();
  }));
  TokenOptions now;
  now.now = clock();
  const auto click = card_submit(t.teams, on_track, "card-activity-1", conversation);
  CHECK(t.post(bot, click, t.teams.authorization(now)) == 200);

  // Recorded as the owner's status, echoed to the ticket's channel, and the card rewritten in
  // place: the ticket's buttons replaced by what was done.
  REQUIRE(eventually([&] { return bot.updates().size() == 2; }));
  CHECK(bot.updates().back().parsed.state == TicketState::on_track);
  CHECK(bot.updates().back().where.channel == general);
  const auto rewritten = t.teams.wait_for_call(FakeTeams::update_route, 5s);
  REQUIRE(rewritten);
  CHECK(rewritten->conversation_id == conversation);
  CHECK(rewritten->activity_id == "card-activity-1");
  CHECK(card_text(rewritten->body).find("still on track") != std::string::npos);
  CHECK(rewritten->body.dump().find("nudge.on_track") == std::string::npos);

  // The same click again is out of date: nothing new is stored.
  const auto again = card_submit(t.teams, on_track, "card-activity-1", conversation);
  CHECK(t.post(bot, again, t.teams.authorization(now)) == 200);
  std::this_thread::sleep_for(300ms);
  CHECK(bot.updates().size() == 2);
}

TEST_CASE("the update form inside the nudge card posts a status, or says what is missing", "[teams][nudge]") {
  Teams t;
  const auto clock = quiet_ticket_on_wednesday(t);
  BotHarness bot(t.config, clock);
  const auto card = nudge_card(t, bot);
  const std::string conversation = "a:conv-29:1user-one-aad-per-bot-id";

  // "Post an update" shows a form in the card; its "Post" carries the ticket and names its inputs.
  nlohmann::json post, state_input, note_input;
  for (const auto& block : card["body"]) {
    if (block.value("type", "") != "ActionSet") continue;
    for (const auto& action : block["actions"]) {
      if (action.value("type", "") != "Action.ShowCard") continue;
      for (const auto& input : action["card"]["body"]) {
        if (input.value("type", "") == "Input.ChoiceSet") state_input = input["id"];
        if (input.value("type", "") == "Input.Text") note_input = input["id"];
      }
      post = action["card"]["actions"][0]["data"];
    }
  }
  REQUIRE(post.is_object());
  REQUIRE(state_input.is_string());
  REQUIRE(note_input.is_string());
  TokenOptions now;
  now.now = clock();

  // Nothing filled in: nothing stored, and the owner is told what is missing in the chat.
  auto empty = post;
  empty[state_input.get<std::string>()] = "";
  CHECK(t.post(bot, card_submit(t.teams, empty, "card-activity-1", conversation), t.teams.authorization(now)) == 200);
  const auto told = t.teams.wait_for_call(FakeTeams::send_route, 5s, 2);
  REQUIRE(told);
  CHECK(card_text(told->body).find("Write a line") != std::string::npos);
  CHECK(bot.updates().size() == 1);

  // Filled in: stored as the owner's status on ENG-42 in its channel, the card rewritten.
  auto filled = post;
  filled[state_input.get<std::string>()] = "blocked";
  filled[note_input.get<std::string>()] = "waiting on the vendor";
  CHECK(t.post(bot, card_submit(t.teams, filled, "card-activity-1", conversation), t.teams.authorization(now)) == 200);
  REQUIRE(eventually([&] { return bot.updates().size() == 2; }));
  const auto update = bot.updates().back();
  CHECK(update.parsed.state == TicketState::blocked);
  CHECK(update.parsed.tickets == std::vector<std::string>{"ENG-42"});
  CHECK(update.parsed.text == "ENG-42 — waiting on the vendor");
  CHECK(update.where.channel == general);
  const auto rewritten = t.teams.wait_for_call(FakeTeams::update_route, 5s);
  REQUIRE(rewritten);
  CHECK(rewritten->activity_id == "card-activity-1");
}
