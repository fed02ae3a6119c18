#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>

#include "microalign/core/digest.hpp"
#include "microalign/core/nudge_policy.hpp"

using namespace microalign;
using Catch::Matchers::Contains;

namespace {

// Mon 23 Nov 2026, `hour`:00 UTC (day 16 is the Monday before).
SysTime nov(int day, int hour = 9) {
  using namespace std::chrono;
  return time_point_cast<milliseconds>(sys_days{year{2026} / November / day} + hours{hour});
}

Update update(std::int64_t id, std::string user, UpdateKind kind, std::string text, SysTime at) {
  Update u;
  u.id = id;
  u.created_at = at;
  u.where = {"T1", "C1", ""};
  u.user = std::move(user);
  u.parsed.kind = kind;
  u.parsed.text = std::move(text);
  return u;
}

Update status(std::int64_t id, std::string user, TicketState state, std::string ticket,
              std::string text, SysTime at) {
  auto u = update(id, std::move(user), UpdateKind::status, std::move(text), at);
  u.parsed.state = state;
  u.parsed.tickets = {std::move(ticket)};
  return u;
}

TicketSnapshot snapshot(const Update& last, std::string owner, SysTime since) {
  TicketSnapshot t;
  t.key = last.parsed.tickets.at(0);
  t.owner = std::move(owner);
  t.state = last.parsed.state;
  t.state_since = since;
  t.last_update_at = last.created_at;
  t.last_update = last;
  return t;
}

// The window (Sun 22 Nov 09:00, Mon 23 Nov 09:00] in channel C1, with names and permalinks.
DigestInput channel_input() {
  DigestInput in;
  in.team = "T1";
  in.channel = "C1";
  in.window_start = nov(22);
  in.window_end = nov(23);
  in.names = {{"U1", "alice"}, {"U2", "bob"}, {"U3", "carol"}};
  in.link_to = [](const Update& u) {
    return "https://acme.slack.com/archives/C1/p" + std::to_string(u.id);
  };
  return in;
}

Update blocked_eng42() {
  auto u = status(1, "U1", TicketState::blocked, "ENG-42", "ENG-42 blocked on OPS-7 review",
                  nov(22, 10));
  u.parsed.blocked_on = "OPS-7 review";
  u.parsed.links = {"https://acme.atlassian.net/browse/ENG-42"};
  return u;
}

// One of everything: a blocked ticket, an open assumption, moved, quiet and done tickets, and a
// heads-up.
DigestInput busy_channel() {
  auto in = channel_input();
  const auto blocked = blocked_eng42();
  in.updates = {
      blocked,
      status(2, "U2", TicketState::on_track, "ENG-7", "ENG-7 on track", nov(22, 11)),
      status(3, "U1", TicketState::done, "ENG-3", "ENG-3 shipped", nov(22, 12)),
      update(4, "U2", UpdateKind::heads_up, "deploy freeze on Friday", nov(22, 13)),
  };
  in.troubled = {snapshot(blocked, "U1", nov(20, 10))};
  in.open_assumptions = {
      update(5, "U2", UpdateKind::assumption, "We assume the API stays v1", nov(21, 8))};
  auto quiet = status(6, "U3", TicketState::at_risk, "ENG-9", "ENG-9 at risk", nov(18, 10));
  in.quiet = {snapshot(quiet, "U3", nov(18, 10))};
  return in;
}

std::vector<std::string> section_texts(const Digest& d) {
  std::vector<std::string> out;
  for (const auto& m : d.messages) {
    for (const auto& b : m.blocks) {
      if (const auto* s = std::get_if<Section>(&b)) out.push_back(to_plain_text(s->text));
    }
  }
  return out;
}

std::vector<Span> all_spans(const Digest& d) {
  std::vector<Span> out;
  for (const auto& m : d.messages) {
    for (const auto& b : m.blocks) {
      if (const auto* s = std::get_if<Section>(&b))
        out.insert(out.end(), s->text.begin(), s->text.end());
      if (const auto* c = std::get_if<Context>(&b))
        out.insert(out.end(), c->text.begin(), c->text.end());
    }
  }
  return out;
}

// The item lines ("• …") of the digest, across every block and message.
std::vector<std::string> item_lines(const Digest& d) {
  std::vector<std::string> out;
  for (const auto& text : section_texts(d)) {
    std::size_t at = 0;
    while (at <= text.size()) {
      auto end = text.find('\n', at);
      if (end == std::string::npos) end = text.size();
      if (text.compare(at, 3, "•") == 0) out.push_back(text.substr(at, end - at));
      at = end + 1;
    }
  }
  return out;
}

// The first item line that contains `needle`, or "".
std::string line_with(const Digest& d, const std::string& needle) {
  for (auto& line : item_lines(d)) {
    if (line.find(needle) != std::string::npos) return line;
  }
  return {};
}

std::size_t code_points(const std::string& s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// What Slack would count at worst: escaping grows `&`, `<`, `>`; links carry their URL.
std::size_t rendered_upper_bound(const RichText& text) {
  std::size_t size = 0;
  for (const auto& span : text) {
    for (const auto* part : {&span.text, &span.url}) {
      for (const char c : *part) size += c == '&' ? 5 : (c == '<' || c == '>') ? 4 : 1;
    }
    size += 4;
  }
  return size;
}

}  // namespace

TEST_CASE("a channel with nothing new and nothing quiet gets no digest", "[digest]") {
  auto in = channel_input();
  CHECK(build_digest(in, {}).empty());

  // Stuck tickets and unanswered assumptions alone do not make a digest: they were in the last
  // one, and nothing has happened since.
  const auto blocked = blocked_eng42();
  in.troubled = {snapshot(blocked, "U1", nov(20))};
  in.open_assumptions = {update(5, "U2", UpdateKind::assumption, "API stays v1", nov(21))};
  const auto d = build_digest(in, {});
  CHECK(d.empty());
  CHECK(d.counts.blocked == 1);  // still counted, so a skipped run can be recorded with them

  in.quiet = {snapshot(blocked, "U1", nov(18))};
  CHECK_FALSE(build_digest(in, {}).empty());
}

TEST_CASE("the header counts updates, people, tickets moved, blocked and quiet", "[digest]") {
  auto in = busy_channel();
  in.updates.push_back(status(7, "U1", TicketState::on_track, "ENG-7", "ENG-7 fine", nov(22, 14)));
  const auto d = build_digest(in, {});
  CHECK(d.counts == DigestCounts{5, 2, 3, 1, 1});
  REQUIRE_FALSE(d.empty());
  CHECK(section_texts(d).at(0) ==
        "Digest · Mon 23 Nov\n5 updates · 2 people · 3 tickets moved · 1 blocked · 1 quiet");
  CHECK(d.messages.at(0).fallback ==
        "Digest for Mon 23 Nov — 5 updates · 2 people · 3 tickets moved · 1 blocked · 1 quiet");
}

TEST_CASE("the header shows each figure's change since the previous digest", "[digest]") {
  auto in = busy_channel();
  in.previous = DigestCounts{1, 3, 1, 0, 1};
  const auto d = build_digest(in, {});
  CHECK(section_texts(d).at(0) ==
        "Digest · Mon 23 Nov\n"
        "4 updates (+3) · 2 people (−1) · 3 tickets moved (+2) · 1 blocked (+1) · 1 quiet (0)");
}

TEST_CASE("sections come in order: blocked, assumptions, moved, quiet, done, heads-ups",
          "[digest]") {
  const auto text = to_text(build_digest(busy_channel(), {}));
  const std::vector<std::string> titles{"🚧 Blocked, delayed or at risk",
                                        "🤔 Open assumptions, not answered yet",
                                        "📍 Moved",
                                        "💤 Gone quiet · no update for 3 working days or more",
                                        "✅ Done",
                                        "📣 Heads-ups and questions"};
  std::size_t previous = 0;
  for (const auto& title : titles) {
    const auto at = text.find(title);
    INFO(title);
    REQUIRE(at != std::string::npos);
    CHECK(at > previous);
    previous = at;
  }
}

TEST_CASE("empty sections are left out", "[digest]") {
  auto in = channel_input();
  in.updates = {status(2, "U2", TicketState::on_track, "ENG-7", "ENG-7 on track", nov(22, 11))};
  const auto d = build_digest(in, {});
  CHECK(to_text(d) ==
        "Digest · Mon 23 Nov\n1 update · 1 person · 1 ticket moved · 0 blocked · 0 quiet\n\n"
        "📍 Moved\n"
        "• ENG-7 · 🟢 on track — ENG-7 on track · from @bob · view");
}

TEST_CASE("blocked tickets say on what, for how long, whose, and link to the update", "[digest]") {
  auto in = busy_channel();
  auto delayed = status(8, "U2", TicketState::delayed, "ENG-5", "ENG-5 slips", nov(23, 8));
  delayed.parsed.delay_days = 2;
  in.troubled.push_back(snapshot(delayed, "U2", nov(23, 8)));
  const auto d = build_digest(in, {});

  CHECK(line_with(d, "ENG-42") ==
        "• ENG-42 · 🔴 blocked on OPS-7 review · for 3 days — ENG-42 blocked on OPS-7 review · "
        "owner @alice · view");
  CHECK(line_with(d, "ENG-5") ==
        "• ENG-5 · 🟠 delayed +2d · since today — ENG-5 slips · owner @bob · view");

  const auto spans = all_spans(d);
  CHECK(std::ranges::any_of(spans, [](const Span& s) {
    return s.text == "ENG-42" && s.url == "https://acme.atlassian.net/browse/ENG-42";
  }));
  CHECK(std::ranges::any_of(spans, [](const Span& s) {
    return s.text == "view" && s.url == "https://acme.slack.com/archives/C1/p1";
  }));
  CHECK(std::ranges::any_of(spans,
                            [](const Span& s) { return s.user == "U1" && s.text == "@alice"; }));
}

TEST_CASE("a blocked ticket's latest word is shown even when it states no state", "[digest]") {
  auto in = busy_channel();
  auto later = update(9, "U1", UpdateKind::heads_up, "ENG-42 still waiting", nov(23, 7));
  later.parsed.tickets = {"ENG-42"};
  in.troubled = {snapshot(blocked_eng42(), "U1", nov(20, 10))};
  in.troubled[0].last_update = later;
  // The blocker came with an earlier update, so only the state itself is known here.
  CHECK(line_with(build_digest(in, {}), "ENG-42 still") ==
        "• ENG-42 · 🔴 blocked · for 3 days — ENG-42 still waiting · owner @alice · view");
}

TEST_CASE("notes are shortened to one line on a character boundary", "[digest]") {
  auto in = channel_input();
  std::string long_text = "ENG-7\non track:  ";
  for (int i = 0; i < 200; ++i) long_text += "é";
  in.updates = {status(2, "U2", TicketState::on_track, "ENG-7", long_text, nov(22, 11))};
  const auto line = line_with(build_digest(in, {}), "ENG-7");
  const auto note_start = line.find(" — ") + std::string(" — ").size();
  const auto note = line.substr(note_start, line.find(" · from") - note_start);
  CHECK(note.starts_with("ENG-7 on track: éé"));
  CHECK(note.ends_with("é…"));
  CHECK(code_points(note) == 121);  // 120 characters and the ellipsis
}

TEST_CASE("open assumptions show their text, author and age", "[digest]") {
  const auto d = build_digest(busy_channel(), {});
  CHECK(line_with(d, "API") == "• We assume the API stays v1 · from @bob · 2 days old · view");
}

TEST_CASE("moved shows each ticket's latest state once, not repeating blocked or done",
          "[digest]") {
  auto in = busy_channel();
  in.updates.push_back(
      status(10, "U1", TicketState::at_risk, "ENG-7", "ENG-7 at risk now", nov(22, 15)));
  auto mention = update(11, "U2", UpdateKind::heads_up, "ENG-7 demo moved", nov(22, 16));
  mention.parsed.tickets = {"ENG-7"};
  in.updates.push_back(mention);
  in.updates.push_back(
      status(12, "U3", TicketState::on_track, "ENG-8", "ENG-8 on track", nov(22, 17)));
  const auto text = to_text(build_digest(in, {}));

  const auto moved = text.substr(text.find("📍 Moved"), text.find("💤") - text.find("📍 Moved"));
  // Newest first; ENG-7's latest *state* is at risk, though a later heads-up named it.
  CHECK(moved ==
        "📍 Moved\n"
        "• ENG-8 · 🟢 on track — ENG-8 on track · from @carol · view\n"
        "• ENG-7 · 🟡 at risk — ENG-7 at risk now · from @alice · view\n\n");
}

TEST_CASE("quiet tickets are listed oldest first with how long they have been quiet", "[digest]") {
  auto in = busy_channel();
  in.quiet_threshold_days = 1;
  auto older = status(13, "U2", TicketState::on_track, "ENG-1", "ENG-1 fine", nov(16, 10));
  in.quiet.insert(in.quiet.begin(), snapshot(older, "", nov(16, 10)));
  const auto text = to_text(build_digest(in, {}));
  CHECK_THAT(text,
             Contains("💤 Gone quiet · no update for 1 working day or more\n"
                      "• ENG-1 · 🟢 on track · no update for 7 days\n"
                      "• ENG-9 · 🟡 at risk · no update for 5 days · owner @carol\n\n"));
}

TEST_CASE("a quiet ticket whose owner is away is listed apart, with the owner's return",
          "[digest]") {
  auto in = busy_channel();
  in.away = {{"U3", OwnerAway{std::chrono::year{2026} / 11 / 27, ""}}};
  const auto d = build_digest(in, {});
  CHECK(d.counts.quiet == 0);
  const auto text = to_text(d);
  CHECK_THAT(text, !Contains("💤 Gone quiet"));
  CHECK_THAT(text, Contains("\n\n🌴 Quiet while the owner is away\n"
                            "• ENG-9 · 🟡 at risk · no update for 5 days · owner @carol, "
                            "back after Fri 27 Nov\n\n✅ Done"));

  DigestOptions threaded;
  threaded.threaded = true;
  CHECK_THAT(to_text(build_digest(in, threaded)), Contains("· 1 with owner away ·"));
}

TEST_CASE("an owner is away through their return date, on their own calendar", "[digest]") {
  auto in = busy_channel();
  in.window_end = nov(23, 2);  // Sun 22 Nov, 18:00 in Los Angeles
  const auto away_until = [&](unsigned day, std::string zone) {
    in.away = {{"U3", OwnerAway{std::chrono::year{2026} / 11 / day, std::move(zone)}}};
    return build_digest(in, {}).counts.quiet == 0;
  };
  CHECK(away_until(23, ""));
  CHECK_FALSE(away_until(22, ""));  // already Mon 23 Nov in UTC
  CHECK(away_until(22, "America/Los_Angeles"));
  CHECK_FALSE(away_until(21, "America/Los_Angeles"));
  CHECK_FALSE(away_until(22, "Nowhere/Atlantis"));  // unknown: UTC

  // Someone else's absence changes nothing.
  in.away = {{"U1", OwnerAway{std::chrono::year{2026} / 12 / 1, ""}}};
  CHECK(build_digest(in, {}).counts.quiet == 1);
}

TEST_CASE("quiet tickets of away owners alone make no digest", "[digest]") {
  auto in = channel_input();
  const auto quiet = status(6, "U3", TicketState::at_risk, "ENG-9", "ENG-9 at risk", nov(18, 10));
  in.quiet = {snapshot(quiet, "U3", nov(18, 10))};
  in.away = {{"U3", OwnerAway{std::chrono::year{2026} / 11 / 27, ""}}};
  CHECK(build_digest(in, {}).empty());
}

TEST_CASE("tickets quiet after a reminder are flagged and listed first among the quiet",
          "[digest]") {
  auto in = busy_channel();
  auto older = status(13, "U2", TicketState::on_track, "ENG-1", "ENG-1 fine", nov(16, 10));
  in.quiet.insert(in.quiet.begin(), snapshot(older, "U2", nov(16, 10)));
  in.reminded = {"ENG-9", "ENG-404"};  // a key not among the quiet changes nothing
  const auto d = build_digest(in, {});
  CHECK(d.counts.quiet == 2);
  CHECK_THAT(to_text(d),
             Contains("💤 Gone quiet · no update for 3 working days or more\n"
                      "• ENG-9 · ⏰ quiet after a reminder · 🟡 at risk · no update for 5 days · "
                      "owner @carol\n"
                      "• ENG-1 · 🟢 on track · no update for 7 days · owner @bob\n\n"));
}

TEST_CASE("a ticket nudged recently is not flagged: the nudge stays private until then",
          "[digest]") {
  // What the caller asks the nudge policy for each quiet ticket (see quiet_after_reminder).
  auto in = busy_channel();
  in.window_end = nov(27, 9);  // Fri 27 Nov
  NudgeCandidate c;
  c.ticket = in.quiet.at(0);  // last updated Wed 18 Nov 10:00: quiet since Mon 23 Nov 10:00
  c.nudged_for_update_id = c.ticket.last_update.id;
  OwnerProfile carol;
  carol.user = "U3";
  const auto flagged_when_nudged = [&](SysTime at) {
    c.nudged_at = at;
    in.reminded.clear();
    if (quiet_after_reminder(c, carol, in.window_end)) in.reminded.insert(c.ticket.key);
    return line_with(build_digest(in, {}), "ENG-9").find("reminder") != std::string::npos;
  };
  CHECK_FALSE(flagged_when_nudged(nov(25, 10)));  // Wed: only Thu and Fri have passed since
  CHECK(flagged_when_nudged(nov(23, 10)));        // Mon: Tue, Wed, Thu, a full quiet period
}

TEST_CASE("done tickets and heads-ups are listed briefly, newest first", "[digest]") {
  auto in = busy_channel();
  in.updates.push_back(update(14, "U3", UpdateKind::question, "who owns billing?", nov(22, 18)));
  const auto text = to_text(build_digest(in, {}));
  CHECK_THAT(text, Contains("✅ Done\n• ENG-3 — ENG-3 shipped · from @alice · view\n\n"));
  CHECK(
      text.ends_with("📣 Heads-ups and questions\n"
                     "• ❓ Question: who owns billing? · from @carol · view\n"
                     "• 📣 Heads-up: deploy freeze on Friday · from @bob · view"));
}

TEST_CASE("long sections end with +N more", "[digest]") {
  auto in = channel_input();
  for (int i = 0; i < 12; ++i) {
    in.updates.push_back(
        update(100 + i, "U1", UpdateKind::heads_up, "note " + std::to_string(i), nov(22, 10)));
  }
  DigestOptions options;
  options.items_per_section = 5;
  const auto d = build_digest(in, options);
  CHECK(item_lines(d).size() == 5);
  CHECK(line_with(d, "note").starts_with("• 📣 Heads-up: note 11"));
  CHECK(section_texts(d).back().ends_with("note 7 · from @alice · view\n+7 more"));
}

TEST_CASE("a huge digest splits into messages and blocks within Slack's limits", "[digest]") {
  auto in = channel_input();
  // Long notes full of characters that escaping makes longer.
  std::string note = "ENG & ops <review> ";
  while (note.size() < 400) note += "& <> é ";
  for (int i = 0; i < 500; ++i) {
    const auto key = "ENG-" + std::to_string(1000 + i % 300);
    in.updates.push_back(status(i + 1, "U1", TicketState::on_track, key, note, nov(22, 10)));
  }
  for (int i = 0; i < 300; ++i) {
    auto u =
        status(5000 + i, "U2", TicketState::blocked, "OPS-" + std::to_string(i), note, nov(20));
    u.parsed.blocked_on = note;
    in.troubled.push_back(snapshot(u, "U2", nov(20)));
    in.quiet.push_back(snapshot(
        status(6000 + i, "U3", TicketState::at_risk, "WEB-" + std::to_string(i), note, nov(10)),
        "U3", nov(10)));
  }
  for (int i = 0; i < 200; ++i) {
    in.open_assumptions.push_back(update(7000 + i, "U2", UpdateKind::assumption, note, nov(21)));
  }

  for (const bool threaded : {false, true}) {
    DigestOptions options;
    options.threaded = threaded;
    options.items_per_section = 100000;
    const auto d = build_digest(in, options);
    INFO("threaded: " << threaded);
    REQUIRE(d.messages.size() > 2);
    for (const auto& m : d.messages) {
      CHECK(m.blocks.size() <= 50);
      CHECK(m.fallback.size() <= 3000);
      for (const auto& b : m.blocks) {
        if (const auto* s = std::get_if<Section>(&b)) CHECK(rendered_upper_bound(s->text) < 3000);
      }
    }
    // Every item is there, whole, once: 300 blocked, 200 assumptions, 300 moved, 300 quiet.
    const auto lines = item_lines(d);
    CHECK(lines.size() == 1100);
    CHECK(std::ranges::all_of(lines, [](const std::string& l) {
      return l.ends_with(" · view") || l.ends_with("@carol");
    }));
    // A section that goes on in a new message says so.
    for (std::size_t i = threaded ? 2 : 1; i < d.messages.size(); ++i) {
      const auto& first = std::get<Section>(d.messages[i].blocks.at(0)).text.at(0);
      CHECK(first.style == Span::Style::bold);
    }
  }
}

TEST_CASE("updates from another channel never reach the digest", "[digest]") {
  auto in = busy_channel();
  auto elsewhere = status(20, "U3", TicketState::blocked, "SEC-1", "secret from C2", nov(22, 12));
  elsewhere.where.channel = "C2";
  in.updates.push_back(elsewhere);
  in.troubled.push_back(snapshot(elsewhere, "U3", nov(22, 12)));
  in.quiet.push_back(snapshot(elsewhere, "U3", nov(22, 12)));
  auto assumption = update(21, "U3", UpdateKind::assumption, "secret assumption", nov(22, 12));
  assumption.where.channel = "C2";
  in.open_assumptions.push_back(assumption);

  const auto d = build_digest(in, {});
  CHECK(d.counts == build_digest(busy_channel(), {}).counts);
  CHECK(to_text(d).find("secret") == std::string::npos);
  CHECK(to_text(d).find("SEC-1") == std::string::npos);

  auto only_elsewhere = channel_input();
  only_elsewhere.updates = {elsewhere};
  CHECK(build_digest(only_elsewhere, {}).empty());
}

TEST_CASE("people's text stays inert: plain spans only, nobody pinged", "[digest]") {
  const std::string hostile = "<!channel> *bold* <https://evil|x> <@U9> & _it_";
  auto in = busy_channel();
  for (auto* u :
       {&in.updates.at(1), &in.updates.at(2), &in.updates.at(3), &in.open_assumptions.at(0),
        &in.troubled.at(0).last_update, &in.quiet.at(0).last_update}) {
    u->parsed.text = hostile;
  }
  in.troubled.at(0).last_update.parsed.blocked_on = hostile;
  in.names["U2"] = "<!here>";

  const auto d = build_digest(in, {});
  int carrying = 0;
  for (const auto& s : all_spans(d)) {
    CHECK_FALSE(s.mention);
    if (s.text.find("<!channel>") == std::string::npos &&
        s.text.find("<!here>") == std::string::npos)
      continue;
    ++carrying;
    CHECK(s.url.empty());
    CHECK(s.channel.empty());
    if (s.user.empty()) CHECK(s.style == Span::Style::plain);
  }
  CHECK(carrying >= 6);
  CHECK(std::ranges::none_of(
      all_spans(d), [](const Span& s) { return s.url.find("evil") != std::string::npos; }));
}

TEST_CASE("threaded: a short summary, the sections in thread replies", "[digest]") {
  DigestOptions options;
  options.threaded = true;
  const auto d = build_digest(busy_channel(), options);
  CHECK(d.threaded);
  REQUIRE(d.messages.size() == 2);
  const auto& summary = d.messages[0];
  REQUIRE(summary.blocks.size() == 2);
  CHECK(to_plain_text(std::get<Section>(summary.blocks[1]).text) ==
        "1 blocked · 1 open assumption · 1 moved · 1 quiet · 1 done · 1 heads-up or question"
        " — details in the thread");
  CHECK(d.messages[1].fallback == "Digest for Mon 23 Nov (details)");
  const auto text = to_text(d);
  CHECK_THAT(text, Contains("details in the thread\n\n--- thread reply ---\n\n🚧 Blocked"));
}

TEST_CASE("to_text separates continuation messages", "[digest]") {
  auto in = channel_input();
  for (int i = 0; i < 600; ++i) {
    in.updates.push_back(
        update(i + 1, "U1", UpdateKind::heads_up, "note " + std::to_string(i), nov(22, 10)));
  }
  DigestOptions options;
  options.items_per_section = 1000;
  const auto d = build_digest(in, options);
  REQUIRE(d.messages.size() == 2);
  CHECK(d.messages[1].fallback == "Digest for Mon 23 Nov (continued)");
  CHECK_THAT(to_text(d),
             Contains("\n\n--- continued ---\n\n📣 Heads-ups and questions (continued)\n•"));
}

TEST_CASE("dates and day counts follow the channel's time zone", "[digest]") {
  auto in = busy_channel();
  in.window_start = nov(22, 2);
  in.window_end = nov(23, 2);                  // Sun 22 Nov, 21:00 in New York
  in.troubled.at(0).state_since = nov(22, 6);  // Sun 22 Nov, 01:00 in New York

  CHECK(section_texts(build_digest(in, {})).at(0).starts_with("Digest · Mon 23 Nov\n"));
  CHECK_THAT(line_with(build_digest(in, {}), "ENG-42"), Contains("· for 1 day —"));

  in.time_zone = "America/New_York";
  CHECK(section_texts(build_digest(in, {})).at(0).starts_with("Digest · Sun 22 Nov\n"));
  CHECK_THAT(line_with(build_digest(in, {}), "ENG-42"), Contains("· since today —"));

  in.time_zone = "Nowhere/Atlantis";  // unknown: read as UTC
  CHECK(section_texts(build_digest(in, {})).at(0).starts_with("Digest · Mon 23 Nov\n"));
}

TEST_CASE("a window longer than a day shows both ends", "[digest]") {
  auto in = busy_channel();
  in.window_start = nov(16);
  CHECK(
      section_texts(build_digest(in, {})).at(0).starts_with("Digest · Mon 16 Nov – Mon 23 Nov\n"));
}

TEST_CASE("tracker activity shows one line per ticket, most recently active first", "[digest][trackers]") {
  auto in = channel_input();
  const auto tracked = [](std::string key, TrackerAction action, SysTime at, int commits = 0) {
    TrackerActivity a;
    a.tracker = Tracker::github;
    a.action = action;
    a.at = at;
    a.tickets = {std::move(key)};
    a.item = "PR #9";
    a.commits = commits;
    a.url = "https://github.com/acme/web/pull/9";
    return a;
  };
  in.tracker_activity = {tracked("ENG-42", TrackerAction::pushed, nov(22, 10), 2),
                         tracked("acme/web#9", TrackerAction::opened, nov(22, 11)),
                         tracked("ENG-42", TrackerAction::pushed, nov(22, 12), 1),
                         tracked("ENG-42", TrackerAction::merged, nov(22, 13))};
  // Nobody said a word in the window: the trackers alone make a digest.
  const auto text = to_text(build_digest(in, {}));
  const auto start = text.find("🛠 In the trackers");
  REQUIRE(start != std::string::npos);
  CHECK(text.substr(start) ==
        "🛠 In the trackers\n"
        "• ENG-42 — 3 commits, PR #9 merged\n"
        "• acme/web#9 — PR #9 opened");
  const auto digest = build_digest(in, {.threaded = true});
  CHECK_THAT(to_text(digest), Contains("2 tickets active"));
}
