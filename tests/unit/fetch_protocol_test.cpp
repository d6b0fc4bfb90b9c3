#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include "history/fetch_protocol.h"
#include "process/fetch_child.h"

// What the fetch child says and what the loop makes of how it ended: pure, no process here.

namespace run::history {

namespace {

using namespace std::chrono_literals;

const std::string kCommit = "0123456789abcdef0123456789abcdef01234567";

}  // namespace

TEST_CASE("fetch protocol: a fetched branch goes through the reply unchanged") {
  Result<FetchedBranch> sent = FetchedBranch{"refs/remotes/origin/main", kCommit};
  CHECK(fetch_reply_text(sent) == "ok refs/remotes/origin/main " + kCommit + "\n");
  Result<FetchedBranch> read = parse_fetch_reply(fetch_reply_text(sent), "origin");
  REQUIRE(read);
  CHECK(read->tracking_ref == "refs/remotes/origin/main");
  CHECK(read->commit_id == kCommit);
}

TEST_CASE("fetch protocol: errors keep their message and hint, newlines and backslashes too") {
  Diagnostics errors{
      make_error(SourceLocation{}, "", "cannot fetch main from remote 'origin': bad\nthing \\o/",
                 "check the remote's URL"),
      make_error(SourceLocation{}, "", "a second one, without a hint")};
  Result<FetchedBranch> read = parse_fetch_reply(fetch_reply_text(errors), "origin");
  REQUIRE_FALSE(read);
  REQUIRE(read.errors().size() == 2);
  CHECK(read.errors()[0].message == "cannot fetch main from remote 'origin': bad\nthing \\o/");
  CHECK(read.errors()[0].hint == "check the remote's URL");
  CHECK(read.errors()[1].message == "a second one, without a hint");
  CHECK(read.errors()[1].hint.empty());
}

TEST_CASE("fetch protocol: an empty or garbled reply is an error that names the remote") {
  for (std::string reply : {std::string(), std::string("Segmentation fault\n"),
                            std::string("ok refs/remotes/origin/main 0123\n"),
                            std::string("hint a hint with no error\n")}) {
    Result<FetchedBranch> read = parse_fetch_reply(reply, "origin");
    REQUIRE_FALSE(read);
    CHECK(read.errors()[0].message.starts_with("fetch of origin ended without a reply"));
  }
  CHECK(parse_fetch_reply("Segmentation fault\n", "origin").errors()[0].message ==
        "fetch of origin ended without a reply (it said 'Segmentation fault')");
}

TEST_CASE("fetch protocol: the timeout says how long, as the flag was written") {
  CHECK(fetch_timed_out("origin", 60s).message == "fetch of origin timed out after 60 s");
  CHECK(fetch_timed_out("stuck", 2500ms).message == "fetch of stuck timed out after 2.5 s");
  CHECK(fetch_timed_out("origin", 60s).hint.find("--fetch-timeout") != std::string::npos);
}

TEST_CASE("fetch protocol: the child's arguments name the hidden command") {
  CHECK(fetch_command_arguments("/srv/shop", "origin", "main") ==
        std::vector<std::string>{"__fetch", "/srv/shop", "origin", "main"});
}

TEST_CASE("fetch child: how the child ended decides the tick's error") {
  using process::ChildEnd;
  using process::ChildOutcome;
  using process::fetch_result;
  CHECK(
      fetch_result(ChildOutcome{ChildEnd::kTimedOut, 0, 0, ""}, "origin", 2s).errors()[0].message ==
      "fetch of origin timed out after 2 s");
  CHECK(
      fetch_result(ChildOutcome{ChildEnd::kStopped, 0, 0, ""}, "origin", 2s).errors()[0].message ==
      "fetch of origin interrupted: the loop is stopping");
  CHECK(fetch_result(ChildOutcome{ChildEnd::kSignalled, 0, 11, ""}, "origin", 2s)
            .errors()[0]
            .message.starts_with("fetch of origin died of signal 11"));
  // A reply counts only from a child that ended of itself, even one cut short after replying.
  std::string reply = "ok refs/remotes/origin/main " + kCommit + "\n";
  CHECK(fetch_result(ChildOutcome{ChildEnd::kExited, 0, 0, reply}, "origin", 2s));
  CHECK_FALSE(fetch_result(ChildOutcome{ChildEnd::kTimedOut, 0, 0, reply}, "origin", 2s));
}

}  // namespace run::history
