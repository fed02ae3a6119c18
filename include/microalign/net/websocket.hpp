// Secure WebSocket client connection: resolve, TCP connect, TLS (SNI + verification),
// WebSocket upgrade — each step under one deadline.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/ssl.hpp>  // teardown for TLS streams: reading and closing need it
#include <boost/beast/websocket/stream.hpp>
#include <boost/system/result.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "microalign/net/url.hpp"

namespace microalign::net {

using WssStream = boost::beast::websocket::stream<boost::asio::ssl::stream<boost::beast::tcp_stream>>;

struct WssConnectError {
  boost::system::error_code code;  // boost::beast::error::timeout when the deadline passed
  std::string reason;  // "TLS handshake with host:port: certificate verify failed: …";
                       // never contains the URL's query (a Socket Mode `ticket` is a credential)
};

// The returned stream has its handshake done, text frames selected, messages capped at
// 16 MiB, and the client timeouts set: `connect_timeout` also bounds the closing handshake.
// With an `idle_timeout` the stream pings after idle_timeout / 2 of silence, so a dead peer
// surfaces as a read error (boost::beast::error::timeout) within `idle_timeout`; without one
// it neither pings nor times out, for a caller that watches the link itself.
boost::asio::awaitable<boost::system::result<std::unique_ptr<WssStream>, WssConnectError>> connect_wss(
    boost::asio::any_io_executor, boost::asio::ssl::context&, const Url&, std::chrono::milliseconds connect_timeout,
    std::optional<std::chrono::milliseconds> idle_timeout);

}  // namespace microalign::net
