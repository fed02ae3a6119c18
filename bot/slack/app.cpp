#include "microalign/slack/app.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <nlohmann/json.hpp>

#include <functional>

#include "microalign/core/echo.hpp"
#include "microalign/core/log.hpp"
#include "microalign/core/notices.hpp"
#include "microalign/core/parse.hpp"
#include "microalign/net/tls.hpp"
#include "microalign/slack/async_commit.hpp"
#include "microalign/slack/block_kit.hpp"
#include "microalign/slack/mrkdwn.hpp"
#include "microalign/slack/nudges.hpp"
#include "microalign/slack/payloads.hpp"
#include "microalign/slack/socket_mode.hpp"
#include "microalign/slack/web_api.hpp"
#include "microalign/slack/outbox_sender.hpp"
#include "microalign/storage/transactions.hpp"
#include "microalign/storage/digest_facts.hpp"
#include "microalign/storage/nudge_messages.hpp"
#include "microalign/storage/outbox.hpp"
#include "microalign/storage/people.hpp"
#include "microalign/storage/store.hpp"

namespace microalign::slack {
namespace {

namespace asio = boost::asio;

// Slack's limit for a slash command's text is 4,000 characters in practice; anything far
// beyond is hostile or broken, and is cut before it reaches the parser or the store.
constexpr std::size_t max_text_bytes = 16 * 1024;

// The bot's own mention opens every app_mention ("<@UBOT> ENG-42 on track"); it is not part of
// the update, and neither is the punctuation people put after it ("@microalign: …").
RichText without_bot_mention(RichText text, const std::string& bot_user_id) {
  std::erase_if(text, [&](const Span& s) { return !s.user.empty() && s.user == bot_user_id; });
  while (!text.empty() && text.front().url.empty() && text.front().user.empty()) {
    auto& first = text.front().text;
    const auto start = first.find_first_not_of(" \t\n:,;-");
    if (start != std::string::npos) {
      first.erase(0, start);
      break;
    }
    text.erase(text.begin());
  }
  return text;
}

// Old rows go a batch per commit, so that a large backlog (the first run on an old database)
// never holds the writer for long: 1,000 outbox rows take about 25 ms, 1,000 nudge DMs' blocks
// (2 kB each, overwritten by SQLite's secure_delete) about 100-230 ms. Returns how many went;
// stops at a short batch, a failed commit, or on stop.
using Forget = std::function<std::size_t(storage::Store&, std::size_t limit)>;
constexpr std::size_t forget_batch = 1'000;

asio::awaitable<std::size_t> forget_in_batches(storage::Transactions& commits, const bool& stopping, Forget forget) {
  std::size_t total = 0;
  for (std::size_t forgotten = forget_batch; forgotten == forget_batch && !stopping;) {
    forgotten = 0;
    storage::Transactions::Work batch = [&](storage::Store& s) { forgotten = forget(s, forget_batch); };
    const auto done = co_await commit(commits, std::move(batch), std::chrono::seconds(30));
    if (!done.committed()) {
      log::warn("storage", "housekeeping stopped for today: " + done.error);
      break;
    }
    total += forgotten;
  }
  co_return total;
}

}  // namespace

App::Clock App::system_clock() {
  return [] { return std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now()); };
}

App::App(asio::io_context& io, const Config& config, storage::Transactions& commits, Clock now)
    : io_(io),
      config_(config),
      commits_(commits),
      now_(std::move(now)),
      tls_(net::make_client_tls_context()),
      housekeeping_(io),
      api_(std::make_unique<WebApi>(io.get_executor(), tls_, config.slack)),
      outbox_api_(std::make_unique<WebApi>(io.get_executor(), tls_, config.slack)),
      lookup_api_(std::make_unique<WebApi>(io.get_executor(), tls_, config.slack)),
      link_(std::make_unique<SocketModeLink>(
          io.get_executor(), tls_, *api_, config.slack,
          [this](Envelope e, std::shared_ptr<Ack> ack) { return on_envelope(std::move(e), std::move(ack)); })),
      sender_stopped_(io.get_executor()) {}

App::~App() = default;

void App::stop() {
  stopping_ = true;
  housekeeping_.cancel();
  link_->stop();
}

