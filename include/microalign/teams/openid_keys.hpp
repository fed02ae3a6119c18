// The Bot Framework's signing keys, from its OpenID metadata document (BotOpenIdMetadata) and
// the JWKS it names: fetched at start, refreshed every day and again when a token names a kid
// not known (at most once a minute, so a stream of bogus kids costs nothing), and kept when a
// refresh fails — the SDK's intent, without its hour-long blind spot after a rotation.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "microalign/core/model.hpp"
#include "microalign/teams/jwt.hpp"

namespace microalign::net {
class HttpsClient;
}

namespace microalign::teams {

class OpenIdKeys {
 public:
  using Clock = std::function<SysTime()>;

  // `metadata_url` must be https, and so must the jwks_uri it names. `timeout` bounds each of
  // the two GETs of a fetch. Destroying the object closes it (see close()).
  OpenIdKeys(boost::asio::any_io_executor, boost::asio::ssl::context&, std::string metadata_url, Clock,
             std::chrono::milliseconds timeout = std::chrono::seconds(10));
  ~OpenIdKeys();

  // The key with `kid`: from the cache, or after fetching the keys again when the kid is not
  // known and the last fetch is over a minute old (or the cache is over a day old). nullopt when
  // no key has it; a failed fetch is logged and the keys known are kept. Only RSA keys with a
  // kid, n and e are kept; a document without any counts as a failed fetch. Callers asking
  // while a fetch runs wait for it instead of starting another.
  boost::asio::awaitable<std::optional<Jwk>> key(std::string kid);

  // Fetches now (at start: a wrong BotOpenIdMetadata shows at once). "" or why it failed.
  boost::asio::awaitable<std::string> refresh();

  // Fails a fetch in progress ("closed"); later calls answer from the keys known, fetching
  // nothing.
  void close();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace microalign::teams
