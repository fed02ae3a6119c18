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

}  // namespace microalign