// Slack redelivers an event within minutes of the first attempt; a week of seen event ids is
// ample to recognise every retry, and pruning daily keeps the table small. Sent messages and
// nudge DMs' blocks serve for a few days (threads, answers to a DM); after a month they only
// take room.
asio::awaitable<void> App::forget_old_events() {
  while (!stopping_) {
    const SysTime now = now_();
    storage::Transactions::Work prune = [cutoff = now - std::chrono::days(7)](storage::Store& s) {
      s.prune_seen_events(cutoff);
    };
    co_await commit(commits_, std::move(prune), std::chrono::seconds(30));
    const SysTime month_ago = now - std::chrono::days(30);
    Forget forget_messages = [month_ago](storage::Store& s, std::size_t limit) {
      return s.prune_outbox(month_ago, limit);
    };
    Forget forget_dms = [month_ago](storage::Store& s, std::size_t limit) {
      return s.forget_nudge_messages(month_ago, limit);
    };
    const auto messages = co_await forget_in_batches(commits_, stopping_, std::move(forget_messages));
    const auto dms = co_await forget_in_batches(commits_, stopping_, std::move(forget_dms));
    if (messages + dms > 0) {
      log::info("storage", "forgot " + std::to_string(messages) + " finished messages and the blocks of " +
                               std::to_string(dms) + " nudge DMs, all over 30 days old");
    }
    if (stopping_) break;  // stop() may have come while pruning: the timer was not waiting yet
    housekeeping_.expires_after(std::chrono::hours(24));
    co_await housekeeping_.async_wait(asio::as_tuple(asio::use_awaitable));
  }
}

asio::awaitable<std::string> App::run() {
  auto refused = co_await identify_bot();
  if (!refused.empty()) co_return refused;
  if (stopping_) co_return std::string{};
  asio::co_spawn(io_, forget_old_events(), asio::detached);
  sender_ = std::make_unique<OutboxSender>(io_.get_executor(), *outbox_api_, commits_, now_, bot_name_);
  sender_running_ = true;
  asio::co_spawn(io_, sender_->run(), [this](std::exception_ptr) {
    sender_running_ = false;
    sender_stopped_.notify();
  });
  scheduler_ = std::make_unique<DigestScheduler>(io_.get_executor(), commits_, *sender_, now_,
                                                 [this] { return digest_context(); });
  asio::co_spawn(io_, scheduler_->run(), asio::detached);
  nudges_ = std::make_unique<NudgeScheduler>(io_.get_executor(), commits_, *sender_, *lookup_api_, now_,
                                             [this] { return digest_context(); }, config_.nudge_tick);
  asio::co_spawn(io_, nudges_->run(), asio::detached);

  auto fatal = co_await link_->run();
  stopping_ = true;  // after a fatal error too: housekeeping and sending end with the link
  housekeeping_.cancel();
  scheduler_->stop();
  nudges_->stop();
  // What is still queued stays in the outbox and goes out after the next start.
  sender_->stop();
  while (sender_running_) co_await sender_stopped_.wait();
  api_->close();
  outbox_api_->close();
  lookup_api_->close();
  co_return fatal;
}

// auth.test proves the bot token before any user depends on it, and tells us our own user id
// (to strip "@microalign" from mentions) and name (for the /invite hint).
asio::awaitable<std::string> App::identify_bot() {
  for (int attempt = 1; !stopping_; ++attempt) {
    auto reply = co_await api_->call("auth.test", nlohmann::json::object());
    if (reply.ok) {
      bot_user_id_ = reply.body.value("user_id", std::string{});
      bot_name_ = reply.body.value("user", bot_name_);
      workspace_url_ = reply.body.value("url", std::string{});
      log::info("slack", "signed in as @" + bot_name_ + " in " + reply.body.value("team", std::string("the workspace")));
      co_return std::string{};
    }
    if (!reply.transient()) {
      co_return "SLACK_BOT_TOKEN was rejected by Slack (" + reply.error +
                 "): check the bot token (xoxb-…) under OAuth & Permissions";
    }
    const auto wait = std::min<std::chrono::seconds>(reply.retry_after.value_or(std::chrono::seconds(attempt)),
                                                     std::chrono::seconds(30));
    log::warn("slack", "auth.test failed (" + reply.error + "); retrying in " + std::to_string(wait.count()) + " s");
    asio::steady_timer timer(io_, wait);
    co_await timer.async_wait(asio::use_awaitable);
  }
  co_return std::string{};
}

asio::awaitable<void> App::on_envelope(Envelope envelope, std::shared_ptr<Ack> ack) {
  if (envelope.type == "slash_commands") {
    co_await on_slash_command(envelope, *ack);
  } else if (envelope.type == "events_api") {
    co_await on_event(envelope, *ack);
  } else if (envelope.type == "interactive") {
    co_await on_interactive(envelope, *ack);
  } else {
    log::warn("slack", "acknowledged an envelope of unknown type '" + envelope.type + "'");
    ack->send();
  }
}

