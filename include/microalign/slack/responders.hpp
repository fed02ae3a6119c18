// How the application's answers travel back on Slack, one Responder per kind of envelope: an
// acknowledgement on the socket (carrying a command's private answer, or a form's errors), an
// ephemeral message, a response_url, a modal.
#pragma once

#include <memory>
#include <string>

#include "microalign/app/platform.hpp"

namespace microalign::slack {

class Ack;
class WebApi;

// A slash command: its private answer is the acknowledgement's payload, or once that has gone,
// an ephemeral message through its response_url.
class CommandResponder final : public app::Responder {
 public:
  CommandResponder(std::shared_ptr<Ack>, WebApi&, std::string response_url);
  void acknowledge() override;
  boost::asio::awaitable<void> answer_privately(Message) override;

 private:
  std::shared_ptr<Ack> ack_;
  WebApi& api_;
  std::string response_url_;
};

// An event (a mention, a reply, a reaction): acknowledged on its own; a private answer is an
// ephemeral message to `user` in `channel` (and `thread`).
class EventResponder final : public app::Responder {
 public:
  EventResponder(std::shared_ptr<Ack>, WebApi&, std::string channel, std::string user, std::string thread = {});
  void acknowledge() override;
  boost::asio::awaitable<void> answer_privately(Message) override;

 private:
  std::shared_ptr<Ack> ack_;
  WebApi& api_;
  std::string channel_;
  std::string user_;
  std::string thread_;
};

// A button clicked: a private answer goes through the action's response_url (leaving the message
// itself as it is), or as an ephemeral message; the form opens as a modal (views.open).
class ButtonResponder final : public app::ButtonResponder {
 public:
  struct Click {
    std::string channel;
    std::string user;
    std::string response_url;
    std::string trigger_id;  // valid for 3 seconds after the click
  };
  ButtonResponder(std::shared_ptr<Ack>, WebApi&, Click);
  void acknowledge() override;
  boost::asio::awaitable<void> answer_privately(Message) override;
  boost::asio::awaitable<bool> open_form(app::UpdateForm) override;

 private:
  std::shared_ptr<Ack> ack_;
  WebApi& api_;
  Click click_;
};

// A modal's form sent: closing it is an empty acknowledgement; keeping it open, one with
// `response_action: errors`.
class FormResponder final : public app::FormResponder {
 public:
  explicit FormResponder(std::shared_ptr<Ack>);
  void acknowledge() override;
  void keep_open(std::map<std::string, std::string> problems) override;

 private:
  std::shared_ptr<Ack> ack_;
};

}  // namespace microalign::slack
