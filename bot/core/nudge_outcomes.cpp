#include "microalign/core/nudge_outcomes.hpp"

#include "microalign/core/nudge_message.hpp"

namespace microalign {

RichText render_nudge_answered(NudgeAnswer answer, const std::string& key, const std::string& channel) {
  switch (answer) {
    case NudgeAnswer::still_on_track:
      return {plain("👍 Noted: "), bold(key), plain(" is still on track — posted in "), channel_ref(channel, channel),
              plain(".")};
    case NudgeAnswer::updated:
      return {plain("✏️ Your update on "), bold(key), plain(" is posted in "), channel_ref(channel, channel),
              plain(".")};
    case NudgeAnswer::snoozed:
      return {plain("💤 Snoozed: I won't ask about "), bold(key), plain(" for another " +
              std::to_string(nudge_button_snooze_days) + " days.")};
    case NudgeAnswer::done:
      return {plain("🎉 "), bold(key), plain(" is marked done — posted in "), channel_ref(channel, channel),
              plain(".")};
  }
  return {};
}

RichText render_stale_ticket(StaleTicket why, const std::string& key, const CommandSpelling& spelling) {
  switch (why) {
    case StaleTicket::moved_on:
      return {bold(key), plain(" has had an update since I asked, so there is nothing to answer here. "),
              code(spelling.spell("ticket " + key)), plain(" shows its latest.")};
    case StaleTicket::already_done:
      return {bold(key), plain(" is already done — nothing more to do.")};
    case StaleTicket::unknown:
      return {plain("I can't find "), bold(key), plain(" any more, so I left it as it is.")};
  }
  return {};
}

std::string unknown_button_note(const CommandSpelling& spelling) {
  return "Sorry — that button is from a message I can no longer act on. " + spelling.code("tickets") +
         " shows where this channel's tickets stand.";
}

}  // namespace microalign
