#include "microalign/core/failure.hpp"

#include <catch2/catch.hpp>
#include <stdexcept>

using namespace microalign;

TEST_CASE("what_failed says what a std::exception says, and a fixed sentence for anything else", "[failure]") {
  CHECK(what_failed(std::make_exception_ptr(std::runtime_error("disk full"))) == "disk full");
  CHECK(what_failed(std::make_exception_ptr(42)) == "an exception that is not a std::exception");
}
