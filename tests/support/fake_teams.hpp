// A fake Bot Framework for tests, speaking the real wire protocol over loopback TLS
// (shared/protocols/teams.md §6). One HTTPS port plays both Microsoft roles:
//   - login: GET /v1/.well-known/openidconfiguration and GET /v1/.well-known/keys (RSA keys made
//     at test time, endorsing "msteams"), and POST /<tenant>/oauth2/v2.0/token (the client-
//     credentials grant, issuing "fake-token-N");
//   - the Bot Connector, with base_url() as the serviceUrl: POST /v3/conversations, POST
//     /v3/conversations/{id}/activities[/{replyToId}], PUT /v3/conversations/{id}/activities/{id}.
// And it drives the bot as Teams does: signed_token() makes the channel's JWT (or one that breaks
// a chosen rule), post_activity() POSTs an activity to the bot's /api/messages over plain HTTP.
// It runs its own io_context on its own thread; the methods below are thread-safe. Waits block
// with a timeout and return nullopt when it passes.
//
//   TestPki pki;
//   FakeTeams teams(pki);
//   pki.trust();                                  // before the bot makes its TLS context
//   TeamsConfig config = teams.config();          // app id, secret, tenant and the fake's URLs
//   … start the bot with config, listening on bot_port …
//   auto answer = teams.post_activity(bot_port, personal_message(teams, "hello"),
//                                     teams.authorization());
//   auto sent = teams.wait_for_call(FakeTeams::send_route, 2s);
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fake_slack.hpp"  // Reply: status, headers, body, delay
#include "microalign/core/config.hpp"
#include "microalign/core/model.hpp"
#include "test_pki.hpp"

namespace microalign::test {

// One request the fake received.
struct TeamsCall {
  std::string route;            // one of FakeTeams::*_route; "" for an unknown path
  std::string method;           // "GET", "POST", "PUT"
  std::string target;           // as sent, still percent-encoded
  std::string conversation_id;  // connector routes: the {id} segment, percent-decoded
  std::string activity_id;      // reply and update routes: the last segment, percent-decoded
  std::string authorization;    // the header as sent; empty when missing
  std::string content_type;
  nlohmann::json body;  // the JSON body; the token route's form fields as strings; discarded
                        // (is_discarded()) when a JSON route's body is not JSON
};

// How signed_token() breaks the token, one rule at a time (the default breaks none).
struct TokenOptions {
  enum class Key {
    current,     // the key the keys document publishes for "msteams"
    unknown,     // a key the document does not list (its kid is unknown)
    unendorsed,  // a published key endorsing only "webchat"
    named,       // the published key `kid` (e.g. one kept after rotate_key(true))
  };
  Key key = Key::current;
  std::string kid{};                        // for Key::named
  std::string alg = "RS256";                // the header's alg; "none" and "HS…" leave the signature empty
  std::optional<std::string> iss{};         // default https://api.botframework.com
  std::optional<std::string> aud{};         // default the app id
  std::optional<std::string> serviceurl{};  // default base_url()
  bool omit_serviceurl = false;
  bool omit_exp = false;
  bool omit_nbf = false;
  std::optional<SysTime> now{};                            // default the system clock
  std::chrono::seconds expires_in{3600};                   // exp = now + this (negative: already expired)
  std::chrono::seconds not_before_in{-300};                // nbf = now + this
  bool tamper_payload = false;                             // the payload changed after signing
  bool tamper_signature = false;                           // one bit of the signature flipped
  nlohmann::json extra_claims = nlohmann::json::object();  // added to (or replacing) the claims
};

class FakeTeams {
 public:
  struct Options {
    std::string app_id = "7c3a9f52-0e1d-4b6a-9d6e-5b2f1a8c4e01";
    std::string app_password = "fake-client-secret~With/Odd+Chars=&";  // needs URL-encoding
    std::string tenant_id = "0f9e8d7c-6b5a-4c3d-9e2f-1a0b9c8d7e6f";
    std::chrono::seconds token_lifetime{3600};  // expires_in of issued tokens
  };

  // Route names, for reply_next(), on(), calls() and wait_for_call().
  static constexpr std::string_view openid_route = "openid";  // GET /v1/.well-known/openidconfiguration
  static constexpr std::string_view keys_route = "keys";      // GET /v1/.well-known/keys
  static constexpr std::string_view token_route = "token";    // POST /<tenant>/oauth2/v2.0/token
  static constexpr std::string_view create_route = "create";  // POST /v3/conversations
  static constexpr std::string_view send_route = "send";      // POST /v3/conversations/{id}/activities
  static constexpr std::string_view reply_route = "reply";    // POST …/activities/{replyToId}
  static constexpr std::string_view update_route = "update";  // PUT  …/activities/{activityId}

  // Serves the server certificate of `pki`; listening when this returns.
  explicit FakeTeams(const TestPki& pki);
  FakeTeams(const TestPki& pki, Options);
  ~FakeTeams();
  FakeTeams(const FakeTeams&) = delete;
  FakeTeams& operator=(const FakeTeams&) = delete;

