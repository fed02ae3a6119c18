// The log of updates: each update with its tickets and links, the platform events already
// handled (so a redelivery is stored once), and where each update's echo was posted.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "microalign/core/model.hpp"

namespace microalign::storage {

// The `{}`s let callers name only what they filter on ({.channel = "C1"}) without a warning.
struct ExportFilter {
  std::string team{};              // empty: every workspace
  std::string channel{};           // empty: every channel
  std::optional<SysTime> since{};  // created_at >= since
};

struct InsertResult {
  std::int64_t update_id = 0;
  bool duplicate = false;  // the event id was already stored: nothing was written
};

class Updates {
 public:
  // Stores the update with its tickets and links, and updates each ticket's summary row
  // (channel and last update always; last state when the update names one; owner = author when
  // it is a status update). When `event_id` is non-empty it is recorded as seen (at the
  // update's created_at) in the same transaction; an event id seen before writes nothing and
  // returns duplicate = true with the id of the update it produced (0 if none).
  virtual InsertResult insert_update(const Update&, std::string_view event_id = {}) = 0;

  // Marks an event id as seen without an update (e.g. an event that carried nothing to store).
  // Returns false when it was already seen.
  virtual bool mark_event_seen(std::string_view event_id, SysTime at) = 0;

  // Forgets event ids seen before `older_than`; returns how many. Platforms redeliver within
  // minutes, so keeping a few days is plenty and keeps the table small.
  virtual std::size_t prune_seen_events(SysTime older_than) = 0;

  virtual void set_echo_ref(std::int64_t update_id, std::string_view ref) = 0;

  virtual std::optional<Update> find_update(std::int64_t id) = 0;

  // Every stored update matching the filter, oldest first (by id), tickets and links included.
  virtual std::vector<Update> updates(const ExportFilter&) = 0;

 protected:
  ~Updates() = default;
};

}  // namespace microalign::storage
