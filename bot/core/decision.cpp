// Reading a decision: `[supersedes D12:] <title>: <decision> because <why> [impact: <impact>]`.
// The text is searched in lower case (same byte positions: only ASCII letters change), with no
// regular expressions, so any input is read in linear time.
#include "microalign/core/decision.hpp"

#include <charconv>

#include "microalign/core/text.hpp"

namespace microalign {
namespace {

constexpr std::string_view space = " \t\r\n\f\v";
// A title is a headline, not a paragraph: a colon further in means the author left it out.
constexpr std::size_t longest_title = 120;

std::string_view trimmed(std::string_view text, std::string_view also = {}) {
  const std::string strip = std::string(space) + std::string(also);
  const auto begin = text.find_first_not_of(strip);
  if (begin == std::string_view::npos) return {};
  return text.substr(begin, text.find_last_not_of(strip) - begin + 1);
}

bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

// The first `word` in `lower` (from `from`) that stands alone: no letter or digit touches it.
std::size_t find_word(std::string_view lower, std::string_view word, std::size_t from = 0) {
  for (auto at = lower.find(word, from); at != std::string_view::npos; at = lower.find(word, at + 1)) {
    const auto end = at + word.size();
    const bool starts = at == 0 || !is_word_char(lower[at - 1]);
    const bool ends = end == lower.size() || word.back() == ':' || !is_word_char(lower[end]);
    if (starts && ends) return at;
  }
  return std::string_view::npos;
}

// The first ':' that ends a title: not the one of a URL's "://".
std::size_t title_colon(std::string_view text) {
  for (auto at = text.find(':'); at != std::string_view::npos; at = text.find(':', at + 1)) {
    if (text.substr(at + 1, 2) != "//") return at;
  }
  return std::string_view::npos;
}

std::string example(const CommandSpelling& spelling) {
  return spelling.code("decision Storage: we use PostgreSQL because replicas share one database");
}

DecisionRefusal refusal(std::string why, const CommandSpelling& spelling) {
  return {std::move(why) + " — for example: " + example(spelling) + " (optionally ending with " +
          "`impact: <who or what it changes>`)."};
}

// `supersedes D12:` at the start: the id and where the rest begins, or a refusal when the id is
// missing. `at` is left alone when the text does not open with "supersedes".
std::variant<std::optional<std::int64_t>, DecisionRefusal> read_supersedes(std::string_view text, std::size_t& at,
                                                                           const CommandSpelling& spelling) {
  const auto lower = lower_case(text.substr(0, std::min<std::size_t>(text.size(), 11)));
  if (find_word(lower, "supersedes") != 0) return std::optional<std::int64_t>{};
  auto rest = text.substr(std::string_view("supersedes").size());
  const auto start = rest.find_first_not_of(space);
  rest = start == std::string_view::npos ? std::string_view{} : rest.substr(start);
  if (!rest.empty() && (rest.front() == 'D' || rest.front() == 'd')) rest.remove_prefix(1);
  std::int64_t id = 0;
  const auto [end, error] = std::from_chars(rest.data(), rest.data() + rest.size(), id);
  if (error != std::errc{} || id <= 0) {
    return DecisionRefusal{"Which decision does it supersede? Give its number, e.g. " +
                           spelling.code("decision supersedes D12: Storage: we use SQLite because one "
                                         "process is enough") +
                           "."};
  }
  rest = rest.substr(static_cast<std::size_t>(end - rest.data()));
  if (rest.starts_with(':')) rest.remove_prefix(1);
  at = text.size() - rest.size();
  return std::optional<std::int64_t>{id};
}

}  // namespace

std::string decision_label(std::int64_t id) { return "D" + std::to_string(id); }

std::string decision_form(const CommandSpelling& spelling) {
  return spelling.code("decision <title>: <what was decided> because <why> impact: <what it changes>");
}

std::optional<RichText> decision_after_lead(const RichText& text) {
  if (text.empty() || !text.front().url.empty() || !text.front().user.empty()) return std::nullopt;
  const std::string_view first = text.front().text;
  const auto start = first.find_first_not_of(space);
  if (start == std::string_view::npos) return std::nullopt;
  constexpr std::string_view lead = "decision:";
  if (lower_case(first.substr(start, lead.size())) != lead) return std::nullopt;
  RichText rest = text;
  rest.front().text.erase(0, start + lead.size());
  if (rest.front().text.empty()) rest.erase(rest.begin());
  return rest;
}

std::variant<ParsedDecision, DecisionRefusal> parse_decision(const RichText& rich, const ParseOptions& options,
                                                             const CommandSpelling& spelling) {
  // Tickets and links as an update's parse reads them (labels' targets included).
  const auto as_update = parse_update(Command::decision, rich, options);
  ParsedDecision d;
  d.text = as_update.text;
  d.tickets = as_update.tickets;
  d.links = as_update.links;
  const std::string_view text = d.text;
  if (text.empty()) return refusal("Tell me what was decided and why", spelling);

  std::size_t at = 0;
  auto supersedes = read_supersedes(text, at, spelling);
  if (auto* refused = std::get_if<DecisionRefusal>(&supersedes)) return *refused;
  d.supersedes = std::get<std::optional<std::int64_t>>(supersedes);

  const auto rest = text.substr(at);
  const auto colon = title_colon(rest);
  if (colon == std::string_view::npos) {
    return refusal("Start with a short title and a colon, then what was decided and why", spelling);
  }
  d.title = std::string(trimmed(rest.substr(0, colon)));
  if (d.title.empty()) return refusal("Give the decision a title before the colon", spelling);
  if (d.title.size() > longest_title) {
    return refusal("That title is long (up to " + std::to_string(longest_title) +
                       " characters): start with a short title and a colon",
                   spelling);
  }

  auto body = rest.substr(colon + 1);
  const auto lower = lower_case(body);
  const auto because = find_word(lower, "because");
  if (because == std::string_view::npos) return refusal("Say why, after \"because\"", spelling);
  const auto impact = find_word(lower, "impact:", because);
  const auto why_end = impact == std::string_view::npos ? body.size() : impact;
  d.decision = std::string(trimmed(body.substr(0, because), ",;-"));
  d.rationale = std::string(trimmed(body.substr(because + 7, why_end - because - 7), ",;.-"));
  if (impact != std::string_view::npos) d.impact = std::string(trimmed(body.substr(impact + 7), "."));
  if (d.decision.empty()) return refusal("Say what was decided, before \"because\"", spelling);
  if (d.rationale.empty()) return refusal("Say why, after \"because\"", spelling);
  return d;
}

}  // namespace microalign
