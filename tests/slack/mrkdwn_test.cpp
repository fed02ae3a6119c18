#include <catch2/catch.hpp>

#include "microalign/core/parse.hpp"
#include "microalign/core/text.hpp"
#include "microalign/slack/mrkdwn.hpp"

namespace microalign::slack {
namespace {

constexpr std::string_view replacement = "\xEF\xBF\xBD";  // U+FFFD

bool same_span(const Span& a, const Span& b) {
  return a.text == b.text && a.style == b.style && a.url == b.url && a.user == b.user &&
         a.mention == b.mention && a.channel == b.channel;
}

bool same_rich_text(const RichText& a, const RichText& b) {
  return std::ranges::equal(a, b, same_span);
}

TEST_CASE("decode turns Slack's control sequences into spans") {
  CHECK(same_rich_text(decode("see <https://x.io/a?b=1&amp;c=2|the doc> now"),
                       {plain("see "), link("the doc", "https://x.io/a?b=1&c=2"), plain(" now")}));
  CHECK(same_rich_text(decode("<https://x.io>"), {link("https://x.io", "https://x.io")}));
  CHECK(same_rich_text(decode("<mailto:a@b.io|a@b.io>"), {link("a@b.io", "mailto:a@b.io")}));
  CHECK(same_rich_text(decode("hi <@U123> and <@U456|bob>"),
                       {plain("hi "), user_ref("U123", "", true), plain(" and "),
                        user_ref("U456", "bob", true)}));
  CHECK(same_rich_text(decode("in <#C1|eng> and <#C2>"),
                       {plain("in "), channel_ref("C1", "eng"), plain(" and "),
                        channel_ref("C2", "C2")}));
  CHECK(same_rich_text(decode("<!date^1392734382^{date_short}|Feb 18, 2014> ok"),
                       {plain("Feb 18, 2014 ok")}));
  CHECK(same_rich_text(decode("a &amp;lt; b &lt;&gt; &quot;"), {plain("a &lt; b <> &quot;")}));
}

TEST_CASE("decode keeps malformed sequences as text") {
  CHECK(same_rich_text(decode("a < b"), {plain("a < b")}));
  CHECK(same_rich_text(decode("<<https://x.io>"),
                       {plain("<"), link("https://x.io", "https://x.io")}));
  CHECK(same_rich_text(decode("<> <@> <#> <not a url>"), {plain("<> <@> <#> <not a url>")}));
}

TEST_CASE("broadcasts and group mentions decode to inert text") {
  CHECK(to_plain_text(decode("<!channel> <!here> <!everyone> <!here|here>")) ==
        "@channel @here @everyone @here");
  CHECK(to_plain_text(decode("ping <!subteam^S123|@eng> and <!subteam^S456>")) ==
        "ping @eng and @S456");
  for (const auto* hostile : {"<!channel>", "<!here>", "<!everyone>", "<!subteam^S123|@eng>",
                              "&lt;!channel&gt;", "<!channel|<!here>>", "<<!channel>>",
                              "<https://x.io|<!channel>>", "<@U1|<!here>>"}) {
    INFO(hostile);
    const auto rendered = render(decode(hostile));
    CHECK(rendered.find("<!") == std::string::npos);
  }
}

TEST_CASE("user text can never become markup") {
  CHECK(render({plain("<!channel>")}) == "&lt;!channel&gt;");
  CHECK(render({plain("a & b <@U1> <#C1>")}) == "a &amp; b &lt;@U1&gt; &lt;#C1&gt;");
  CHECK(render({bold("<!here>")}) == "*&lt;!here&gt;*");
}

TEST_CASE("unsafe link targets render as plain escaped text") {
  CHECK(render({link("click", "javascript:alert(1)")}) == "click");
  CHECK(render({link("x", "https://x.io|<!channel>")}) == "x");
  CHECK(render({link("x", "https://x.io/<a>")}) == "x");
  CHECK(render({link("x", "https://x.io/a b")}) == "x");
  CHECK(render({link("", "data:text/html,<b>")}) == "data:text/html,&lt;b&gt;");
  CHECK(render({link("a <b>", "ftp://x.io")}) == "a &lt;b&gt;");
}

TEST_CASE("safe links render as Slack links with escaped parts") {
  CHECK(render({link("the <doc>", "https://x.io/a?b=1&c=2")}) ==
        "<https://x.io/a?b=1&amp;c=2|the &lt;doc&gt;>");
  CHECK(render({link("https://x.io", "https://x.io")}) == "<https://x.io>");
  CHECK(render({link("", "HTTP://X.IO")}) == "<HTTP://X.IO>");
  CHECK(render({link("mail me", "mailto:a@b.io")}) == "<mailto:a@b.io|mail me>");
}

TEST_CASE("users are pinged only when asked, channels link by id") {
  CHECK(render({user_ref("U1", "bob", true)}) == "<@U1>");
  CHECK(render({user_ref("U1", "bob <&>", false)}) == "@bob &lt;&amp;&gt;");
  CHECK(render({user_ref("U1>", "bob", true)}) == "@bob");  // not an id: never markup
  CHECK(render({channel_ref("C1", "eng")}) == "<#C1>");
  CHECK(render({channel_ref("C1|x", "eng")}) == "#eng");
}

TEST_CASE("styles wrap escaped text") {
  CHECK(render({plain("a "), bold("b"), plain(" "), italic("c"), plain(" "), code("x<y")}) ==
        "a *b* _c_ `x&lt;y`");
  CHECK(render({bold("")}) == "");
}

TEST_CASE("invalid UTF-8 becomes U+FFFD") {
  const std::string r(replacement);
  CHECK(to_plain_text(decode("a\xC3")) == "a" + r);
  CHECK(render({plain("a\xFF<")}) == "a" + r + "&lt;");
}

TEST_CASE("decode drops control characters but keeps newlines and tabs") {
  CHECK(to_plain_text(decode("a\x01\x1b[31mb\r\n\tc\x7f\xC2\x85")) == "a[31mb\n\tc");
}

TEST_CASE("limits cut between characters and show the cut") {
  CHECK(escape("a&b&c", 13) == "a&amp;b&amp;c");
  CHECK(escape("a&b&c", 9) == "a&amp;…");
  CHECK(escape("a&b&c", 8) == "a…");  // never "a&am…"
  CHECK(render({plain("ab"), link("label", "https://x.io")}, 12) == "ablabel…");
  CHECK(render({plain("ab"), link("label", "https://x.io")}, 30) == "ab<https://x.io|label>");
}

TEST_CASE("a megabyte of hostile text is handled") {
  const std::vector<std::string> hostile{
      std::string(1'000'000, '<'),
      std::string(1'000'000, '\x80'),
      [] {
        std::string s;
        while (s.size() < 1'000'000) s += "<!channel>&amp;<@U1|x><https://x.io|y>";
        return s;
      }(),
      "<" + std::string(1'000'000, 'a'),
  };
  for (const auto& text : hostile) {
    const auto rendered = render(decode(text));
    CHECK(rendered.find("<!") == std::string::npos);
    CHECK(sanitize_utf8(rendered) == rendered);
  }
}

TEST_CASE("Slack-encoded examples parse as the issue describes") {
  SECTION("a heads-up about a merged change behind a labelled link") {
    const auto update = parse_update(
        Command::heads_up,
        decode("Heads up: we just merged <https://github.com/acme/web/pull/9|this change> that "
               "addresses the problems we discussed"),
        ParseOptions{});
    CHECK(update.kind == UpdateKind::heads_up);
    CHECK(update.state == TicketState::done);
    CHECK(update.links == std::vector<std::string>{"https://github.com/acme/web/pull/9"});
    CHECK(update.tickets == std::vector<std::string>{"acme/web#9"});
    CHECK(update.text ==
          "Heads up: we just merged this change that addresses the problems we discussed");
  }
  SECTION("a status with a bare pull request link") {
    const auto update =
        parse_update(Command::status,
                     decode("ENG-42 on track, draft PR up <https://github.com/acme/web/pull/12>"),
                     ParseOptions{});
    CHECK(update.kind == UpdateKind::status);
    CHECK(update.state == TicketState::on_track);
    CHECK(update.tickets == std::vector<std::string>{"ENG-42", "acme/web#12"});
  }
  SECTION("a blocker with an entity in it") {
    const auto update = parse_update(
        Command::status, decode("ENG-1 blocked on R&amp;D &lt;infra&gt; review"), ParseOptions{});
    CHECK(update.blocked_on == "R&D <infra> review");
  }
}

}  // namespace
}  // namespace microalign::slack
