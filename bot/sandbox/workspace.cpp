#include "microalign/sandbox/workspace.hpp"

#include <algorithm>

namespace microalign::sandbox {

namespace {
constexpr std::string_view direct_prefix = "D-";
}

const Person* Workspace::person(std::string_view id) const {
  const auto it = std::find_if(people.begin(), people.end(), [&](const Person& p) { return p.id == id; });
  return it == people.end() ? nullptr : &*it;
}

const Channel* Workspace::channel(std::string_view id) const {
  const auto it = std::find_if(channels.begin(), channels.end(), [&](const Channel& c) { return c.id == id; });
  return it == channels.end() ? nullptr : &*it;
}

bool Workspace::has_conversation(std::string_view id) const {
  return channel(id) != nullptr || direct_owner(*this, id).has_value();
}

const Workspace& workspace() {
  static const Workspace w{
      "sandbox",
      "microalign",
      {
          {"web", "the web app: releases, flaky tests, front-end work"},
          {"payments", "checkout, invoices and the payment provider"},
          {"ops", "databases, deploys, on-call"},
      },
      {
          {"ana", "Ana", "Europe/Lisbon", "Lisbon"},
          {"bo", "Bo", "America/New_York", "New York"},
          {"chen", "Chen", "Asia/Singapore", "Singapore"},
      },
  };
  return w;
}

// "sandbox:<person>:<conversation>:<thread>": ids hold no ':' (see workspace() and MessageLog).
std::string encode_reply_handle(const ReplyTo& to) {
  return "sandbox:" + to.person + ":" + to.conversation + ":" + to.thread;
}

std::optional<ReplyTo> decode_reply_handle(std::string_view handle) {
  constexpr std::string_view prefix = "sandbox:";
  if (!handle.starts_with(prefix)) return std::nullopt;
  handle.remove_prefix(prefix.size());
  const auto first = handle.find(':');
  const auto second = first == std::string_view::npos ? first : handle.find(':', first + 1);
  if (second == std::string_view::npos || handle.find(':', second + 1) != std::string_view::npos) return std::nullopt;
  ReplyTo to{std::string(handle.substr(0, first)), std::string(handle.substr(first + 1, second - first - 1)),
             std::string(handle.substr(second + 1))};
  if (to.person.empty() || to.conversation.empty()) return std::nullopt;
  return to;
}

std::string direct_conversation(std::string_view person) { return std::string(direct_prefix) + std::string(person); }

std::optional<std::string> direct_owner(const Workspace& w, std::string_view conversation) {
  if (!conversation.starts_with(direct_prefix)) return std::nullopt;
  const auto person = conversation.substr(direct_prefix.size());
  if (!w.person(person)) return std::nullopt;
  return std::string(person);
}

}  // namespace microalign::sandbox
