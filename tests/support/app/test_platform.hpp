// The test adapter on the platform port, as Errbot's `test` backend and the Bot Framework's
// TestAdapter are: a platform in memory that records everything the application sends, opens
// and asks, and answers as the test scripted it. With the recording responders below, a test
// plays the people on the platform and reads what the application decided, with no network.
#pragma once

#include <chrono>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "microalign/app/clock.hpp"
#include "microalign/app/platform.hpp"

namespace microalign::test {

// ---- What a platform says about a send, made up -------------------------------------------------

namespace send_outcome {
// Sent; `ref` is the platform's id for the message (by default the test platform numbers them).
app::SendOutcome ok(std::string ref = {});
// Worth trying again later ("HTTP 503", "timed out"), after `retry_after` when the platform says.
app::SendOutcome transient(std::string error, std::optional<std::chrono::seconds> retry_after = std::nullopt);
// The platform's rate limit for every send of this kind: nothing of the kind before `retry_after`.
app::SendOutcome rate_limited(std::chrono::seconds retry_after);
// The bot is not in the channel, or the channel is gone or archived.
app::SendOutcome cannot_post_here(std::string error = "not_in_channel");
// Never worth trying again ("invalid_blocks", "msg_too_long").
app::SendOutcome permanent(std::string error);
}  // namespace send_outcome

// ---- The platform ------------------------------------------------------------------------------

class TestPlatform final : public app::Platform {
 public:
  struct Options {
    std::string name = "test";
    CommandSpelling spelling = slash_commands("microalign");  // how people type commands there
    app::MessageLimits limits{};
    std::chrono::milliseconds answer_within{2500};  // how long an event waits for its acknowledgement
    app::Clock clock = app::system_clock();  // stamps what is sent, for pacing
  };

  // One send, as the application asked for it and as the platform answered.
  struct Sent {
    storage::OutboxMessage message;
    std::string conversation;
    std::optional<storage::SentMessage> parent;
    app::SendOutcome outcome;
    SysTime at;
  };

  struct LookUp {
    std::string team;
    std::string user;
    std::chrono::milliseconds timeout;
    Urgency urgency;
  };

  TestPlatform() : TestPlatform(Options{}) {}
  explicit TestPlatform(Options);

  // ---- Scripting
  // The outcome of the next send not scripted yet (sends take them in order); a send with
  // nothing scripted succeeds.
  void script_send(app::SendOutcome);
  // The outcome of the next open_direct (in order); unscripted, it opens "D-<user>".
  void script_open_direct(app::SendOutcome);
  // Someone the platform knows: looked up, they are found with this name and zone.
  void add_person(const std::string& user, std::string name, std::string time_zone = "UTC");
  // Looking this person up takes longer than whoever asks waits: the caller's timeout passes
  // (on the event loop's clock) and they are not found.
  void answer_slowly(const std::string& user);

  // ---- What happened
  const std::vector<Sent>& sent() const { return sent_; }
  std::vector<Sent> sent(storage::Delivery) const;  // those delivered this way
  const std::vector<std::pair<std::string, std::string>>& directs_opened() const { return opened_; }  // team, user
  const std::vector<LookUp>& look_ups() const { return look_ups_; }
  // A message as people now see it on the platform: as posted, then as last updated. nullopt for
  // one never sent (successfully) there.
  std::optional<Message> shown(const std::string& conversation, const std::string& ref) const;

  // ---- The port
  std::string_view name() const override { return options_.name; }
  CommandSpelling spelling() const override { return options_.spelling; }
  app::MessageLimits limits() const override { return options_.limits; }
  std::chrono::milliseconds answer_within() const override { return options_.answer_within; }
  boost::asio::awaitable<app::SendOutcome> send(const storage::OutboxMessage&, const std::string& conversation,
                                                const std::optional<storage::SentMessage>& parent) override;
  boost::asio::awaitable<app::SendOutcome> open_direct(const std::string& team, const std::string& user) override;
  boost::asio::awaitable<app::PersonInfo> look_up(const std::string& team, const std::string& user,
                                                  std::chrono::milliseconds timeout, Urgency) override;
  // "https://test.example/<channel>/<echo_ref>"; "" before the update's echo is posted.
  std::string link_to(const Update&) const override;

 private:
  const Options options_;
  std::deque<app::SendOutcome> send_script_;
  std::deque<app::SendOutcome> open_script_;
  std::map<std::string, app::PersonInfo> people_;
  std::set<std::string> slow_;
  std::vector<Sent> sent_;
  std::vector<std::pair<std::string, std::string>> opened_;
  std::vector<LookUp> look_ups_;
  std::map<std::pair<std::string, std::string>, Message> shown_;  // (conversation, ref) → message
  int next_ref_ = 1;
};

// ---- Reading messages --------------------------------------------------------------------------

// A message's plain text, as a person reads it: its sections and small print, one line each
// (buttons are not text).
std::string plain_text(const Message&);
// Every person the message names, as spans (their `mention` says whether they would be pinged).
std::vector<Span> people_named(const Message&);
// The labels of its buttons, in order.
std::vector<std::string> button_labels(const Message&);

// ---- Responders that record ---------------------------------------------------------------------

// Acknowledgements and private answers, as a platform's responder would carry them. Answering
// privately acknowledges too, as the port says.
template <typename Port>
class Recording : public Port {
 public:
  void acknowledge() override { acknowledged_ = true; }
  boost::asio::awaitable<void> answer_privately(Message m) override {
    acknowledged_ = true;
    answers_.push_back(std::move(m));
    co_return;
  }

  bool acknowledged() const { return acknowledged_; }
  const std::vector<Message>& answers() const { return answers_; }
  // The plain text of the last private answer ("" when there is none).
  std::string answer() const { return answers_.empty() ? std::string{} : plain_text(answers_.back()); }

 private:
  bool acknowledged_ = false;
  std::vector<Message> answers_;
};

using TestResponder = Recording<app::Responder>;

// A button's responder: the forms it opened, and whether the platform opens them (scriptable).
class TestButtonResponder final : public Recording<app::ButtonResponder> {
 public:
  void refuse_forms() { opens_forms_ = false; }
  boost::asio::awaitable<bool> open_form(app::UpdateForm form) override {
    forms_.push_back(std::move(form));
    co_return opens_forms_;
  }
  const std::vector<app::UpdateForm>& forms() const { return forms_; }

 private:
  bool opens_forms_ = true;
  std::vector<app::UpdateForm> forms_;
};

// A form's responder: closed, or kept open with its problems under the fields.
class TestFormResponder final : public app::FormResponder {
 public:
  void acknowledge() override { closed_ = true; }
  void keep_open(std::map<std::string, std::string> problems) override { kept_open_.push_back(std::move(problems)); }

  bool closed() const { return closed_; }
  bool kept_open() const { return !kept_open_.empty(); }
  // The problems of the last keep_open, by field id (empty when none).
  std::map<std::string, std::string> problems() const {
    return kept_open_.empty() ? std::map<std::string, std::string>{} : kept_open_.back();
  }

 private:
  bool closed_ = false;
  std::vector<std::map<std::string, std::string>> kept_open_;
};

}  // namespace microalign::test
