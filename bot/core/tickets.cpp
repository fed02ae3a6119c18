// What an update refers to: the URLs in it, and the ticket keys in its text and issue links.
// Hand-written scanners rather than regular expressions: each byte is looked at a bounded number
// of times, so a megabyte of hostile text costs what its length costs.
#include <algorithm>
#include <array>
#include <optional>
#include <unordered_set>

#include "microalign/core/parse.hpp"
#include "microalign/core/text.hpp"

namespace microalign {
namespace {

// Names of standards, algorithms and versions shaped like ticket keys ("UTF-8", "SHA-256",
// "ISO-8601", "COVID-19"). Only consulted when no ticket prefixes are configured: a team that
// lists its projects knows better than any list.
constexpr auto technical_prefixes = std::to_array<std::string_view>({
    "AES", "ARM", "AV", "COVID", "CRC", "CVE", "CWE", "DDR", "DES", "ECMA", "ES", "FIPS", "GPT",
    "HMAC", "HTTP", "HTTPS", "IEC", "IEEE", "IPV", "ISO", "JSR", "MD", "MPEG", "OAUTH", "PCI",
    "PEP", "PKCS", "RC", "RFC", "RSA", "SARS", "SHA", "SOC", "SSL", "TLS", "UCS", "USB", "UTF",
    "WPA", "X86",
});

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_alnum(char c) { return is_digit(c) || is_upper(c) || is_lower(c); }
bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && lower_case(a) == lower_case(b);
}

// Keeps the first occurrence of each value, in order.
class OrderedSet {
 public:
  void add(std::string value) {
    if (seen_.insert(value).second) items_.push_back(std::move(value));
  }
  std::vector<std::string> take() && { return std::move(items_); }

