// What a caught exception says, for a log line or an operator's message: one place that knows
// how to look inside a std::exception_ptr (every coroutine spawned with a completion handler
// gets one).
#pragma once

#include <exception>
#include <string>

namespace microalign {

// The exception's what(), or a fixed sentence for one that is not a std::exception.
// `failure` must not be null.
std::string what_failed(const std::exception_ptr& failure);

}  // namespace microalign
