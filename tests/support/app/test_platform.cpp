#include "test_platform.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace microalign::test {

namespace asio = boost::asio;
using storage::Delivery;

namespace send_outcome {

app::SendOutcome ok(std::string ref) {
  app::SendOutcome o;
  o.ok = true;
  o.sent.ref = std::move(ref);
  return o;
}

app::SendOutcome transient(std::string error, std::optional<std::chrono::seconds> retry_after) {
  app::SendOutcome o;
  o.error = std::move(error);
  o.transient = true;
  o.retry_after = retry_after;
  return o;
}

app::SendOutcome rate_limited(std::chrono::seconds retry_after) {
  auto o = transient("rate_limited", retry_after);
  o.rate_limited = true;
  return o;
}

app::SendOutcome cannot_post_here(std::string error) {
  app::SendOutcome o;
  o.error = std::move(error);
  o.cannot_post_here = true;
  return o;
}

app::SendOutcome permanent(std::string error) {
  app::SendOutcome o;
  o.error = std::move(error);
  return o;
}

}  // namespace send_outcome

TestPlatform::TestPlatform(Options options) : options_(std::move(options)) {}

void TestPlatform::script_send(app::SendOutcome outcome) { send_script_.push_back(std::move(outcome)); }

void TestPlatform::script_open_direct(app::SendOutcome outcome) { open_script_.push_back(std::move(outcome)); }

void TestPlatform::add_person(const std::string& user, std::string name, std::string time_zone) {
  app::PersonInfo person;
  person.found = true;
  person.name = std::move(name);
  person.time_zone = std::move(time_zone);
  people_[user] = std::move(person);
}

void TestPlatform::answer_slowly(const std::string& user) { slow_.insert(user); }

std::vector<TestPlatform::Sent> TestPlatform::sent(Delivery delivery) const {
  std::vector<Sent> matching;
  for (const auto& s : sent_) {
    if (s.message.delivery == delivery) matching.push_back(s);
  }
  return matching;
}

std::optional<Message> TestPlatform::shown(const std::string& conversation, const std::string& ref) const {
  const auto found = shown_.find({conversation, ref});
  if (found == shown_.end()) return std::nullopt;
  return found->second;
}

asio::awaitable<app::SendOutcome> TestPlatform::send(const storage::OutboxMessage& m, const std::string& conversation,
                                                     const std::optional<storage::SentMessage>& parent) {
  app::SendOutcome outcome = send_outcome::ok();
  if (!send_script_.empty()) {
    outcome = std::move(send_script_.front());
    send_script_.pop_front();
  }
  if (outcome.ok) {
    // As chat platforms do: a new message gets a new id, an edited one keeps its own, and a
    // command's answer gets none.
    outcome.sent.conversation = conversation;
    switch (m.delivery) {
      case Delivery::post:
      case Delivery::direct:
        if (outcome.sent.ref.empty()) outcome.sent.ref = "m" + std::to_string(next_ref_++);
        break;
      case Delivery::update:
        outcome.sent.ref = m.target;
        break;
      case Delivery::reply:
      case Delivery::private_reply:
        outcome.sent.ref.clear();
        break;
    }
    if (!outcome.sent.ref.empty()) shown_[{conversation, outcome.sent.ref}] = m.message;
  }
  sent_.push_back({m, conversation, parent, outcome, options_.clock()});
  co_return outcome;
}

asio::awaitable<app::SendOutcome> TestPlatform::open_direct(const std::string& team, const std::string& user) {
  opened_.emplace_back(team, user);
  app::SendOutcome outcome = send_outcome::ok();
  if (!open_script_.empty()) {
    outcome = std::move(open_script_.front());
    open_script_.pop_front();
  }
  if (outcome.ok) {
    if (outcome.sent.conversation.empty()) outcome.sent.conversation = "D-" + user;
    outcome.sent.ref.clear();
  }
  co_return outcome;
}

asio::awaitable<app::PersonInfo> TestPlatform::look_up(const std::string& team, const std::string& user,
                                                       std::chrono::milliseconds timeout, Urgency urgency) {
  look_ups_.push_back({team, user, timeout, urgency});
  app::PersonInfo person;
  if (slow_.contains(user)) {
    const auto executor = co_await asio::this_coro::executor;
    asio::steady_timer deadline(executor, timeout);
    co_await deadline.async_wait(asio::as_tuple(asio::use_awaitable));
    person.error = "timed out";
    co_return person;
  }
  if (const auto known = people_.find(user); known != people_.end()) co_return known->second;
  person.error = "user_not_found";
  co_return person;
}

std::string TestPlatform::link_to(const Update& u) const {
  if (u.echo_ref.empty()) return {};
  return "https://test.example/" + u.where.channel + "/" + u.echo_ref;
}

std::string plain_text(const Message& m) {
  std::string text;
  for (const auto& block : m.blocks) {
    const RichText* line = nullptr;
    if (const auto* section = std::get_if<Section>(&block)) line = &section->text;
    if (const auto* context = std::get_if<Context>(&block)) line = &context->text;
    if (!line) continue;
    if (!text.empty()) text += "\n";
    text += to_plain_text(*line);
  }
  return text;
}

std::vector<Span> people_named(const Message& m) {
  std::vector<Span> people;
  const auto collect = [&people](const RichText& text) {
    for (const auto& span : text) {
      if (!span.user.empty()) people.push_back(span);
    }
  };
  for (const auto& block : m.blocks) {
    if (const auto* section = std::get_if<Section>(&block)) collect(section->text);
    if (const auto* context = std::get_if<Context>(&block)) collect(context->text);
  }
  return people;
}

std::vector<std::string> button_labels(const Message& m) {
  std::vector<std::string> labels;
  for (const auto& block : m.blocks) {
    if (const auto* actions = std::get_if<Actions>(&block)) {
      for (const auto& button : actions->buttons) labels.push_back(button.label);
    }
  }
  return labels;
}

}  // namespace microalign::test
