#include "microalign/slack/adapter.hpp"

#include "microalign/net/tls.hpp"
#include "microalign/slack/receiver.hpp"
#include "microalign/slack/slack_platform.hpp"
#include "microalign/slack/socket_mode.hpp"
#include "microalign/slack/web_api.hpp"

namespace microalign::slack {

namespace asio = boost::asio;

Adapter::Adapter(asio::any_io_executor executor, const SlackConfig& config)
    : executor_(executor),
      config_(config),
      tls_(net::make_client_tls_context()),
      api_(std::make_unique<WebApi>(executor, tls_, config)),
      platform_(std::make_unique<SlackPlatform>(executor, tls_, config, identity_, *api_)),
      wake_(executor) {}

Adapter::~Adapter() = default;

app::Platform& Adapter::platform() { return *platform_; }

asio::awaitable<std::string> Adapter::sign_in() {
  auto signed_in = co_await identify(*api_, stopping_, wake_);
  if (auto* refused = std::get_if<std::string>(&signed_in)) co_return *refused;
  identity_ = std::get<Identity>(std::move(signed_in));
  co_return std::string{};
}

asio::awaitable<std::string> Adapter::serve(app::Bot& bot) {
  if (stopping_) co_return std::string{};
  receiver_ = std::make_unique<Receiver>(bot, *platform_, *api_, identity_);
  link_ = std::make_unique<SocketModeLink>(executor_, tls_, *api_, config_,
                                           [receiver = receiver_.get()](Envelope e, std::shared_ptr<Ack> ack) {
                                             return receiver->on_envelope(std::move(e), std::move(ack));
                                           });
  co_return co_await link_->run();
}

void Adapter::stop() {
  stopping_ = true;
  wake_.notify();
  if (link_) link_->stop();
}

int Adapter::ready_sockets() const { return link_ ? link_->ready_sockets() : 0; }

void Adapter::close() {
  api_->close();
  platform_->close();
}

}  // namespace microalign::slack
