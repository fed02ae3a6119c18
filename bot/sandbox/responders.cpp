#include "microalign/sandbox/responders.hpp"

#include "microalign/sandbox/message_log.hpp"
#include "microalign/sandbox/sandbox_platform.hpp"

namespace microalign::sandbox {

namespace asio = boost::asio;

Responder::Responder(SandboxPlatform& platform, ReplyTo to) : platform_(platform), to_(std::move(to)) {}

asio::awaitable<void> Responder::answer_privately(Message m) {
  acknowledge();
  platform_.tell_privately(to_, std::move(m));
  co_return;
}

asio::awaitable<bool> Responder::open_form(app::UpdateForm form) {
  platform_.open_form(to_, std::move(form));
  co_return true;
}

FormResponder::FormResponder(MessageLog& log, std::string form_id, std::string state, std::string note)
    : log_(log), form_id_(std::move(form_id)), state_(std::move(state)), note_(std::move(note)) {}

void FormResponder::acknowledge() {
  closed_ = true;
  if (auto* entry = log_.find(form_id_)) {
    entry->form.open = false;
    entry->form.problems.clear();
    log_.touch(*entry);
  }
}

void FormResponder::keep_open(std::map<std::string, std::string> problems) {
  if (auto* entry = log_.find(form_id_)) {
    entry->form.state = state_;
    entry->form.note = note_;
    entry->form.problems = std::move(problems);
    log_.touch(*entry);
  }
}

}  // namespace microalign::sandbox
