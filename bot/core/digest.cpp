#include "microalign/core/digest.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include <date/tz.h>

#include "microalign/core/ticket_links.hpp"
#include "microalign/core/labels.hpp"
#include "microalign/core/schedule.hpp"
#include "microalign/core/text.hpp"
#include "microalign/core/tracker_summary.hpp"

namespace microalign {
namespace {

// How much of people's text a one-line item shows.
constexpr std::size_t note_chars = 120;
// A tracker URL pasted by a user can be arbitrarily long; past this the key is shown unlinked,
// so that one line can never outgrow a block.
constexpr std::size_t max_ticket_url_bytes = 300;

// Sections are cut at a generous estimate of their rendered size (see rendered_size) and
// messages at the platform's block count (DigestOptions), so no platform limit is ever reached.
constexpr std::size_t max_lines_per_block = 10;

// ---- Text ---------------------------------------------------------------------------------------

// An upper bound of the bytes a span takes once rendered: escaping turns `&` into five bytes and
// `<`, `>` into four, and link or style markup adds a few bytes around the label and URL.
std::size_t rendered_size(std::string_view text) {
  std::size_t size = text.size();
  for (const char c : text) {
    if (c == '&') size += 4;
    if (c == '<' || c == '>') size += 3;
  }
  return size;
}

std::size_t rendered_size(const RichText& text) {
  constexpr std::size_t markup = 4;
  std::size_t size = 0;
  for (const auto& span : text) size += rendered_size(span.text) + rendered_size(span.url) + markup;
  return size;
}

// "(+3)", "(−1)", "(0)": the change since the previous digest.
std::string change(int now, int before) {
  const int d = now - before;
  if (d > 0) return "(+" + std::to_string(d) + ")";
  if (d < 0) return "(−" + std::to_string(-d) + ")";
  return "(0)";
}

// ---- Calendar -----------------------------------------------------------------------------------

// Calendar days as the channel lives them: in its time zone, or in UTC.
class Calendar {
 public:
  explicit Calendar(const std::string& time_zone)
      : zone_(time_zone.empty() || time_zone == "UTC" ? nullptr : &zone_or_utc(time_zone)) {}

  date::local_days day_of(SysTime t) const {
    if (!zone_) return date::local_days{date::floor<date::days>(t).time_since_epoch()};
    return date::floor<date::days>(zone_->to_local(t));
  }

  // Whole calendar days from `from` to `to`: 0 on the same day.
  int days_between(SysTime from, SysTime to) const {
    return std::max(0, (day_of(to) - day_of(from)).count());
  }

  // "Mon 23 Nov"
  std::string date_label(SysTime t) const { return day_label(day_of(t)); }

