// The Socket Mode link: keeps `config.connections` websockets to Slack open, replaces each one
// before closing it when Slack asks (no gap), detects dead ones, reconnects with backoff, and
// hands every envelope to the handler with an Ack bound to the socket that delivered it.
// Each of those sockets is a slot whose decisions are a SocketSession (socket_session.hpp);
// the link performs them.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "microalign/core/config.hpp"
#include "microalign/slack/frames.hpp"

namespace microalign::slack {

class WebApi;

// Acknowledges one envelope, once. Slack wants it within 3 seconds; the handler sends it as soon
// as the work it stands for is safe (committed), and may carry on afterwards (posting an echo).
class Ack {
 public:
  virtual ~Ack() = default;
  virtual void send() = 0;
  virtual void send(const nlohmann::json& payload) = 0;
  virtual bool sent() const = 0;
};

// Envelopes being handled at once, over all sockets. Past it the sockets are not read until some
// finish: the rest of a burst waits in the kernel's buffers and Slack's, costing no memory here,
// instead of thousands of parsed envelopes waiting for the storage thread (a 20,000-command burst
// took 200 MB that way). Group commit batches up to 512, so this keeps two batches ready.
inline constexpr int max_envelopes_in_flight = 1024;

using EnvelopeHandler =
    std::function<boost::asio::awaitable<void>(Envelope, std::shared_ptr<Ack>)>;

class SocketModeLink {
 public:
  SocketModeLink(boost::asio::any_io_executor, boost::asio::ssl::context&, WebApi&,
                 const SlackConfig&, EnvelopeHandler);
  ~SocketModeLink();
  SocketModeLink(const SocketModeLink&) = delete;
  SocketModeLink& operator=(const SocketModeLink&) = delete;

  // Serves until stop() (returns empty) or a fatal error (returns it, as one sentence for the
  // operator: a rejected app token, Socket Mode switched off).
  boost::asio::awaitable<std::string> run();

  // Stops taking new envelopes, lets those in flight finish and acknowledge (bounded), then
  // closes every socket cleanly. run() returns afterwards.
  void stop();

  int ready_sockets() const;  // sockets that said hello and are not closing

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace microalign::slack
