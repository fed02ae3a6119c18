// The bot's side of a Teams test: one io_context, a TLS context that trusts the test CA alone,
// and a clock the test moves by hand.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <exception>
#include <functional>
#include <optional>
#include <vector>

#include "microalign/core/model.hpp"
#include "microalign/net/tls.hpp"
#include "test_pki.hpp"

namespace microalign::test {

struct Loop {
  explicit Loop(const TestPki& ca) : tls((ca.trust(), net::make_client_tls_context())) {}

  // Runs the tasks together on the loop until all are done (or fails the test after `limit`);
  // their results in the order given.
  template <class T>
  std::vector<T> run_all(std::vector<boost::asio::awaitable<T>> tasks,
                         std::chrono::milliseconds limit = std::chrono::seconds(5)) {
    std::vector<std::optional<T>> out(tasks.size());
    std::exception_ptr failure;
    std::size_t done = 0;
    for (std::size_t i = 0; i < tasks.size(); ++i) {
      boost::asio::co_spawn(ioc, std::move(tasks[i]), [&, i](std::exception_ptr e, T value) {
        if (e) failure = e;
        out[i].emplace(std::move(value));
        ++done;
      });
    }
    const auto deadline = std::chrono::steady_clock::now() + limit;
    ioc.restart();
    while (done < out.size() && ioc.run_one_until(deadline) > 0) {
    }
    if (failure) std::rethrow_exception(failure);
    REQUIRE(done == out.size());
    std::vector<T> results;
    for (auto& result : out) results.push_back(std::move(*result));
    return results;
  }

  template <class T>
  T run(boost::asio::awaitable<T> task, std::chrono::milliseconds limit = std::chrono::seconds(5)) {
    std::vector<boost::asio::awaitable<T>> tasks;
    tasks.push_back(std::move(task));
    return std::move(run_all(std::move(tasks), limit).front());
  }

  boost::asio::io_context ioc;
  boost::asio::ssl::context tls;
};

// A wall clock that only moves when the test says so.
struct ManualClock {
  SysTime now{std::chrono::sys_days{std::chrono::year{2024} / 4 / 1} + std::chrono::hours(9)};
  std::function<SysTime()> function() {
    return [this] { return now; };
  }
};

}  // namespace microalign::test