  static std::string day_label(date::local_days day) {
    static constexpr std::array weekdays{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr std::array months{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const date::year_month_day ymd{day};
    return std::string(weekdays[date::weekday{day}.c_encoding()]) + " " +
           std::to_string(static_cast<unsigned>(ymd.day())) + " " +
           months[static_cast<unsigned>(ymd.month()) - 1];
  }

 private:
  const date::time_zone* zone_;  // nullptr stands for UTC, which needs no time zone database
};

std::string days(int n) { return count_of(n, "day", "days"); }

date::local_days local_day(std::chrono::year_month_day d) {
  return date::local_days{std::chrono::sys_days{d}.time_since_epoch()};
}

// "Mon 23 Nov" for a daily window, "Mon 16 Nov – Mon 23 Nov" for a longer one.
std::string window_label(const DigestInput& in, const Calendar& calendar) {
  // A day plus an hour: a daily window across a DST change is still one day.
  constexpr auto about_a_day = std::chrono::hours(25);
  auto end = calendar.date_label(in.window_end);
  if (in.window_end - in.window_start <= about_a_day) return end;
  return calendar.date_label(in.window_start) + " – " + end;
}

// ---- Facts --------------------------------------------------------------------------------------

bool in_channel(const Update& u, const DigestInput& in) { return u.where.channel == in.channel; }

// A ticket the window's updates named, and the update that tells its latest state (its latest
// update when none of them states one).
struct TicketNews {
  std::string_view key;
  const Update* update = nullptr;
  std::size_t position = 0;  // of `update` in the window, for ordering
};

// One ticket's tracker activity in the window, oldest first.
struct TrackerNews {
  std::string_view key;
  std::vector<TrackerActivity> activity;
};

// Everything the digest says, from this channel only, gathered in one pass over the window.
struct Facts {
  std::vector<const Update*> updates;  // oldest first
  int people = 0;
  std::vector<TicketNews> tickets;       // newest news first
  std::vector<const Update*> heads_ups;  // heads-ups and questions, newest first
  std::vector<const TicketSnapshot*> troubled;
  std::vector<const Update*> assumptions;
  std::vector<const TicketSnapshot*> quiet;  // those quiet after a reminder first
  std::vector<const TicketSnapshot*> owner_away;
  std::vector<TrackerNews> tracker;  // the most recently active ticket first
  std::vector<const Decision*> decisions;  // newest first
};

void note_ticket(std::unordered_map<std::string_view, std::size_t>& index,
                 std::vector<TicketNews>& tickets, std::string_view key, const Update& u,
                 std::size_t position) {
  const auto [at, added] = index.try_emplace(key, tickets.size());
  if (added) {
    tickets.push_back(TicketNews{key, &u, position});
    return;
  }
  auto& news = tickets[at->second];
  if (u.parsed.state || !news.update->parsed.state) news = TicketNews{key, &u, position};
}

void gather_window(const DigestInput& in, Facts& facts) {
  std::unordered_set<std::string_view> authors;
  std::unordered_map<std::string_view, std::size_t> ticket_index;
  for (const auto& u : in.updates) {
    if (!in_channel(u, in)) continue;
    const auto position = facts.updates.size();
    facts.updates.push_back(&u);
    authors.insert(u.user);
    for (const auto& key : u.parsed.tickets)
      note_ticket(ticket_index, facts.tickets, key, u, position);
    const auto kind = u.parsed.kind;
    if (kind == UpdateKind::heads_up || kind == UpdateKind::question) facts.heads_ups.push_back(&u);
  }
  facts.people = static_cast<int>(authors.size());
  std::ranges::stable_sort(facts.tickets, std::ranges::greater{}, &TicketNews::position);
  std::ranges::reverse(facts.heads_ups);
}

template <typename T, typename Keep>
std::vector<const T*> pointers_to(const std::vector<T>& items, Keep keep) {
  std::vector<const T*> out;
  for (const auto& item : items) {
    if (keep(item)) out.push_back(&item);
  }
  return out;
}

// The owners still away at the end of the window: their return date not yet passed where they are.
std::unordered_set<std::string_view> owners_still_away(const DigestInput& in) {
  std::unordered_set<std::string_view> away;
  for (const auto& [user, owner] : in.away) {
    if (local_day(owner.until) >= Calendar(owner.time_zone).day_of(in.window_end)) away.insert(user);
  }
  return away;
}

void gather_tracker_activity(const DigestInput& in, Facts& facts) {
  std::unordered_map<std::string_view, std::size_t> index;
  for (const auto& a : in.tracker_activity) {
    if (a.tickets.empty()) continue;
    const auto [at, added] = index.try_emplace(a.tickets.front(), facts.tracker.size());
    if (added) facts.tracker.push_back(TrackerNews{a.tickets.front(), {}});
    facts.tracker[at->second].activity.push_back(a);
  }
  std::ranges::stable_sort(facts.tracker, std::ranges::greater{},
                           [](const TrackerNews& n) { return n.activity.back().at; });
}

Facts gather(const DigestInput& in) {
  Facts facts;
  gather_window(in, facts);
  gather_tracker_activity(in, facts);
  const auto snapshot_here = [&](const TicketSnapshot& t) { return in_channel(t.last_update, in); };
  facts.troubled = pointers_to(in.troubled, snapshot_here);
  const auto away = owners_still_away(in);
  for (const auto* t : pointers_to(in.quiet, snapshot_here)) {
    (away.contains(t->owner) ? facts.owner_away : facts.quiet).push_back(t);
  }
  // The iterator form: clang 14 (the fuzz build's compiler) cannot instantiate
  // std::ranges::stable_partition with libstdc++ 12.
  std::stable_partition(facts.quiet.begin(), facts.quiet.end(),
                        [&](const TicketSnapshot* t) { return in.reminded.contains(t->key); });
  facts.assumptions =
      pointers_to(in.open_assumptions, [&](const Update& u) { return in_channel(u, in); });
  facts.decisions = pointers_to(in.decisions, [&](const Decision& d) { return d.where.channel == in.channel; });
  std::ranges::reverse(facts.decisions);
  return facts;
}

// ---- Lines --------------------------------------------------------------------------------------

// Writes the one-line items of each section. People are named, never pinged; people's text only
// ever goes into plain spans.
class LineWriter {
 public:
  LineWriter(const DigestInput& in, const Calendar& calendar, const TrackerHomes& ticket_links)
      : in_(in), calendar_(calendar), ticket_links_(ticket_links) {}

  RichText troubled(const TicketSnapshot& t) const {
    RichText line = ticket_start(t.key, t.last_update);
    if (t.state) {
      line.push_back(plain(" · " + current_state_label(*t.state, t.last_update.parsed)));
      const int d = calendar_.days_between(t.state_since, in_.window_end);
      line.push_back(plain(d == 0 ? " · since today" : " · for " + days(d)));
    }
    add_note(line, t.last_update);
    add_owner(line, t.owner);
    add_view(line, t.last_update);
    return line;
  }

  RichText assumption(const Update& u) const {
    RichText line{plain("• " + shortened(u.parsed.text, note_chars))};
    add_author(line, u);
    const int d = calendar_.days_between(u.created_at, in_.window_end);
    line.push_back(plain(d == 0 ? " · posted today" : " · " + days(d) + " old"));
    add_view(line, u);
    return line;
  }

  // Moved and done tickets: the update that gave the ticket's latest state.
  RichText news(const TicketNews& n) const {
    const auto& p = n.update->parsed;
    RichText line = ticket_start(std::string(n.key), *n.update);
    if (p.state && p.state != TicketState::done) {
      line.push_back(plain(" · " + stated_state_label(p)));
    }
    add_note(line, *n.update);
    add_author(line, *n.update);
    add_view(line, *n.update);
    return line;
  }

  RichText quiet(const TicketSnapshot& t) const {
    RichText line = ticket_start(t.key, t.last_update);
    if (in_.reminded.contains(t.key)) line.push_back(plain(" · ⏰ quiet after a reminder"));
    add_quiet_for(line, t);
    add_owner(line, t.owner);
    return line;
  }

  // A quiet ticket whose owner is away (gather checked `in_.away` has them).
  RichText owner_away(const TicketSnapshot& t) const {
    RichText line = ticket_start(t.key, t.last_update);
    add_quiet_for(line, t);
    add_owner(line, t.owner);
    const auto back = Calendar::day_label(local_day(in_.away.at(t.owner).until));
    line.push_back(plain(", back after " + back));
    return line;
  }

  // "D12 · Storage — we use PostgreSQL · supersedes D9 · owner Ana"
  RichText decision(const Decision& d) const {
    RichText line{plain("• "), bold(decision_label(d.id)), plain(" · " + shortened(d.parsed.title, note_chars)),
                  plain(" — " + shortened(d.parsed.decision, note_chars))};
    if (d.parsed.supersedes) line.push_back(plain(" · supersedes " + decision_label(*d.parsed.supersedes)));
    if (d.superseded_by) line.push_back(plain(" · superseded by " + decision_label(*d.superseded_by)));
    add_owner(line, d.owner);
    return line;
  }

  RichText tracker(const TrackerNews& n) const {
    std::vector<std::string> urls;
    for (const auto& a : n.activity) urls.push_back(a.url);
    const std::string key(n.key);
    auto url = ticket_url(key, urls, ticket_links_);
    if (url.size() > max_ticket_url_bytes) url.clear();
    return {plain("• "), url.empty() ? bold(key) : link(key, std::move(url)),
            plain(" — " + summarize_tracker_activity(n.activity))};
  }

  RichText heads_up(const Update& u) const {
    RichText line{plain("• " + std::string(kind_label(u.parsed.kind)) + ": " +
                        shortened(u.parsed.text, note_chars))};
    add_author(line, u);
    add_view(line, u);
    return line;
  }

 private:
  RichText ticket_start(const std::string& key, const Update& source) const {
    auto url = ticket_url(key, source.parsed.links, ticket_links_);
    if (url.size() > max_ticket_url_bytes) url.clear();
    return {plain("• "), url.empty() ? bold(key) : link(key, std::move(url))};
  }

  void add_quiet_for(RichText& line, const TicketSnapshot& t) const {
    if (t.state) line.push_back(plain(" · " + current_state_label(*t.state, t.last_update.parsed)));
    const int d = calendar_.days_between(t.last_update_at, in_.window_end);
    line.push_back(plain(d == 0 ? " · last update today" : " · no update for " + days(d)));
  }

  static void add_note(RichText& line, const Update& u) {
    if (u.parsed.text.empty()) return;
    line.push_back(plain(" — " + shortened(u.parsed.text, note_chars)));
  }

  void add_owner(RichText& line, const std::string& owner) const {
    if (owner.empty()) return;
    line.push_back(plain(" · owner "));
    line.push_back(person(owner));
  }

  void add_author(RichText& line, const Update& u) const {
    line.push_back(plain(" · from "));
    line.push_back(person(u.user));
  }

  void add_view(RichText& line, const Update& u) const {
    if (!in_.link_to) return;
    if (auto url = in_.link_to(u); !url.empty()) {
      line.push_back(plain(" · "));
      line.push_back(link("view", std::move(url)));
    }
  }

  Span person(const std::string& id) const {
    const auto found = in_.names.find(id);
    return user_ref(id, found == in_.names.end() ? id : found->second, /*mention=*/false);
  }

  const DigestInput& in_;
  const Calendar& calendar_;
  const TrackerHomes& ticket_links_;
};

// ---- Sections -----------------------------------------------------------------------------------

// One section of the digest: its title, its shown lines ("+N more" included), and how the
// threaded summary counts it ("2 blocked").
struct Part {
  std::string title;
  std::string tally;
  std::vector<RichText> lines;
};

// The first `limit` items as lines, then "+N more". Only shown items are written, so a channel
// with thousands of tickets costs no more than one with a handful.
template <typename Item, typename LineOf>
Part listed(std::string title, std::string tally, const std::vector<Item>& items, std::size_t limit,
            LineOf line_of) {
  Part part{std::move(title), std::move(tally), {}};
  const auto shown = std::min(items.size(), limit);
  for (std::size_t i = 0; i < shown; ++i) part.lines.push_back(line_of(*items[i]));
  if (items.size() > shown) {
    part.lines.push_back({italic("+" + std::to_string(items.size() - shown) + " more")});
  }
  return part;
}

int size_of(const auto& items) { return static_cast<int>(items.size()); }

std::vector<Part> sections(const DigestInput& in, const DigestOptions& options, const Facts& facts,
                           const LineWriter& write) {
  const auto limit = static_cast<std::size_t>(std::max(1, options.items_per_section));
  std::unordered_set<std::string_view> troubled_keys;
  for (const auto* t : facts.troubled) troubled_keys.insert(t->key);
  std::vector<const TicketNews*> moved;
  std::vector<const TicketNews*> done;
  for (const auto& news : facts.tickets) {
    if (news.update->parsed.state == TicketState::done) {
      done.push_back(&news);
    } else if (!troubled_keys.contains(news.key)) {
      // Tickets listed under Blocked already say their latest state there: not repeated here.
      moved.push_back(&news);
    }
  }

  const auto quiet_title = "💤 Gone quiet · no update for " +
                           count_of(in.quiet_threshold_days, "working day", "working days") +
                           " or more";
  std::vector<Part> parts{
      listed("🚧 Blocked, delayed or at risk", std::to_string(size_of(facts.troubled)) + " blocked", facts.troubled,
             limit, [&](const auto& t) { return write.troubled(t); }),
      listed("🤔 Open assumptions, not answered yet",
             count_of(size_of(facts.assumptions), "open assumption", "open assumptions"), facts.assumptions, limit,
             [&](const auto& u) { return write.assumption(u); }),
      listed("📍 Moved", std::to_string(size_of(moved)) + " moved", moved, limit,
             [&](const auto& n) { return write.news(n); }),
      listed("🛠 In the trackers", count_of(size_of(facts.tracker), "ticket active", "tickets active"),
             pointers_to(facts.tracker, [](const TrackerNews&) { return true; }), limit,
             [&](const auto& n) { return write.tracker(n); }),
      listed(quiet_title, std::to_string(size_of(facts.quiet)) + " quiet", facts.quiet, limit,
             [&](const auto& t) { return write.quiet(t); }),
      listed("🌴 Quiet while the owner is away", std::to_string(size_of(facts.owner_away)) + " with owner away",
             facts.owner_away, limit, [&](const auto& t) { return write.owner_away(t); }),
      listed("✅ Done", std::to_string(size_of(done)) + " done", done, limit,
             [&](const auto& n) { return write.news(n); }),
      listed("🧭 Decisions", count_of(size_of(facts.decisions), "decision", "decisions"),
             facts.decisions, limit, [&](const auto& d) { return write.decision(d); }),
      listed("📣 Heads-ups and questions",
             count_of(size_of(facts.heads_ups), "heads-up or question", "heads-ups and questions"), facts.heads_ups,
             limit, [&](const auto& u) { return write.heads_up(u); }),
  };
  std::erase_if(parts, [](const Part& p) { return p.lines.empty(); });
  return parts;
}

// ---- Header -------------------------------------------------------------------------------------

DigestCounts counts_of(const Facts& facts) {
  DigestCounts c;
  c.updates = size_of(facts.updates);
  c.people = facts.people;
  c.tickets_moved = size_of(facts.tickets);
  c.blocked = size_of(facts.troubled);
  c.quiet = size_of(facts.quiet);
  return c;
}

// "12 updates (+3) · 5 people (−1) · 7 tickets moved (+2) · 2 blocked (+1) · 3 quiet (0)"
std::string figures(const DigestCounts& now, const std::optional<DigestCounts>& before) {
  const auto figure = [&](int DigestCounts::*field, std::string_view one, std::string_view many) {
    auto out = count_of(now.*field, one, many);
    if (before) out += " " + change(now.*field, (*before).*field);
    return out;
  };
  return figure(&DigestCounts::updates, "update", "updates") + " · " +
         figure(&DigestCounts::people, "person", "people") + " · " +
         figure(&DigestCounts::tickets_moved, "ticket moved", "tickets moved") + " · " +
         figure(&DigestCounts::blocked, "blocked", "blocked") + " · " +
         figure(&DigestCounts::quiet, "quiet", "quiet");
}

// "2 blocked · 1 open assumption · 3 quiet — details in the thread"
std::string tallies(const std::vector<Part>& parts) {
  std::string out;
  for (const auto& part : parts) out += (out.empty() ? "" : " · ") + part.tally;
  return out + " — details in the thread";
}

// ---- Layout -------------------------------------------------------------------------------------

// Packs blocks into messages of bounded length, and sections' lines into Section blocks of
// bounded size. A line is never split; a section that goes on in a new message says so in a
// repeated title, so each message reads on its own.
class Layout {
 public:
  Layout(std::string continued_fallback, const DigestOptions& options)
      : continued_fallback_(std::move(continued_fallback)),
        block_budget_(options.max_section_bytes),
        max_blocks_(static_cast<std::size_t>(std::max(options.max_blocks, 3))) {}

  void start_message(std::string fallback) {
    messages_.push_back(Message{std::move(fallback), {}});
  }

  void add_block(Block block) {
    if (room() == 0) start_message(continued_fallback_);
    messages_.back().blocks.push_back(std::move(block));
  }

  void add(const Part& part) {
    const auto continued_title = part.title + " (continued)";
    const auto budget = block_budget_ - std::min(block_budget_, rendered_size(continued_title) + 1);
    // Dividers set sections apart within a message; a new message needs none, nor one alone.
    if (room() < 2) start_message(continued_fallback_);
    if (!messages_.back().blocks.empty()) add_block(Divider{});

    RichText block{bold(part.title)};
    std::size_t lines = 0;
    std::size_t size = 0;
    for (const auto& line : part.lines) {
      const auto line_size = rendered_size(line) + 1;
      if (lines == max_lines_per_block || (lines > 0 && size + line_size > budget)) {
        add_block(Section{std::move(block)});
        block = room() == 0 ? RichText{bold(continued_title)} : RichText{};
        lines = 0;
        size = 0;
      }
      if (!block.empty()) block.push_back(plain("\n"));
      block.insert(block.end(), line.begin(), line.end());
      ++lines;
      size += line_size;
    }
    add_block(Section{std::move(block)});
  }

  std::vector<Message> finish() && {
    std::erase_if(messages_, [](const Message& m) { return m.blocks.empty(); });
    return std::move(messages_);
  }

 private:
  std::size_t room() const {
    return messages_.empty() ? 0 : max_blocks_ - messages_.back().blocks.size();
  }

  std::string continued_fallback_;
  std::size_t block_budget_;  // rendered bytes a section may take
  std::size_t max_blocks_;    // blocks a message may hold (three at least: a title, a divider, a line)
  std::vector<Message> messages_;
};

}  // namespace

Digest build_digest(const DigestInput& in, const DigestOptions& options) {
  const auto facts = gather(in);
  Digest digest;
  digest.counts = counts_of(facts);
  digest.threaded = options.threaded;
  // Nothing to say: no update, no tracker activity, no decision, nothing quiet.
  if (facts.updates.empty() && facts.tracker.empty() && digest.counts.quiet == 0 && facts.decisions.empty()) {
    return digest;
  }

  const Calendar calendar(in.time_zone);
  const LineWriter write(in, calendar, options.ticket_links);
  const auto parts = sections(in, options, facts, write);
  const auto window = window_label(in, calendar);
  const auto header = figures(digest.counts, in.previous);

  Layout layout("Digest for " + window + " (continued)", options);
  layout.start_message("Digest for " + window + " — " + header);
  layout.add_block(Section{{bold("Digest · " + window), plain("\n" + header)}});
  if (options.threaded && !parts.empty()) {
    layout.add_block(Section{{plain(tallies(parts))}});
    layout.start_message("Digest for " + window + " (details)");
  }
  for (const auto& part : parts) layout.add(part);
  digest.messages = std::move(layout).finish();
  return digest;
}

std::string to_text(const Digest& digest) {
  const std::string between_messages =
      digest.threaded ? "\n\n--- thread reply ---\n\n" : "\n\n--- continued ---\n\n";
  std::string out;
  for (std::size_t m = 0; m < digest.messages.size(); ++m) {
    if (m > 0) out += between_messages;
    bool first_block = true;
    for (const auto& block : digest.messages[m].blocks) {
      std::string text;
      if (const auto* section = std::get_if<Section>(&block)) text = to_plain_text(section->text);
      if (const auto* context = std::get_if<Context>(&block)) text = to_plain_text(context->text);
      if (text.empty()) continue;
      if (!first_block) out += "\n\n";
      out += text;
      first_block = false;
    }
  }
  return out;
}

}  // namespace microalign
