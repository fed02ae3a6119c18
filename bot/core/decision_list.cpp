#include "microalign/core/decision_list.hpp"

#include <date/date.h>

#include <algorithm>

#include "microalign/core/text.hpp"

namespace microalign {
namespace {

constexpr std::size_t max_lines = 20;          // an ephemeral answer, not an archive
constexpr std::size_t lines_per_section = 10;  // keeps a section far below Block Kit's 3,000 characters
constexpr std::size_t max_note_chars = 160;

Span person(const std::string& user, const std::map<std::string, std::string>& names) {
  const auto name = names.find(user);
  return user_ref(user, name == names.end() ? std::string{} : name->second, /*mention=*/false);
}

// "• D12 · 01 Dec · Storage — we use PostgreSQL · because … · owner Ana · superseded by D14"
RichText line(const Decision& d, const std::map<std::string, std::string>& names) {
  const auto day = std::chrono::floor<date::days>(d.created_at);
  RichText line{plain("• "), bold(decision_label(d.id)), plain(" · " + date::format("%d %b", day) + " · "),
                bold(shortened(d.parsed.title, max_note_chars)),
                plain(" — " + shortened(d.parsed.decision, max_note_chars) + " · because " +
                      shortened(d.parsed.rationale, max_note_chars))};
  if (d.parsed.supersedes) line.push_back(plain(" · supersedes " + decision_label(*d.parsed.supersedes)));
  line.push_back(plain(" · owner "));
  line.push_back(person(d.owner, names));
  if (d.superseded_by) line.push_back(italic(" · superseded by " + decision_label(*d.superseded_by)));
  line.push_back(plain("\n"));
  return line;
}

// Up to max_lines lines, in sections of lines_per_section; the rest counted.
template <typename It>
void add_lines(Message& m, It first, It last, const std::map<std::string, std::string>& names) {
  RichText section;
  std::size_t shown = 0;
  for (auto it = first; it != last && shown < max_lines; ++it) {
    auto l = line(*it, names);
    section.insert(section.end(), l.begin(), l.end());
    if (++shown % lines_per_section == 0) m.blocks.push_back(Section{std::exchange(section, {})});
  }
  if (!section.empty()) m.blocks.push_back(Section{std::move(section)});
  const auto total = static_cast<std::size_t>(std::distance(first, last));
  if (total > shown) {
    m.blocks.push_back(Context{
        {plain("+" + std::to_string(total - shown) + " older — `microalign export --decisions` has them all")}});
  }
}

}  // namespace

Message render_decision_list(const std::vector<Decision>& decisions, const std::string& period,
                             const std::map<std::string, std::string>& names, const CommandSpelling& spelling) {
  Message m;
  if (decisions.empty()) {
    m.fallback =
        "No decisions recorded in this channel " + period + ". Record one with " + decision_form(spelling) + ".";
    m.blocks.push_back(Section{{plain(m.fallback)}});
    return m;
  }
  const auto count = count_of(static_cast<long long>(decisions.size()), "decision", "decisions");
  m.fallback = count + " in this channel " + period;
  m.blocks.push_back(Section{{bold("Decisions"), plain(" — " + count + " " + period + ", newest first")}});
  add_lines(m, decisions.rbegin(), decisions.rend(), names);
  return m;
}

void add_decisions_to_timeline(Message& timeline, const std::vector<Decision>& decisions,
                               const std::map<std::string, std::string>& names) {
  if (decisions.empty()) return;
  timeline.fallback += " · " + count_of(static_cast<long long>(decisions.size()), "decision", "decisions");
  timeline.blocks.push_back(Section{{bold("Decisions"), plain(" naming it, newest first")}});
  add_lines(timeline, decisions.begin(), decisions.end(), names);
}

}  // namespace microalign
