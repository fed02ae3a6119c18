// Links to Slack messages, for digests that point at the update behind each line.
#pragma once

#include <string>

#include "microalign/core/model.hpp"

namespace microalign::slack {

// https://acme.slack.com/archives/C123/p1700000000000100 — and, for a reply in a thread,
// ?thread_ts=<parent>&cid=<channel>. Empty when the workspace URL or the ts is unknown.
std::string permalink(const std::string& workspace_url, const std::string& channel, const std::string& ts,
                      const std::string& thread_ts = {});

// Where an update's echo is: a message of its own for a slash command; for a mention, a reply in
// the mention's thread (or in the thread the mention was made in). Empty when not yet posted.
std::string update_permalink(const std::string& workspace_url, const Update&);

}  // namespace microalign::slack
