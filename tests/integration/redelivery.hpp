// Slack's at-least-once delivery, played over the fake: every envelope sent is remembered until
// the bot acknowledges it, and one its socket took no acknowledgement on is sent again after the
// reconnect, with the same envelope_id and retry_attempt one higher (slack.md: "Not acked →
// Slack redelivers"; dedupe on envelope_id). The fake records what arrived; this is the
// bookkeeping Slack keeps on its side, so a test can kill the bot and still demand everything.
#pragma once

#include <cstddef>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "fake_slack.hpp"

namespace microalign::test {

class Redelivery {
 public:
  explicit Redelivery(FakeSlack& slack) : slack_(slack) {}

  // Sends `envelope` on socket `id` and remembers it until it is acknowledged.
  void send(const nlohmann::json& envelope, int id) {
    outstanding_[envelope.at("envelope_id").get<std::string>()] = envelope;
    slack_.send(id, envelope);
  }

  // The envelope ids acknowledged on any socket so far, as the fake recorded them.
  std::set<std::string> acknowledged() const {
    std::set<std::string> acked;
    for (int id = 1; id <= static_cast<int>(slack_.socket_connections_opened()); ++id) {
      for (const auto& frame : slack_.socket(id).frames) {
        if (frame.json.is_object() && frame.json.contains("envelope_id"))
          acked.insert(frame.json["envelope_id"].get<std::string>());
      }
    }
    return acked;
  }

  // Sends again every envelope still unacknowledged, spread over `sockets`, and returns how many.
  // Only for envelopes whose socket has ended (the bot was killed or stopped): one still being
  // handled would be delivered twice at once, which Slack does not do.
  std::size_t redeliver(const std::vector<int>& sockets) {
    forget_acknowledged();
    std::size_t n = 0;
    for (auto& [envelope_id, envelope] : outstanding_) {
      envelope["retry_attempt"] = envelope.value("retry_attempt", 0) + 1;
      envelope["retry_reason"] = "timeout";
      slack_.send(sockets[n++ % sockets.size()], envelope);
    }
    redelivered_ += n;
    return n;
  }

  std::size_t unacknowledged() {
    forget_acknowledged();
    return outstanding_.size();
  }
  std::size_t redelivered() const { return redelivered_; }

 private:
  void forget_acknowledged() {
    for (const auto& id : acknowledged()) outstanding_.erase(id);
  }

  FakeSlack& slack_;
  std::map<std::string, nlohmann::json> outstanding_;  // by envelope_id
  std::size_t redelivered_ = 0;
};

}  // namespace microalign::test
