// A Web API reply nested 100,000 deep is refused, not parsed: reading a reply copies parts of it
// (conversations.open's "channel"), and copying a JSON value recurses once per level.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include "bot_harness.hpp"
#include "microalign/net/tls.hpp"
#include "microalign/slack/web_api.hpp"

using namespace microalign;
using namespace microalign::test;

namespace {

slack::ApiReply call_once(const Config& config, std::string method) {
  boost::asio::io_context io;
  auto tls = net::make_client_tls_context();
  slack::WebApi api(io.get_executor(), tls, config.slack);
  std::optional<slack::ApiReply> out;
  boost::asio::co_spawn(io, api.call(std::move(method), nlohmann::json::object()),
                        [&](std::exception_ptr e, slack::ApiReply reply) {
                          if (e) std::rethrow_exception(e);
                          out = std::move(reply);
                          api.close();
                        });
  io.run_for(5s);
  REQUIRE(out.has_value());
  return std::move(*out);
}

}  // namespace

TEST_CASE("a Web API reply nested 100,000 deep is refused, not parsed", "[web_api][deep_json]") {
  TestPki pki;
  FakeSlack fake{pki};
  pki.trust();
  TempDir dir;
  const auto config = config_for(fake, dir.path() / "microalign.db");

  std::string deep = R"({"ok":true,"channel":)";
  deep += std::string(100'000, '[') + std::string(100'000, ']') + "}";
  fake.reply_next("conversations.open", Reply{200, {}, deep});
  const auto refused = call_once(config, "conversations.open");
  CHECK_FALSE(refused.ok);
  CHECK(refused.error == "reply nested too deep");
  CHECK(refused.body.is_discarded());

  // A reply of ordinary depth is read as before.
  fake.reply_next("conversations.open",
                  Reply::json({{"ok", true}, {"channel", {{"id", "D111"}, {"tags", {{1, {2}}}}}}}));
  const auto read = call_once(config, "conversations.open");
  CHECK(read.ok);
  CHECK(read.body["channel"]["id"] == "D111");
}
