// `microalign run` replicas sharing one database (a PostgreSQL URI) and one Slack app (the fake),
// each with sockets of its own and an HTTP listener on a port the test knows (for /readyz).
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <deque>
#include <memory>
#include <stdexcept>
#include <string>

#include "bot_harness.hpp"
#include "bot_process.hpp"

namespace microalign::test {

// A loopback port free at the moment: the replica binds it soon after. MICROALIGN_HTTP_ADDR
// 127.0.0.1:0 would do as well, but then the test could not tell which port each replica took.
inline std::uint16_t free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  const bool bound = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
                     ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
  ::close(fd);
  if (!bound) throw std::runtime_error("no free port");
  return ntohs(address.sin_port);
}

struct Replica {
  std::unique_ptr<Process> process;
  std::uint16_t http_port = 0;
  bool ended = false;  // killed and reaped: its pid is not to be signalled again
};

class Replicas {
 public:
  explicit Replicas(std::string db_uri) : db_uri_(std::move(db_uri)) {}

  TestPki pki;
  FakeSlack slack{pki};
  TempDir dir;

  // Starts one more replica with `connections` sockets (MICROALIGN_CONNECTIONS), without waiting.
  Replica& start(int connections) {
    auto env = bot_environment(slack, pki, db_uri_);
    env["MICROALIGN_CONNECTIONS"] = std::to_string(connections);
    env["MICROALIGN_LOG"] = "info";  // debug writes a line per update
    // The password: with_postgres.sh keeps it in a 0600 file, never in the URI.
    if (const char* passwords = std::getenv("PGPASSFILE")) env["PGPASSFILE"] = passwords;
    Replica& replica = replicas_.emplace_back();
    replica.http_port = free_port();
    env["MICROALIGN_HTTP_ADDR"] = "127.0.0.1:" + std::to_string(replica.http_port);
    replica.process = std::make_unique<Process>(std::vector<std::string>{"run"}, env, dir.path());
    return replica;
  }

  void kill(Replica& replica) {
    replica.process->signal(SIGKILL);
    CHECK(replica.process->wait(10s) == -1);  // died of the signal
    replica.ended = true;
  }

  std::deque<Replica>& all() { return replicas_; }

  // SIGTERM to every replica still running, at once; each finishes what it took and exits 0.
  void stop() {
    for (auto& replica : replicas_) {
      if (!replica.ended) replica.process->signal(SIGTERM);
    }
    for (auto& replica : replicas_) {
      if (replica.ended) continue;
      const int status = replica.process->wait(15s);
      replica.ended = true;
      INFO(replica.process->err());
      CHECK(status == 0);
    }
  }

 private:
  std::string db_uri_;
  std::deque<Replica> replicas_;  // a deque: a Replica& handed out stays valid
};

}  // namespace microalign::test
