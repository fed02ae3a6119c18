#include "microalign/slack/outbox_sender.hpp"

#include <algorithm>
#include <set>
#include <nlohmann/json.hpp>

#include "microalign/core/log.hpp"
#include "microalign/core/notices.hpp"
#include "microalign/slack/async_commit.hpp"
#include "microalign/slack/block_kit.hpp"
#include "microalign/slack/web_api.hpp"
#include "microalign/storage/store.hpp"
#include "microalign/storage/outbox.hpp"

namespace microalign::slack {
namespace {

namespace asio = boost::asio;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr int max_attempts = 8;
constexpr int batch_size = 50;
constexpr auto channel_pacing = seconds(1);  // chat.postMessage: about one a second per channel
constexpr auto idle_poll = seconds(30);      // belt and braces: look again even without a wake()

// Errors after which the message can never be delivered as it is.
bool cannot_post_in_channel(const std::string& e) {
  return e == "not_in_channel" || e == "channel_not_found" || e == "is_archived";
}

// 1, 2, 4 … seconds, capped at five minutes: Slack's bad moments are usually short.
milliseconds retry_delay(int attempts) {
  return std::min<milliseconds>(seconds(1) * (1 << std::min(attempts, 9)), std::chrono::minutes(5));
}

std::string describe(const storage::OutboxMessage& m) {
  return "message #" + std::to_string(m.id) + " (" + m.method + " to " + m.channel + ")";
}

}  // namespace

OutboxSender::OutboxSender(asio::any_io_executor executor, WebApi& api, storage::Transactions& commits, Clock now,
                           std::string bot_name)
    : executor_(executor),
      api_(api),
      commits_(commits),
      now_(std::move(now)),
      bot_name_(std::move(bot_name)),
      wake_(executor) {}

void OutboxSender::wake() { wake_.notify(); }

void OutboxSender::stop() {
  stopping_ = true;
  wake_.notify();
}

SysTime OutboxSender::channel_free_at(const std::string& channel) const {
  auto it = channel_last_sent_.find(channel);
  return it == channel_last_sent_.end() ? SysTime{} : it->second + channel_pacing;
}

asio::awaitable<void> OutboxSender::run() {
  while (!stopping_) {
    const auto now = now_();
    auto due = co_await query<std::vector<storage::OutboxMessage>>(
        commits_, [now](storage::Store& s) { return s.due_messages(now, batch_size); });
    if (!due) {
      log::error("outbox", "cannot read the outbox; trying again shortly");
      co_await wake_.wait(seconds(5));
      continue;
    }

    bool sent_any = false;
    SysTime next_free = SysTime::max();
    // A channel whose message must wait keeps the rest of its messages waiting behind it: the
    // clock moves on during the pass, and a later message must not overtake an earlier one.
    std::set<std::string> held;
    for (const auto& message : *due) {
      if (stopping_) break;
      if (held.contains(message.channel)) continue;
      auto paused = method_paused_until_.find(message.method);
      auto free_at = std::max(channel_free_at(message.channel),
                              paused == method_paused_until_.end() ? SysTime{} : paused->second);
      if (free_at > now_()) {
        next_free = std::min(next_free, free_at);
        held.insert(message.channel);
        continue;
      }
      co_await send(message);
      sent_any = true;
    }
    if (sent_any || stopping_) continue;

    auto next_due = co_await query<std::optional<SysTime>>(commits_, [](storage::Store& s) { return s.next_due(); });
    auto until = std::min(next_free, next_due && *next_due ? **next_due : SysTime::max());
    const auto wait = until == SysTime::max()
                          ? milliseconds(idle_poll)
                          : std::clamp<milliseconds>(until - now_(), milliseconds(0), idle_poll);
    if (stopping_) break;  // stop() may have come while the query above was under way
    co_await wake_.wait(wait);
  }
}

asio::awaitable<bool> OutboxSender::send(const storage::OutboxMessage& message) {
  auto body = nlohmann::json::parse(message.body, nullptr, /*allow_exceptions=*/false);
  if (!body.is_object()) {
    storage::Transactions::Work fail = [id = message.id, at = now_()](storage::Store& s) {
      s.mark_failed(id, "stored body is not a JSON object", at);
    };
    co_await commit(commits_, std::move(fail), seconds(30));
    co_return false;
  }
  if (message.thread_of != 0) {
    auto parent = co_await query<std::optional<std::string>>(
        commits_, [id = message.thread_of](storage::Store& s) { return s.sent_ts(id); });
    if (parent && *parent) body["thread_ts"] = **parent;
  }
  std::string fallback_url;
  if (auto it = body.find(fallback_response_url_key); it != body.end()) {
    fallback_url = it->is_string() ? it->get<std::string>() : std::string{};
    body.erase(it);
  }
  if (auto it = body.find(open_dm_with_key); it != body.end()) {
    const auto user = it->is_string() ? it->get<std::string>() : std::string{};
    body.erase(it);
    std::string dm;
    auto opened = co_await open_dm(user, dm);
    if (!opened.ok) {
      channel_last_sent_[message.channel] = now_();
      co_await settle(message, opened);  // retried or given up on like the post itself
      co_return false;
    }
    body["channel"] = dm;
  }

  ApiReply reply;
  if (message.method == "response_url") {
    const auto url = body.value("url", std::string{});
    body.erase("url");
    reply = co_await api_.respond(url, std::move(body));
  } else {
    reply = co_await api_.call(message.method, std::move(body));
  }
  channel_last_sent_[message.channel] = now_();
  co_await settle(message, reply);
  if (!reply.ok && cannot_post_in_channel(reply.error) && !fallback_url.empty()) {
    co_await fall_back(message, fallback_url, reply.error);
  }
  co_return reply.ok;
}

asio::awaitable<ApiReply> OutboxSender::open_dm(const std::string& user, std::string& channel) {
  if (auto known = dm_channels_.find(user); known != dm_channels_.end()) {
    channel = known->second;
    ApiReply remembered;
    remembered.ok = true;
    co_return remembered;
  }
  nlohmann::json args;
  args["users"] = user;
  auto reply = co_await api_.call("conversations.open", std::move(args));
  if (!reply.ok) co_return reply;
  const auto opened = reply.body.is_object() ? reply.body.value("channel", nlohmann::json::object()) : nlohmann::json{};
  channel = opened.is_object() ? opened.value("id", std::string{}) : std::string{};
  if (channel.empty()) {
    reply.ok = false;
    reply.error = "conversations.open gave no channel";
    co_return reply;
  }
  dm_channels_[user] = channel;
  co_return reply;
}

asio::awaitable<void> OutboxSender::settle(const storage::OutboxMessage& message, const ApiReply& reply) {
  const auto now = now_();
  storage::Transactions::Work outcome;
  if (reply.ok) {
    const auto ts = reply.body.is_object() ? reply.body.value("ts", reply.body.value("message_ts", std::string{}))
                                           : std::string{};
    outcome = [id = message.id, ts, now](storage::Store& s) { s.mark_sent(id, ts, now); };
  } else if (reply.transient() && message.attempts + 1 < max_attempts) {
    const auto delay = reply.retry_after ? milliseconds(*reply.retry_after) : retry_delay(message.attempts);
    if (reply.http_status == 429 && reply.retry_after) {
      // Slack's limits are per method: everything else of this kind waits too.
      method_paused_until_[message.method] = now + *reply.retry_after;
    }
    log::info("outbox", describe(message) + " will be retried in " + std::to_string(delay.count()) +
                            " ms: " + reply.error);
    outcome = [id = message.id, at = now + delay, error = reply.error](storage::Store& s) {
      s.retry_later(id, at, error);
    };
  } else {
    const auto reason = reply.transient()
                            ? "gave up after " + std::to_string(max_attempts) + " attempts: " + reply.error
                            : reply.error;
    log::warn("outbox", "could not send " + describe(message) + ": " + reason);
    const bool tell_someone = !message.notify_on_failure.empty() && cannot_post_in_channel(reply.error);
    outcome = [id = message.id, reason, now, tell_someone, message, bot = bot_name_](storage::Store& s) {
      s.mark_failed(id, reason, now);
      if (!tell_someone) return;
      // Passing a user id as the channel posts in the bot's direct messages with them.
      storage::OutboxMessage note;
      note.team = message.team;
      note.channel = message.notify_on_failure;
      note.method = "chat.postMessage";
      auto body = to_block_kit(render_cannot_post(message.channel, reason, bot));
      body["channel"] = message.notify_on_failure;
      note.body = body.dump();
      note.created_at = now;
      note.not_before = now;
      s.enqueue(std::move(note));
    };
  }
  co_await commit(commits_, std::move(outcome), seconds(30));
}

// Where the bot is not a member (a private channel, say), a slash command's own response
// still reaches the channel: the echo goes there, and its author learns how to invite the bot.
asio::awaitable<void> OutboxSender::fall_back(const storage::OutboxMessage& message, const std::string& url,
                                              const std::string& error) {
  auto echo = nlohmann::json::parse(message.body, nullptr, false);
  echo.erase(fallback_response_url_key);
  echo.erase("channel");
  echo["response_type"] = "in_channel";
  echo["url"] = url;
  auto hint = to_block_kit(render_invite_hint(bot_name_));
  hint["response_type"] = "ephemeral";
  hint["url"] = url;
  storage::Transactions::Work queue_both = [message, echo, hint, now = now_()](storage::Store& s) {
    for (const auto* body : {&echo, &hint}) {
      storage::OutboxMessage m;
      m.team = message.team;
      m.channel = message.channel;
      m.method = "response_url";
      m.body = body->dump();
      m.created_at = now;
      m.not_before = now;
      s.enqueue(std::move(m));
    }
  };
  co_await commit(commits_, std::move(queue_both), seconds(30));
  log::info("outbox", describe(message) + " goes through the command's response instead (" + error + ")");
}

}  // namespace microalign::slack
