// The platform-neutral vocabulary of microalign: who posted what, where, and what it means.
// Slack and (later) Teams adapters translate their own ids and payloads into these types.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace microalign {

using SysTime = std::chrono::sys_time<std::chrono::milliseconds>;

// What an update is, as far as the people reading it are concerned.
enum class UpdateKind { heads_up, status, assumption, question };

// The state of the work an update talks about. Absent when the text names none.
enum class TicketState { on_track, at_risk, delayed, blocked, done };

// How the update reached us.
enum class UpdateSource { slash, mention };

std::string_view to_string(UpdateKind);
std::string_view to_string(TicketState);
std::string_view to_string(UpdateSource);
std::optional<UpdateKind> update_kind_from_string(std::string_view);
std::optional<TicketState> ticket_state_from_string(std::string_view);
std::optional<UpdateSource> update_source_from_string(std::string_view);

// A place people talk: a Slack workspace + channel (+ thread), or a Teams tenant + conversation.
struct Conversation {
  std::string team;     // workspace / tenant id
  std::string channel;  // channel / conversation id
  std::string thread;   // parent message id when the update was posted in a thread; else empty
};

// What the parser makes of one update's text (see parse.hpp).
struct ParsedUpdate {
  UpdateKind kind = UpdateKind::heads_up;
  std::optional<TicketState> state;
  std::vector<std::string> tickets;  // canonical keys: "ENG-42", "acme/web#9"
  std::vector<std::string> links;    // every URL the text carried, in order, de-duplicated
  std::optional<int> delay_days;     // for `delayed`, when the text says how much
  std::string blocked_on;            // for `blocked`, what it waits on when the text says so
  std::string text;                  // the update as plain text (platform markup decoded)
};

// An update as stored: the parse plus where and when and who.
struct Update {
  std::int64_t id = 0;  // assigned by the store
  SysTime created_at{};
  Conversation where;
  std::string user;  // platform user id of the author
  UpdateSource source = UpdateSource::slash;
  ParsedUpdate parsed;
  std::string echo_ref;    // platform id of the echo message (Slack `ts`) once posted
  std::string source_ref;  // platform id of the message the update came from (a mention), if any
};

}  // namespace microalign