asio::awaitable<void> App::on_slash_command(const Envelope& envelope, Ack& ack) {
  std::string why;
  auto slash = read_slash_command(envelope.payload, why);
  if (!slash) {
    log::warn("slack", "slash command payload unusable: " + why);
    ack.send(private_answer("Sorry — Slack sent that command in a form I couldn't read. Please try again."));
    co_return;
  }
  if (slash->command == "/microalign") {
    co_await on_channel_command(*slash, ack);
    co_return;
  }
  if (slash->user_name.size() > 0) display_names_[slash->user] = slash->user_name;
  auto command = command_from_string(slash->command);
  if (!command) {
    ack.send(private_answer("I don't handle " + slash->command + " yet. Try /heads-up or /status."));
    co_return;
  }
  const RichText body = decode(sanitize_utf8(slash->text, max_text_bytes));
  Update update;
  update.created_at = now_();
  update.where = {slash->team, slash->channel, {}};
  update.user = slash->user;
  update.source = UpdateSource::slash;
  update.parsed = parse_update(*command, body, config_.parse);
  if (auto refusal = refusal_for(*command, update.parsed)) {
    ack.send(private_answer(*refusal));
    co_return;
  }

  auto stored = co_await store_with_echo(update, body, slash->user_name, slash->response_url);
  if (!stored.committed()) {
    log::error("slack", "update from " + slash->user + " in " + slash->channel + " not saved: " + stored.error);
    ack.send(private_answer(render_not_saved()));
    co_return;
  }
  log::info("slack", "stored update #" + std::to_string(update.id) + " (" +
                         std::string(to_string(update.parsed.kind)) + ") in " + slash->channel);
  ack.send(private_answer(render_receipt(update)));
  sender_->wake();
}

asio::awaitable<void> App::on_event(const Envelope& envelope, Ack& ack) {
  const auto type = event_type(envelope.payload);
  if (type == "reaction_added" || type == "message") {
    co_await on_possible_answer(envelope, type, ack);
    co_return;
  }
  if (type != "app_mention") {
    log::debug("slack", "event '" + type + "' acknowledged; nothing to do");
    ack.send();
    co_return;
  }
  std::string why;
  auto mention = read_mention(envelope.payload, why);
  if (!mention) {
    log::warn("slack", "app_mention unusable: " + why);
    ack.send();
    co_return;
  }
  if (envelope.retry_attempt > 0) {
    log::info("slack", "event " + mention->event_id + " redelivered (attempt " +
                           std::to_string(envelope.retry_attempt) + ", " + envelope.retry_reason + ")");
  }
  co_await on_mention(*mention, ack);
}

// A ✅ on an assumption's echo (or its source message), or a reply in its thread by someone
// other than its author, answers it: it leaves the digest's "open assumptions".
asio::awaitable<void> App::on_possible_answer(const Envelope& envelope, const std::string& type, Ack& ack) {
  std::string why, team, channel, user, at;
  if (type == "reaction_added") {
    auto reaction = read_reaction(envelope.payload, why);
    if (reaction && is_answer_reaction(reaction->reaction)) {
      team = reaction->team, channel = reaction->channel, user = reaction->user, at = reaction->item_ts;
    }
  } else if (auto reply = read_thread_reply(envelope.payload, why)) {
    team = reply->team, channel = reply->channel, user = reply->user, at = reply->thread_ts;
  }
  if (at.empty()) {
    ack.send();
    co_return;
  }
  const auto kind = type == "reaction_added" ? storage::AnswerKind::reaction : storage::AnswerKind::reply;
  int answered = 0;
  storage::Transactions::Work record = [&, now = now_()](storage::Store& s) {
    for (const auto& assumption : s.open_assumptions_at(team, channel, at)) {
      if (assumption.user == user) continue;  // the author adding detail is not an answer
      s.record_answer(assumption.id, kind, user, now);
      ++answered;
    }
  };
  auto done = co_await commit(commits_, std::move(record), config_.slack.ack_deadline);
  // Not acknowledged when storing failed: Slack delivers the event again, and recording is idempotent.
  if (!done.committed()) {
    log::error("slack", "answer in " + channel + " not recorded: " + done.error);
    co_return;
  }
  ack.send();
  if (answered > 0) log::info("slack", std::to_string(answered) + " assumption(s) answered in " + channel);
}

