// Reading an update: what kind it is, the state of the work, how late it is and what blocks it.
//
// The text is read once into lower-case words that remember where they came from (so the object
// of "blocked on …" can be cut from what the author typed) and which clause they sit in (so a
// "not" in one clause never negates a state named in the next). States are short phrases matched
// against those words. There are no regular expressions: any input is read in linear time.
#include "microalign/core/parse.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <unordered_map>
#include <utility>

namespace microalign {
namespace {

bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_letter_or_digit(char c) { return is_letter(c) || is_digit(c); }
char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

template <std::size_t N>
bool is_one_of(std::string_view word, const std::array<std::string_view, N>& set) {
  return std::ranges::find(set, word) != set.end();
}

std::string_view trimmed(std::string_view text) {
  constexpr std::string_view space = " \t\r\n\f\v";
  const auto begin = text.find_first_not_of(space);
  if (begin == std::string_view::npos) return {};
  return text.substr(begin, text.find_last_not_of(space) - begin + 1);
}

// ---- Amounts of time written as words -----------------------------------------------------------

// Working days per unit: a week is five, an hour an eighth of a day.
constexpr auto units = std::to_array<std::pair<std::string_view, double>>({
    {"d", 1}, {"day", 1}, {"days", 1},
    {"w", 5}, {"wk", 5}, {"wks", 5}, {"week", 5}, {"weeks", 5},
    {"h", 0.125}, {"hr", 0.125}, {"hrs", 0.125}, {"hour", 0.125}, {"hours", 0.125},
});

constexpr auto quantity_words = std::to_array<std::pair<std::string_view, double>>({
    {"a", 1}, {"an", 1}, {"one", 1}, {"two", 2}, {"three", 3}, {"four", 4}, {"five", 5},
    {"six", 6}, {"seven", 7}, {"eight", 8}, {"nine", 9}, {"ten", 10},
    {"couple", 2}, {"few", 3}, {"several", 3},
});

// Words that may stand between a number and its unit: "2 working days", "a couple more days".
constexpr auto unit_adjectives =
    std::to_array<std::string_view>({"working", "business", "work", "full", "more", "extra"});

template <std::size_t N>
std::optional<double> lookup(std::string_view word,
                             const std::array<std::pair<std::string_view, double>, N>& table) {
  const auto found = std::ranges::find(table, word, &std::pair<std::string_view, double>::first);
  if (found == table.end()) return std::nullopt;
  return found->second;
}

// A number in digits at the start of `word` ("2", "1.5", "+2"), and the rest of the word.
std::optional<std::pair<double, std::string_view>> leading_number(std::string_view word) {
  if (word.starts_with('+')) word.remove_prefix(1);
  if (word.empty() || !is_digit(word.front())) return std::nullopt;
  double value = 0;
  const auto [end, error] = std::from_chars(word.data(), word.data() + word.size(), value);
  if (error != std::errc{}) return std::nullopt;
  return std::pair{value, word.substr(static_cast<std::size_t>(end - word.data()))};
}

// "2", "+2", "two", "a", "few"; a range ("3-4") counts as its upper end, the one to plan for.
std::optional<double> number_value(std::string_view word) {
  const auto number = leading_number(word);
  if (!number) return lookup(word, quantity_words);
  if (number->second.empty()) return number->first;
  if (!number->second.starts_with('-')) return std::nullopt;
  const auto upper = leading_number(number->second.substr(1));
  if (!upper || !upper->second.empty()) return std::nullopt;
  return upper->first;
}

// "2d", "+2d", "1w", "1.5d", "2-day", "3days", "4h" as working days.
std::optional<double> compact_amount(std::string_view word) {
  const auto number = leading_number(word);
  if (!number) return std::nullopt;
  auto unit = number->second;
  if (unit.starts_with('-')) unit.remove_prefix(1);
  const auto per_unit = lookup(unit, units);
  if (!per_unit) return std::nullopt;
  return number->first * *per_unit;
}

// ---- Words --------------------------------------------------------------------------------------

struct Word {
  std::string text;  // lower case, apostrophes dropped: "we're" → "were", "can't" → "cant"
  std::size_t begin = 0;  // where the word is in the text, in bytes
  std::size_t end = 0;
  std::size_t clause = 0;  // equal for words in one clause (, : — ( ) and sentence ends split)
  std::size_t clause_end = 0;  // where that clause ends in the text
  std::size_t sentence = 0;  // equal for words in one sentence (. ! ? ; and line breaks split)
  bool opaque = false;  // ticket keys, URLs, @handles, paths: they count as words, never as cues
  bool then_question_mark = false;  // a '?' comes before the next word
};

using Words = std::vector<Word>;

bool in_clause(const Words& words, std::size_t at, std::size_t clause) {
  return at < words.size() && words[at].clause == clause;
}

// Emoji people use as status lights, read as the word they stand for. Other emoji and Slack
// shortcodes (":tada:") are neither words nor breaks.
constexpr auto emoji_words = std::to_array<std::pair<std::string_view, std::string_view>>({
    {"✅", "done"},
    {"✔", "done"},
    {":white_check_mark:", "done"},
    {":heavy_check_mark:", "done"},
    {"🟢", "green"},
    {":large_green_circle:", "green"},
    {"🟡", "yellow"},
    {":large_yellow_circle:", "yellow"},
    {"🔴", "red"},
    {":red_circle:", "red"},
    {"⚠", "risky"},
    {":warning:", "risky"},
});

constexpr auto clause_dashes = std::to_array<std::string_view>({"—", "–", "…"});

// Characters inside a word that keep it one word: "sign-off", "v1.2", "acme/web#9", "snake_case".
bool joins_word(char c) { return c == '-' || c == '.' || c == '/' || c == '#' || c == '_'; }

bool ends_sentence(char c) { return c == '.' || c == '!' || c == '?' || c == ';' || c == '\n'; }

bool ends_clause(char c) {
  return c == ',' || c == ':' || c == '(' || c == ')' || c == '[' || c == ']' || c == '{' ||
         c == '}' || c == '-' || c == '/' || c == '|';
}

// Paths, dotted names and the like: "e.g", "foo.bar", "acme/web#9". Decimals ("1.5") are words.
bool is_technical(std::string_view word) {
  if (word.find_first_of("/#_") != std::string_view::npos) return true;
  return word.find('.') != std::string_view::npos &&
         word.find_first_not_of("0123456789.") != std::string_view::npos;
}

class WordReader {
 public:
  explicit WordReader(std::string_view text) : text_(text) {
    constexpr std::size_t typical_word_bytes = 6;
    words_.reserve(text.size() / typical_word_bytes);
  }

