// The one sender of everything in the outbox: paces chat.postMessage to about one a second per
// channel, waits out Retry-After and backs off on 5xx and timeouts, gives up with a logged,
// visible reason on permanent errors, and picks up where it left off after a restart.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "microalign/core/model.hpp"
#include "microalign/net/signal.hpp"

namespace microalign::storage {
class Transactions;
struct OutboxMessage;
}  // namespace microalign::storage

namespace microalign::slack {

class WebApi;
struct ApiReply;

// A stored message body may carry this key: where to send it instead (the slash command's own
// response, in_channel) when the bot cannot post in the channel. It is removed before sending.
inline constexpr const char* fallback_response_url_key = "microalign_fallback_response_url";
// Or this key: the user id whose direct messages with the bot it goes to. The sender opens that
// conversation (conversations.open, remembered) and posts there. It is removed before sending.
inline constexpr const char* open_dm_with_key = "microalign_open_dm_with";

class OutboxSender {
 public:
  using Clock = std::function<SysTime()>;

  OutboxSender(boost::asio::any_io_executor, WebApi&, storage::Transactions&, Clock, std::string bot_name);

  // Sends until stop(); returns once the message in flight (if any) is settled.
  boost::asio::awaitable<void> run();
  void wake();  // something new was queued
  void stop();

 private:
  boost::asio::awaitable<bool> send(const storage::OutboxMessage&);  // false: try again later
  // The DM channel with `user` (into `channel`): remembered, or opened with conversations.open.
  boost::asio::awaitable<ApiReply> open_dm(const std::string& user, std::string& channel);
  boost::asio::awaitable<void> settle(const storage::OutboxMessage&, const ApiReply&);
  boost::asio::awaitable<void> fall_back(const storage::OutboxMessage&, const std::string& url,
                                         const std::string& error);
  SysTime channel_free_at(const std::string& channel) const;

  boost::asio::any_io_executor executor_;
  WebApi& api_;
  storage::Transactions& commits_;
  Clock now_;
  std::string bot_name_;
  net::Signal wake_;
  bool stopping_ = false;
  std::map<std::string, SysTime> channel_last_sent_;  // pacing: ~1 message a second per channel
  std::map<std::string, SysTime> method_paused_until_;  // Retry-After, per method
  std::map<std::string, std::string> dm_channels_;       // user id → their DM channel with the bot
};

}  // namespace microalign::slack
