// Runs the real `microalign` binary as a child process with a chosen environment, capturing
// its output, so tests see exactly what an operator would.
#pragma once

#include <fcntl.h>
#include <linux/capability.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace microalign::test {

class Process {
 public:
  using Environment = std::map<std::string, std::string>;

  // as_is: the test's own privileges. file_permissions_apply: for a test run as root, the child
  // loses the capabilities that ignore file permissions (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH,
  // CAP_FOWNER; from its bounding set, so exec does not give them back), so a directory of mode
  // 0500 is as unwritable to it as to anyone else. Without root it changes nothing.
  enum class Privileges { as_is, file_permissions_apply };

  // Starts MICROALIGN_BINARY with `args`, only the variables in `env` (plus PATH), and stdout
  // and stderr captured in files under `dir`.
  Process(const std::vector<std::string>& args, const Environment& env, const std::filesystem::path& dir,
          Privileges privileges = Privileges::as_is)
      : out_(dir / ("stdout-" + std::to_string(++count()))), err_(dir / ("stderr-" + std::to_string(count()))) {
    std::vector<std::string> argv_s{MICROALIGN_BINARY};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<std::string> env_s{"PATH=/usr/bin:/bin"};
    for (const auto& [k, v] : env) env_s.push_back(k + "=" + v);
    // Everything is allocated before fork(): the test process has threads (the fake Slack),
    // and the child may only make async-signal-safe calls until it execs.
    std::vector<char*> argv, envp;
    for (auto& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);
    for (auto& e : env_s) envp.push_back(e.data());
    envp.push_back(nullptr);
    const std::string out_path = out_.string(), err_path = err_.string();
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      const int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      const int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      ::dup2(out, 1);
      ::dup2(err, 2);
      if (privileges == Privileges::file_permissions_apply) {
        for (int capability : {CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER})
          ::prctl(PR_CAPBSET_DROP, capability, 0, 0, 0);
      }
      ::execve(argv[0], argv.data(), envp.data());
      ::_exit(127);
    }
  }

  ~Process() {
    if (pid_ > 0 && !exited_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }

  void signal(int sig) { ::kill(pid_, sig); }

  // The exit status, or -1 when it did not exit within `limit` (or died of a signal).
  int wait(std::chrono::milliseconds limit = std::chrono::seconds(20)) {
    const auto until = std::chrono::steady_clock::now() + limit;
    int status = 0;
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > until) return -1;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    exited_ = true;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  std::string out() const { return read(out_); }
  std::string err() const { return read(err_); }

  static std::string read(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

 private:
  static int& count() {
    static int n = 0;
    return n;
  }

  std::filesystem::path out_;
  std::filesystem::path err_;
  pid_t pid_ = -1;
  bool exited_ = false;
};

// Runs to completion and returns {status, stdout, stderr}.
struct Finished {
  int status;
  std::string out;
  std::string err;
};
inline Finished run_to_end(const std::vector<std::string>& args, const Process::Environment& env,
                           const std::filesystem::path& dir,
                           Process::Privileges privileges = Process::Privileges::as_is) {
  Process p(args, env, dir, privileges);
  const int status = p.wait();
  return {status, p.out(), p.err()};
}

}  // namespace microalign::test
