// The decision log: each decision with its tickets and links, which decision it supersedes, and
// the platform event it came in (so a redelivery is stored once, as for updates).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "microalign/core/decision.hpp"
#include "microalign/storage/updates.hpp"

namespace microalign::storage {

struct DecisionInsertResult {
  std::int64_t decision_id = 0;
  bool duplicate = false;           // the event id was already stored: nothing was written
  bool unknown_superseded = false;  // it supersedes no decision of its team: nothing was written
};

class Decisions {
 public:
  // Stores the decision with its tickets and links. A decision it supersedes must be one of the
  // same team; when it is not, nothing is written and unknown_superseded says so. `event_id`
  // as for insert_update: recorded as seen in the same transaction, and one seen before writes
  // nothing and returns duplicate = true with the id of the decision it produced (0 if none).
  virtual DecisionInsertResult insert_decision(const Decision&, std::string_view event_id = {}) = 0;

  // With `superseded_by` filled in: the newest decision superseding it, if any.
  virtual std::optional<Decision> find_decision(std::int64_t id) = 0;

  // Every decision matching the filter, oldest first (by id), tickets and links included.
  virtual std::vector<Decision> decisions(const ExportFilter&) = 0;

  // The team's decisions naming the ticket, newest first.
  virtual std::vector<Decision> ticket_decisions(const std::string& team, const std::string& key) = 0;

 protected:
  ~Decisions() = default;
};

}  // namespace microalign::storage
