// The Bot Framework's activities as microalign reads them (shared/protocols/teams.md §1): every
// field checked, nothing thrown, so the rest of the adapter works with plain structs. Pure.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "microalign/core/message.hpp"

namespace microalign::teams {

struct Account {
  std::string id;  // a user's "29:…" (unique per bot), the bot's "28:<app id>"
  std::string name;
};

// A person the text mentions: `text` ("<at>Ana</at>") stands in the activity's text.
struct MentionEntity {
  std::string text;
  Account mentioned;
};

struct Activity {
  std::string type;  // "message", "conversationUpdate", "invoke", …
  std::string id;
  std::string channel_id;  // "msteams": the key that signed the token must endorse it
  std::string service_url;
  Account from;
  Account recipient;              // the bot
  std::string conversation_id;    // as sent: a channel thread's carries ";messageid=<root>"
  std::string conversation_type;  // "personal", "groupChat", "channel"
  std::string tenant_id;          // conversation.tenantId, else channelData.tenant.id
  std::string text;               // as sent: mentions as <at>…</at>, HTML entities
  std::vector<MentionEntity> mentions;
  std::string time_zone;                 // localTimezone, else the clientInfo entity's timezone
  std::string reply_to_id;               // on a card's click: the card's activity id
  nlohmann::json value;                  // on a card's click: the button's data and the inputs; else null
  std::vector<Account> members_added;    // conversationUpdate
  std::vector<Account> members_removed;  // conversationUpdate

  bool personal() const { return conversation_type == "personal"; }
};

// The activity in a request body; nullopt when the body is not one (`why` says what is missing).
// Bodies nested deeper than core's max_json_depth are refused before parsing.
std::optional<Activity> read_activity(std::string_view body, std::string& why);

// A conversation id split into the channel (or chat) and the thread root it carries after
// ";messageid=" ("" when it carries none).
struct Thread {
  std::string conversation;
  std::string root;
};
Thread split_thread(std::string_view conversation_id);
// The id the connector posts a reply in `root`'s thread to: "<conversation>;messageid=<root>".
std::string thread_conversation(const std::string& conversation, const std::string& root);

// The text as rich text: the bot's own mention removed (with the punctuation after it), every
// other mention a user span that names without pinging, HTML entities decoded, invalid UTF-8
// replaced, at most `max_bytes`: room for 10,000 characters of any script (four bytes each at
// most) and the command around them, as the Slack adapter keeps.
RichText message_text(const Activity&, std::size_t max_bytes = 48 * 1024);

}  // namespace microalign::teams
