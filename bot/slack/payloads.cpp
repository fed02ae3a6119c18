#include "microalign/slack/payloads.hpp"

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <utility>

namespace microalign::slack {
namespace {

const nlohmann::json* member(const nlohmann::json& object, const char* name) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(name);
  return it == object.end() ? nullptr : &*it;
}

std::string optional_string(const nlohmann::json& object, const char* name) {
  const auto* value = member(object, name);
  return value && value->is_string() ? value->get<std::string>() : std::string{};
}

// Copies each required string field into its destination; names the first one missing.
bool read_required(const nlohmann::json& object,
                   std::initializer_list<std::pair<const char*, std::string*>> fields,
                   std::string& why) {
  for (const auto& [name, destination] : fields) {
    const auto* value = member(object, name);
    if (!value || !value->is_string() || value->get_ref<const std::string&>().empty()) {
      why = std::string("missing field `") + name + "`";
      return false;
    }
    *destination = value->get<std::string>();
  }
  return true;
}

}  // namespace

std::optional<SlashCommand> read_slash_command(const nlohmann::json& payload, std::string& why) {
  SlashCommand c;
  if (!read_required(payload,
                     {{"team_id", &c.team},
                      {"channel_id", &c.channel},
                      {"user_id", &c.user},
                      {"command", &c.command}},
                     why)) {
    return std::nullopt;
  }
  c.user_name = optional_string(payload, "user_name");
  c.text = optional_string(payload, "text");
  c.response_url = optional_string(payload, "response_url");
  c.trigger_id = optional_string(payload, "trigger_id");
  return c;
}

std::optional<Reaction> read_reaction(const nlohmann::json& payload, std::string& why) {
  const auto* event = member(payload, "event");
  const auto* item = event ? member(*event, "item") : nullptr;
  if (!item) {
    why = "missing `event.item`";
    return std::nullopt;
  }
  Reaction r;
  if (!read_required(payload, {{"team_id", &r.team}}, why) ||
      !read_required(*event, {{"user", &r.user}, {"reaction", &r.reaction}}, why) ||
      !read_required(*item, {{"channel", &r.channel}, {"ts", &r.item_ts}}, why)) {
    return std::nullopt;
  }
  return r;
}

std::optional<ThreadReply> read_thread_reply(const nlohmann::json& payload, std::string& why) {
  const auto* event = member(payload, "event");
  if (!event) {
    why = "missing `event`";
    return std::nullopt;
  }
  if (!optional_string(*event, "subtype").empty() || member(*event, "bot_id")) {
    why = "not a person's message";
    return std::nullopt;
  }
  ThreadReply r;
  if (!read_required(payload, {{"team_id", &r.team}}, why) ||
      !read_required(*event, {{"channel", &r.channel}, {"user", &r.user}, {"ts", &r.ts}, {"thread_ts", &r.thread_ts}},
                     why)) {
    return std::nullopt;
  }
  if (r.ts == r.thread_ts) {
    why = "a thread's first message, not a reply";
    return std::nullopt;
  }
  return r;
}

bool is_answer_reaction(const std::string& reaction) {
  return reaction == "white_check_mark" || reaction == "heavy_check_mark" ||
         reaction == "ballot_box_with_check";
}

std::string event_type(const nlohmann::json& payload) {
  const auto* event = member(payload, "event");
  return event ? optional_string(*event, "type") : std::string{};
}

std::string event_id(const nlohmann::json& payload) { return optional_string(payload, "event_id"); }

std::optional<Mention> read_mention(const nlohmann::json& payload, std::string& why) {
  const auto* event = member(payload, "event");
  if (!event || !event->is_object()) {
    why = "missing `event`";
    return std::nullopt;
  }
  Mention m;
  if (!read_required(payload, {{"event_id", &m.event_id}, {"team_id", &m.team}}, why) ||
      !read_required(*event, {{"channel", &m.channel}, {"user", &m.user}, {"ts", &m.ts}}, why)) {
    return std::nullopt;
  }
  m.text = optional_string(*event, "text");
  m.thread_ts = optional_string(*event, "thread_ts");
  return m;
}

std::string interactive_type(const nlohmann::json& payload) { return optional_string(payload, "type"); }

std::optional<BlockAction> read_block_action(const nlohmann::json& payload, std::string& why) {
  const auto* team = member(payload, "team");
  const auto* user = member(payload, "user");
  const auto* container = member(payload, "container");
  const auto* actions = member(payload, "actions");
  if (!team || !user || !container || !actions || !actions->is_array() || actions->empty()) {
    why = "missing `team`, `user`, `container` or `actions`";
    return std::nullopt;
  }
  BlockAction a;
  const auto& action = actions->front();
  if (!read_required(*team, {{"id", &a.team}}, why) || !read_required(*user, {{"id", &a.user}}, why) ||
      !read_required(action, {{"action_id", &a.action_id}}, why)) {
    return std::nullopt;
  }
  a.user_name = optional_string(*user, "name");
  a.channel = optional_string(*container, "channel_id");
  a.message_ts = optional_string(*container, "message_ts");
  a.trigger_id = optional_string(payload, "trigger_id");
  a.response_url = optional_string(payload, "response_url");
  a.value = optional_string(action, "value");
  const auto* message = member(payload, "message");
  const auto* blocks = message ? member(*message, "blocks") : nullptr;
  if (blocks && blocks->is_array()) a.message_blocks = blocks->dump();
  return a;
}

std::optional<ViewSubmission> read_view_submission(const nlohmann::json& payload, std::string& why) {
  const auto* team = member(payload, "team");
  const auto* user = member(payload, "user");
  const auto* view = member(payload, "view");
  if (!team || !user || !view) {
    why = "missing `team`, `user` or `view`";
    return std::nullopt;
  }
  ViewSubmission v;
  if (!read_required(*team, {{"id", &v.team}}, why) || !read_required(*user, {{"id", &v.user}}, why) ||
      !read_required(*view, {{"callback_id", &v.callback_id}}, why)) {
    return std::nullopt;
  }
  v.user_name = optional_string(*user, "name");
  v.private_metadata = optional_string(*view, "private_metadata");
  const auto* state = member(*view, "state");
  const auto* blocks = state ? member(*state, "values") : nullptr;
  if (!blocks || !blocks->is_object()) return v;
  for (const auto& [block_id, inputs] : blocks->items()) {
    if (!inputs.is_object()) continue;
    for (const auto& [action_id, input] : inputs.items()) {
      const auto* option = member(input, "selected_option");
      auto value = option ? optional_string(*option, "value") : optional_string(input, "value");
      if (!value.empty()) v.values[block_id] = std::move(value);
    }
  }
  return v;
}

std::string user_display_name(const nlohmann::json& reply) {
  const auto* user = member(reply, "user");
  if (!user) return {};
  const auto* profile = member(*user, "profile");
  for (auto name : {profile ? optional_string(*profile, "display_name") : std::string{},
                    profile ? optional_string(*profile, "real_name") : std::string{},
                    optional_string(*user, "real_name"), optional_string(*user, "name")}) {
    if (!name.empty()) return name;
  }
  return {};
}

std::string user_time_zone(const nlohmann::json& reply) {
  const auto* user = member(reply, "user");
  return user ? optional_string(*user, "tz") : std::string{};
}

}  // namespace microalign::slack
