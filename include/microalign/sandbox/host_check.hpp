// Which Host the sandbox's page answers to. The sandbox has no login: whoever reaches it may read
// every conversation and post as anyone. A page on some other site could reach it through DNS
// rebinding — its own name made to resolve to 127.0.0.1, so the browser takes the sandbox for
// that site and lets its script read the answers — and the request would then name that site in
// its Host header. So the sandbox answers only requests that name this machine (localhost) or an
// address (an IP address never comes from a DNS name).
#pragma once

#include <string_view>

namespace microalign::sandbox {

// Whether a request with this Host header (name or address, perhaps with a port) may use the
// sandbox: "localhost" and names under ".localhost", IPv4 addresses and bracketed IPv6 addresses,
// and no Host at all (HTTP/1.0; browsers always send one).
bool host_allowed(std::string_view host_header);

}  // namespace microalign::sandbox
