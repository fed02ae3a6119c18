#include "microalign/app/transact.hpp"

#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <optional>

namespace microalign::app {
namespace {

namespace asio = boost::asio;

// Shared by the deadline timer and the worker's completion; touched only on the loop.
template <typename Handler>
struct PendingCommit {
  PendingCommit(Handler h, const asio::any_io_executor& ex) : handler(std::move(h)), timer(ex) {}

  void finish(CommitResult result) {
    if (!handler) return;
    timer.cancel();
    auto h = std::move(*handler);
    handler.reset();
    std::move(h)(std::move(result));
  }

  std::optional<Handler> handler;
  asio::steady_timer timer;
  std::shared_ptr<storage::Ticket> ticket;
};

}  // namespace

asio::awaitable<CommitResult> transact(storage::Transactions& queue, storage::Transactions::Work work,
                                     std::chrono::milliseconds deadline) {
  auto executor = co_await asio::this_coro::executor;
  co_return co_await asio::async_initiate<decltype(asio::use_awaitable), void(CommitResult)>(
      [&queue, &executor, deadline](auto handler, storage::Transactions::Work work) {
        using State = PendingCommit<decltype(handler)>;
        auto state = std::make_shared<State>(std::move(handler), executor);
        state->ticket = queue.submit(std::move(work), [state, executor](const storage::CommitOutcome& outcome) {
          // On the storage thread: hop back to the loop before touching anything.
          asio::post(executor, [state, outcome] {
            state->finish(outcome.ok() ? CommitResult{CommitResult::Status::committed, {}}
                                       : CommitResult{CommitResult::Status::failed, outcome.error});
          });
        });
        state->timer.expires_after(deadline);
        state->timer.async_wait([state](boost::system::error_code ec) {
          if (!ec && state->ticket->withdraw()) {
            state->finish({CommitResult::Status::withdrawn, "storage did not get to it in time"});
          }
        });
      },
      asio::use_awaitable, std::move(work));
}

asio::awaitable<std::string> probe_write(storage::Transactions& queue, std::chrono::milliseconds deadline) {
  auto executor = co_await asio::this_coro::executor;
  const CommitResult result = co_await asio::async_initiate<decltype(asio::use_awaitable), void(CommitResult)>(
      [&queue, &executor, deadline](auto handler) {
        using State = PendingCommit<decltype(handler)>;
        auto state = std::make_shared<State>(std::move(handler), executor);
        // Nothing to write, and nothing captured: it may run after the answer has gone.
        storage::Transactions::Work nothing = [](storage::Store&) {};
        state->ticket = queue.submit(std::move(nothing), [state, executor](const storage::CommitOutcome& outcome) {
          asio::post(executor, [state, outcome] {
            state->finish(
                {outcome.ok() ? CommitResult::Status::committed : CommitResult::Status::failed, outcome.error});
          });
        });
        state->timer.expires_after(deadline);
        state->timer.async_wait([state, deadline](boost::system::error_code ec) {
          if (ec) return;
          state->ticket->withdraw();
          state->finish(
              {CommitResult::Status::withdrawn, "no answer within " + std::to_string(deadline.count()) + " ms"});
        });
      },
      asio::use_awaitable);
  if (result.committed()) co_return std::string{};
  co_return result.error.empty() ? std::string("the transaction failed") : result.error;
}

}  // namespace microalign::app
