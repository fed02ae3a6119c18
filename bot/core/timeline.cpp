#include "microalign/core/timeline.hpp"

#include <date/date.h>

#include "microalign/core/labels.hpp"
#include "microalign/core/text.hpp"

namespace microalign {
namespace {

constexpr std::size_t max_lines = 20;     // an ephemeral answer, not an archive
constexpr std::size_t max_note_chars = 160;

RichText line_for(const Update& u, const std::map<std::string, std::string>& names,
                  const std::function<std::string(const Update&)>& link_to) {
  const auto name = names.contains(u.user) ? names.at(u.user) : std::string{};
  RichText line{plain("• " + date::format("%d %b %H:%M", std::chrono::floor<std::chrono::minutes>(u.created_at)) +
                      " UTC · "),
                user_ref(u.user, name, /*mention=*/false), plain(" · " + std::string(kind_label(u.parsed.kind)))};
  if (u.parsed.state) line.push_back(plain(" · " + state_label(*u.parsed.state, u.parsed.delay_days, u.parsed.blocked_on)));
  line.push_back(plain(" — " + shortened(u.parsed.text, max_note_chars)));
  if (auto url = link_to ? link_to(u) : std::string{}; !url.empty()) {
    line.push_back(plain(" "));
    line.push_back(link("(view)", url));
  }
  line.push_back(plain("\n"));
  return line;
}

}  // namespace

Message render_timeline(const std::string& key, const std::vector<Update>& updates,
                        const std::map<std::string, std::string>& names,
                        const std::function<std::string(const Update&)>& link_to) {
  Message m;
  if (updates.empty()) {
    m.fallback = "No updates mention " + key + " yet.";
    m.blocks.push_back(Section{{plain(m.fallback)}});
    return m;
  }
  m.fallback = key + ": " + std::to_string(updates.size()) + " update" + (updates.size() == 1 ? "" : "s");
  m.blocks.push_back(Section{{bold(key), plain(" — " + std::to_string(updates.size()) + " update" +
                                               (updates.size() == 1 ? "" : "s") + ", newest first")}});
  // Ten lines a section keeps each one far below Block Kit's 3,000 characters.
  RichText section;
  for (std::size_t i = 0; i < updates.size() && i < max_lines; ++i) {
    auto line = line_for(updates[i], names, link_to);
    section.insert(section.end(), line.begin(), line.end());
    if ((i + 1) % 10 == 0) m.blocks.push_back(Section{std::exchange(section, {})});
  }
  if (!section.empty()) m.blocks.push_back(Section{std::move(section)});
  if (updates.size() > max_lines) {
    m.blocks.push_back(Context{{plain("+" + std::to_string(updates.size() - max_lines) +
                                      " older — `microalign export` has them all")}});
  }
  return m;
}

}  // namespace microalign
