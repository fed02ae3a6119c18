// The platform port: what a chat platform (Slack, Teams, the local sandbox) brings to the
// application and what the application asks of it. An adapter decodes its wire format into the
// neutral events below and hands each to app::Bot with a Responder — the way to answer on that
// platform; it renders and sends what the application decided. It decides nothing itself.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "microalign/core/message.hpp"
#include "microalign/core/model.hpp"
#include "microalign/core/parse.hpp"
#include "microalign/core/spelling.hpp"
#include "microalign/storage/outbox.hpp"

namespace microalign::app {

// ---- Inbound: what people did, decoded ---------------------------------------------------------

// Someone who did something, as the platform names them.
struct Person {
  std::string id;
  std::string name;       // display name when the event carried one; else empty (looked up)
  std::string time_zone;  // IANA, when the event carried it (Teams does); else empty (looked up)
};

// An update posted: `/heads-up`, `/status`, an @mention, a message to the bot.
struct UpdatePosted {
  std::string command;                 // as typed ("/status"), for the answer to one not known
  std::optional<Command> kind;         // nullopt: a command microalign does not handle
  Conversation where;                  // team, channel, and the thread it was posted in
  Person author;
  RichText text;                       // decoded from the platform's markup; the bot's name removed
  std::string event_id;                // for recognising a redelivery; "" when the platform has none
  std::string source_ref;              // the message it came in (an @mention); "" for a command
  std::string echo_thread;             // the thread its echo goes in; "" for the channel itself
  std::string reply_handle;            // the command's own answer channel (Slack's response_url)
};

// A message written to the bot where there are no slash commands: in a channel, @mentioning it
// (`@microalign status ENG-42 blocked`), or in a 1:1 chat. Its first word picks what it is
// (core/message_command.hpp).
struct MessageToBot {
  Conversation where;  // team, channel, and the thread it was written in
  Person author;
  RichText text;            // decoded; the bot's own mention removed
  std::string event_id;     // for recognising a redelivery
  std::string source_ref;   // the message's platform id
  std::string echo_thread;  // the thread an update's echo goes in
};

// `/microalign …` (or `@microalign …` where there are no slash commands).
struct CommandIssued {
  Conversation where;
  Person asker;
  RichText text;                       // after the command word; people as user spans
  std::string reply_handle;
};

// A reply or a reaction that may answer an assumption: `at` is the message replied to (the
// thread's parent) or reacted to. Adapters pass only replies by people and check-mark reactions.
struct PossibleAnswer {
  enum class Kind { reply, reaction } kind;
  std::string team;
  std::string channel;
  std::string user;
  std::string at;
};

// A button clicked on a message the bot posted.
struct ButtonPressed {
  std::string team;
  Person who;
  std::string action_id;
  std::string value;
  std::string conversation;            // where the message is (a DM's channel)
  std::string message_ref;             // the message's platform id
  std::optional<Message> shown;        // the message as the platform showed it, when it says
};

// The "post an update" form, sent.
struct FormSubmitted {
  std::string team;
  Person who;
  std::string context;                 // what the form carried from its opening (UpdateForm::context)
  std::string state;                   // the picked state's value ("" when none), see update_form.hpp
  std::string note;                    // typed, if anything
};

// The bot or a person joined or left a channel.
struct MembershipChanged {
  std::string team;
  std::string channel;
  std::string user;
  bool joined = true;
  bool is_bot = false;                 // the bot itself
};

// The "post an update" form a nudge's button opens: which ticket it is about, and what the form
// must carry back (opaque to the adapter).
struct UpdateForm {
  std::string ticket;                  // "ENG-42"
  RichText about;                      // the ticket, its channel and its last update
  std::string context;
};

// The way to answer one event, from the adapter that decoded it.
class Responder {
 public:
  virtual ~Responder() = default;
  // The event is handled (stored, or there was nothing to store): the platform stops delivering
  // it again. Sent once; later calls do nothing.
  virtual void acknowledge() = 0;
  // An answer only the person who acted sees. Acknowledges first when that is not done yet
  // (a Slack command's answer travels with its acknowledgement).
  virtual boost::asio::awaitable<void> answer_privately(Message) = 0;
};

// For a button: it may open the form.
class ButtonResponder : public Responder {
 public:
  // False when the platform would not open it (then answer privately how else to do it).
  virtual boost::asio::awaitable<bool> open_form(UpdateForm) = 0;
};

// The way to answer a sent form: it closes, or it stays open showing what is wrong under its
// fields (by the ids in update_form.hpp), with what was typed still in it.
class FormResponder {
 public:
  virtual ~FormResponder() = default;
  virtual void acknowledge() = 0;  // the form closes
  virtual void keep_open(std::map<std::string, std::string> problems) = 0;
};

// ---- Outbound: what the application asks of a platform -----------------------------------------

// What a platform says about one send.
struct SendOutcome {
  bool ok = false;
  storage::SentMessage sent;           // where it went and the platform's id for it
  std::string error;                   // the platform's reason: "not_in_channel", "HTTP 503", "timed out"
  bool transient = false;              // worth trying again later
  bool cannot_post_here = false;       // the bot is not in the channel, or it is gone or archived
  bool rate_limited = false;           // `retry_after` holds for every send of this kind
  std::optional<std::chrono::seconds> retry_after;
};

// A person as the platform knows them.
struct PersonInfo {
  bool found = false;
  std::string name;
  std::string time_zone;               // IANA; empty when the platform has none
  std::string error;                   // why not found
};

// How big a message the platform takes, for what the application builds (digests).
struct MessageLimits {
  int max_blocks = 45;                   // blocks per message
  std::size_t max_section_bytes = 2500;  // rendered bytes per section
  std::size_t max_nudge_tickets = 10;    // tickets in one nudge DM (the rest are counted)
};

class Platform {
 public:
  virtual ~Platform() = default;

  virtual std::string_view name() const = 0;        // "slack", "teams", "sandbox"
  virtual CommandSpelling spelling() const = 0;     // how people type commands, and add the bot
  virtual MessageLimits limits() const = 0;
  // How long the platform waits for an event's acknowledgement, less a margin for the wire:
  // storing what an event brings is given up (and said so) when it takes longer.
  virtual std::chrono::milliseconds answer_within() const = 0;

  // Sends one outbox message. `conversation`: the channel, or the person's direct conversation
  // (opened with open_direct) for `direct`; `parent` a message this one replies in the thread of.
  virtual boost::asio::awaitable<SendOutcome> send(const storage::OutboxMessage&, const std::string& conversation,
                                                   const std::optional<storage::SentMessage>& parent) = 0;

  // The person's direct conversation with the bot (Slack: conversations.open; Teams: a 1:1
  // conversation created by the bot). On success `sent.conversation` names it.
  virtual boost::asio::awaitable<SendOutcome> open_direct(const std::string& team, const std::string& user) = 0;

  // `answering`: someone is waiting for the answer (before an acknowledgement); else a
  // background task asks, and must never hold up one who waits.
  enum class Urgency { answering, background };
  virtual boost::asio::awaitable<PersonInfo> look_up(const std::string& team, const std::string& user,
                                                     std::chrono::milliseconds timeout, Urgency) = 0;

  // A link to where an update's echo is, for digests and nudges; "" when there is none. Called
  // on the storage thread too: it reads only what is fixed once the platform runs.
  virtual std::string link_to(const Update&) const = 0;
};

}  // namespace microalign::app
