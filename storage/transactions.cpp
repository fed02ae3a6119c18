#include "microalign/storage/transactions.hpp"

#include <future>

namespace microalign::storage {

CommitOutcome run_and_wait(Transactions& transactions, Transactions::Work work) {
  std::promise<CommitOutcome> outcome;
  auto done = outcome.get_future();
  transactions.submit(std::move(work), [&outcome](const CommitOutcome& o) { outcome.set_value(o); });
  return done.get();
}

}  // namespace microalign::storage
