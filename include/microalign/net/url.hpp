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

// Every byte but RFC 3986's unreserved characters (A-Z a-z 0-9 - . _ ~) as %XX: safe as a path
// segment (a Teams conversation id holds ':', '@' and ';') and as a form value.
std::string percent_encode(std::string_view);

}  // namespace microalign::net
