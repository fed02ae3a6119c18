#include "microalign/core/notices.hpp"

namespace microalign {

Message render_cannot_post(const std::string& channel, const std::string& error,
                           const std::string& bot_name) {
  const bool not_member = error == "not_in_channel";
  const std::string what = not_member ? "I'm not a member there" : "Slack said " + error;
  const std::string fix = not_member
                              ? "Invite me with /invite @" + bot_name + " in that channel"
                              : "If the channel was archived or deleted, turn its digest off with /microalign digest off";
  Message m;
  m.fallback = "I couldn't post in a channel you set up (" + what + "). " + fix + ".";
  m.blocks.push_back(Section{{plain("⚠️ I couldn't post in "), channel_ref(channel, channel),
                              plain(" (" + what + "). " + fix + ".")}});
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

Message render_invite_hint(const std::string& bot_name) {
  const std::string text =
      "I can't post in this channel, so I shared your update through the command instead. "
      "To let me post echoes and digests here, invite me with /invite @" + bot_name + ".";
  return Message{text, {Section{{plain(text)}}}};
}

}  // namespace microalign
