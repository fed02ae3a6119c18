// For the operations written as free functions over a Store (channels, digest facts, outbox):
// their errors read like the Store's own, and their writes keep the Store's rule of running
// inside a transaction (a CommitQueue item), so that each is stored whole or not at all.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "error.hpp"
#include "microalign/storage/sqlite_store.hpp"

namespace microalign::storage {

// As guarded(path, …), naming the Store's file (as it was given to SqliteStore::open).
template <typename Fn>
decltype(auto) guarded(SqliteStore& store, std::string_view doing, Fn&& fn) {
  return guarded(store.sql().getFilename(), doing, std::forward<Fn>(fn));
}

// Throws std::logic_error outside a transaction: a programming error, not a storage failure.
inline void require_transaction(SqliteStore& store, std::string_view operation) {
  if (!store.in_transaction()) {
    throw std::logic_error(std::string(operation) + " must run inside a transaction");
  }
}

}  // namespace microalign::storage
