// The Slack that slack_load plays for an app under test: its Web API (HTTPS POST /api/<method>,
// enough methods for microalign and a Bolt app to start and post), response URLs, and Socket
// Mode (WSS /link/), all on one loopback port, on the caller's io_context. Built to cost as
// little as possible per envelope so that it is never what a measurement measures: envelopes
// are spliced from a prepared text, acknowledgements are read by finding one key, and each
// acknowledgement is matched to its envelope by number, not looked up.
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace microalign::bench {

using Clock = std::chrono::steady_clock;

// The envelopes of one phase of a run, numbered first .. first + count - 1: when each was
// written, and how long its acknowledgement took.
struct Phase {
  std::uint64_t first = 0;
  std::uint64_t count = 0;
  std::vector<Clock::time_point> sent_at;
  std::vector<double> ack_ms;  // per envelope; < 0 while unacknowledged
  std::uint64_t sent = 0;
  std::uint64_t acked = 0;
  Clock::time_point last_ack{};

  bool contains(std::uint64_t id) const { return id >= first && id < first + count; }
};

class LoadServer {
 public:
  LoadServer(boost::asio::io_context&, const std::filesystem::path& cert_file, const std::filesystem::path& key_file,
             int num_connections_hint);
  ~LoadServer();
  LoadServer(const LoadServer&) = delete;
  LoadServer& operator=(const LoadServer&) = delete;

  std::string api_url() const;  // "https://127.0.0.1:PORT/api/"

  // Sockets that said hello and are still open.
  std::size_t open_sockets() const;
  // When the first `hello` was written; nullopt until then.
  std::optional<Clock::time_point> first_hello() const;

  // Starts a phase: the envelopes numbered from the end of the last one. Envelopes of earlier
  // phases still acknowledged later are counted in `late_acks`, not in the phase.
  Phase& begin_phase(std::uint64_t count);
  Phase& phase();
  // Envelopes in all the phases begun so far.
  std::uint64_t envelopes_queued() const;
  // Queues the phase's next `n` envelopes over the open sockets, in turn.
  void send_next(std::uint64_t n);

  // Web API calls by method ("response_url" for response URLs), acks that matched no envelope.
  std::map<std::string, std::uint64_t> calls() const;
  std::uint64_t late_acks() const;
  std::uint64_t unreadable_frames() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace microalign::bench
