// Reading hostile updates: the time parse_update takes on 16 and 64 KB of text shaped to stress
// the URL reader, the trailing-punctuation trimming, brackets, entities and the ticket finder (the
// issue "The URL reader is quadratic"), as the median of several runs, in ms and in µs per KB.
// Linear code takes about four times as long for four times the text (the last column near 4,
// the same µs per KB at both sizes); quadratic code about sixteen times. Texts are cut at 48 KB
// before they are parsed (the adapters), so 64 KB bounds what one update can cost the loop.
// The "slack:" shapes arrive escaped, as Slack sends them, and are decoded first.
//   bench_parse_bench [runs=5]
#include <cstdio>
#include <string>
#include <vector>

#include "bench_support.hpp"
#include "microalign/core/parse.hpp"
#include "microalign/slack/mrkdwn.hpp"

using namespace microalign;
using namespace microalign::bench;

namespace {

// `head` once, then `unit` repeated until the text is `bytes` long.
struct Shape {
  const char* name;
  std::string head;
  std::string unit;
  bool slack_escaped = false;

  std::string text(std::size_t bytes) const {
    std::string text = head;
    while (text.size() < bytes) text += unit;
    return text;
  }
};

const std::vector<Shape> shapes{
    {"http://< repeated", "", "http://<"},
    {"slack: http://&lt; repeated", "", "http://&lt;", true},
    {"http://a< repeated", "", "http://a<"},
    {"http:// repeated", "", "http://"},
    {"http://.,;< repeated", "", "http://.,;<"},
    {"a URL, then ) repeated", "https://x.io/a", ")"},
    {"a URL, then .) repeated", "https://x.io/a", ".)"},
    {"a URL, then .!?, repeated", "https://x.io/a", ".!?,"},
    {"( repeated", "", "("},
    {"a URL, then (( repeated", "https://x.io/a", "(("},
    {"[<>] repeated", "", "[<>]"},
    {"slack: &amp; repeated", "", "&amp;", true},
    {"slack: &lt;&gt; repeated", "", "&lt;&gt;", true},
    {"https://x.io/a) repeated", "", "https://x.io/a) "},
    {"Foo_(bar) URLs, no spaces", "", "https://en.wikipedia.org/wiki/Foo_(bar)"},
    {"(Foo_(bar)) URLs, spaced", "", "(https://en.wikipedia.org/wiki/Foo_(bar)) "},
    {"GitHub pull/ fragments", "", "https://github.com/a/b/pull/"},
    {"GitHub pull links, spaced", "", "https://github.com/a/b/pull/1 "},
    {"keys and refs, no spaces", "", "ENG-1,a/b#1,"},
    {"ordinary prose", "",
     "ENG-42 is blocked on OPS-12 review, might slip a couple of days; see "
     "https://github.com/acme/web/pull/9 (and https://en.wikipedia.org/wiki/Foo_(bar)). "},
};

double parse_ms(const Shape& shape, std::size_t bytes, int runs) {
  const auto text = shape.text(bytes);
  return median_ms(runs, [&] {
    const auto rich = shape.slack_escaped ? slack::decode(text) : RichText{plain(text)};
    const auto update = parse_update(Command::heads_up, rich, {});
    if (update.text.empty()) std::puts("(empty)");  // keeps the work from being optimised away
  });
}

}  // namespace

int main(int argc, char** argv) {
  const int runs = arg(argc, argv, 1, 5);
  std::printf("parse_bench: parse_update on hostile text, median of %d runs, ms\n", runs);
  std::printf("  %-30s %9s %9s %10s %10s %7s\n", "shape", "16 KB", "64 KB", "µs/KB@16", "µs/KB@64", "64/16");
  for (const auto& shape : shapes) {
    const double small = parse_ms(shape, 16 * 1024, runs);
    const double large = parse_ms(shape, 64 * 1024, runs);
    std::printf("  %-30s %9.3f %9.3f %10.2f %10.2f %7.1f\n", shape.name, small, large, small * 1000 / 16,
                large * 1000 / 64, large / small);
  }
}