 private:
  std::unordered_set<std::string> seen_;
  std::vector<std::string> items_;
};

// ---- URLs ---------------------------------------------------------------------------------------

struct Extent {
  std::size_t begin = 0;
  std::size_t end = 0;
};

// Where "http" or "https" ends right before `colon` (the ':' of "://"), as a word of its own.
std::optional<std::size_t> scheme_begin(std::string_view text, std::size_t colon) {
  for (const std::string_view scheme : {"https", "http"}) {
    if (colon < scheme.size()) continue;
    const auto begin = colon - scheme.size();
    if (!equals_ignoring_case(text.substr(begin, scheme.size()), scheme)) continue;
    if (begin > 0 && is_alnum(text[begin - 1])) continue;
    return begin;
  }
  return std::nullopt;
}

// Punctuation that ends a sentence after a URL rather than belonging to it. A ')' stays when the
// URL opened one (Wikipedia-style paths).
std::size_t without_trailing_punctuation(std::string_view text, std::size_t begin,
                                         std::size_t end) {
  constexpr std::string_view trailing = ".,;:!?'\"*_~]}";
  // Found once, not once per ')': the URL only loses characters at its end, so it still holds a
  // '(' exactly while its first one is inside it. A run of ')' would otherwise be quadratic.
  const auto first_paren = std::min(text.substr(begin, end - begin).find('('), end - begin);
  while (end > begin) {
    const char last = text[end - 1];
    const bool unbalanced_paren = last == ')' && begin + first_paren >= end;
    if (trailing.find(last) == std::string_view::npos && !unbalanced_paren) break;
    --end;
  }
  return end;
}

constexpr std::string_view scheme_separator = "://";

// The URL whose "://" is at `mark`, if one is written there.
std::optional<Extent> url_at_separator(std::string_view text, std::size_t mark) {
  const auto begin = scheme_begin(text, mark);
  if (!begin) return std::nullopt;
  const auto end = std::min(text.find_first_of(" \t\r\n<>\"", mark), text.size());
  const auto trimmed_end = without_trailing_punctuation(text, *begin, end);
  if (trimmed_end <= mark + scheme_separator.size()) return std::nullopt;
  return Extent{*begin, trimmed_end};
}

std::optional<Extent> next_url(std::string_view text, std::size_t from) {
  for (auto mark = text.find(scheme_separator, from); mark != std::string_view::npos;
       mark = text.find(scheme_separator, mark + scheme_separator.size())) {
    const auto url = url_at_separator(text, mark);
    if (url && url->begin >= from) return url;
  }
  return std::nullopt;
}

// ---- Keys written in text -----------------------------------------------------------------------

bool counts_as_ticket(std::string_view project, const ParseOptions& options) {
  if (!options.ticket_prefixes.empty()) {
    return std::ranges::any_of(options.ticket_prefixes, [&](const std::string& prefix) {
      return equals_ignoring_case(prefix, project);
    });
  }
  return std::ranges::find(technical_prefixes, project) == technical_prefixes.end();
}

// Length of a Jira/Linear key ("ENG-42") at `at`, or 0: an upper-case letter, 1–9 more upper-case
// letters or digits, '-', digits.
std::size_t key_length_at(std::string_view text, std::size_t at) {
  std::size_t i = at;
  if (i >= text.size() || !is_upper(text[i])) return 0;
  while (i < text.size() && (is_upper(text[i]) || is_digit(text[i]))) ++i;
  const auto project_length = i - at;
  if (project_length < 2 || project_length > 10) return 0;
  if (i >= text.size() || text[i] != '-') return 0;
  const auto number_begin = ++i;
  while (i < text.size() && is_digit(text[i])) ++i;
  return i > number_begin ? i - at : 0;
}

// Length of the run from `at` of characters allowed by `allowed`, or 0 when it is not between
// `shortest` and `longest` long.
template <typename Allowed>
std::size_t run_length(std::string_view text, std::size_t at, std::size_t shortest,
                       std::size_t longest, Allowed allowed) {
  std::size_t i = at;
  while (i < text.size() && i - at <= longest && allowed(text[i])) ++i;
  const auto length = i - at;
  return length >= shortest && length <= longest ? length : 0;
}

// Length of a GitHub reference ("acme/web#9") at `at`, or 0. Owner and repository names use
// GitHub's alphabets and length limits.
std::size_t github_ref_length_at(std::string_view text, std::size_t at) {
  const auto owner = run_length(text, at, 1, 39, [](char c) { return is_alnum(c) || c == '-'; });
  auto i = at + owner;
  if (owner == 0 || i >= text.size() || text[i] != '/') return 0;
  const auto repo = run_length(text, ++i, 1, 100, [](char c) {
    return is_alnum(c) || c == '-' || c == '_' || c == '.';
  });
  i += repo;
  if (repo == 0 || i >= text.size() || text[i] != '#') return 0;
  const auto number = run_length(text, ++i, 1, 20, is_digit);
  return number == 0 ? 0 : i + number - at;
}

// Keys are words of their own: not the tail of "fooENG-42", not the head of "TLS-1.2" or
// "CVE-2024-1234", whose trailing ".2"/"-1234" show a version or a longer identifier.
bool starts_word(std::string_view text, std::size_t at) {
  if (at == 0) return true;
  const char before = text[at - 1];
  return !(is_alnum(before) || before == '_' || before == '-' || before == '.' || before == '@');
}

bool ends_word(std::string_view text, std::size_t at) {
  if (at >= text.size()) return true;
  const char next = text[at];
  if (is_alnum(next) || next == '_') return false;
  const bool continues_number =
      (next == '.' || next == '-') && at + 1 < text.size() && is_digit(text[at + 1]);
  return !continues_number;
}

void add_keys_in_prose(std::string_view text, const ParseOptions& options, OrderedSet& keys) {
  for (std::size_t at = 0; at < text.size();) {
    if (!is_alnum(text[at]) || !starts_word(text, at)) {
      ++at;
      continue;
    }
    if (const auto length = github_ref_length_at(text, at);
        length > 0 && ends_word(text, at + length)) {
      keys.add(lower_case(text.substr(at, length)));
      at += length;
      continue;
    }
    if (const auto length = key_length_at(text, at); length > 0 && ends_word(text, at + length)) {
      const auto key = text.substr(at, length);
      if (counts_as_ticket(key.substr(0, key.find('-')), options)) {
        keys.add(std::string(key));
        at += length;
        continue;
      }
    }
    ++at;
  }
}

// ---- Keys inside issue links --------------------------------------------------------------------

std::vector<std::string_view> path_segments(std::string_view path) {
  std::vector<std::string_view> segments;
  for (std::size_t at = 0; at < path.size();) {
    const auto slash = std::min(path.find('/', at), path.size());
    if (slash > at) segments.push_back(path.substr(at, slash - at));
    at = slash + 1;
  }
  return segments;
}

struct UrlParts {
  std::string host;  // lower case, without user info or port
  std::vector<std::string_view> segments;
};

std::optional<UrlParts> split_url(std::string_view url) {
  const auto separator = url.find("://");
  if (separator == std::string_view::npos) return std::nullopt;
  const auto scheme = url.substr(0, separator);
  if (!equals_ignoring_case(scheme, "http") && !equals_ignoring_case(scheme, "https")) {
    return std::nullopt;
  }
  const auto rest = url.substr(separator + 3);
  const auto authority_end = std::min(rest.find_first_of("/?#"), rest.size());
  auto host = rest.substr(0, authority_end);
  if (const auto at_sign = host.rfind('@'); at_sign != std::string_view::npos) {
    host = host.substr(at_sign + 1);
  }
  host = host.substr(0, host.find(':'));
  const auto path = rest.substr(authority_end);
  return UrlParts{lower_case(host), path_segments(path.substr(0, path.find_first_of("?#")))};
}

// "ENG-42" from a path segment such as "ENG-42" or "eng-42" (trackers accept either in URLs).
std::optional<std::string> key_in_segment(std::string_view segment, const ParseOptions& options) {
  auto key = upper_case(segment);
  if (key_length_at(key, 0) != key.size()) return std::nullopt;
  if (!counts_as_ticket(std::string_view(key).substr(0, key.find('-')), options)) {
    return std::nullopt;
  }
  return key;
}

std::optional<std::string> key_after(const std::vector<std::string_view>& segments,
                                     std::string_view marker, const ParseOptions& options) {
  const auto found = std::ranges::find(segments, marker);
  if (found == segments.end() || std::next(found) == segments.end()) return std::nullopt;
  return key_in_segment(*std::next(found), options);
}

// github.com/<owner>/<repo>/(pull|issues)/<number> → "owner/repo#number".
std::optional<std::string> github_ticket(const std::vector<std::string_view>& segments) {
  if (segments.size() < 4 || (segments[2] != "pull" && segments[2] != "issues")) {
    return std::nullopt;
  }
  if (!std::ranges::all_of(segments[3], is_digit)) return std::nullopt;
  return lower_case(std::string(segments[0]) + "/" + std::string(segments[1]) + "#" +
                    std::string(segments[3]));
}

// The ticket an issue link points at: a GitHub issue or pull request, a Linear issue
// (linear.app/<workspace>/issue/ENG-42/<slug>) or a Jira issue (any host, …/browse/ENG-42).
std::optional<std::string> ticket_of_link(std::string_view url, const ParseOptions& options) {
  const auto parts = split_url(url);
  if (!parts) return std::nullopt;
  if (parts->host == "github.com" || parts->host == "www.github.com") {
    return github_ticket(parts->segments);
  }
  if (parts->host == "linear.app") {
    if (parts->segments.size() < 3 || parts->segments[1] != "issue") return std::nullopt;
    return key_in_segment(parts->segments[2], options);
  }
  return key_after(parts->segments, "browse", options);
}

void add_ticket_of_link(std::string_view url, const ParseOptions& options, OrderedSet& keys) {
  if (auto key = ticket_of_link(url, options)) keys.add(std::move(*key));
}

}  // namespace

