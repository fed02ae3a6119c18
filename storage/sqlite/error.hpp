// Turns SQLite's exceptions into StorageError, adding the file and the operation to its message.
#pragma once

#include <SQLiteCpp/Exception.h>

#include <string>
#include <string_view>

#include "microalign/storage/store.hpp"

namespace microalign::storage {

inline StorageError storage_error(const std::string& path, std::string_view doing, std::string_view why) {
  std::string message = path;
  message.append(": ").append(doing).append(": ").append(why);
  return StorageError(message);
}

template <typename Fn>
decltype(auto) guarded(const std::string& path, std::string_view doing, Fn&& fn) {
  try {
    return fn();
  } catch (const SQLite::Exception& e) {
    throw storage_error(path, doing, e.what());
  }
}

}  // namespace microalign::storage
