#include <catch2/catch.hpp>

#include "microalign/sandbox/host_check.hpp"

using microalign::sandbox::host_allowed;

TEST_CASE("the sandbox answers at localhost and at addresses, with or without a port", "[sandbox][security]") {
  for (const auto* host : {"127.0.0.1:3978", "127.0.0.1", "localhost:3978", "LOCALHOST", "localhost.",
                           "app.localhost:80", "[::1]:3978", "[::1]", "192.168.1.5:3978", "0.0.0.0:3978", ""}) {
    INFO(host);
    CHECK(host_allowed(host));
  }
}

TEST_CASE("the sandbox does not answer at other names: DNS rebinding gets no further", "[sandbox][security]") {
  for (const auto* host :
       {"evil.example:3978", "evil.example", "localhost.evil.example", "127.0.0.1.nip.io:3978", "devbox:3978",
        "127.0.0.1:port", "[::1", "[::1]x", "[::1]:80x", "[evil.example]:3978", "0x7f.1:3978", "127.1:3978"}) {
    INFO(host);
    CHECK_FALSE(host_allowed(host));
  }
}
