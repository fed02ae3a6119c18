#include "microalign/slack/permalink.hpp"

#include <algorithm>

namespace microalign::slack {

std::string permalink(const std::string& workspace_url, const std::string& channel, const std::string& ts,
                      const std::string& thread_ts) {
  if (workspace_url.empty() || channel.empty() || ts.empty()) return {};
  std::string digits = ts;
  std::erase(digits, '.');
  std::string url = workspace_url;
  if (!url.ends_with('/')) url += '/';
  url += "archives/" + channel + "/p" + digits;
  if (!thread_ts.empty() && thread_ts != ts) url += "?thread_ts=" + thread_ts + "&cid=" + channel;
  return url;
}

std::string update_permalink(const std::string& workspace_url, const Update& u) {
  const auto& ts = u.echo_ref.empty() ? u.source_ref : u.echo_ref;
  const auto& thread = !u.where.thread.empty()                ? u.where.thread
                       : u.source == UpdateSource::mention ? u.source_ref
                                                           : std::string{};
  return permalink(workspace_url, u.where.channel, ts, thread);
}

}  // namespace microalign::slack
