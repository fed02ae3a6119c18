// The messages microalign shows people about updates: the channel echo and the author's receipts.
#pragma once

#include <string>
#include <vector>

#include "microalign/core/message.hpp"
#include "microalign/core/model.hpp"
#include "microalign/core/ticket_links.hpp"

namespace microalign {

// The echo posted to the channel: author (named, never pinged), kind, state, tickets as links,
// and the text exactly as the author wrote it (as rich text, so links keep their labels).
Message render_echo(const Update&, const RichText& body, const std::string& author_name, const TrackerHomes& = {});

// The short private note the author sees when the update is saved.
Message render_receipt(const Update&);

}  // namespace microalign
