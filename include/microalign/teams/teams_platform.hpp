// The application's messages on Microsoft Teams: each outbox message rendered as one Adaptive
// Card and sent to the Bot Connector at the conversation's serviceUrl (a new post, a reply in a
// thread, a card replaced in place), people's 1:1 conversations created by the bot, people known
// from what their activities said. Only serviceUrls heard in validated activities are posted to.
// Every connector call is counted for the operator by what it does (send, reply, update, create)
// and HTTP status ("error": no answer), and each 429 once more.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ssl/context.hpp>
#include <map>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "microalign/app/clock.hpp"
#include "microalign/app/platform.hpp"
#include "microalign/core/config.hpp"
#include "microalign/core/metrics.hpp"

namespace microalign::net {
class HttpsClient;
}
namespace microalign::storage {
class Transactions;
}

namespace microalign::teams {

struct Activity;
class TokenClient;

// How people type commands on Teams: they write to the bot.
CommandSpelling mention_commands();

class TeamsPlatform final : public app::Platform {
 public:
  TeamsPlatform(boost::asio::any_io_executor, boost::asio::ssl::context&, const TeamsConfig&, storage::Transactions&,
                app::Clock);
  ~TeamsPlatform() override;

  std::string_view name() const override { return "teams"; }
  CommandSpelling spelling() const override { return mention_commands(); }
  app::MessageLimits limits() const override;
  std::chrono::milliseconds answer_within() const override { return config_.ack_deadline; }

  boost::asio::awaitable<app::SendOutcome> send(const storage::OutboxMessage&, const std::string& conversation,
                                                const std::optional<storage::SentMessage>& parent) override;
  boost::asio::awaitable<app::SendOutcome> open_direct(const std::string& team, const std::string& user) override;
  boost::asio::awaitable<app::PersonInfo> look_up(const std::string& team, const std::string& user,
                                                  std::chrono::milliseconds timeout, Urgency) override;
  std::string link_to(const Update&) const override { return {}; }  // Teams' message links need more than we keep

  // From a validated activity: who its sender is (name, zone) and where its conversation is
  // reached. True when the conversation's address is new or moved (the adapter stores it).
  bool heard(const Activity&);

  // A message for one person now, not through the outbox: an answer meant for them alone, in
  // their 1:1 chat (`conversation` when the event came from it, else created).
  boost::asio::awaitable<app::SendOutcome> tell(const std::string& team, const std::string& user,
                                                const std::string& conversation, const Message&);

  // The token client, for sign-in's check of the credentials.
  TokenClient& tokens() { return *tokens_; }
  void close();

 private:
  struct Person {
    std::string name;
    std::string time_zone;
  };
  // Where `conversation` is reached: heard, stored, or its team's; empty when none is known.
  boost::asio::awaitable<std::string> address_of(const std::string& team, const std::string& conversation);
  // `what` names the call for the metrics: send, reply, update or create.
  boost::asio::awaitable<app::SendOutcome> call(std::string_view what, const std::string& method,
                                                const std::string& address, const std::string& path,
                                                const nlohmann::json& body, const std::string& conversation);
  void count(std::string_view what, unsigned http_status);
  net::HttpsClient& client_for(const std::string& host, const std::string& port);

  const TeamsConfig& config_;
  boost::asio::ssl::context& tls_;
  boost::asio::any_io_executor executor_;
  storage::Transactions& transactions_;
  std::unique_ptr<TokenClient> tokens_;
  std::map<std::string, std::unique_ptr<net::HttpsClient>> clients_;  // by "host:port"
  std::map<std::string, std::string> addresses_;                      // conversation → serviceUrl, as heard
  std::map<std::string, std::string> team_addresses_;                 // tenant → the serviceUrl heard last
  std::map<std::string, Person> people_;                              // user id → as their activities said
  metrics::Family<metrics::Counter>& calls_;                          // {method, status}
  metrics::Family<metrics::Counter>& rate_limited_;                   // {method}
};

}  // namespace microalign::teams
