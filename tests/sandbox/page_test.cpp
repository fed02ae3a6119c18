// What the page reads: messages as blocks, the log's entries and cursor, and the clock's steps.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include "microalign/core/export.hpp"
#include "microalign/sandbox/page_json.hpp"
#include "microalign/sandbox/sandbox_clock.hpp"
#include "microalign/sandbox/sandbox_platform.hpp"

using namespace microalign;
using namespace microalign::sandbox;
using namespace std::chrono_literals;

namespace {

template <typename T>
T run(boost::asio::awaitable<T> task) {
  boost::asio::io_context io;
  std::optional<T> result;
  boost::asio::co_spawn(io, std::move(task), [&](std::exception_ptr e, T value) {
    if (e) std::rethrow_exception(e);
    result = std::move(value);
  });
  io.run();
  return std::move(*result);
}

storage::OutboxMessage message(storage::Delivery delivery, std::string text) {
  storage::OutboxMessage m;
  m.platform = "sandbox";
  m.team = "sandbox";
  m.delivery = delivery;
  m.message.fallback = text;
  m.message.blocks.push_back(Section{{plain(std::move(text))}});
  return m;
}

}  // namespace

TEST_CASE("a message becomes blocks of spans and buttons, and only safe links keep their URL", "[sandbox][page]") {
  Message m;
  m.fallback = "fallback";
  m.blocks.push_back(
      Section{{bold("ENG-42"), plain(" <script>alert(1)</script>"), microalign::link("docs", "https://x.example/d"),
               microalign::link("bad", "javascript:alert(1)"), microalign::link("last update", "#m1-2")}});
  m.blocks.push_back(Context{{plain("from "), user_ref("ana", "", false), plain(" in "), channel_ref("web", "web")}});
  m.blocks.push_back(Divider{});
  m.blocks.push_back(Actions{{Button{"Still on track", "nudge.on_track", "web ENG-42 1", Button::Style::primary}}});

  const auto page = page_message(m, workspace());
  CHECK(page["fallback"] == "fallback");
  const auto& section = page["blocks"][0];
  CHECK(section["type"] == "section");
  CHECK(section["text"][0]["style"] == "bold");
  CHECK(section["text"][1]["text"] == " <script>alert(1)</script>");  // text, drawn as text
  CHECK(section["text"][2]["url"] == "https://x.example/d");
  CHECK_FALSE(section["text"][3].contains("url"));
  CHECK(section["text"][4]["url"] == "#m1-2");
  const auto& context = page["blocks"][1];
  CHECK(context["type"] == "context");
  CHECK(context["text"][1]["text"] == "@Ana");
  CHECK(context["text"][1]["user"] == "ana");
  CHECK(context["text"][3]["text"] == "#web");
  CHECK(context["text"][3]["channel"] == "web");
  CHECK(page["blocks"][2]["type"] == "divider");
  const auto& button = page["blocks"][3]["buttons"][0];
  CHECK(button["label"] == "Still on track");
  CHECK(button["action_id"] == "nudge.on_track");
  CHECK(button["value"] == "web ENG-42 1");
  CHECK(button["style"] == "primary");
}

TEST_CASE("the log stamps every change, so the page reads only what changed", "[sandbox][page]") {
  MessageLog log("r1-");
  Entry first;
  first.conversation = "web";
  const auto id = log.append(first).id;
  Entry second;
  second.conversation = "D-ana";
  log.append(second);
  CHECK(id == "r1-1");
  CHECK(log.cursor() == 2);
  CHECK(log.since(0).size() == 2);
  CHECK(log.since(2).empty());

  auto* entry = log.find(id);
  REQUIRE(entry);
  entry->edited = true;
  log.touch(*entry);
  const auto changed = log.since(2);
  REQUIRE(changed.size() == 1);
  CHECK(changed[0]->id == "r1-1");
  CHECK(changed[0]->order == 1);  // still shown where it was
  CHECK(changed[0]->seq == 3);

  const auto state = page_state(log, 2, *parse_rfc3339("2026-06-10T09:00:00Z"), workspace());
  CHECK(state["cursor"] == 3);
  CHECK(state["now"]["iso"] == "2026-06-10T09:00:00Z");
  CHECK(state["messages"].size() == 1);
  CHECK(state["messages"][0]["edited"] == true);
  CHECK(state["people"][0]["direct"] == "D-ana");
}