asio::awaitable<void> App::on_mention(const Mention& mention, Ack& ack) {
  const RichText body = without_bot_mention(decode(sanitize_utf8(mention.text, max_text_bytes)), bot_user_id_);
  Update update;
  update.created_at = now_();
  update.where = {mention.team, mention.channel, mention.thread_ts};
  update.user = mention.user;
  update.source = UpdateSource::mention;
  update.source_ref = mention.ts;
  update.parsed = parse_update(Command::mention, body, config_.parse);
  const std::string reply_thread = mention.thread_ts.empty() ? mention.ts : mention.thread_ts;

  if (auto refusal = refusal_for(Command::mention, update.parsed)) {
    ack.send();
    co_await tell_privately(mention, reply_thread, render_refusal(*refusal));
    co_return;
  }
  // The echo goes into the mention's thread: the mention itself is already in the channel.
  const auto author = co_await display_name(mention.user);
  auto echo = echo_message(update, body, author, {});
  auto echo_body = nlohmann::json::parse(echo.body);
  echo_body["thread_ts"] = reply_thread;
  echo.body = echo_body.dump();

  bool duplicate = false;
  storage::Transactions::Work insert = [&update, &duplicate, &echo, &author,
                                        event = mention.event_id](storage::Store& s) {
    auto result = s.insert_update(update, event);
    update.id = result.update_id;
    duplicate = result.duplicate;
    if (duplicate) return;
    echo.update_id = update.id;
    s.enqueue(echo);
    s.remember_name(update.where.team, update.user, author, update.created_at);
  };
  auto stored = co_await commit(commits_, std::move(insert), config_.slack.ack_deadline);
  ack.send();
  if (!stored.committed()) {
    log::error("slack", "mention " + mention.event_id + " not saved: " + stored.error);
    co_await tell_privately(mention, reply_thread, render_not_saved());
    co_return;
  }
  if (duplicate) {
    log::info("slack", "event " + mention.event_id + " already stored as update #" + std::to_string(update.id));
    co_return;
  }
  log::info("slack", "stored update #" + std::to_string(update.id) + " (" +
                         std::string(to_string(update.parsed.kind)) + ") from a mention in " + mention.channel);
  sender_->wake();
}

asio::awaitable<void> App::tell_privately(const Mention& mention, const std::string& thread, Message note) {
  auto args = to_block_kit(note);
  args["channel"] = mention.channel;
  args["user"] = mention.user;
  args["thread_ts"] = thread;
  co_await api_->call("chat.postEphemeral", std::move(args));
}

asio::awaitable<std::string> App::display_name(const std::string& user) {
  if (auto known = display_names_.find(user); known != display_names_.end()) co_return known->second;
  nlohmann::json args;  // (not a braced list: GCC 12 miscompiles those inside coroutines)
  args["user"] = user;
  // Before the ack: a slow answer must not cost the 3-second deadline, so it gets little time,
  // and the echo names the author by id when it runs out.
  auto reply = co_await api_->call("users.info", std::move(args), TokenKind::bot, std::chrono::milliseconds(800));
  auto name = reply.ok ? user_display_name(reply.body) : std::string{};
  if (!name.empty()) display_names_[user] = name;
  co_return name;
}

asio::awaitable<CommitResult> App::store_with_echo(Update& update, const RichText& body, const std::string& author,
                                                   const std::string& response_url, storage::Transactions::Work also) {
  auto echo = echo_message(update, body, author, response_url);
  // (Work is always a named local: GCC 12 destroys a lambda temporary in a co_await twice.)
  storage::Transactions::Work insert = [&update, &echo, &author, &also](storage::Store& s) {
    insert_with_echo(s, update, std::move(echo), author);
    if (also) also(s);
  };
  co_return co_await commit(commits_, std::move(insert), config_.slack.ack_deadline);
}

// The update and its echo are committed together: an acknowledged update is always echoed.
void App::insert_with_echo(storage::Store& s, Update& update, storage::OutboxMessage echo, const std::string& author) {
  update.id = s.insert_update(update).update_id;
  echo.update_id = update.id;
  s.enqueue(std::move(echo));
  if (!author.empty()) s.remember_name(update.where.team, update.user, author, update.created_at);
}

storage::OutboxMessage App::echo_message(const Update& update, const RichText& body, const std::string& author,
                                         const std::string& response_url) const {
  auto args = to_block_kit(render_echo(update, body, author));
  args["channel"] = update.where.channel;
  args["unfurl_links"] = false;
  args["unfurl_media"] = false;
  if (!response_url.empty()) args[fallback_response_url_key] = response_url;
  storage::OutboxMessage m;
  m.team = update.where.team;
  m.channel = update.where.channel;
  m.method = "chat.postMessage";
  m.body = args.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  m.created_at = update.created_at;
  m.not_before = update.created_at;
  return m;
}

}  // namespace microalign::slack
