// The messages microalign shows people about updates: the channel echo and the author's receipts.
#pragma once

#include <string>
#include <vector>

#include "microalign/core/decision.hpp"
#include "microalign/core/message.hpp"
#include "microalign/core/model.hpp"
#include "microalign/core/ticket_links.hpp"

namespace microalign {

// The echo posted to the channel: author (named, never pinged), kind, state, tickets as links,
// and the text exactly as the author wrote it (as rich text, so links keep their labels).
Message render_echo(const Update&, const RichText& body, const std::string& author_name, const TrackerHomes& = {});

// The short private note the author sees when the update is saved.
Message render_receipt(const Update&);

// A decision's echo in the channel, as an update's: "Decision D12 · title", tickets as links,
// what was decided, why and its impact, and its owner (named, never pinged). The decision has
// its id already: the echo is made in the transaction that stored it.
Message render_decision_echo(const Decision&, const std::string& owner_name, const TrackerHomes& = {});

// The private note the owner sees when the decision is saved.
Message render_decision_receipt(const Decision&);

}  // namespace microalign
