// What the bot says once a nudge DM's button or form is answered: the line that replaces the
// ticket's buttons in the DM, and the private notes for buttons that are out of date.
#pragma once

#include <string>

#include "microalign/core/message.hpp"
#include "microalign/core/spelling.hpp"

namespace microalign {

enum class NudgeAnswer { still_on_track, updated, snoozed, done };

// "👍 Noted: ENG-42 is still on track — posted in #web." for the DM, in place of the buttons.
RichText render_nudge_answered(NudgeAnswer, const std::string& key, const std::string& channel);

// Why a button no longer applies, said in the DM in place of the buttons (and privately to
// whoever clicked): the ticket moved on since the nudge, is done already, or is unknown.
enum class StaleTicket { moved_on, already_done, unknown };
RichText render_stale_ticket(StaleTicket, const std::string& key, const CommandSpelling&);

// A button this version cannot read (another app's, or from an older format).
std::string unknown_button_note(const CommandSpelling&);

}  // namespace microalign
