// The app under test as a process: started through the shell in a directory of its own, with
// the environment slack_load gives it, output to a log file; its memory read from /proc over
// its whole process tree (an npm script's node runs as a child, for instance); ended at the end.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace microalign::bench {

class AppProcess {
 public:
  // Runs `sh -c command` in `directory`, with `environment` added to this process's own and
  // stdout and stderr appended to `log_file`.
  AppProcess(const std::string& command, const std::filesystem::path& directory,
             const std::map<std::string, std::string>& environment, const std::filesystem::path& log_file);
  ~AppProcess();  // kill()
  AppProcess(const AppProcess&) = delete;
  AppProcess& operator=(const AppProcess&) = delete;

  // Resident memory of the process and all its descendants, in MiB.
  double rss_mb() const;
  // The exit status once it has ended (without waiting); nullopt while it runs.
  std::optional<int> exited();
  // SIGTERM to the process group: it should finish and exit.
  void terminate();
  // SIGKILL to the process group, and waits for the process.
  void kill();

 private:
  pid_t pid_ = -1;
  mutable std::vector<pid_t> tree_;
  mutable std::chrono::steady_clock::time_point tree_found_{};
  std::optional<int> status_;
};

}  // namespace microalign::bench
