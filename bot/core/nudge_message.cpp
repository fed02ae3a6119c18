#include "microalign/core/nudge_message.hpp"

#include <algorithm>
#include <charconv>

#include "microalign/core/ticket_links.hpp"
#include "microalign/core/labels.hpp"
#include "microalign/core/schedule.hpp"
#include "microalign/core/text.hpp"

namespace microalign {

std::string encode_nudge_button(const NudgeButtonValue& v) {
  return v.channel + ' ' + v.key + ' ' + std::to_string(v.update_id);
}

std::optional<NudgeButtonValue> decode_nudge_button(std::string_view text) {
  const auto first = text.find(' ');
  const auto last = text.rfind(' ');
  if (first == std::string_view::npos || first == 0 || last <= first + 1 || last + 1 >= text.size()) {
    return std::nullopt;
  }
  NudgeButtonValue v;
  v.channel = std::string(text.substr(0, first));
  v.key = std::string(text.substr(first + 1, last - first - 1));
  if (v.key.find(' ') != std::string::npos) return std::nullopt;
  const auto id = text.substr(last + 1);
  const auto [end, error] = std::from_chars(id.data(), id.data() + id.size(), v.update_id);
  if (error != std::errc{} || end != id.data() + id.size() || v.update_id <= 0) return std::nullopt;
  return v;
}

namespace {

constexpr std::size_t note_chars = 120;
constexpr std::size_t max_ticket_url_bytes = 300;  // past this the key is shown unlinked

Span ticket_name(const TicketSnapshot& t, const TrackerHomes& homes) {
  auto url = ticket_url(t.key, t.last_update.parsed.links, homes);
  if (url.empty() || url.size() > max_ticket_url_bytes) return bold(t.key);
  return link(t.key, std::move(url));
}

// "ENG-42 in #eng · 🟢 on track — the note", then "quiet for 4 working days · last update".
Section ticket_section(const std::string& owner, const NudgeCandidate& c, const NudgeDmContext& context,
                       SysTime now) {
  const auto& t = c.ticket;
  RichText text{ticket_name(t, context.ticket_links), plain(" in "), channel_ref(c.channel, c.channel)};
  if (t.state) text.push_back(plain(" · " + current_state_label(*t.state, t.last_update.parsed)));
  if (!t.last_update.parsed.text.empty()) {
    text.push_back(plain(" — " + shortened(t.last_update.parsed.text, note_chars)));
  }
  const int quiet = working_days_between(t.last_update_at, now, context.owner_time_zone, c.channel_holidays);
  text.push_back(plain("\n💤 quiet for " + count_of(quiet, "working day", "working days")));
  if (context.link_to) {
    if (auto url = context.link_to(t.last_update); !url.empty()) {
      text.push_back(plain(" · "));
      text.push_back(link("last update", std::move(url)));
    }
  }
  if (!t.last_update.user.empty() && t.last_update.user != owner) {
    const auto name = context.names.find(t.last_update.user);
    text.push_back(plain(" · from "));
    text.push_back(user_ref(t.last_update.user,
                            name == context.names.end() ? t.last_update.user : name->second, /*mention=*/false));
  }
  return Section{std::move(text)};
}

Actions ticket_buttons(const NudgeCandidate& c) {
  const auto value = encode_nudge_button({c.channel, c.ticket.key, c.ticket.last_update.id});
  const auto button = [&](std::string label, std::string_view action, Button::Style style = Button::Style::normal) {
    return Button{std::move(label), std::string(action), value, style};
  };
  return Actions{{button("Still on track", nudge_action::on_track, Button::Style::primary),
                  button("Post an update", nudge_action::post_update),
                  button("Snooze " + std::to_string(nudge_button_snooze_days) + " days", nudge_action::snooze),
                  button("Done", nudge_action::done)}};
}

}  // namespace

Message render_nudge_dm(const NudgePlan& plan, const NudgeDmContext& context, SysTime now) {
  const auto shown = std::min(plan.tickets.size(), std::max<std::size_t>(context.max_tickets, 1));
  const auto headline = plan.tickets.size() == 1
                            ? plan.tickets.front().ticket.key + " has gone quiet"
                            : std::to_string(plan.tickets.size()) + " of your tickets have gone quiet";
  Message m;
  m.fallback = "👋 " + headline;
  if (plan.tickets.size() > 1) {
    for (std::size_t i = 0; i < shown; ++i) m.fallback += (i == 0 ? ": " : ", ") + plan.tickets[i].ticket.key;
    if (shown < plan.tickets.size()) m.fallback += " and " + std::to_string(plan.tickets.size() - shown) + " more";
  }

  m.blocks.push_back(Section{{plain("👋 Hi! "), bold(headline),
                              plain(". A click below keeps everyone in the loop.")}});
  for (std::size_t i = 0; i < shown; ++i) {
    m.blocks.push_back(ticket_section(plan.owner, plan.tickets[i], context, now));
    m.blocks.push_back(ticket_buttons(plan.tickets[i]));
  }
  if (shown < plan.tickets.size()) {
    m.blocks.push_back(Context{{plain("+" + std::to_string(plan.tickets.size() - shown) + " more — see "),
                                code(context.spelling.spell("tickets")), plain(" in their channels")}});
  }
  return m;
}

bool answer_in_place(Message& dm, std::string_view button_value, const RichText& outcome) {
  for (auto& block : dm.blocks) {
    const auto* actions = std::get_if<Actions>(&block);
    if (!actions || std::ranges::none_of(actions->buttons, [&](const Button& b) { return b.value == button_value; })) {
      continue;
    }
    block = Context{outcome};
    return true;
  }
  return false;
}

}  // namespace microalign
