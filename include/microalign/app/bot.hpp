// What microalign does with everything people do on any platform: updates stored and echoed,
// channel commands answered, assumptions answered, nudge buttons and forms acted on. Each use
// case decides what to store, what to echo and what to refuse, and words the answers; the
// platform adapter that brought the event decoded it and answers through its Responder.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>
#include <string>

#include "microalign/app/clock.hpp"
#include "microalign/app/platform.hpp"
#include "microalign/app/transact.hpp"
#include "microalign/core/channel_command.hpp"
#include "microalign/core/parse.hpp"
#include "microalign/core/ticket_links.hpp"

namespace microalign::storage {
class Store;
class Transactions;
struct OutboxMessage;
}  // namespace microalign::storage

namespace microalign {
struct NudgeButtonValue;
enum class NudgeAnswer;
}  // namespace microalign

namespace microalign::app {

class Names;
class Platforms;
struct AppMetrics;

struct BotOptions {
  ParseOptions parse;         // MICROALIGN_TICKET_PREFIXES
  TrackerHomes ticket_links{};  // MICROALIGN_JIRA_URL, MICROALIGN_LINEAR_URL: for echoes, lists, digests, nudges
};

class Bot {
 public:
  Bot(storage::Transactions&, Clock, BotOptions, Names&, Platforms&, AppMetrics&);

  // /heads-up, /status, @mentions (bot_updates.cpp).
  boost::asio::awaitable<void> on_update(Platform&, UpdatePosted, Responder&);
  // A message written to the bot: an update or a command, by its first word (bot_updates.cpp).
  boost::asio::awaitable<void> on_message(Platform&, MessageToBot, Responder&);
  // A reply or ✅ answering an assumption (bot_answers.cpp).
  boost::asio::awaitable<void> on_possible_answer(Platform&, PossibleAnswer, Responder&);
  // /microalign … (bot_commands.cpp, bot_nudge_commands.cpp).
  boost::asio::awaitable<void> on_command(Platform&, CommandIssued, Responder&);
  // A nudge DM's buttons and its update form (bot_nudge_buttons.cpp).
  boost::asio::awaitable<void> on_button(Platform&, ButtonPressed, ButtonResponder&);
  boost::asio::awaitable<void> on_form(Platform&, FormSubmitted, FormResponder&);
  // Someone (or the bot) joined or left a channel.
  boost::asio::awaitable<void> on_membership(Platform&, MembershipChanged, Responder&);

  // Called once a channel's settings (its digest schedule, zone, …) were saved: the digest
  // scheduler looks again at once rather than when it meant to.
  void when_settings_change(std::function<void()> changed) { settings_changed_ = std::move(changed); }

  // The name people know `user` by: learned already, or looked up (within `timeout`; empty
  // when the platform does not answer in time).
  boost::asio::awaitable<std::string> display_name(Platform&, const std::string& team, const std::string& user,
                                                   std::chrono::milliseconds timeout);

 private:
  using Work = std::function<void(storage::Store&)>;

  // Stores the update and queues its echo, with `also` (if any), in one transaction: an
  // acknowledged update is always echoed. The update gets its id.
  boost::asio::awaitable<CommitResult> store_with_echo(Platform&, Update&, const RichText& body,
                                                       const std::string& author, const std::string& echo_thread,
                                                       const std::string& reply_handle, Work also = {});
  // In the caller's transaction: the update (which gets its id), its echo, the author's name.
  static void insert_with_echo(storage::Store&, Update&, storage::OutboxMessage echo, const std::string& author);
  // The echo of an update, ready for the outbox (its update_id is set once the update has one).
  storage::OutboxMessage echo_message(const Platform&, const Update&, const RichText& body, const std::string& author,
                                      const std::string& echo_thread, const std::string& reply_handle) const;

  // `/decision …`, `decision: …` (bot_decisions.cpp): stored with its echo in one transaction.
  boost::asio::awaitable<void> on_decision(Platform&, UpdatePosted, Responder&);
  // `/microalign decisions …` (bot_decisions.cpp).
  boost::asio::awaitable<void> list_decisions(Platform&, const CommandIssued&, const channel_command::ListDecisions&,
                                              Responder&);
  // A message the bot posts in the conversation `where`, ready for the outbox: an echo.
  storage::OutboxMessage channel_post(const Platform&, const Conversation& where, SysTime at, Message,
                                      const std::string& echo_thread, const std::string& reply_handle) const;

  boost::asio::awaitable<void> show_ticket(const CommandIssued&, const std::string& key, Platform&, Responder&);
  // The commands that steer nudges (away, back, nudges on/off, holiday, snooze, owner, done,
  // tickets): false for any other request, which is left unanswered.
  boost::asio::awaitable<bool> on_nudge_command(Platform&, const CommandIssued&, const channel_command::Parsed&,
                                                Responder&);
  boost::asio::awaitable<void> mark_done(Platform&, const CommandIssued&, const std::string& key, Responder&);
  boost::asio::awaitable<void> list_tickets(Platform&, const CommandIssued&, Responder&);
  // The person's zone: as their event carried it, or looked up (empty when neither says).
  boost::asio::awaitable<std::string> time_zone_of(Platform&, const std::string& team, const Person&);

  boost::asio::awaitable<void> answer_button(Platform&, const ButtonPressed&, const NudgeButtonValue&, NudgeAnswer,
                                             Responder&);
  boost::asio::awaitable<void> open_update_form(Platform&, const ButtonPressed&, const NudgeButtonValue&,
                                                ButtonResponder&);

  storage::Transactions& transactions_;
  Clock now_;
  BotOptions options_;
  Names& names_;
  Platforms& platforms_;
  AppMetrics& metrics_;
  std::function<void()> settings_changed_;
};

}  // namespace microalign::app
