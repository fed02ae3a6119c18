#include "microalign/core/timeline.hpp"

#include <date/date.h>

#include "microalign/core/labels.hpp"
#include "microalign/core/text.hpp"
#include "microalign/core/tracker_summary.hpp"

namespace microalign {
namespace {

constexpr std::size_t max_lines = 20;     // an ephemeral answer, not an archive
constexpr std::size_t max_note_chars = 160;
constexpr std::size_t max_url_bytes = 300;  // a longer tracker link is left out

class LineWriter {
 public:
  LineWriter(const std::map<std::int64_t, std::string>& answered_by,
             const std::map<std::string, std::string>& names,
             const std::function<std::string(const Update&)>& link_to)
      : answered_by_(answered_by), names_(names), link_to_(link_to) {}

  RichText line(const Update& u) const {
    RichText line{plain(when(u.created_at)), person(u.user), plain(" · ")};
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

  // What a tracker did, between what people said: "🛠 GitHub: PR #9 merged by octocat".
  static RichText line(const TrackerActivity& a) {
    RichText line{plain(when(a.at) + "🛠 " + shortened(describe_tracker_activity(a), max_note_chars))};
    if (!a.url.empty() && a.url.size() <= max_url_bytes) {
      line.push_back(plain(" "));
      line.push_back(link("(view)", a.url));
    }
    line.push_back(plain("\n"));
    return line;
  }

 private:
  static std::string when(SysTime at) {
    return "• " + date::format("%d %b %H:%M", std::chrono::floor<std::chrono::minutes>(at)) + " UTC · ";
  }

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
                        const std::vector<TrackerActivity>& tracker_activity,
                        const std::map<std::int64_t, std::string>& answered_by,
                        const std::map<std::string, std::string>& names,
                        const std::function<std::string(const Update&)>& link_to) {
  Message m;
  if (updates.empty() && tracker_activity.empty()) {
    m.fallback = "No updates mention " + key + " yet.";
    m.blocks.push_back(Section{{plain(m.fallback)}});
    return m;
  }
  auto count = count_of(static_cast<long long>(updates.size()), "update", "updates");
  if (!tracker_activity.empty()) {
    count += " and " + count_of(static_cast<long long>(tracker_activity.size()), "tracker event", "tracker events");
  }
  m.fallback = key + ": " + count;
  m.blocks.push_back(Section{{bold(key), plain(" — " + count + ", newest first")}});
  // Both lists are newest first: merged as they come, the later of the two heads first.
  const LineWriter writer(answered_by, names, link_to);
  RichText section;
  std::size_t u = 0;
  std::size_t t = 0;
  for (std::size_t shown = 0; shown < max_lines && (u < updates.size() || t < tracker_activity.size()); ++shown) {
    const bool update_next =
        t == tracker_activity.size() || (u < updates.size() && updates[u].created_at >= tracker_activity[t].at);
    auto line = update_next ? writer.line(updates[u++]) : writer.line(tracker_activity[t++]);
    section.insert(section.end(), line.begin(), line.end());
    // Ten lines a section keeps each one far below Block Kit's 3,000 characters.
    if ((shown + 1) % 10 == 0) m.blocks.push_back(Section{std::exchange(section, {})});
  }
  if (!section.empty()) m.blocks.push_back(Section{std::move(section)});
  if (const auto older = updates.size() - u + tracker_activity.size() - t; older > 0) {
    m.blocks.push_back(Context{{plain("+" + std::to_string(older) + " older — `microalign export` has the updates")}});
  }
  return m;
}

}  // namespace microalign
