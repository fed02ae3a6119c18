#include "microalign/teams/activity.hpp"

#include <array>
#include <utility>

#include "microalign/core/json_depth.hpp"
#include "microalign/core/json_fields.hpp"
#include "microalign/core/outside_json.hpp"
#include "microalign/core/text.hpp"

namespace microalign::teams {
namespace {

using nlohmann::json;

Account account(const json& j) { return {json_string_member(j, "id"), json_string_member(j, "name")}; }

std::vector<Account> accounts(const json& j, const char* key) {
  std::vector<Account> out;
  if (!j.contains(key) || !j[key].is_array()) return out;
  for (const auto& a : j[key]) {
    if (a.is_object() && !json_string_member(a, "id").empty()) out.push_back(account(a));
  }
  return out;
}

// The mentions and the client's zone, from `entities`.
void read_entities(const json& entities, Activity& a) {
  if (!entities.is_array()) return;
  for (const auto& e : entities) {
    const auto type = json_string_member(e, "type");
    if (type == "mention") {
      MentionEntity m{json_string_member(e, "text"), account(json_object_member(e, "mentioned"))};
      if (!m.text.empty() && !m.mentioned.id.empty()) a.mentions.push_back(std::move(m));
    } else if (type == "clientInfo" && a.time_zone.empty()) {
      a.time_zone = json_string_member(e, "timezone");
    }
  }
}

// The few entities Teams puts in plain text.
std::string decode_entities(std::string_view text) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 6> entities{
      {{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&nbsp;", " "}}};
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    bool replaced = false;
    if (text[i] == '&') {
      for (const auto& [entity, character] : entities) {
        if (text.substr(i, entity.size()) == entity) {
          out += character;
          i += entity.size();
          replaced = true;
          break;
        }
      }
    }
    if (!replaced) out += text[i++];
  }
  return out;
}

}  // namespace

std::optional<Activity> read_activity(std::string_view body, std::string& why) {
  const auto [j, too_deep] = read_outside_json(body);
  if (too_deep) {
    why = "nested deeper than " + std::to_string(max_json_depth) + " levels";
    return std::nullopt;
  }
  if (!j.is_object()) {
    why = "not a JSON object";
    return std::nullopt;
  }
  Activity a;
  a.type = json_string_member(j, "type");
  if (a.type.empty()) {
    why = "no type";
    return std::nullopt;
  }
  a.id = json_string_member(j, "id");
  a.channel_id = json_string_member(j, "channelId");
  a.service_url = json_string_member(j, "serviceUrl");
  a.from = account(json_object_member(j, "from"));
  a.recipient = account(json_object_member(j, "recipient"));
  const auto& conversation = json_object_member(j, "conversation");
  a.conversation_id = json_string_member(conversation, "id");
  a.conversation_type = json_string_member(conversation, "conversationType");
  a.tenant_id = json_string_member(conversation, "tenantId");
  const auto& channel_data = json_object_member(j, "channelData");
  if (a.tenant_id.empty()) a.tenant_id = json_string_member(json_object_member(channel_data, "tenant"), "id");
  a.text = json_string_member(j, "text");
  a.time_zone = json_string_member(j, "localTimezone");
  if (j.contains("entities")) read_entities(j["entities"], a);
  a.reply_to_id = json_string_member(j, "replyToId");
  if (const auto value = j.find("value"); value != j.end()) a.value = *value;
  a.members_added = accounts(j, "membersAdded");
  a.members_removed = accounts(j, "membersRemoved");
  return a;
}

Thread split_thread(std::string_view conversation_id) {
  constexpr std::string_view marker = ";messageid=";
  const auto at = conversation_id.find(marker);
  if (at == std::string_view::npos) return {std::string(conversation_id), {}};
  return {std::string(conversation_id.substr(0, at)), std::string(conversation_id.substr(at + marker.size()))};
}

std::string thread_conversation(const std::string& conversation, const std::string& root) {
  return root.empty() ? conversation : conversation + ";messageid=" + root;
}

RichText message_text(const Activity& a, std::size_t max_bytes) {
  const auto text = sanitize_utf8(a.text, max_bytes);
  // Each mention's `<at>…</at>` in turn, in the order they stand in the text.
  RichText out;
  std::size_t from = 0;
  bool after_bot = false;
  const auto add_text = [&](std::string_view piece) {
    auto plain_text = decode_entities(piece);
    if (after_bot) {  // "@microalign: …", "@microalign, …"
      const auto start = plain_text.find_first_not_of(" \t\n:,;-");
      plain_text.erase(0, start == std::string::npos ? plain_text.size() : start);
      after_bot = plain_text.empty();
    }
    if (!plain_text.empty()) out.push_back(plain(std::move(plain_text)));
  };
  while (from < text.size()) {
    std::size_t at = std::string::npos;
    const MentionEntity* mention = nullptr;
    for (const auto& m : a.mentions) {
      const auto found = text.find(m.text, from);
      if (found < at) {
        at = found;
        mention = &m;
      }
    }
    if (!mention) break;
    add_text(std::string_view(text).substr(from, at - from));
    if (mention->mentioned.id == a.recipient.id) {
      after_bot = true;
    } else {
      auto name = decode_entities(mention->mentioned.name.empty() ? mention->text : mention->mentioned.name);
      out.push_back(user_ref(mention->mentioned.id, std::move(name), false));
      after_bot = false;
    }
    from = at + mention->text.size();
  }
  add_text(std::string_view(text).substr(std::min(from, text.size())));
  // Trailing white space of the last piece (Teams ends channel messages with a line break).
  while (!out.empty() && out.back().user.empty()) {
    auto& last = out.back().text;
    last.erase(last.find_last_not_of(" \t\r\n") + 1);
    if (!last.empty()) break;
    out.pop_back();
  }
  if (!out.empty() && out.front().user.empty()) {
    auto& first = out.front().text;
    first.erase(0, first.find_first_not_of(" \t\r\n"));
    if (first.empty()) out.erase(out.begin());
  }
  return out;
}

}  // namespace microalign::teams