  const Options& options() const;
  std::string port() const;
  std::string base_url() const;             // "https://127.0.0.1:PORT/": the serviceUrl
  std::string openid_metadata_url() const;  // BotOpenIdMetadata
  std::string keys_url() const;             // the jwks_uri the metadata names
  std::string login_url() const;            // ToChannelFromBotLoginUrl: "https://127.0.0.1:PORT/<tenant>"
  std::string token_url() const;            // login_url() + "/oauth2/v2.0/token"
  // A TeamsConfig for the bot: the options' app id, secret and tenant, the URLs above.
  TeamsConfig config() const;

  // ---- Answers. A request is answered by, in order: the route's checks (token form; connector
  // Authorization: 401 unless a token this fake issued and has not invalidated; conversation id
  // not percent-encoded: 400), the next reply queued for its route, the route's handler, the
  // built-in behaviour. Handlers run on the fake's thread and must not call back into the fake.
  // E.g. one failed key fetch: reply_next(keys_route, Reply{500}); every fetch failing until
  // clear_handler(): on(keys_route, …); a timeout: a Reply whose delay outlasts the bot's.
  // Every request is recorded when it is answered, before a delay.
  void reply_next(std::string_view route, Reply);
  void on(std::string_view route, std::function<Reply(const TeamsCall&)> handler);
  void clear_handler(std::string_view route);
  std::vector<TeamsCall> calls(std::string_view route = {}) const;  // all when empty
  std::size_t count(std::string_view route) const;                  // e.g. count(keys_route): fetches
  // The count-th call of `route` (1 = first), once it has arrived.
  std::optional<TeamsCall> wait_for_call(std::string_view route, std::chrono::milliseconds timeout,
                                         std::size_t count = 1) const;

  // ---- Signing keys. Keys come from a process-wide pool of 2048-bit RSA keys made once, so a
  // rotation costs nothing after the first test that needed that many keys.
  std::string current_kid() const;
  // Signs with a new key from now on and publishes it; the previous one stays published when
  // `keep_old`, else it is dropped from the keys document. Returns the new kid.
  std::string rotate_key(bool keep_old = false);
  // The keys document's entries, as served.
  nlohmann::json jwks() const;
  // Overrides the metadata's jwks_uri (e.g. an http:// one), or back to keys_url() with "".
  void set_jwks_uri(std::string uri);

  // ---- Tokens issued by the token route.
  void set_token_lifetime(std::chrono::seconds);
  std::vector<std::string> issued_tokens() const;  // "fake-token-1", …
  // Every token issued so far is refused by the connector from now on (401), as after a
  // secret rotation: the bot must forget its token and fetch a new one.
  void invalidate_tokens();

  // ---- Driving the bot as the channel does.
  // An RS256 JWT as the Bot Framework channel signs it: kid of the current key, iss, aud = the
  // app id, serviceurl = base_url(), nbf/exp around the system clock — unless `options` says.
  std::string signed_token(const TokenOptions& options = {}) const;
  std::string authorization(const TokenOptions& options = {}) const;  // "Bearer " + signed_token()

  struct HttpAnswer {
    unsigned status = 0;  // 0: no HTTP answer (connection refused, closed, timed out)
    std::string body;
    std::string content_type;
  };
  // POSTs `activity` to http://127.0.0.1:<bot_port>/api/messages with this Authorization
  // header (none when empty), from the calling thread, and waits for the answer.
  static HttpAnswer post_activity(std::uint16_t bot_port, const nlohmann::json& activity,
                                  std::string_view authorization,
                                  std::chrono::milliseconds timeout = std::chrono::seconds(5));

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// ---- Activities in the shapes of teams.md §1.2, addressed to the fake's bot (recipient
// 28:<app id>) with serviceUrl = the fake's base_url().
struct ActivityOptions {
  std::string id{};  // activity id; "" : a fresh one
  std::string user = "29:1user-one-aad-per-bot-id";
  std::string user_name = "User One";
  std::string user_aad = "7faf8ab2-3d56-4244-b585-20c8a42ed2b8";
};
nlohmann::json personal_message(const FakeTeams&, std::string_view text, const ActivityOptions& = {});
// A channel message @mentioning the bot: text "<at>microalign</at> <text>", a mention entity,
// conversation "19:…@thread.tacv2;messageid=<id>", channelData.team/channel/tenant.
nlohmann::json channel_mention(const FakeTeams&, std::string_view text, std::string_view channel_id,
                               const ActivityOptions& = {});
// The bot added to a team: conversationUpdate, membersAdded = [the bot], eventType teamMemberAdded.
nlohmann::json bot_added_to_team(const FakeTeams&, std::string_view channel_id, const ActivityOptions& = {});
// An Adaptive Card's Action.Submit clicked: type message, empty text, value = `value`, replyToId
// = the card's activity id, in `conversation_id`.
nlohmann::json card_submit(const FakeTeams&, const nlohmann::json& value, std::string_view reply_to_id,
                           std::string_view conversation_id, const ActivityOptions& = {});

// base64url without padding, as JWTs are written: for tests that build a token by hand.
std::string base64url(std::string_view bytes);

// Teams' error shape: {"error":{"code":…,"message":…}}, e.g. (403, "ConversationBlockedByUser").
Reply connector_error(unsigned status, std::string_view code, std::string_view message = "");
// The login endpoint's error shape: {"error":…,"error_description":"AADSTS…"}.
Reply oauth_error(unsigned status, std::string_view error, std::string_view description = "");

}  // namespace microalign::test
