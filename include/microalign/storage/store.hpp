// The storage port: everything the use cases read and write, as one interface per concern, and
// the Store that is all of them. An engine (SQLite, PostgreSQL: engine.hpp) implements Store; the
// use cases see nothing else of it.
//
// A Store is used inside a transaction that the engine runs (see transactions.hpp): every
// write must happen in one, so that what a use case writes together is stored whole or not at
// all — outside one, writes throw std::logic_error. Times are the caller's clock.
#pragma once

#include <stdexcept>
#include <string_view>

#include "microalign/storage/channels.hpp"
#include "microalign/storage/decisions.hpp"
#include "microalign/storage/digest_facts.hpp"
#include "microalign/storage/interactive_messages.hpp"
#include "microalign/storage/nudges.hpp"
#include "microalign/storage/outbox.hpp"
#include "microalign/storage/people.hpp"
#include "microalign/storage/routes.hpp"
#include "microalign/storage/tracker_log.hpp"
#include "microalign/storage/updates.hpp"

namespace microalign::storage {

// A database operation failed. The message names the database, what was being done and the
// engine's reason (never the data), so it can go straight into a start-up error or a log line.
struct StorageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The work collided with another transaction (PostgreSQL found a deadlock, or could not
// serialize it) and was undone: running it again from the start is expected to succeed. Replicas
// writing the same rows at once meet this now and then; the commit queue runs the batch again.
struct StorageConflict : StorageError {
  using StorageError::StorageError;
};

class Store : public Updates,
              public Channels,
              public DigestFacts,
              public Outbox,
              public People,
              public Nudges,
              public InteractiveMessages,
              public Routes,
              public TrackerLog,
              public Decisions {
 public:
  virtual ~Store() = default;

  // True when no other replica's transaction holds `job`; this transaction then holds it until
  // it ends. For work that one replica at a time should do (housekeeping). SQLite's transactions
  // write one at a time anyway: there it is always true.
  virtual bool claim_job(std::string_view job) = 0;
};

}  // namespace microalign::storage
