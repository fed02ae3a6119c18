#include "microalign/slack/payloads.hpp"

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <utility>

#include "microalign/core/json_fields.hpp"

namespace microalign::slack {
namespace {

const nlohmann::json* member(const nlohmann::json& object, const char* name) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(name);
  return it == object.end() ? nullptr : &*it;
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
  c.user_name = json_string_member(payload, "user_name");
  c.text = json_string_member(payload, "text");
  c.response_url = json_string_member(payload, "response_url");
  c.trigger_id = json_string_member(payload, "trigger_id");
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
  if (!json_string_member(*event, "subtype").empty() || member(*event, "bot_id")) {
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
  return event ? json_string_member(*event, "type") : std::string{};
}

std::string event_id(const nlohmann::json& payload) { return json_string_member(payload, "event_id"); }

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
  m.text = json_string_member(*event, "text");
  m.thread_ts = json_string_member(*event, "thread_ts");
  return m;
}

std::string interactive_type(const nlohmann::json& payload) { return json_string_member(payload, "type"); }

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
  a.user_name = json_string_member(*user, "name");
  a.channel = json_string_member(*container, "channel_id");
  a.message_ts = json_string_member(*container, "message_ts");
  a.trigger_id = json_string_member(payload, "trigger_id");
  a.response_url = json_string_member(payload, "response_url");
  a.value = json_string_member(action, "value");
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
  v.user_name = json_string_member(*user, "name");
  v.private_metadata = json_string_member(*view, "private_metadata");
  const auto* state = member(*view, "state");
  const auto* blocks = state ? member(*state, "values") : nullptr;
  if (!blocks || !blocks->is_object()) return v;
  for (const auto& [block_id, inputs] : blocks->items()) {
    if (!inputs.is_object()) continue;
    for (const auto& [action_id, input] : inputs.items()) {
      const auto* option = member(input, "selected_option");
      auto value = option ? json_string_member(*option, "value") : json_string_member(input, "value");
      if (!value.empty()) v.values[block_id] = std::move(value);
    }
  }
  return v;
}

std::string user_display_name(const nlohmann::json& reply) {
  const auto* user = member(reply, "user");
  if (!user) return {};
  const auto* profile = member(*user, "profile");
  for (auto name : {profile ? json_string_member(*profile, "display_name") : std::string{},
                    profile ? json_string_member(*profile, "real_name") : std::string{},
                    json_string_member(*user, "real_name"), json_string_member(*user, "name")}) {
    if (!name.empty()) return name;
  }
  return {};
}

std::string user_time_zone(const nlohmann::json& reply) {
  const auto* user = member(reply, "user");
  return user ? json_string_member(*user, "tz") : std::string{};
}

}  // namespace microalign::slack