std::vector<std::string> find_links(std::string_view plain_text) {
  OrderedSet links;
  for (auto url = next_url(plain_text, 0); url; url = next_url(plain_text, url->end)) {
    links.add(std::string(plain_text.substr(url->begin, url->end - url->begin)));
  }
  return std::move(links).take();
}

std::string_view leading_link(std::string_view text) {
  // A scheme holds no ':', so a URL at the start has the text's first "://", within "https://".
  constexpr std::size_t longest_scheme_and_separator = 8;
  const auto mark = text.substr(0, longest_scheme_and_separator).find(scheme_separator);
  if (mark == std::string_view::npos) return {};
  const auto url = url_at_separator(text, mark);
  return url && url->begin == 0 ? text.substr(0, url->end) : std::string_view{};
}

std::vector<std::string> find_tickets(std::string_view plain_text,
                                      const std::vector<std::string>& links,
                                      const ParseOptions& options) {
  OrderedSet keys;
  std::size_t prose_begin = 0;
  // The path of a URL is not prose: a key in ".../docs/ENG-42-notes" is not a reference to it,
  // unless the URL is an issue link.
  for (auto url = next_url(plain_text, 0); url; url = next_url(plain_text, url->end)) {
    add_keys_in_prose(plain_text.substr(prose_begin, url->begin - prose_begin), options, keys);
    add_ticket_of_link(plain_text.substr(url->begin, url->end - url->begin), options, keys);
    prose_begin = url->end;
  }
  add_keys_in_prose(plain_text.substr(prose_begin), options, keys);
  for (const auto& link : links) add_ticket_of_link(link, options, keys);
  return std::move(keys).take();
}

}  // namespace microalign
