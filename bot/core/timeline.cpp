#include "microalign/core/timeline.hpp"

#include <date/date.h>

#include "microalign/core/labels.hpp"
#include "microalign/core/text.hpp"

namespace microalign {
namespace {

constexpr std::size_t max_lines = 20;     // an ephemeral answer, not an archive
constexpr std::size_t max_note_chars = 160;

class LineWriter {
 public:
  LineWriter(const std::map<std::int64_t, std::string>& answered_by,
             const std::map<std::string, std::string>& names,
             const std::function<std::string(const Update&)>& link_to)
      : answered_by_(answered_by), names_(names), link_to_(link_to) {}

  RichText line(const Update& u) const {
    RichText line{plain("• " + date::format("%d %b %H:%M", std::chrono::floor<std::chrono::minutes>(u.created_at)) +
                        " UTC · "),
                  person(u.user), plain(" · ")};
    add_kind(line, u);
    if (u.parsed.state) line.push_back(plain(" · " + state_label(*u.parsed.state, u.parsed.delay_days, u.parsed.blocked_on)));
    line.push_back(plain(" — " + shortened(u.parsed.text, max_note_chars)));
    if (auto url = link_to_ ? link_to_(u) : std::string{}; !url.empty()) {
      line.push_back(plain(" "));
      line.push_back(link("(view)", url));
    }
    line.push_back(plain("\n"));
    return line;
  }

 private:
  // An assumption says whether it is still open: an answered one names who answered it.
  void add_kind(RichText& line, const Update& u) const {
    const auto answer = answered_by_.find(u.id);
    if (u.parsed.kind != UpdateKind::assumption || answer == answered_by_.end()) {
      line.push_back(plain(std::string(kind_label(u.parsed.kind))));
      return;
    }
    line.push_back(plain(std::string(kind_name(u.parsed.kind)) + " · ✅ answered by "));
    line.push_back(person(answer->second));
  }

  Span person(const std::string& user) const {
    const auto name = names_.find(user);
    return user_ref(user, name == names_.end() ? std::string{} : name->second, /*mention=*/false);
  }

  const std::map<std::int64_t, std::string>& answered_by_;
  const std::map<std::string, std::string>& names_;
  const std::function<std::string(const Update&)>& link_to_;
};

}  // namespace

Message render_timeline(const std::string& key, const std::vector<Update>& updates,
                        const std::map<std::int64_t, std::string>& answered_by,
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
  const LineWriter writer(answered_by, names, link_to);
  RichText section;
  for (std::size_t i = 0; i < updates.size() && i < max_lines; ++i) {
    auto line = writer.line(updates[i]);
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
