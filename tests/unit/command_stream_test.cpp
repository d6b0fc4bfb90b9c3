#include <doctest/doctest.h>

#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "net/command_stream.h"
#include "net/http_client.h"

// A connection carried by a command (ssh's dial-stdio), against local fakes written in bash:
// one that answers HTTP with its own pid, one that prints a reason and exits, one that ignores
// SIGTERM. After the client is gone, no process it started is left, not even as a zombie.

namespace run::net {

namespace {

using namespace std::chrono_literals;

/// Answers every request (a head without a body) with 200 and "pid N", N its own pid, so a
/// test can see which process answered; ends at the end of its input.
const char* kAnswerer =
    "while IFS= read -r line || exit 0; do"
    "  [ \"${line%$'\\r'}\" = '' ] || continue;"
    "  body=\"pid $$\";"
    "  printf 'HTTP/1.1 200 OK\\r\\nApi-Version: 1.41\\r\\nContent-Length: %d\\r\\n\\r\\n%s'"
    "    \"${#body}\" \"$body\";"
    "done";

/// kAnswerer, except that it answers GET /slow after two seconds.
const char* kSlowAnswerer =
    "slow=;"
    "while IFS= read -r line || exit 0; do"
    "  case \"$line\" in 'GET /slow '*) slow=1;; esac;"
    "  [ \"${line%$'\\r'}\" = '' ] || continue;"
    "  [ -z \"$slow\" ] || sleep 2; slow=;"
    "  body=\"pid $$\";"
    "  printf 'HTTP/1.1 200 OK\\r\\nContent-Length: %d\\r\\n\\r\\n%s' \"${#body}\" \"$body\";"
    "done";

Address bash(const std::string& script) { return Address::command_stream({"bash", "-c", script}); }

HttpRequest get(std::string target) { return HttpRequest{"GET", std::move(target), {}, {}}; }

/// The pid in an answer of kAnswerer.
pid_t answered_by(const std::variant<HttpAnswer, NetError>& outcome) {
  const auto* answer = std::get_if<HttpAnswer>(&outcome);
  if (!answer) FAIL("unexpected error: " << std::get<NetError>(outcome).detail);
  REQUIRE(answer->head.status == 200);
  REQUIRE(answer->body.starts_with("pid "));
  return std::stoi(answer->body.substr(4));
}

/// Whether `pid` is still a process of ours: running, or a zombie nobody reaped.
bool exists(pid_t pid) { return kill(pid, 0) == 0 || errno != ESRCH; }

/// A temporary directory, removed with what is in it.
class TempDir {
 public:
  TempDir() {
    char name[] = "/tmp/run-command-stream-XXXXXX";
    REQUIRE(mkdtemp(name) != nullptr);
    path_ = name;
  }
  ~TempDir() { CHECK(std::system(("rm -rf '" + path_ + "'").c_str()) == 0); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace

TEST_CASE("command stream: requests one after another share one process, ended with the client") {
  pid_t first = 0;
  {
    HttpClient client(bash(kAnswerer), 2s);
    first = answered_by(client.exchange(get("/_ping"), 5s));
    CHECK(answered_by(client.exchange(get("/containers/json"), 5s)) == first);
    CHECK(answered_by(client.exchange(get("/networks"), 5s)) == first);
    CHECK(exists(first));
  }
  CHECK(!exists(first));
}

TEST_CASE("command stream: short requests side by side wait for the one process, not start more") {
  HttpClient client(bash(kAnswerer), 2s);
  answered_by(client.exchange(get("/_ping"), 5s));
  std::mutex mutex;
  std::set<pid_t> answerers;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 3; ++i) {
        std::variant<HttpAnswer, NetError> outcome = client.exchange(get("/containers/json"), 5s);
        std::lock_guard lock(mutex);
        answerers.insert(answered_by(outcome));
      }
    });
  for (std::thread& thread : threads) thread.join();
  // 13 requests; a process each would be 4 at least. One, unless the machine is very slow.
  CHECK(answerers.size() <= 2);
}

TEST_CASE("command stream: a request behind a long one starts its own process after a moment") {
  HttpClient client(bash(kSlowAnswerer), 2s);
  pid_t first = answered_by(client.exchange(get("/_ping"), 5s));
  std::thread slow([&] { CHECK(answered_by(client.exchange(get("/slow"), 10s)) == first); });
  std::this_thread::sleep_for(200ms);  // the slow request holds the one process by now
  auto started = std::chrono::steady_clock::now();
  pid_t other = answered_by(client.exchange(get("/fast"), 5s));
  CHECK(std::chrono::steady_clock::now() - started < 1500ms);
  CHECK(other != first);
  slow.join();
}

TEST_CASE("command stream: what the command printed before it ended is the error") {
  HttpClient client(
      bash("echo 'ssh: Could not resolve hostname nowhere.invalid: Name or service not known' >&2;"
           "exit 255"),
      2s);
  std::variant<HttpAnswer, NetError> outcome = client.exchange(get("/_ping"), 5s);
  REQUIRE(std::holds_alternative<NetError>(outcome));
  const NetError& error = std::get<NetError>(outcome);
  CHECK(error.kind == NetError::Kind::kConnect);
  CHECK(error.detail ==
        "`bash` ended the stream before any answer; bash printed: ssh: Could not resolve "
        "hostname nowhere.invalid: Name or service not known");
}

TEST_CASE("command stream: several lines of stderr are kept on one line") {
  HttpClient client(bash("read line; echo 'Warning: added host' >&2; echo 'Permission denied' >&2"),
                    2s);
  std::variant<HttpAnswer, NetError> outcome = client.exchange(get("/_ping"), 5s);
  REQUIRE(std::holds_alternative<NetError>(outcome));
  CHECK(std::get<NetError>(outcome).detail.ends_with(
      "bash printed: Warning: added host; Permission denied"));
}

TEST_CASE("command stream: a command that ends silently says so") {
  HttpClient client(bash("exit 1"), 2s);
  std::variant<HttpAnswer, NetError> outcome = client.exchange(get("/_ping"), 5s);
  REQUIRE(std::holds_alternative<NetError>(outcome));
  CHECK(std::get<NetError>(outcome).detail ==
        "`bash` ended the stream before any answer (it printed nothing)");
}

TEST_CASE("command stream: a command that is not there is a connect error naming it") {
  HttpClient client(Address::command_stream({"run-no-such-command-for-tests"}), 2s);
  std::variant<HttpAnswer, NetError> outcome = client.exchange(get("/_ping"), 5s);
  REQUIRE(std::holds_alternative<NetError>(outcome));
  CHECK(std::get<NetError>(outcome).kind == NetError::Kind::kConnect);
  CHECK(std::get<NetError>(outcome).detail ==
        "cannot run run-no-such-command-for-tests: No such file or directory");
}

TEST_CASE("command stream: a command that ignores SIGTERM is killed, and reaped") {
  TempDir directory;
  std::string pid_file = directory.path() + "/pid";
  auto started = std::chrono::steady_clock::now();
  {
    NetError error;
    int fd = -1;
    std::unique_ptr<CommandStream> command = CommandStream::start(
        {"bash", "-c", "trap '' TERM; echo $$ > " + pid_file + "; exec sleep 30"}, fd, error);
    REQUIRE(command);
    close(fd);
    for (int i = 0; i < 200 && !std::ifstream(pid_file).good(); ++i) usleep(10'000);
    usleep(50'000);  // the exec after the echo
  }
  CHECK(std::chrono::steady_clock::now() - started < 5s);
  pid_t pid = 0;
  std::ifstream(pid_file) >> pid;
  REQUIRE(pid > 0);
  CHECK(!exists(pid));
}

}  // namespace run::net
