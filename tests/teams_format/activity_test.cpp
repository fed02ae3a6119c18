// Activities as Teams sends them (shapes from shared/protocols/teams.md §1.2), read into structs.
#include <catch2/catch.hpp>

#include "microalign/teams/activity.hpp"

using namespace microalign;
using namespace microalign::teams;

namespace {

constexpr const char* channel_mention = R"({
  "type": "message", "id": "1700000000001", "channelId": "msteams",
  "text": "<at>microalign</at> status ENG-42 blocked on &lt;the vendor&gt; &amp; <at>Ana Lima</at>\n",
  "serviceUrl": "https://smba.trafficmanager.net/amer/",
  "from": { "id": "29:User-One-Id", "name": "User One", "aadObjectId": "User-aadObjectId" },
  "conversation": { "isGroup": true, "conversationType": "channel", "tenantId": "tenant-1",
                    "id": "19:general@thread.tacv2;messageid=1700000000001" },
  "recipient": { "id": "28:app-id", "name": "microalign" },
  "entities": [ { "type": "mention", "text": "<at>microalign</at>", "mentioned": { "id": "28:app-id", "name": "microalign" } },
                { "type": "mention", "text": "<at>Ana Lima</at>", "mentioned": { "id": "29:ana", "name": "Ana Lima" } },
                { "type": "clientInfo", "timezone": "Europe/Lisbon", "locale": "pt-PT" } ],
  "channelData": { "channel": { "id": "19:general@thread.tacv2" }, "team": { "id": "19:team@thread.tacv2" },
                   "tenant": { "id": "tenant-1" } } })";

}  // namespace

TEST_CASE("a channel mention: who, where, which thread, and the text without the bot", "[teams][activity]") {
  std::string why;
  const auto a = read_activity(channel_mention, why);
  REQUIRE(a);
  CHECK(a->type == "message");
  CHECK(a->id == "1700000000001");
  CHECK(a->channel_id == "msteams");
  CHECK(a->service_url == "https://smba.trafficmanager.net/amer/");
  CHECK(a->from.id == "29:User-One-Id");
  CHECK(a->from.name == "User One");
  CHECK(a->tenant_id == "tenant-1");
  CHECK(a->time_zone == "Europe/Lisbon");
  CHECK_FALSE(a->personal());

  const auto thread = split_thread(a->conversation_id);
  CHECK(thread.conversation == "19:general@thread.tacv2");
  CHECK(thread.root == "1700000000001");
  CHECK(thread_conversation(thread.conversation, thread.root) == a->conversation_id);

  const auto text = message_text(*a);
  CHECK(to_plain_text(text) == "status ENG-42 blocked on <the vendor> & @Ana Lima");
  const auto ana = std::find_if(text.begin(), text.end(), [](const Span& s) { return !s.user.empty(); });
  REQUIRE(ana != text.end());
  CHECK(ana->user == "29:ana");
  CHECK_FALSE(ana->mention);  // named, never pinged
}

TEST_CASE("a personal message, a click and a bot added", "[teams][activity]") {
  std::string why;
  const auto personal = read_activity(R"({"type":"message","id":"1","channelId":"msteams","serviceUrl":"https://s/",
    "from":{"id":"29:u","name":"U"},"recipient":{"id":"28:bot"},"localTimezone":"America/New_York",
    "conversation":{"conversationType":"personal","id":"a:1on1"},"channelData":{"tenant":{"id":"t"}},
    "text":"away 3d"})",
                                      why);
  REQUIRE(personal);
  CHECK(personal->personal());
  CHECK(personal->tenant_id == "t");
  CHECK(personal->time_zone == "America/New_York");
  CHECK(to_plain_text(message_text(*personal)) == "away 3d");

  const auto click = read_activity(R"({"type":"message","id":"2","replyToId":"card-1","text":"",
    "value":{"microalign":{"action_id":"nudge.done","value":"C1 ENG-1 5"}},"conversation":{"id":"a:1on1"}})",
                                   why);
  REQUIRE(click);
  CHECK(click->reply_to_id == "card-1");
  CHECK(click->value.is_object());
  CHECK(message_text(*click).empty());

  const auto added = read_activity(R"({"type":"conversationUpdate","membersAdded":[{"id":"28:bot"},{"name":"no id"}],
    "recipient":{"id":"28:bot"},"conversation":{"id":"19:c@thread.tacv2","tenantId":"t"}})",
                                   why);
  REQUIRE(added);
  REQUIRE(added->members_added.size() == 1);
  CHECK(added->members_added[0].id == "28:bot");
}

TEST_CASE("what is not an activity is refused with a reason, deep nesting unparsed", "[teams][activity]") {
  std::string why;
  CHECK_FALSE(read_activity("[]", why));
  CHECK_FALSE(read_activity("not json", why));
  CHECK_FALSE(read_activity(R"({"id":"x"})", why));
  CHECK(why == "no type");
  const std::string deep = std::string(100'000, '[') + std::string(100'000, ']');
  CHECK_FALSE(read_activity(deep, why));
  CHECK(why.find("nested deeper") != std::string::npos);
  const auto odd = read_activity(R"({"type":"message","from":"x","conversation":[],"entities":{"a":1},
    "membersAdded":"y","text":5})",
                                 why);
  REQUIRE(odd);  // fields of the wrong type read as empty
  CHECK(odd->from.id.empty());
  CHECK(odd->text.empty());
}