TEST_CASE("the platform shows what the application sends where it says, and refuses what is not there",
          "[sandbox][page]") {
  MessageLog log("r1-");
  const auto now = *parse_rfc3339("2026-06-10T09:00:00Z");
  SandboxPlatform platform(log, workspace(), [now] { return now; });

  auto post = message(storage::Delivery::post, "hello");
  post.destination = "web";
  const auto posted = run(platform.send(post, "web", std::nullopt));
  REQUIRE(posted.ok);
  CHECK(posted.sent.ref == "r1-1");
  const auto reply = run(platform.send(post, "web", storage::SentMessage{"web", "r1-1"}));
  CHECK(log.find(reply.sent.ref)->thread == "r1-1");

  auto update = message(storage::Delivery::update, "rewritten");
  update.target = "r1-1";
  CHECK(run(platform.send(update, "web", std::nullopt)).ok);
  CHECK(log.find("r1-1")->edited);
  CHECK(log.find("r1-1")->message.fallback == "rewritten");
  update.target = "r1-99";
  CHECK(run(platform.send(update, "web", std::nullopt)).error == "message_not_found");

  auto nowhere = run(platform.send(post, "random", std::nullopt));
  CHECK(nowhere.cannot_post_here);

  auto secret = message(storage::Delivery::private_reply, "only for Bo");
  secret.reply_handle = encode_reply_handle({"bo", "payments", ""});
  REQUIRE(run(platform.send(secret, "payments", std::nullopt)).ok);
  CHECK(log.since(0).back()->only_for == "bo");
  secret.reply_handle = "https://hooks.slack.com/commands/1";
  CHECK_FALSE(run(platform.send(secret, "payments", std::nullopt)).ok);

  CHECK(run(platform.open_direct("sandbox", "chen")).sent.conversation == "D-chen");
  CHECK_FALSE(run(platform.open_direct("sandbox", "zed")).ok);
  const auto bo = run(platform.look_up("sandbox", "bo", 1s, app::Platform::Urgency::background));
  CHECK(bo.name == "Bo");
  CHECK(bo.time_zone == "America/New_York");
  Update u;
  CHECK(platform.link_to(u).empty());
  u.echo_ref = "r1-1";
  CHECK(platform.link_to(u) == "#r1-1");
}

TEST_CASE("the clock moves forward by steps the page offers, and starts on a working morning", "[sandbox][clock]") {
  CHECK(clock_step("1h") == std::chrono::milliseconds(1h));
  CHECK(clock_step("1d") == std::chrono::milliseconds(24h));
  CHECK(clock_step("1w") == std::chrono::milliseconds(7 * 24h));
  CHECK(clock_step("30m") == std::chrono::milliseconds(30min));
  CHECK(clock_step("4w") == std::chrono::milliseconds(28 * 24h));
  for (const auto* bad : {"", "h", "0h", "-1d", "5w", "99d", "1y", "1.5h", "1hh", "001h"}) {
    INFO(bad);
    CHECK_FALSE(clock_step(bad).has_value());
  }

  const auto start = *parse_rfc3339("2026-06-10T09:00:00Z");
  SandboxClock clock(start);
  const auto read = clock.clock();
  CHECK(read() - start < 1s);
  clock.advance(std::chrono::days(7));
  CHECK(read() - start >= std::chrono::days(7));
  clock.advance(-std::chrono::hours(1));  // never backwards
  CHECK(read() - start >= std::chrono::days(7));

  // 10:00 in Lisbon: summer time (UTC+1), winter time (UTC), and a weekend to the Monday.
  CHECK(format_rfc3339(default_start(*parse_rfc3339("2026-06-10T20:00:00Z"))) == "2026-06-10T09:00:00Z");
  CHECK(format_rfc3339(default_start(*parse_rfc3339("2026-01-07T06:00:00Z"))) == "2026-01-07T10:00:00Z");
  CHECK(format_rfc3339(default_start(*parse_rfc3339("2026-06-13T15:00:00Z"))) == "2026-06-15T09:00:00Z");
  CHECK(format_rfc3339(default_start(*parse_rfc3339("2026-06-14T23:30:00Z"))) == "2026-06-15T09:00:00Z");
}
