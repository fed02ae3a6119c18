// How the application's answers travel back on Teams. The acknowledgement is the HTTP answer to
// the activity's POST; Teams has no message only one person in a channel sees, so an answer meant
// for one person goes to their 1:1 chat with the bot (or stays in it, when the event came from
// there); a form cannot stay open with errors under its fields, so what is wrong is said the same
// way.
#pragma once

#include <string>

#include "microalign/app/platform.hpp"

namespace microalign::teams {

class TeamsPlatform;

// Who acted, and where: where their private answers go.
struct Asker {
  std::string team;          // the tenant
  std::string user;          // their 29:… id
  std::string conversation;  // their 1:1 chat, when the event came from it; else ""
};

class Responder final : public app::ButtonResponder {
 public:
  Responder(TeamsPlatform&, Asker);
  void acknowledge() override { acknowledged_ = true; }
  boost::asio::awaitable<void> answer_privately(Message) override;
  // The update form travels inside the card: there is nothing to open.
  boost::asio::awaitable<bool> open_form(app::UpdateForm) override;
  bool acknowledged() const { return acknowledged_; }

 private:
  TeamsPlatform& platform_;
  Asker asker_;
  bool acknowledged_ = false;
};

class FormResponder final : public app::FormResponder {
 public:
  FormResponder(TeamsPlatform&, Asker);
  void acknowledge() override { acknowledged_ = true; }
  void keep_open(std::map<std::string, std::string> problems) override;
  bool acknowledged() const { return acknowledged_; }
  // What keep_open asked to say, sent once the activity is answered.
  boost::asio::awaitable<void> finish();

 private:
  TeamsPlatform& platform_;
  Asker asker_;
  bool acknowledged_ = false;
  std::string problems_;
};

}  // namespace microalign::teams
