// A ✅ on an assumption's echo (or on the message it came in), or a reply in its thread by
// someone other than its author, answers it: it leaves the digest's "open assumptions".
#include "microalign/app/bot.hpp"
#include "microalign/core/log.hpp"
#include "microalign/storage/store.hpp"

namespace microalign::app {

namespace asio = boost::asio;

asio::awaitable<void> Bot::on_possible_answer(Platform& platform, PossibleAnswer answer, Responder& responder) {
  const auto kind =
      answer.kind == PossibleAnswer::Kind::reaction ? storage::AnswerKind::reaction : storage::AnswerKind::reply;
  int answered = 0;
  Work record = [&, now = now_()](storage::Store& s) {
    for (const auto& assumption : s.open_assumptions_at(answer.team, answer.channel, answer.at)) {
      if (assumption.user == answer.user) continue;  // the author adding detail is not an answer
      s.record_answer(assumption.id, kind, answer.user, now);
      ++answered;
    }
  };
  const auto done = co_await transact(transactions_, std::move(record), platform.answer_within());
  // Not acknowledged when storing failed: the platform delivers it again, and recording is idempotent.
  if (!done.committed()) {
    log::error("bot", "answer in " + answer.channel + " not recorded: " + done.error);
    co_return;
  }
  responder.acknowledge();
  if (answered > 0) log::info("bot", std::to_string(answered) + " assumption(s) answered in " + answer.channel);
}

// Nothing to keep yet: a channel's settings and tickets stay when the bot leaves it (it may be
// invited back), and a digest it can no longer post tells whoever configured the channel.
asio::awaitable<void> Bot::on_membership(Platform&, MembershipChanged change, Responder& responder) {
  if (change.is_bot) {
    log::info("bot", std::string(change.joined ? "added to " : "removed from ") + change.channel);
  }
  responder.acknowledge();
  co_return;
}

}  // namespace microalign::app
