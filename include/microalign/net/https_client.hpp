// One HTTPS keep-alive connection to one origin, shared by many coroutines on one
// single-threaded executor: requests (GET, POST, PUT) take turns in the order they arrive; a
// connection the server closed while idle is noticed and re-opened before the next request is
// sent.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/system/result.hpp>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace microalign::net {

enum class HttpMethod { get, post, put };

struct HttpRequest {
  std::string target;        // "/api/chat.postMessage"
  std::string content_type;  // "application/json; charset=utf-8"; empty: no Content-Type
  std::string body;          // for GET: empty
  std::string authorization; // full header value ("Bearer …"); never logged
  HttpMethod method = HttpMethod::post;  // last, so {target, type, body, auth} stays a POST
};

struct HttpResponse {
  unsigned status = 0;
  std::string body;
  std::optional<std::chrono::seconds> retry_after;  // Retry-After in seconds, when sent
  // Every header, names in lower case; a repeated field's values joined with ", " (Slack's
  // x-oauth-scopes, say).
  std::map<std::string, std::string> headers;

  // The header's value, or "" when absent.
  const std::string& header(const std::string& lower_case_name) const;
};

class HttpsClient {
 public:
  // `tls` must outlive the client. `host` is checked against the server's certificate.
  HttpsClient(boost::asio::any_io_executor, boost::asio::ssl::context& tls, std::string host,
              std::string port);
  ~HttpsClient();  // closes the connection; a request in progress fails
  HttpsClient(const HttpsClient&) = delete;
  HttpsClient& operator=(const HttpsClient&) = delete;

  // Sends the request with its method and reads the whole response (bodies up to 8 MiB). The
  // timeout starts when the request's turn comes and covers connect, TLS handshake, write and
  // read.
  // Errors are values: connection errors, TLS verification (x509_verify_category(), message
  // with OpenSSL's reason), timeout (boost::beast::error::timeout), a closed client
  // (boost::asio::error::operation_aborted). No error carries the Authorization value.
  // A request is re-sent on a new connection only when it certainly was not delivered
  // (writing it failed on a kept connection); a lost response is an error, never a retry.
  boost::asio::awaitable<boost::system::result<HttpResponse>> request(HttpRequest, std::chrono::milliseconds timeout);
  // request() with the method set to POST, whatever the request said.
  boost::asio::awaitable<boost::system::result<HttpResponse>> post(
      HttpRequest, std::chrono::milliseconds timeout);

  // Closes the kept-alive connection, failing a request in progress.
  void close();

  // Connections opened so far (keep-alive means this stays at 1 while the server allows).
  std::size_t connections_opened() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace microalign::net
