// The bot scopes the Slack app needs: what deploy/slack-manifest.yml asks for under
// oauth_config.scopes.bot, and what `microalign doctor` expects the bot token to have. One list:
// tests/slack/scopes_test.cpp reads the manifest and fails when the two differ.
#pragma once

#include <array>
#include <string_view>

namespace microalign::slack {

inline constexpr std::array<std::string_view, 8> required_bot_scopes{
    "commands",           // /heads-up, /status, /microalign
    "chat:write",         // echoes, digests, nudges; private notes (chat.postEphemeral)
    "im:write",           // conversations.open for the nudges' DMs
    "app_mentions:read",  // "@microalign ENG-42 on track"
    "users:read",         // names and time zones (users.info)
    "channels:history",   // thread replies that answer assumptions, in public channels
    "groups:history",     // … and in private ones the bot was invited to
    "reactions:read",     // ✅ on an echo answers an assumption
};

}  // namespace microalign::slack
