// Turns libpq's failures into StorageError (or StorageConflict, for a deadlock or a serialization
// failure, which the commit queue runs again), naming the server and the operation.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "microalign/storage/postgres_store.hpp"
#include "pg.hpp"

namespace microalign::storage {

template <typename Fn>
decltype(auto) guarded(const std::string& name, std::string_view doing, Fn&& fn) {
  try {
    return fn();
  } catch (const pg::Error& e) {
    std::string message = name;
    message.append(": ").append(doing).append(": ").append(e.what());
    if (e.conflict()) throw StorageConflict(message);
    throw StorageError(message);
  }
}

template <typename Fn>
decltype(auto) guarded(PostgresStore& store, std::string_view doing, Fn&& fn) {
  return guarded(store.name(), doing, std::forward<Fn>(fn));
}

// Throws std::logic_error outside a transaction: a programming error, not a storage failure.
inline void require_transaction(PostgresStore& store, std::string_view operation) {
  if (!store.in_transaction()) throw std::logic_error(std::string(operation) + " must run inside a transaction");
}

}  // namespace microalign::storage
