// The parts of Slack payloads microalign acts on, pulled out of the JSON with every field checked,
// so the rest of the adapter works with plain structs. Pure.
#pragma once

#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>

namespace microalign::slack {

struct SlashCommand {
  std::string team;
  std::string channel;
  std::string user;
  std::string user_name;
  std::string command;  // "/status"
  std::string text;     // Slack-formatted
  std::string response_url;
  std::string trigger_id;
};

// An `events_api` `app_mention`: "@microalign ENG-42 on track", in a channel or a thread.
struct Mention {
  std::string event_id;
  std::string team;
  std::string channel;
  std::string user;
  std::string text;       // Slack-formatted, still starting with the bot's own mention
  std::string ts;         // the mention message itself
  std::string thread_ts;  // its thread's parent, when posted in a thread
};

// A ✅-style reaction on a message (`reaction_added`): it answers an assumption.
struct Reaction {
  std::string team;
  std::string channel;
  std::string user;
  std::string reaction;  // "white_check_mark"
  std::string item_ts;   // the message reacted to
};

// A reply in a thread (`message` with `thread_ts`), from a person: it answers an assumption.
struct ThreadReply {
  std::string team;
  std::string channel;
  std::string user;
  std::string ts;
  std::string thread_ts;
};

// A button clicked in a message (`interactive` `block_actions`): the first action's ids, and
// where the message is.
struct BlockAction {
  std::string team;
  std::string user;
  std::string user_name;      // the account name Slack sends; may be empty
  std::string channel;        // the message's channel (a DM: D…)
  std::string message_ts;
  std::string trigger_id;     // for views.open, valid for 3 seconds
  std::string response_url;
  std::string action_id;
  std::string value;
  std::string message_blocks;  // the message's blocks as the user saw them (a JSON array), or ""
};

// A modal's form sent (`interactive` `view_submission`).
struct ViewSubmission {
  std::string team;
  std::string user;
  std::string user_name;
  std::string callback_id;
  std::string private_metadata;
  // block_id → what its input holds: the text typed, or the selected option's value. Inputs
  // left empty are absent.
  std::map<std::string, std::string> values;
};

// nullopt when a field we need is missing or not a string; `why` says which.
std::optional<SlashCommand> read_slash_command(const nlohmann::json& payload, std::string& why);

// The event callback's `event.type` ("app_mention", "message", …), or empty.
std::string event_type(const nlohmann::json& payload);
std::string event_id(const nlohmann::json& payload);

// An interactive payload's `type` ("block_actions", "view_submission", …), or empty.
std::string interactive_type(const nlohmann::json& payload);
std::optional<BlockAction> read_block_action(const nlohmann::json& payload, std::string& why);
std::optional<ViewSubmission> read_view_submission(const nlohmann::json& payload, std::string& why);

std::optional<Mention> read_mention(const nlohmann::json& payload, std::string& why);
std::optional<Reaction> read_reaction(const nlohmann::json& payload, std::string& why);
// nullopt also for messages that are not replies in a thread or not from a person (bots, edits).
std::optional<ThreadReply> read_thread_reply(const nlohmann::json& payload, std::string& why);

// Reactions that mean "answered": ✅ ✔️ ☑️.
bool is_answer_reaction(const std::string& reaction);

// The name people know a user by, from a `users.info` reply: display name, else real name,
// else the account name; empty when the reply has none.
std::string user_display_name(const nlohmann::json& users_info_reply);

// The user's IANA time zone ("Europe/Berlin") from a `users.info` reply, or empty.
std::string user_time_zone(const nlohmann::json& users_info_reply);

}  // namespace microalign::slack
