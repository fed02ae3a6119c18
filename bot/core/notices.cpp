#include "microalign/core/notices.hpp"

namespace microalign {

Message render_cannot_post(const std::string& channel, const std::string& error, const CommandSpelling& spelling) {
  const std::string why = "the platform said " + error;
  const std::string fix = "If I'm not a member there, add me with " + spelling.add_the_bot +
                          " in that channel; if it was archived or deleted, turn its digest off with " +
                          spelling.spell("digest off");
  Message m;
  m.fallback = "I couldn't post in a channel you set up (" + why + "). " + fix + ".";
  m.blocks.push_back(Section{
      {plain("⚠️ I couldn't post in "), channel_ref(channel, channel), plain(" (" + why + "). " + fix + ".")}});
  return m;
}

Message render_not_saved() {
  const std::string text =
      "Sorry — I couldn't save that update, so it was not recorded. Please try again in a moment.";
  return Message{text, {Section{{plain("⚠️ "), plain(text)}}}};
}

Message render_nothing_changed() {
  return render_refusal("Sorry — I couldn't save that, so nothing changed. Please try again in a moment.");
}

Message render_refusal(const std::string& why) {
  return Message{why, {Section{{plain(why)}}}};
}

Message render_invite_hint(const CommandSpelling& spelling) {
  const std::string text =
      "I can't post in this channel, so I shared your update through the command instead. "
      "To let me post echoes and digests here, add me with " +
      spelling.add_the_bot + ".";
  return Message{text, {Section{{plain(text)}}}};
}

}  // namespace microalign
