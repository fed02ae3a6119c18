#include "app_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace microalign::bench {
namespace {

// Parent pid of every process, from /proc/<pid>/stat (the field after the parenthesised name,
// which may itself hold spaces and parentheses).
std::multimap<pid_t, pid_t> children_by_parent() {
  std::multimap<pid_t, pid_t> out;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const auto name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream stat(entry.path() / "stat");
    std::string line;
    if (!std::getline(stat, line)) continue;
    const auto close = line.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(line.substr(close + 2));
    char state;
    pid_t parent;
    if (rest >> state >> parent) out.emplace(parent, static_cast<pid_t>(std::stol(name)));
  }
  return out;
}

double rss_kib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::strtod(line.c_str() + 6, nullptr);
  }
  return 0;
}

}  // namespace

AppProcess::AppProcess(const std::string& command, const std::filesystem::path& directory,
                       const std::map<std::string, std::string>& environment, const std::filesystem::path& log_file) {
  const int log = ::open(log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (log < 0) throw std::runtime_error("cannot open " + log_file.string());
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    ::setpgid(0, 0);  // its own group: stop() reaches every process it starts
    ::dup2(log, STDOUT_FILENO);
    ::dup2(log, STDERR_FILENO);
    const int null = ::open("/dev/null", O_RDONLY);
    ::dup2(null, STDIN_FILENO);
    if (::chdir(directory.c_str()) != 0) ::_exit(127);
    for (const auto& [name, value] : environment) ::setenv(name.c_str(), value.c_str(), 1);
    ::execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::setpgid(pid_, pid_);
  ::close(log);
}

AppProcess::~AppProcess() { kill(); }

double AppProcess::rss_mb() const {
  if (pid_ <= 0) return 0;
  // Walking /proc costs milliseconds: the tree is found again at most twice a second, so that
  // sampling the peak every few milliseconds stays cheap.
  const auto now = std::chrono::steady_clock::now();
  if (tree_.empty() || now - tree_found_ > std::chrono::milliseconds(500)) {
    const auto children = children_by_parent();
    tree_.clear();
    std::vector<pid_t> todo{pid_};
    while (!todo.empty()) {
      const auto pid = todo.back();
      todo.pop_back();
      tree_.push_back(pid);
      auto [first, last] = children.equal_range(pid);
      for (auto it = first; it != last; ++it) todo.push_back(it->second);
    }
    tree_found_ = now;
  }
  double kib = 0;
  for (const auto pid : tree_) kib += rss_kib(pid);
  return kib / 1024.0;
}

std::optional<int> AppProcess::exited() {
  if (status_ || pid_ <= 0) return status_;
  int status = 0;
  if (::waitpid(pid_, &status, WNOHANG) == pid_) {
    status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  return status_;
}

void AppProcess::terminate() {
  if (pid_ > 0 && !exited()) ::kill(-pid_, SIGTERM);
}

void AppProcess::kill() {
  if (pid_ <= 0) return;
  ::kill(-pid_, SIGKILL);  // its whole group, also what it left behind when it exited
  if (!exited()) {
    int status = 0;
    ::waitpid(pid_, &status, 0);
    status_ = 128 + SIGKILL;
  }
}

}  // namespace microalign::bench
