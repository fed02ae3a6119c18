// What the sandbox's page shows: every message in every conversation, as the bot sent it (posts,
// thread replies, updates in place, private answers, direct messages) or as people wrote it, and
// the update forms the bot opened. It lives in memory only: after a restart the page starts
// empty, while the database keeps everything the application stored.
//
// Every change stamps the entry with the next sequence number, so the page asks only for what
// changed since the last number it saw. Pure; one thread (the event loop's) uses it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "microalign/core/message.hpp"
#include "microalign/core/model.hpp"

namespace microalign::sandbox {

// The "post an update" form a nudge's button opened, in the page of the person who clicked.
struct FormView {
  std::string ticket;   // "ENG-42"
  RichText about;       // the ticket, its channel, its last update
  std::string context;  // what the form carries back (opaque here)
  bool open = true;     // false once posted or cancelled
  std::string state;    // as last sent, shown again when kept open
  std::string note;
  std::map<std::string, std::string> problems;  // field id → what is wrong with it
};

struct Entry {
  enum class Kind { bot, person, form };
  Kind kind = Kind::bot;
  std::string id;            // the platform's id for it: message refs, the page's anchors
  std::int64_t seq = 0;      // when it last changed
  std::int64_t order = 0;    // when it was added: the page shows entries in this order
  std::string conversation;  // a channel, or a person's direct conversation ("D-ana")
  std::string thread;        // the id of the message it replies to in its thread; "" for none
  std::string author;        // the person who wrote it ("" for the bot)
  std::string only_for;      // the one person who sees it; "" for everyone in the conversation
  SysTime at{};
  bool edited = false;                  // rewritten in place since it was posted
  Message message;                      // the bot's message, or what the person wrote (one section)
  FormView form;                        // Kind::form
  std::vector<std::string> checked_by;  // people who reacted ✅, in order
};

class MessageLog {
 public:
  // `id_prefix` keeps ids unique across restarts ("k3x9-"): a message queued before a restart
  // must never rewrite one posted after it.
  explicit MessageLog(std::string id_prefix);

  // Adds the entry (its id and seq given here) and returns it.
  const Entry& append(Entry);
  // nullptr when there is no such entry.
  Entry* find(std::string_view id);
  const Entry* find(std::string_view id) const;
  // After changing an entry found here: stamps it, so the page sees the change.
  void touch(Entry&);

  // Entries changed after `seq`, in the order they changed.
  std::vector<const Entry*> since(std::int64_t seq) const;
  std::int64_t cursor() const { return next_seq_ - 1; }

 private:
  std::string id_prefix_;
  std::int64_t next_seq_ = 1;
  std::int64_t next_id_ = 1;
  std::vector<Entry> entries_;
  std::map<std::string, std::size_t, std::less<>> by_id_;
};

}  // namespace microalign::sandbox
