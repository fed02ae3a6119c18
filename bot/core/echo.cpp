#include "microalign/core/echo.hpp"

#include <string_view>

#include "microalign/core/labels.hpp"

namespace microalign {
namespace {

// "status · on track · ENG-42": the words of the headline, for receipts and fallbacks.
std::string summary(const ParsedUpdate& p) {
  std::string out(to_string(p.kind));
  if (p.state) out += " · " + std::string(to_string(*p.state));
  for (const auto& t : p.tickets) out += " · " + t;
  return out;
}

RichText headline(const Update& u, const TrackerHomes& homes) {
  RichText line{bold(std::string(kind_label(u.parsed.kind)))};
  if (const auto& p = u.parsed; p.state) {
    line.push_back(plain(" · " + state_label(*p.state, p.delay_days, p.blocked_on)));
  }
  for (const auto& ticket : u.parsed.tickets) {
    line.push_back(plain(" · "));
    auto url = ticket_url(ticket, u.parsed.links, homes);
    line.push_back(url.empty() ? bold(ticket) : link(ticket, url));
  }
  return line;
}

// "Decision D12 · Storage · supersedes D9 · ENG-42"
RichText decision_headline(const Decision& d, const TrackerHomes& homes) {
  RichText line{bold("🧭 Decision " + decision_label(d.id)), plain(" · " + d.parsed.title)};
  if (d.parsed.supersedes) line.push_back(plain(" · supersedes " + decision_label(*d.parsed.supersedes)));
  for (const auto& ticket : d.parsed.tickets) {
    line.push_back(plain(" · "));
    auto url = ticket_url(ticket, d.parsed.links, homes);
    line.push_back(url.empty() ? bold(ticket) : link(ticket, url));
  }
  return line;
}

}  // namespace

Message render_echo(const Update& u, const RichText& body, const std::string& author_name, const TrackerHomes& homes) {
  RichText byline{plain("from "), user_ref(u.user, author_name, false)};
  if (u.parsed.kind == UpdateKind::assumption) {
    byline.push_back(plain(" · reply in the thread or react ✅ to answer it"));
  }
  Message m;
  m.fallback = std::string(kind_label(u.parsed.kind)) + " from @" +
               (author_name.empty() ? u.user : author_name) + ": " + u.parsed.text;
  m.blocks.push_back(Section{headline(u, homes)});
  m.blocks.push_back(Section{body});
  m.blocks.push_back(Context{byline});
  return m;
}

Message render_decision_echo(const Decision& d, const std::string& owner_name, const TrackerHomes& homes) {
  const auto& p = d.parsed;
  RichText body{bold("Decided: "), plain(p.decision), plain("\n"), bold("Because: "), plain(p.rationale)};
  if (!p.impact.empty()) body.insert(body.end(), {plain("\n"), bold("Impact: "), plain(p.impact)});
  Message m;
  m.fallback = "Decision " + decision_label(d.id) + " from @" + (owner_name.empty() ? d.owner : owner_name) + ": " +
               p.title + " — " + p.decision;
  m.blocks.push_back(Section{decision_headline(d, homes)});
  m.blocks.push_back(Section{body});
  m.blocks.push_back(Context{{plain("owner "), user_ref(d.owner, owner_name, false)}});
  return m;
}

Message render_decision_receipt(const Decision& d) {
  const auto summary = "decision " + decision_label(d.id) + " · " + d.parsed.title;
  Message m;
  m.fallback = "Saved: " + summary;
  m.blocks.push_back(Section{{plain("✓ Saved — "), bold(summary)}});
  return m;
}

Message render_receipt(const Update& u) {
  Message m;
  m.fallback = "Saved: " + summary(u.parsed);
  RichText text{plain("✓ Saved — "), bold(summary(u.parsed))};
  if (u.parsed.kind == UpdateKind::status && !u.parsed.state) {
    text.push_back(plain(
        ". No state recognised, so it is stored as a plain update; say on track, at risk, "
        "delayed (+2d), blocked on …, or done to set one."));
  }
  m.blocks.push_back(Section{text});
  return m;
}

}  // namespace microalign