  Words read() && {
    while (at_ < text_.size()) {
      if (read_url() || read_emoji() || read_word()) continue;
      read_separator();
    }
    end_clause();
    return std::move(words_);
  }

 private:
  // A hyphen inside a word: where it is in the word being built, and in the text.
  struct Hyphen {
    std::size_t in_word = 0;
    std::size_t in_text = 0;
  };

  char peek(std::size_t ahead = 0) const {
    return at_ + ahead < text_.size() ? text_[at_ + ahead] : '\0';
  }
  std::string_view rest() const { return text_.substr(at_); }

  void push(std::string text, std::size_t begin, std::size_t end, bool opaque) {
    words_.push_back({std::move(text), begin, end, clause_, 0, sentence_, opaque, false});
  }

  // Each word is visited once here, when its clause ends, so reading stays linear.
  void end_clause() {
    for (auto word = words_.rbegin(); word != words_.rend() && word->clause == clause_; ++word) {
      word->clause_end = at_;
    }
    ++clause_;
  }

  bool starts_http_url() const {
    if (lower(peek()) != 'h') return false;
    for (const std::string_view scheme : {"https://", "http://"}) {
      const auto head = rest().substr(0, scheme.size());
      if (std::ranges::equal(head, scheme, {}, lower)) return true;
    }
    return false;
  }

  // The URL grammar is find_links's, so the reader and the link list agree on where URLs end.
  // Only the URL starting here is read, not every link in the rest of the text: this is asked at
  // each "http://", and text such as "http://<" repeated has one every eight bytes.
  bool read_url() {
    if (!starts_http_url() || (at_ > 0 && is_letter_or_digit(text_[at_ - 1]))) return false;
    const auto url = leading_link(rest());
    if (url.empty()) return false;
    const auto end = at_ + url.size();
    push(std::string(url), at_, end, true);
    at_ = end;
    return true;
  }

  bool read_emoji() {
    const auto c = static_cast<unsigned char>(peek());
    if (c < 0x80 && c != ':') return false;
    for (const auto& [symbol, word] : emoji_words) {
      if (!rest().starts_with(symbol)) continue;
      push(std::string(word), at_, at_ + symbol.size(), false);
      at_ += symbol.size();
      return true;
    }
    const auto length = shortcode_length();
    at_ += length;
    return length > 0;
  }

