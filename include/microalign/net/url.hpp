// Splitting https:// and wss:// URLs into what a connection needs. Pure; no Asio.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace microalign::net {

struct Url {
  std::string scheme;  // "https" or "wss" (lower case)
  std::string host;    // lower case, without brackets for IPv6 literals
  std::string port;    // explicit, or the scheme's default ("443")
  std::string target;  // path + query, at least "/"; the fragment is dropped. Not for logs:
                       // a Socket Mode URL's query holds the connection's `ticket`

  // Accepts only https and wss: the bot never talks to Slack in clear text. Rejects user
  // information ("user:pw@host"), empty hosts and ports that are not 1..65535.
  static std::optional<Url> parse(std::string_view);
};

// "host:port" as the Host header wants it: IPv6 literals in brackets, ":443" left out unless
// `always_port` (the WebSocket upgrade sends the port even when it is the default).
std::string host_header(std::string_view host, std::string_view port, bool always_port = false);

}  // namespace microalign::net
