// microalign on Slack: envelopes in, updates stored, acks and echoes out. Owns the Web API client
// and the Socket Mode link; the core (parsing, rendering) and storage do the thinking.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "microalign/core/channel_command.hpp"
#include "microalign/core/config.hpp"
#include "microalign/core/message.hpp"
#include "microalign/core/model.hpp"
#include "microalign/net/signal.hpp"
#include "microalign/slack/async_commit.hpp"
#include "microalign/slack/digests.hpp"
#include "microalign/slack/frames.hpp"

namespace microalign {
struct NudgeButtonValue;
enum class NudgeAnswer;
}  // namespace microalign

namespace microalign::storage {
class Transactions;
class Store;
struct OutboxMessage;
}

namespace microalign::slack {

class Ack;
class DigestScheduler;
class NudgeScheduler;
class OutboxSender;
class SocketModeLink;
class WebApi;
struct BlockAction;
struct Mention;
struct SlashCommand;

class App {
 public:
  using Clock = std::function<SysTime()>;

  App(boost::asio::io_context&, const Config&, storage::Transactions&, Clock = system_clock());
  ~App();

  // Checks the bot token (auth.test), then serves Socket Mode until stop() or a fatal error.
  // Returns the fatal error as one line for the operator, or empty after a clean stop.
  boost::asio::awaitable<std::string> run();
  void stop();

  static Clock system_clock();

 private:
  boost::asio::awaitable<void> on_envelope(Envelope, std::shared_ptr<Ack>);
  boost::asio::awaitable<void> on_slash_command(const Envelope&, Ack&);
  boost::asio::awaitable<void> on_event(const Envelope&, Ack&);
  boost::asio::awaitable<void> on_mention(const Mention&, Ack&);
  boost::asio::awaitable<void> on_possible_answer(const Envelope&, const std::string& type, Ack&);
  // Nudge DMs' buttons and the update form (app_interactive.cpp).
  boost::asio::awaitable<void> on_interactive(const Envelope&, Ack&);
  boost::asio::awaitable<void> on_block_action(const Envelope&, Ack&);
  boost::asio::awaitable<void> answer_button(const BlockAction&, const NudgeButtonValue&, NudgeAnswer, Ack&);
  boost::asio::awaitable<void> open_update_form(const BlockAction&, const NudgeButtonValue&);
  boost::asio::awaitable<void> on_view_submission(const Envelope&, Ack&);
  boost::asio::awaitable<void> tell_clicker(const BlockAction&, const std::string& note);
  boost::asio::awaitable<void> on_channel_command(const SlashCommand&, Ack&);  // app_channel_command.cpp
  boost::asio::awaitable<void> show_ticket(const SlashCommand&, const std::string& key, Ack&);
  // The commands that steer nudges (away, back, nudges on/off, holiday, snooze, owner, done,
  // tickets), in app_nudge_commands.cpp: false for any other request, which is left unanswered.
  boost::asio::awaitable<bool> on_nudge_command(const SlashCommand&, const channel_command::Parsed&, Ack&);
  boost::asio::awaitable<void> mark_done(const SlashCommand&, const std::string& key, Ack&);
  boost::asio::awaitable<void> list_tickets(const SlashCommand&, Ack&);
  // An answer only whoever asked sees: the ack payload of a slash command.
  static nlohmann::json private_answer(const Message&);
  static nlohmann::json private_answer(const std::string& text);  // one plain paragraph
  boost::asio::awaitable<std::string> user_time_zone_of(const std::string& user);
  DigestContext digest_context() const;
  boost::asio::awaitable<std::string> identify_bot();
  boost::asio::awaitable<void> forget_old_events();
  // An ephemeral note to a mention's author, in the mention's thread.
  boost::asio::awaitable<void> tell_privately(const Mention&, const std::string& thread, Message note);
  boost::asio::awaitable<std::string> display_name(const std::string& user);
  // Stores the update and queues its echo to its channel, with `also` (if any), in one
  // transaction: an acknowledged update is always echoed. The update gets its id.
  boost::asio::awaitable<CommitResult> store_with_echo(Update&, const RichText& body, const std::string& author,
                                                       const std::string& response_url,
                                                       std::function<void(storage::Store&)> also = {});
  // In the caller's transaction: the update (which gets its id), its echo, the author's name.
  static void insert_with_echo(storage::Store&, Update&, storage::OutboxMessage echo, const std::string& author);
  // The echo of an update, ready for the outbox (its update_id is set once the update has one).
  storage::OutboxMessage echo_message(const Update&, const RichText& body, const std::string& author,
                                      const std::string& response_url) const;

  boost::asio::io_context& io_;
  const Config& config_;
  storage::Transactions& commits_;
  Clock now_;
  boost::asio::ssl::context tls_;
  boost::asio::steady_timer housekeeping_;
  std::unique_ptr<WebApi> api_;         // interactive calls: auth.test, users.info, notes
  std::unique_ptr<WebApi> outbox_api_;  // the sender's own kept-alive connection
  std::unique_ptr<WebApi> lookup_api_;  // background users.info: never ahead of an ack or a post
  std::unique_ptr<SocketModeLink> link_;
  std::unique_ptr<OutboxSender> sender_;
  net::Signal sender_stopped_;
  bool sender_running_ = false;
  std::unique_ptr<DigestScheduler> scheduler_;
  std::unique_ptr<NudgeScheduler> nudges_;
  std::string workspace_url_;  // from auth.test: digests link to updates
  std::string bot_user_id_;
  std::string bot_name_ = "microalign";
  std::map<std::string, std::string> display_names_;  // user id → name, for echoes of mentions
  bool stopping_ = false;
};

}  // namespace microalign::slack