  // ":tada:", ":+1:": lower-case letters, digits, '_', '+', '-' between colons, with a letter.
  std::size_t shortcode_length() const {
    constexpr std::size_t longest = 64;
    if (peek() != ':') return 0;
    bool has_letter = false;
    std::size_t i = 1;
    for (; i < longest && at_ + i < text_.size(); ++i) {
      const char c = text_[at_ + i];
      if (c >= 'a' && c <= 'z') {
        has_letter = true;
      } else if (!is_digit(c) && c != '_' && c != '+' && c != '-') {
        break;
      }
    }
    return has_letter && peek(i) == ':' ? i + 1 : 0;
  }

  // ' and ’ inside a word are dropped, so "we're" and "we’re" read alike.
  std::size_t apostrophe_length(std::size_t at) const {
    const auto tail = text_.substr(at);
    const std::size_t length = tail.starts_with('\'') ? 1 : tail.starts_with("’") ? 3 : 0;
    return length > 0 && at + length < text_.size() && is_letter(text_[at + length]) ? length : 0;
  }

  bool read_word() {
    const char first = peek();
    const bool delay_mark = first == '+' && is_digit(peek(1));  // "+2d"
    const bool handle = (first == '@' || first == '#') && is_letter_or_digit(peek(1));
    if (!delay_mark && !handle && !is_letter_or_digit(first)) return false;

    const auto begin = at_;
    std::string word;
    std::vector<Hyphen> hyphens;
    std::size_t i = at_;
    if (delay_mark || handle) word += text_[i++];
    while (i < text_.size()) {
      const char c = text_[i];
      const char next = i + 1 < text_.size() ? text_[i + 1] : '\0';
      if (is_letter_or_digit(c)) {
        word += lower(c);
        ++i;
      } else if (const auto apostrophe = apostrophe_length(i)) {
        i += apostrophe;
      } else if (joins_word(c) && is_letter_or_digit(next)) {
        if (c == '-') hyphens.push_back({word.size(), i});
        word += c;
        ++i;
      } else {
        break;
      }
    }
    at_ = i;
    add_word(std::move(word), begin, i, hyphens, handle);
    return true;
  }

  // "on-track" and "heads-up" are two words each; "ENG-42", "UTF-8" and "2-day" stay one, the
  // first two opaque.
  void add_word(std::string word, std::size_t begin, std::size_t end,
                const std::vector<Hyphen>& hyphens, bool handle) {
    if (handle || is_technical(word)) return push(std::move(word), begin, end, true);
    if (hyphens.empty()) return push(std::move(word), begin, end, false);
    const bool all_letters =
        std::ranges::all_of(word, [](char c) { return is_letter(c) || c == '-'; });
    if (!all_letters) return push(std::move(word), begin, end, !compact_amount(word));
    std::size_t part_begin = 0;
    std::size_t text_begin = begin;
    for (const auto& hyphen : hyphens) {
      push(word.substr(part_begin, hyphen.in_word - part_begin), text_begin, hyphen.in_text,
           false);
      part_begin = hyphen.in_word + 1;
      text_begin = hyphen.in_text + 1;
    }
    push(word.substr(part_begin), text_begin, end, false);
  }

  void read_separator() {
    const char c = peek();
    if (c == '?' && !words_.empty()) words_.back().then_question_mark = true;
    const bool ascii = static_cast<unsigned char>(c) < 0x80;
    for (const auto dash : clause_dashes) {
      if (ascii || !rest().starts_with(dash)) continue;
      end_clause();
      at_ += dash.size();
      return;
    }
    if (ends_sentence(c)) {
      ++sentence_;
      end_clause();
    } else if (ends_clause(c)) {
      end_clause();
    }
    ++at_;
  }

