#include "microalign/core/ticket_list.hpp"

#include <algorithm>
#include <utility>

#include "microalign/core/ticket_links.hpp"
#include "microalign/core/labels.hpp"
#include "microalign/core/nudge_answers.hpp"
#include "microalign/core/text.hpp"

namespace microalign {
namespace {

using namespace std::chrono_literals;

// Five lines a section keep each one below Block Kit's 3,000 characters even with long tracker
// URLs; past this length a URL is dropped (the key shows unlinked).
constexpr std::size_t lines_per_section = 5;
constexpr std::size_t max_ticket_url_bytes = 300;

std::string state_of(const TicketSnapshot& t) {
  return t.state ? current_state_label(*t.state, t.last_update.parsed) : "no state yet";
}

std::string updated_ago(SysTime at, SysTime now) {
  const auto elapsed = now - at;
  if (elapsed < 1min) return "updated just now";
  if (elapsed < 1h) return "updated " + std::to_string(elapsed / 1min) + " min ago";
  if (elapsed < 24h) return "updated " + std::to_string(elapsed / 1h) + " h ago";
  return "updated " + count_of(elapsed / 24h, "day", "days") + " ago";
}

class LineWriter {
 public:
  LineWriter(const TicketListInput& in, SysTime now) : in_(in), now_(now) {}

  RichText line(const TicketSnapshot& t) const {
    auto url = ticket_url(t.key, t.last_update.parsed.links, in_.ticket_links);
    if (url.size() > max_ticket_url_bytes) url.clear();
    RichText line{plain("• "), url.empty() ? bold(t.key) : link(t.key, std::move(url)),
                  plain(" · " + state_of(t) + " · " + age(t) + snooze(t))};
    if (t.owner.empty()) {
      line.push_back(plain(" · no owner yet"));
    } else {
      const auto name = in_.names.find(t.owner);
      line.push_back(plain(" · owner "));
      line.push_back(user_ref(t.owner, name == in_.names.end() ? t.owner : name->second, /*mention=*/false));
      if (owner_of(t.owner).nudges_off) line.push_back(plain(" (nudges off)"));
    }
    line.push_back(plain("\n"));
    return line;
  }

 private:
  // Quiet as nudges count it; a quiet ticket of an away owner is waiting for them, not forgotten.
  std::string age(const TicketSnapshot& t) const {
    const auto& owner = owner_of(t.owner);
    const int quiet = working_days_between(t.last_update_at, now_, owner.time_zone, in_.holidays);
    if (quiet < in_.quiet_days) return updated_ago(t.last_update_at, now_);
    const auto today = local_date(now_, owner.time_zone);
    if (owner.away_until && *owner.away_until >= today) {
      return updated_ago(t.last_update_at, now_) + " · owner away through " +
             day_in_words(*owner.away_until, today);
    }
    return "quiet " + count_of(quiet, "working day", "working days");
  }

  // A snooze that has not ended yet, its end the asker's calendar date.
  std::string snooze(const TicketSnapshot& t) const {
    const auto until = in_.snoozed_until.find(t.key);
    if (until == in_.snoozed_until.end() || until->second <= now_) return {};
    return " · 💤 snoozed until " +
           day_in_words(local_date(until->second, in_.asker_zone), local_date(now_, in_.asker_zone));
  }

  const OwnerProfile& owner_of(const std::string& user) const {
    static const OwnerProfile defaults;  // UTC, not away: as nudges treat an unknown owner
    const auto found = in_.owners.find(user);
    return found == in_.owners.end() ? defaults : found->second;
  }

  const TicketListInput& in_;
  SysTime now_;
};

}  // namespace

Message render_ticket_list(const TicketListInput& in, SysTime now) {
  Message m;
  if (in.tickets.empty()) {
    m.fallback =
        "No open tickets in this channel. A ticket shows up here once someone posts a status "
        "naming it, e.g. " +
        in.spelling.code("status ENG-42 on track") + ".";
    m.blocks.push_back(Section{{plain(m.fallback)}});
    return m;
  }
  const auto total = in.tickets.size();
  m.fallback = count_of(static_cast<long long>(total), "open ticket", "open tickets") + " in this channel";
  m.blocks.push_back(Section{{bold(m.fallback), plain(", oldest update first:")}});

  const LineWriter writer(in, now);
  const auto shown = std::min(total, ticket_list_max_lines);
  RichText section;
  for (std::size_t i = 0; i < shown; ++i) {
    auto line = writer.line(in.tickets[i]);
    section.insert(section.end(), line.begin(), line.end());
    if ((i + 1) % lines_per_section == 0) m.blocks.push_back(Section{std::exchange(section, {})});
  }
  if (!section.empty()) m.blocks.push_back(Section{std::move(section)});
  if (total > shown) {
    m.blocks.push_back(Context{{plain("…and " + std::to_string(total - shown) + " more, updated more recently. " +
                                      in.spelling.code("ticket KEY") + " shows any one.")}});
  }
  return m;
}

}  // namespace microalign
