// The sandbox on the platform port: whatever the application sends appears in the page's message
// log — posts, thread replies, direct messages, updates in place, command answers for everyone or
// for one person — with the log's ids as the platform's message ids. People are the workspace's;
// commands are typed as on Slack (`/status …`, `/microalign …`). Nothing fails here but what
// would fail anywhere: an unknown conversation, person or message.
#pragma once

#include "microalign/app/clock.hpp"
#include "microalign/app/platform.hpp"
#include "microalign/sandbox/message_log.hpp"
#include "microalign/sandbox/workspace.hpp"

namespace microalign::sandbox {

class SandboxPlatform final : public app::Platform {
 public:
  SandboxPlatform(MessageLog&, const Workspace&, app::Clock);

  std::string_view name() const override { return "sandbox"; }
  CommandSpelling spelling() const override;
  app::MessageLimits limits() const override;
  std::chrono::milliseconds answer_within() const override;
  boost::asio::awaitable<app::SendOutcome> send(const storage::OutboxMessage&, const std::string& conversation,
                                                const std::optional<storage::SentMessage>& parent) override;
  boost::asio::awaitable<app::SendOutcome> open_direct(const std::string& team, const std::string& user) override;
  boost::asio::awaitable<app::PersonInfo> look_up(const std::string& team, const std::string& user,
                                                  std::chrono::milliseconds timeout, Urgency) override;
  // "#<echo id>": an anchor in the page, which shows that message; "" before the echo is shown.
  std::string link_to(const Update&) const override;

  // For the responders: an answer only `to.person` sees, where they acted; the update form a
  // nudge's button opened, in the page of whoever clicked it.
  const Entry& tell_privately(const ReplyTo& to, Message);
  const Entry& open_form(const ReplyTo& to, app::UpdateForm);

 private:
  const Entry& append(Entry);

  MessageLog& log_;
  const Workspace& workspace_;
  app::Clock now_;
};

}  // namespace microalign::sandbox