  std::string_view text_;
  std::size_t at_ = 0;
  std::size_t clause_ = 0;
  std::size_t sentence_ = 0;
  Words words_;
};

bool followed_by_colon(std::string_view text, const Word& word) {
  return text.substr(word.end).starts_with(':');
}

// Whether the words from `at` on spell `phrase` (words separated by single spaces) within one
// clause; its length in words if so, else 0.
std::size_t phrase_length_at(const Words& words, std::size_t at, std::string_view phrase) {
  // Almost every call fails on the first word; say so before splitting the phrase.
  if (at >= words.size() || !phrase.starts_with(words[at].text)) return 0;
  std::size_t length = 0;
  for (std::size_t start = 0; start <= phrase.size(); ++length) {
    const auto stop = std::min(phrase.find(' ', start), phrase.size());
    const auto i = at + length;
    if (!in_clause(words, i, words[at].clause) || words[i].opaque ||
        words[i].text != phrase.substr(start, stop - start)) {
      return 0;
    }
    start = stop + 1;
  }
  return length;
}

// ---- Amounts of time in context -----------------------------------------------------------------

// The number that ends at word `at`: "2", "two", "a", "half a", "a couple of", "a few".
std::optional<double> quantity_ending_at(const Words& words, std::size_t at) {
  const auto word_before = [&](std::size_t back) -> std::string_view {
    return back <= at && words[at - back].clause == words[at].clause ? words[at - back].text
                                                                    : std::string_view{};
  };
  const std::string_view word = words[at].text;
  if (word == "of") {
    const auto counted = word_before(1);
    return counted == "couple" || counted == "few" ? number_value(counted) : std::nullopt;
  }
  if (word == "half" || ((word == "a" || word == "an") && word_before(1) == "half")) return 0.5;
  return number_value(word);
}

// The amount of time whose unit is word `at` ("2 days", "a week", "+2d"), in working days.
std::optional<double> working_days_ending_at(const Words& words, std::size_t at) {
  const auto& word = words[at];
  if (word.opaque) return std::nullopt;
  if (const auto compact = compact_amount(word.text)) return compact;
  const auto per_unit = lookup(word.text, units);
  // A lone "d" or "w" is not a unit; those only count written against their number.
  if (!per_unit || word.text.size() == 1 || at == 0) return std::nullopt;
  auto quantity_at = at - 1;
  if (is_one_of(words[quantity_at].text, unit_adjectives) && quantity_at > 0) --quantity_at;
  if (words[quantity_at].clause != word.clause) return std::nullopt;
  const auto quantity = quantity_ending_at(words, quantity_at);
  if (!quantity) return std::nullopt;
  return *quantity * *per_unit;
}

// Partial days round up: half a day late is a day late for whoever waits on it. Amounts no
// delay could be ("+99999999d", four years and more) are not read as one.
std::optional<int> plausible_whole_days(double days) {
  constexpr double longest_delay = 1000;
  if (days > longest_delay) return std::nullopt;
  return static_cast<int>(std::ceil(days - 1e-9));
}

// The amount written nearest the cue in the same sentence ("a day delayed", "slipping by two
// days"); when two are equally near, the one before the cue ("2 days late").
std::optional<int> delay_near(const Words& words, std::size_t cue) {
  constexpr std::size_t reach = 8;
  for (std::size_t distance = 0; distance <= reach; ++distance) {
    for (const auto at : {cue - distance, cue + distance}) {  // wraps past the start: skipped
      if (at >= words.size() || words[at].sentence != words[cue].sentence) continue;
      const auto days = working_days_ending_at(words, at);
      if (const auto whole = days ? plausible_whole_days(*days) : std::nullopt) return whole;
    }
  }
  return std::nullopt;
}

// ---- States -------------------------------------------------------------------------------------

constexpr auto negations = std::to_array<std::string_view>({
    "not", "no", "never", "isnt", "arent", "wasnt", "werent", "dont", "doesnt", "didnt", "wont",
    "hasnt", "havent", "hadnt", "nothing", "without", "nor", "neither",
});

// Turn a delay or a block into a risk: "might slip", "could be blocked", "if it slips".
constexpr auto hedges = std::to_array<std::string_view>({
    "might", "may", "could", "possibly", "potentially", "likely", "probably", "risk", "chance",
    "if", "maybe", "perhaps",
});

// Before a "done" word, these make it a plan or a condition, not a fact: "once it's merged",
// "will be deployed", "almost done", "needs to be fixed".
constexpr auto not_yet = std::to_array<std::string_view>({
    "once", "when", "after", "until", "till", "before", "if", "will", "be", "almost", "nearly",
    "mostly", "half", "need", "needs", "should", "would", "might", "may", "could", "hopefully",
    "soon", "expect", "expected", "expecting", "plan", "planning", "going", "get", "gets",
    "getting",
});

// Whether one of `set` is among the `window` words before `at`, in its clause.
template <std::size_t N>
bool preceded_by(const Words& words, std::size_t at, const std::array<std::string_view, N>& set,
                 std::size_t window) {
  for (std::size_t back = 1; back <= window && back <= at; ++back) {
    const auto& word = words[at - back];
    if (word.clause != words[at].clause) return false;
    if (is_one_of(word.text, set)) return true;
  }
  return false;
}

// "2 days late", "running late" — but not "late last night" or "late in the afternoon".
bool late_means_overdue(const Words& words, std::size_t after) {
  constexpr auto times_of_day = std::to_array<std::string_view>({
      "last", "yesterday", "today", "tonight", "night", "morning", "afternoon", "evening", "in",
  });
  return !in_clause(words, after, words[after - 1].clause) ||
         !is_one_of(words[after].text, times_of_day);
}

// "one blocker: the API keys" — but not the stand-up line "Blockers: none".
bool blocker_is_named(const Words& words, std::size_t after) {
  constexpr auto nothing = std::to_array<std::string_view>({"none", "nothing", "na", "nil"});
  return after >= words.size() || !is_one_of(words[after].text, nothing);
}

// "behind schedule", "a day behind." — but not "behind the scenes" or "queued behind ENG-41".
bool behind_means_late(const Words& words, std::size_t after) {
  constexpr auto object_openers = std::to_array<std::string_view>({
      "the", "this", "that", "these", "those", "it", "its", "a", "an", "our", "my", "your",
      "their", "his", "her", "us", "them", "me", "you", "him", "every", "each", "all", "some",
      "any",
  });
  if (!in_clause(words, after, words[after - 1].clause)) return true;
  return !words[after].opaque && !is_one_of(words[after].text, object_openers);
}

// "pushed back", "pushed to Friday", "pushing it out a week" — but not "pushed a fix".
bool pushed_means_later(const Words& words, std::size_t after) {
  constexpr auto pronouns = std::to_array<std::string_view>({"it", "this", "that", "them"});
  constexpr auto later = std::to_array<std::string_view>({"back", "out", "until", "till", "by"});
  constexpr auto dates = std::to_array<std::string_view>({
      "next", "tomorrow", "later", "end", "sprint", "week", "month", "eod", "eow", "eom",
      "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
      "january", "february", "march", "april", "may", "june", "july", "august", "september",
      "october", "november", "december", "q1", "q2", "q3", "q4",
  });
  const auto clause = words[after - 1].clause;
  auto at = after;
  if (in_clause(words, at, clause) && is_one_of(words[at].text, pronouns)) ++at;
  if (!in_clause(words, at, clause)) return false;
  if (is_one_of(words[at].text, later)) return true;
  if (words[at].text == "to" || words[at].text == "into") {
    auto date_at = at + 1;
    if (in_clause(words, date_at, clause) && words[date_at].text == "the") ++date_at;
    return in_clause(words, date_at, clause) && is_one_of(words[date_at].text, dates);
  }
  constexpr std::size_t amount_reach = 3;  // "pushed a couple of days"
  for (auto unit_at = at; unit_at <= at + amount_reach && in_clause(words, unit_at, clause);
       ++unit_at) {
    if (working_days_ending_at(words, unit_at)) return true;
  }
  return false;
}

using FollowedWell = bool (*)(const Words&, std::size_t after);

struct StateCue {
  std::string_view phrase;  // lower-case words separated by single spaces
  TicketState state;
  std::optional<TicketState> when_negated;  // what "not <phrase>" says, if anything
  FollowedWell followed_well = nullptr;     // a further condition on the words after the phrase
  bool names_blocker = false;               // "blocked on X", "waiting for X": X is the blocker
};

constexpr StateCue on_track_cue(std::string_view phrase) {
  return {phrase, TicketState::on_track, TicketState::at_risk};
}
constexpr StateCue at_risk_cue(std::string_view phrase) {
  return {phrase, TicketState::at_risk, TicketState::on_track};
}
constexpr StateCue delayed_cue(std::string_view phrase, FollowedWell followed_well = nullptr) {
  return {phrase, TicketState::delayed, TicketState::on_track, followed_well};
}
constexpr StateCue blocked_cue(std::string_view phrase, bool names_blocker = false,
                               FollowedWell followed_well = nullptr) {
  return {phrase, TicketState::blocked, TicketState::on_track, followed_well, names_blocker};
}
constexpr StateCue done_cue(std::string_view phrase) {
  return {phrase, TicketState::done, std::nullopt};
}

// Common misspellings are listed with the words they stand for.
constexpr auto state_cues = std::to_array<StateCue>({
    on_track_cue("on track"), on_track_cue("ontrack"), on_track_cue("on schedule"),
    on_track_cue("on target"), on_track_cue("ahead of schedule"), on_track_cue("going well"),
    on_track_cue("all good"), on_track_cue("looking good"), on_track_cue("good to go"),
    on_track_cue("green"), on_track_cue("still on"), on_track_cue("unblocked"),
    on_track_cue("no issues"),

    at_risk_cue("at risk"), at_risk_cue("risky"), at_risk_cue("risk of"), at_risk_cue("a risk"),
    at_risk_cue("some risk"), at_risk_cue("tight"), at_risk_cue("yellow"),
    at_risk_cue("concerned"), at_risk_cue("worried"), at_risk_cue("off track"),

    delayed_cue("delayed"), delayed_cue("delayd"), delayed_cue("dealyed"), delayed_cue("delay"),
    delayed_cue("delays"), delayed_cue("late", late_means_overdue), delayed_cue("overdue"),
    delayed_cue("postponed"), delayed_cue("slipping"), delayed_cue("slipped"), delayed_cue("slip"),
    delayed_cue("slips"),
    delayed_cue("behind", behind_means_late), delayed_cue("pushed", pushed_means_later),
    delayed_cue("pushing", pushed_means_later),

    blocked_cue("blocked", true), blocked_cue("blokced", true), blocked_cue("bloked", true),
    blocked_cue("stuck", true), blocked_cue("waiting on", true), blocked_cue("waiting for", true),
    blocked_cue("on hold", true), blocked_cue("cant proceed", true),
    blocked_cue("cannot proceed", true), blocked_cue("blocker", true, blocker_is_named),
    blocked_cue("blockers", true, blocker_is_named),
    blocked_cue("red"),

    done_cue("done"), done_cue("merged"), done_cue("shipped"), done_cue("shiped"),
    done_cue("finished"), done_cue("completed"), done_cue("deployed"), done_cue("released"),
    done_cue("landed"), done_cue("closed"), done_cue("fixed"), done_cue("resolved"),
    done_cue("live in prod"), done_cue("live in production"), done_cue("went live"),
    done_cue("is live"), done_cue("now live"),
});

// The cues by their first word, so each word of the text costs one lookup rather than a
// comparison with every cue. (No two cues can match at the same word, so their order within
// one first word does not matter.)
const std::unordered_multimap<std::string_view, const StateCue*>& cues_by_first_word() {
  static const auto index = [] {
    std::unordered_multimap<std::string_view, const StateCue*> cues;
    for (const auto& cue : state_cues) {
      cues.emplace(cue.phrase.substr(0, cue.phrase.find(' ')), &cue);
    }
    return cues;
  }();
  return index;
}

// The words that introduce a blocker: "blocked on X", "stuck until X", "waiting for X".
constexpr auto blocker_prepositions =
    std::to_array<std::string_view>({"on", "by", "for", "until", "till", "pending"});

// What a cue says where it stands: negated, hedged or still to come. A negation is looked for
// close by ("not blocked", "no longer blocked"); a hedge or a condition can stand further back
// ("might be a couple of days late", "once CI passes and it's merged").
std::optional<TicketState> state_in_context(const Words& words, std::size_t at,
                                            const StateCue& cue) {
  constexpr std::size_t negation_window = 3;
  constexpr std::size_t hedge_window = 5;
  if (preceded_by(words, at, negations, negation_window)) return cue.when_negated;
  if (cue.state == TicketState::done && preceded_by(words, at, not_yet, hedge_window)) {
    return std::nullopt;
  }
  const bool setback = cue.state == TicketState::blocked || cue.state == TicketState::delayed;
  if (setback && preceded_by(words, at, hedges, hedge_window)) return TicketState::at_risk;
  return cue.state;
}

struct StateMention {
  TicketState state;
  std::size_t at = 0;     // first word of the cue
  std::size_t after = 0;  // first word after it
  bool names_blocker = false;
};

bool reads_as_added_time(const Words& words, std::size_t at) {
  if (!words[at].text.starts_with('+')) return false;
  return compact_amount(words[at].text) ||
         (in_clause(words, at + 1, words[at].clause) && working_days_ending_at(words, at + 1));
}

std::vector<StateMention> find_state_mentions(const Words& words) {
  std::vector<StateMention> mentions;
  for (std::size_t at = 0; at < words.size(); ++at) {
    if (words[at].opaque) continue;
    if (reads_as_added_time(words, at)) {  // "+2d", "+3 days"
      mentions.push_back({TicketState::delayed, at, at + 1});
      continue;
    }
    const auto [first_cue, end_of_cues] = cues_by_first_word().equal_range(words[at].text);
    for (auto entry = first_cue; entry != end_of_cues; ++entry) {
      const auto& cue = *entry->second;
      const auto length = phrase_length_at(words, at, cue.phrase);
      if (length == 0 || (cue.followed_well && !cue.followed_well(words, at + length))) continue;
      if (const auto state = state_in_context(words, at, cue)) {
        mentions.push_back({*state, at, at + length, cue.names_blocker && state == cue.state});
      }
    }
  }
  return mentions;
}

// When an update names several states, the most consequential wins, so nobody misses a problem:
// blocked, then delayed, then done, then at_risk, then on_track. `done` outranks the softer two
// because a done word that survived the checks above ("once merged", "will be deployed", "not
// done yet" do not) is the news; it never hides a block or a delay named alongside it.
constexpr auto state_precedence = std::to_array<TicketState>({
    TicketState::blocked, TicketState::delayed, TicketState::done, TicketState::at_risk,
    TicketState::on_track,
});

std::optional<TicketState> most_consequential(const std::vector<StateMention>& mentions) {
  for (const auto state : state_precedence) {
    if (std::ranges::find(mentions, state, &StateMention::state) != mentions.end()) return state;
  }
  return std::nullopt;
}

constexpr std::size_t max_blocker_bytes = 120;

// Trimmed, then cut to `max_bytes` before a character (never inside one) and trimmed again.
std::string shortened(std::string_view text, std::size_t max_bytes) {
  text = trimmed(text);
  if (text.size() > max_bytes) {
    auto cut = max_bytes;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    text = trimmed(text.substr(0, cut));
  }
  return std::string(text);
}

// The rest of the clause after "blocked on", "waiting for", "stuck on"…, or the clause after
// "blocker:", as typed (in any script: it is cut from the text, not rebuilt from words).
std::string blocker_named_by(std::string_view text, const Words& words,
                             const StateMention& mention) {
  const auto& cue_end = words[mention.after - 1];
  if (followed_by_colon(text, cue_end)) {
    if (mention.after >= words.size()) return {};
    const auto begin = cue_end.end + 1;
    return shortened(text.substr(begin, words[mention.after].clause_end - begin),
                     max_blocker_bytes);
  }
  auto preposition = mention.after - 1;  // "waiting on" ends with its preposition
  if (!is_one_of(words[preposition].text, blocker_prepositions)) {
    preposition = mention.after;  // "blocked" needs one after it
    if (!in_clause(words, preposition, words[mention.at].clause) ||
        !is_one_of(words[preposition].text, blocker_prepositions)) {
      return {};
    }
  }
  const auto& word = words[preposition];
  return shortened(text.substr(word.end, word.clause_end - word.end), max_blocker_bytes);
}

struct StateReading {
  std::optional<TicketState> state;
  std::optional<int> delay_days;
  std::string blocked_on;
};

StateReading read_state(std::string_view text, const Words& words) {
  const auto mentions = find_state_mentions(words);
  StateReading reading;
  reading.state = most_consequential(mentions);
  if (reading.state == TicketState::delayed) {
    const auto first = std::ranges::find(mentions, TicketState::delayed, &StateMention::state);
    reading.delay_days = delay_near(words, first->at);
  }
  if (reading.state == TicketState::blocked) {
    for (const auto& mention : mentions) {
      if (!mention.names_blocker) continue;
      reading.blocked_on = blocker_named_by(text, words, mention);
      if (!reading.blocked_on.empty()) break;
    }
  }
  return reading;
}

// ---- Kinds --------------------------------------------------------------------------------------

constexpr auto assumption_cues = std::to_array<std::string_view>({
    "assuming", "assumption", "assumptions", "i assume", "i assumed", "ive assumed", "we assume",
    "we assumed", "weve assumed",
});

// Words that open a question when a '?' follows somewhere. ("were" is left out: it is also how
// "we're" reads.)
constexpr auto question_openers = std::to_array<std::string_view>({
    "who", "what", "when", "where", "why", "how", "which", "does", "do", "did", "is", "are",
    "was", "can", "could", "should", "will", "would", "shall", "has", "have", "any", "anyone",
    "anybody",
});

// Openers that make a heads-up whatever follows; a trailing ':' means the colon is required.
constexpr auto heads_up_leads =
    std::to_array<std::string_view>({"heads up", "headsup", "fyi", "psa", "note:"});

// Openers that announce a status of the ticket named.
constexpr auto status_leads = std::to_array<std::string_view>({
    "re:", "status:", "status update", "update on", "update for", "update:", "progress update",
});

// Skipped when looking at how an update opens: "@bob just a quick heads up".
constexpr auto softeners = std::to_array<std::string_view>({
    "just", "a", "quick", "small", "friendly", "another", "brief", "tiny",
});

std::size_t first_meaningful_word(const Words& words) {
  std::size_t at = 0;
  while (at < words.size() &&
         (words[at].text.starts_with('@') || is_one_of(words[at].text, softeners))) {
    ++at;
  }
  return at;
}

template <std::size_t N>
bool opens_with_one_of(std::string_view text, const Words& words,
                       const std::array<std::string_view, N>& leads) {
  const auto at = first_meaningful_word(words);
  return std::ranges::any_of(leads, [&](std::string_view lead) {
    const bool needs_colon = lead.ends_with(':');
    if (needs_colon) lead.remove_suffix(1);
    const auto length = phrase_length_at(words, at, lead);
    return length > 0 && (!needs_colon || followed_by_colon(text, words[at + length - 1]));
  });
}

bool states_an_assumption(const Words& words) {
  for (std::size_t at = 0; at < words.size(); ++at) {
    for (const auto cue : assumption_cues) {
      if (phrase_length_at(words, at, cue) > 0) return true;
    }
  }
  return false;
}

bool asks_a_question(std::string_view text, const Words& words) {
  if (words.empty()) return false;
  if (words.back().then_question_mark) return true;  // ends with '?' (emoji after it allowed)
  const auto at = first_meaningful_word(words);
  if (at == words.size()) return false;
  if (words[at].text == "question") return true;  // "Question for the team: …", "quick question"
  const bool has_question_mark = std::ranges::any_of(words, &Word::then_question_mark);
  if (has_question_mark && is_one_of(words[at].text, question_openers)) return true;
  return std::ranges::any_of(words, [&](const Word& word) {
    return word.text == "question" && followed_by_colon(text, word);
  });
}

// /status is always a status. Otherwise an assumption or a question says so; "re:", "status:"
// and "update on" open a status of the ticket named. A /heads-up is otherwise a heads-up, even
// when it names a ticket and a state ("we just merged acme/web#9"): the author chose the
// command. A mention has no command to go by, so naming a ticket and its state makes a status,
// unless the author opened with "heads up"/"fyi".
UpdateKind kind_of(Command command, std::string_view text, const Words& words, bool names_ticket,
                   bool names_state) {
  if (command == Command::status) return UpdateKind::status;
  if (states_an_assumption(words)) return UpdateKind::assumption;
  if (asks_a_question(text, words)) return UpdateKind::question;
  if (!names_ticket) return UpdateKind::heads_up;
  if (opens_with_one_of(text, words, status_leads)) return UpdateKind::status;
  if (command == Command::mention && names_state && !opens_with_one_of(text, words, heads_up_leads)) {
    return UpdateKind::status;
  }
  return UpdateKind::heads_up;
}

// ---- References ---------------------------------------------------------------------------------

// The text with each link's target written after its label, so tickets and links are listed in
// the order a reader meets them, whether the URL was typed out or hidden behind a label.
std::string reference_text(const RichText& text) {
  std::string out;
  for (const auto& span : text) {
    out += span.text;
    if (!span.url.empty() && span.url != span.text) out += " " + span.url + " ";
  }
  return out;
}

std::string usage_for(Command command, const CommandSpelling& spelling) {
  switch (command) {
    case Command::status:
      return "Tell me which ticket and how it's going — for example: " +
             spelling.code("status ENG-42 on track, draft PR up");
    case Command::heads_up:
      return "Tell me what people should know — for example: " +
             spelling.code("heads-up the data refresh moves to hourly from Monday");
    case Command::mention:
      return "Mention me with your update — for example: "
             "`@microalign ENG-42 is blocked on OPS-12 review`";
    case Command::decision:
      return "Tell me what was decided and why — for example: " +
             spelling.code("decision Storage: we use PostgreSQL because replicas share it");
  }
  return {};
}

}  // namespace

std::optional<Command> command_from_string(std::string_view name) {
  if (name.starts_with('/')) name.remove_prefix(1);
  if (name == "heads-up") return Command::heads_up;
  if (name == "status") return Command::status;
  if (name == "decision") return Command::decision;
  return std::nullopt;
}

ParsedUpdate parse_update(Command command, const RichText& text, const ParseOptions& options) {
  ParsedUpdate update;
  update.text = std::string(trimmed(to_plain_text(text)));
  const auto references = reference_text(text);
  update.links = find_links(references);
  update.tickets = find_tickets(references, {}, options);

  const auto words = WordReader(update.text).read();
  auto reading = read_state(update.text, words);
  update.kind =
      kind_of(command, update.text, words, !update.tickets.empty(), reading.state.has_value());
  // A question names a state to ask about it ("is ENG-42 blocked?"), not to report it.
  if (update.kind == UpdateKind::question) return update;
  update.state = reading.state;
  update.delay_days = reading.delay_days;
  update.blocked_on = std::move(reading.blocked_on);
  return update;
}

ParsedUpdate parse_update(Command command, std::string_view plain_text,
                          const ParseOptions& options) {
  return parse_update(command, RichText{plain(std::string(plain_text))}, options);
}

std::optional<std::string> refusal_for(Command command, const ParsedUpdate& update, const CommandSpelling& spelling) {
  if (update.text.empty()) return usage_for(command, spelling);
  if (command == Command::status && update.tickets.empty()) {
    return "A status needs a ticket so people can follow it — for example: " +
           spelling.code("status ENG-42 on track, draft PR up");
  }
  return std::nullopt;
}

}  // namespace microalign
