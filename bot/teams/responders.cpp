#include "microalign/teams/responders.hpp"

#include "microalign/core/log.hpp"
#include "microalign/core/notices.hpp"
#include "microalign/teams/teams_platform.hpp"

namespace microalign::teams {

namespace asio = boost::asio;

Responder::Responder(TeamsPlatform& platform, Asker asker) : platform_(platform), asker_(std::move(asker)) {}

asio::awaitable<void> Responder::answer_privately(Message m) {
  acknowledge();
  const auto told = co_await platform_.tell(asker_.team, asker_.user, asker_.conversation, m);
  if (!told.ok) log::warn("teams", "a private answer to " + asker_.user + " was not delivered: " + told.error);
}

asio::awaitable<bool> Responder::open_form(app::UpdateForm) { co_return false; }

FormResponder::FormResponder(TeamsPlatform& platform, Asker asker) : platform_(platform), asker_(std::move(asker)) {}

void FormResponder::keep_open(std::map<std::string, std::string> problems) {
  acknowledge();  // the click is taken; what is wrong is said in the chat, the card stays as it was
  for (const auto& [field, problem] : problems) problems_ += (problems_.empty() ? "" : " ") + problem;
}

asio::awaitable<void> FormResponder::finish() {
  if (problems_.empty()) co_return;
  const auto told = co_await platform_.tell(asker_.team, asker_.user, asker_.conversation, render_refusal(problems_));
  if (!told.ok) log::warn("teams", "the form's problems were not told to " + asker_.user + ": " + told.error);
}

}  // namespace microalign::teams
