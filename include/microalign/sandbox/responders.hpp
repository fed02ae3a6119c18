// How the application's answers travel back in the sandbox: the HTTP answer to the page's request
// is the acknowledgement; a private answer appears in the page of the person who acted, where they
// acted, marked as only theirs; the update form opens in their page, and stays open with what is
// wrong under its fields, or closes.
#pragma once

#include <string>

#include "microalign/app/platform.hpp"
#include "microalign/sandbox/workspace.hpp"

namespace microalign::sandbox {

class MessageLog;
class SandboxPlatform;

class Responder final : public app::ButtonResponder {
 public:
  Responder(SandboxPlatform&, ReplyTo);
  void acknowledge() override { acknowledged_ = true; }
  boost::asio::awaitable<void> answer_privately(Message) override;
  boost::asio::awaitable<bool> open_form(app::UpdateForm) override;
  bool acknowledged() const { return acknowledged_; }

 private:
  SandboxPlatform& platform_;
  ReplyTo to_;
  bool acknowledged_ = false;
};

// For the form entry `form_id`, sent with `state` and `note`.
class FormResponder final : public app::FormResponder {
 public:
  FormResponder(MessageLog&, std::string form_id, std::string state, std::string note);
  void acknowledge() override;
  void keep_open(std::map<std::string, std::string> problems) override;
  bool closed() const { return closed_; }

 private:
  MessageLog& log_;
  std::string form_id_;
  std::string state_;
  std::string note_;
  bool closed_ = false;
};

}  // namespace microalign::sandbox
