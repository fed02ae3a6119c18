// Shared by the storage tests: a private temporary directory, and updates to store.
#pragma once

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <random>
#include <string>

#include "microalign/core/model.hpp"

namespace microalign::storage::test {

// A fresh directory under the system's temp dir, removed with everything in it at scope exit.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    const std::string name = "microalign-storage-" + std::to_string(::getpid()) + "-" +
                             std::to_string(counter++) + "-" + std::to_string(std::random_device{}());
    path_ = std::filesystem::temp_directory_path() / name;
    std::filesystem::create_directory(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

inline SysTime at_ms(std::int64_t ms) { return SysTime{std::chrono::milliseconds{ms}}; }

// An update in team T1, channel C1 unless the test says otherwise.
inline Update make_update(std::string text, SysTime created_at = at_ms(1'700'000'000'000)) {
  Update u;
  u.created_at = created_at;
  u.where = {"T1", "C1", ""};
  u.user = "U1";
  u.source = UpdateSource::slash;
  u.parsed.kind = UpdateKind::heads_up;
  u.parsed.text = std::move(text);
  return u;
}

}  // namespace microalign::storage::test
