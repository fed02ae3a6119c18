#include "microalign/slack/identity.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "microalign/core/json_fields.hpp"
#include "microalign/core/log.hpp"
#include "microalign/slack/web_api.hpp"

namespace microalign::slack {

namespace asio = boost::asio;

asio::awaitable<std::variant<Identity, std::string>> identify(WebApi& api, const bool& stopping, net::Signal& wake) {
  for (int attempt = 1; !stopping; ++attempt) {
    auto reply = co_await api.call("auth.test", nlohmann::json::object());
    if (reply.ok) {
      Identity me;
      me.bot_user_id = json_string_member(reply.body, "user_id");
      me.bot_name = json_string_member(reply.body, "user", me.bot_name);
      me.workspace_url = json_string_member(reply.body, "url");
      log::info("slack",
                "signed in as @" + me.bot_name + " in " + json_string_member(reply.body, "team", "the workspace"));
      co_return me;
    }
    if (!reply.transient()) {
      co_return "SLACK_BOT_TOKEN was rejected by Slack (" + reply.error +
          "): check the bot token (xoxb-…) under OAuth & Permissions";
    }
    const auto wait = std::min<std::chrono::seconds>(reply.retry_after.value_or(std::chrono::seconds(attempt)),
                                                     std::chrono::seconds(30));
    log::warn("slack", "auth.test failed (" + reply.error + "); retrying in " + std::to_string(wait.count()) + " s");
    co_await wake.wait(wait);
  }
  co_return Identity{};
}

}  // namespace microalign::slack
