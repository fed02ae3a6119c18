// Writes in the tests run in a transaction of their own, as a CommitQueue item's would.
#pragma once

#include <type_traits>

#include "microalign/storage/engine.hpp"
#include "microalign/storage/sqlite_store.hpp"

namespace microalign::storage::test {

// Runs `fn` inside a transaction and commits; rolls back when it throws.
template <typename Fn>
auto transact(Engine& store, Fn fn) {
  store.begin();
  struct RollbackUnlessCommitted {
    Engine& store;
    ~RollbackUnlessCommitted() { store.rollback(); }  // nothing to do after a commit
  } guard{store};
  if constexpr (std::is_void_v<std::invoke_result_t<Fn>>) {
    fn();
    store.commit();
  } else {
    auto result = fn();
    store.commit();
    return result;
  }
}

inline std::int64_t insert(Engine& store, const Update& u) {
  return transact(store, [&] { return store.insert_update(u).update_id; });
}

}  // namespace microalign::storage::test
