#include "microalign/sandbox/sandbox_platform.hpp"

namespace microalign::sandbox {
namespace {

namespace asio = boost::asio;
using storage::Delivery;

app::SendOutcome sent(std::string conversation, std::string ref) {
  app::SendOutcome outcome;
  outcome.ok = true;
  outcome.sent.conversation = std::move(conversation);
  outcome.sent.ref = std::move(ref);
  return outcome;
}

app::SendOutcome failed(std::string error, bool cannot_post_here = false) {
  app::SendOutcome outcome;
  outcome.error = std::move(error);
  outcome.cannot_post_here = cannot_post_here;
  return outcome;
}

}  // namespace

SandboxPlatform::SandboxPlatform(MessageLog& log, const Workspace& workspace, app::Clock now)
    : log_(log), workspace_(workspace), now_(std::move(now)) {}

CommandSpelling SandboxPlatform::spelling() const { return slash_commands(workspace_.bot_name); }

// As Slack's: the page draws Block Kit-like messages.
app::MessageLimits SandboxPlatform::limits() const { return {45, 2500}; }

// Nobody waits on a wire here; as long as Slack gives, so the application behaves the same.
std::chrono::milliseconds SandboxPlatform::answer_within() const { return std::chrono::milliseconds(2500); }

const Entry& SandboxPlatform::append(Entry entry) {
  entry.at = now_();
  return log_.append(std::move(entry));
}

asio::awaitable<app::SendOutcome> SandboxPlatform::send(const storage::OutboxMessage& m,
                                                        const std::string& conversation,
                                                        const std::optional<storage::SentMessage>& parent) {
  // Rows carried over from before the outbox was neutral were Slack's; none is ever the sandbox's.
  if (!m.rendered.empty()) co_return failed("the sandbox shows only neutral messages");
  switch (m.delivery) {
    case Delivery::post:
    case Delivery::direct: {
      if (!workspace_.has_conversation(conversation)) co_return failed("channel_not_found", true);
      Entry entry;
      entry.conversation = conversation;
      entry.thread = parent ? parent->ref : m.thread;
      // A thread from before a restart is not in the page any more: the reply shows on its own.
      if (const auto* root = log_.find(entry.thread); !root || root->conversation != conversation) entry.thread.clear();
      entry.message = m.message;
      const auto& shown = append(std::move(entry));
      co_return sent(conversation, shown.id);
    }
    case Delivery::update: {
      auto* entry = log_.find(m.target);
      if (!entry || entry->conversation != conversation || entry->kind != Entry::Kind::bot) {
        co_return failed("message_not_found");
      }
      entry->message = m.message;
      entry->edited = true;
      log_.touch(*entry);
      co_return sent(conversation, entry->id);
    }
    case Delivery::reply:
    case Delivery::private_reply: {
      const auto to = decode_reply_handle(m.reply_handle);
      if (!to || !workspace_.person(to->person) || !workspace_.has_conversation(to->conversation)) {
        co_return failed("the reply handle is not the sandbox's");
      }
      Entry entry;
      entry.conversation = to->conversation;
      entry.thread = to->thread;
      entry.only_for = m.delivery == Delivery::private_reply ? to->person : std::string{};
      entry.message = m.message;
      append(std::move(entry));
      co_return sent(to->conversation, {});  // replies get no id, as on Slack
    }
  }
  co_return failed("unknown delivery");
}

asio::awaitable<app::SendOutcome> SandboxPlatform::open_direct(const std::string& team, const std::string& user) {
  if (team != workspace_.team || !workspace_.person(user)) co_return failed("user_not_found");
  co_return sent(direct_conversation(user), {});
}

asio::awaitable<app::PersonInfo> SandboxPlatform::look_up(const std::string& team, const std::string& user,
                                                          std::chrono::milliseconds, Urgency) {
  app::PersonInfo info;
  const auto* person = team == workspace_.team ? workspace_.person(user) : nullptr;
  if (!person) {
    info.error = "user_not_found";
    co_return info;
  }
  info.found = true;
  info.name = person->name;
  info.time_zone = person->time_zone;
  co_return info;
}

std::string SandboxPlatform::link_to(const Update& u) const { return u.echo_ref.empty() ? "" : "#" + u.echo_ref; }

const Entry& SandboxPlatform::tell_privately(const ReplyTo& to, Message m) {
  Entry entry;
  entry.conversation = to.conversation;
  entry.thread = to.thread;
  entry.only_for = to.person;
  entry.message = std::move(m);
  return append(std::move(entry));
}

const Entry& SandboxPlatform::open_form(const ReplyTo& to, app::UpdateForm form) {
  Entry entry;
  entry.kind = Entry::Kind::form;
  entry.conversation = to.conversation;
  entry.only_for = to.person;
  entry.form.ticket = std::move(form.ticket);
  entry.form.about = std::move(form.about);
  entry.form.context = std::move(form.context);
  return append(std::move(entry));
}

}  // namespace microalign::sandbox
