// A plain HTTP request to the bot's listener on loopback, from the test's thread, as an operator's
// probe or Prometheus would make it (GET /healthz, /readyz and /metrics), or as a channel posts an
// activity (FakeTeams::post_activity).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace microalign::test {

struct HttpGot {
  unsigned status = 0;  // 0: no HTTP answer (refused, closed, timed out)
  std::string body;
  std::string content_type;
  std::string allow;           // the Allow header (405)
  std::string content_length;  // as sent (for HEAD: the length of the body a GET would get)
};

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

// `method` is sent as it is ("GET", "HEAD", "POST"), with `body` and with `headers` in place of
// the defaults of the same names (Host, a Prometheus User-Agent).
HttpGot http_request(std::uint16_t port, std::string_view target, std::string_view method = "GET",
                     std::chrono::milliseconds timeout = std::chrono::seconds(10), const HttpHeaders& headers = {},
                     std::string body = {});

}  // namespace microalign::test
