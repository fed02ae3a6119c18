// The sandbox's little workspace, fixed: one team, a few channels and a few people in time zones
// far apart (so working hours, and with them nudges, come at different moments), and the bot.
// Channel ids are their names, as people type them (`#web`), so what the application writes
// about a channel (`#web` in a digest or a nudge) reads the same in the page.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace microalign::sandbox {

struct Channel {
  std::string id;  // also its name: "web"
  std::string topic;
};

struct Person {
  std::string id;         // "ana"
  std::string name;       // "Ana"
  std::string time_zone;  // IANA: "Europe/Lisbon"
  std::string city;       // "Lisbon": how the page says where they are
};

struct Workspace {
  std::string team;
  std::string bot_name;  // how people @mention it: "microalign"
  std::vector<Channel> channels;
  std::vector<Person> people;

  const Person* person(std::string_view id) const;    // nullptr: nobody here
  const Channel* channel(std::string_view id) const;  // nullptr: no such channel
  // A conversation people can write in: a channel, or a person's direct conversation with the
  // bot; false for anything else.
  bool has_conversation(std::string_view id) const;
};

// The one workspace every sandbox has: team "sandbox", #web, #payments and #ops; Ana in Lisbon,
// Bo in New York and Chen in Singapore.
const Workspace& workspace();

// Where the page answers someone privately (a command's own answer, Slack's response_url here):
// the person, in the conversation they typed in, in its thread if they typed in one. Carried as
// one string, the reply handle the application keeps with what it queues.
struct ReplyTo {
  std::string person;
  std::string conversation;
  std::string thread;
  bool operator==(const ReplyTo&) const = default;
};
std::string encode_reply_handle(const ReplyTo&);
// nullopt for anything encode_reply_handle did not make.
std::optional<ReplyTo> decode_reply_handle(std::string_view);

// A person's direct conversation with the bot ("D-ana"), and whose a conversation id is
// (nullopt: not a direct conversation, or nobody's here).
std::string direct_conversation(std::string_view person);
std::optional<std::string> direct_owner(const Workspace&, std::string_view conversation);

}  // namespace microalign::sandbox
