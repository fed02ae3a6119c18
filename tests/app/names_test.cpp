// The names the application learns as it runs, laid over the store's for echoes, digests and
// nudges: a user id is only unique within its workspace, so a name is its workspace's.
#include "scenario.hpp"

using namespace microalign;
using namespace microalign::test;
using namespace std::chrono_literals;

namespace {

std::vector<std::string> names_in(const Message& m) {
  std::vector<std::string> names;
  for (const auto& person : people_named(m)) names.push_back(person.text);
  return names;
}

}  // namespace

// Regression, "a name learned in one workspace named someone else in another": the names learned
// were kept by user id alone, so once Alice (U1) of T1 had been named, U1 of T2 — another
// person, on another platform — was echoed, digested and nudged as Alice, and never looked up.
TEST_CASE("a name learned in one workspace does not name the same user id in another", "[names][regression]") {
  AppHarness h({.platforms = {"test", "other"}});
  auto& other = h.platform("other");
  other.add_person("U1", "Zed");
  TestResponder r;
  h.deliver(status("ENG-42 on track"), r);  // Alice, U1 of T1 on "test", named by the command

  auto zeds = mention("OPS-7 at risk, disk is filling up", "m-1", "Ev1");
  zeds.where.team = "T2";
  h.deliver(zeds, r, &other);
  const auto echo = h.pending("other");
  REQUIRE(echo.size() == 1);
  CHECK(names_in(echo[0].message) == std::vector<std::string>{"@Zed"});

  auto digest_now = command("digest now");
  digest_now.where.team = "T2";
  digest_now.asker = {"U2", ""};
  h.deliver(digest_now, r, &other);
  const auto digest = h.pending("other");
  REQUIRE(digest.size() > 1);
  for (const auto& m : digest) CHECK_THAT(plain_text(m.message), !Contains("Alice"));
}
