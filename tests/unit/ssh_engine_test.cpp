#include <doctest/doctest.h>

#include <sys/stat.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "docker/http_docker_api.h"
#include "docker/ssh_engine.h"

// DOCKER_HOST=ssh://... to the ssh command the docker CLI runs, the URLs that are refused
// before anything runs, and the docker api through a fake `ssh` first in PATH: one process for
// a session, and ssh's reason in the message.

namespace run::docker {

namespace {

using namespace std::chrono_literals;
using Argv = std::vector<std::string>;

Argv command_of(const std::string& url) {
  Result<SshEngine> engine = SshEngine::parse(url);
  if (!engine) FAIL("unexpected error: " << format_diagnostic(engine.errors().front()));
  return engine->command();
}

std::string error_of(const std::string& url) {
  Result<SshEngine> engine = SshEngine::parse(url);
  if (engine) FAIL("expected an error for " << url);
  return format_diagnostic(engine.errors().front());
}

/// Sets an environment variable for one scope, and puts back what was there.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value) {
      setenv(name, value, 1);
    } else {
      unsetenv(name);
    }
  }
  ~ScopedEnv() {
    if (old_) {
      setenv(name_, old_->c_str(), 1);
    } else {
      unsetenv(name_);
    }
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

const Argv kRemote = {"docker", "system", "dial-stdio"};

Argv with_remote(Argv argv) {
  argv.insert(argv.end(), kRemote.begin(), kRemote.end());
  return argv;
}

}  // namespace

TEST_CASE("ssh engine: a host alone runs ssh with the docker CLI's options and no user or port") {
  CHECK(command_of("ssh://build-1") ==
        with_remote({"ssh", "-o", "ConnectTimeout=20", "-T", "--", "build-1"}));
  CHECK(command_of("ssh://build-1/") == command_of("ssh://build-1"));
}

TEST_CASE("ssh engine: the user and port become -l and -p, the host comes after --") {
  CHECK(command_of("ssh://deploy@10.0.0.5:2222") ==
        with_remote({"ssh", "-o", "ConnectTimeout=20", "-T", "-l", "deploy", "-p", "2222", "--",
                     "10.0.0.5"}));
  CHECK(command_of("ssh://root@127.0.0.1") ==
        with_remote({"ssh", "-o", "ConnectTimeout=20", "-T", "-l", "root", "--", "127.0.0.1"}));
}

TEST_CASE("ssh engine: an IPv6 address loses its brackets") {
  Result<SshEngine> engine = SshEngine::parse("ssh://me@[::1]:22");
  REQUIRE(engine);
  CHECK(engine->host == "::1");
  CHECK(engine->port == "22");
  CHECK(engine->user == "me");
}

TEST_CASE("ssh engine: a path, a query, a password, a bad port or no host are refused") {
  CHECK(error_of("ssh://host/var/run/docker.sock").find("has a path ('/var/run/docker.sock')") !=
        std::string::npos);
  CHECK(error_of("ssh://host?x=1").find("query") != std::string::npos);
  CHECK(error_of("ssh://me:secret@host").find("'ssh://me:***@host' has a password") !=
        std::string::npos);
  CHECK(error_of("ssh://me:secret@host").find("secret") == std::string::npos);
  CHECK(error_of("ssh://host:abc").find("has a bad port 'abc'") != std::string::npos);
  CHECK(error_of("ssh://host:0").find("bad port") != std::string::npos);
  CHECK(error_of("ssh://host:65536").find("bad port") != std::string::npos);
  CHECK(error_of("ssh://host:").find("bad port ''") != std::string::npos);
  CHECK(error_of("ssh://").find("has no host") != std::string::npos);
  CHECK(error_of("ssh://@host").find("empty user") != std::string::npos);
  CHECK(error_of("ssh://-oProxyCommand=x").find("starts with '-'") != std::string::npos);
  CHECK(error_of("ssh://host:abc").find("hint: write ssh://[user@]host[:port]") !=
        std::string::npos);
}

TEST_CASE("ssh engine: DOCKER_HOST=ssh:// is accepted and its address is the ssh command") {
  ScopedEnv host("DOCKER_HOST", "ssh://deploy@box:2200");
  ScopedEnv verify("DOCKER_TLS_VERIFY", "1");  // means nothing for ssh
  Result<DockerEndpoint> endpoint = DockerEndpoint::from_environment();
  REQUIRE(endpoint);
  CHECK(endpoint->ssh());
  net::Address address = endpoint->address();
  CHECK(address.kind == net::Address::Kind::kCommand);
  CHECK(!address.tls);
  CHECK(address.command == with_remote({"ssh", "-o", "ConnectTimeout=20", "-T", "-l", "deploy",
                                        "-p", "2200", "--", "box"}));
}

TEST_CASE("ssh engine: a bad ssh:// DOCKER_HOST is an error before anything runs") {
  ScopedEnv host("DOCKER_HOST", "ssh://box:22x");
  Result<DockerEndpoint> endpoint = DockerEndpoint::from_environment();
  REQUIRE(!endpoint);
  CHECK(endpoint.errors().front().message ==
        "DOCKER_HOST='ssh://box:22x' has a bad port '22x': "
        "a port is a number from 1 to 65535");
}

TEST_CASE("ssh engine: other schemes are still refused, naming ssh:// among the choices") {
  ScopedEnv host("DOCKER_HOST", "npipe:////./pipe/docker_engine");
  Result<DockerEndpoint> endpoint = DockerEndpoint::from_environment();
  REQUIRE(!endpoint);
  CHECK(endpoint.errors().front().hint.find("ssh://[user@]host[:port]") != std::string::npos);
}

namespace {

/// A directory put first in PATH holding a fake `ssh`, for one scope.
class FakeSsh {
 public:
  explicit FakeSsh(const std::string& script) {
    char name[] = "/tmp/run-fake-ssh-XXXXXX";
    REQUIRE(mkdtemp(name) != nullptr);
    directory_ = name;
    std::ofstream(directory_ + "/ssh") << "#!/bin/bash\n" << script << "\n";
    REQUIRE(chmod((directory_ + "/ssh").c_str(), 0755) == 0);
    old_path_ = std::getenv("PATH") ? std::getenv("PATH") : "";
    setenv("PATH", (directory_ + ":" + old_path_).c_str(), 1);
  }
  ~FakeSsh() {
    setenv("PATH", old_path_.c_str(), 1);
    CHECK(std::system(("rm -rf '" + directory_ + "'").c_str()) == 0);
  }
  const std::string& directory() const { return directory_; }

 private:
  std::string directory_, old_path_;
};

DockerEndpoint ssh_endpoint(std::string url) {
  DockerEndpoint endpoint;
  endpoint.host = std::move(url);
  endpoint.request_timeout = 5s;
  return endpoint;
}

}  // namespace

TEST_CASE("ssh engine: the docker api runs ssh once for a session, with the docker CLI's argv") {
  FakeSsh ssh(
      "echo \"$*\" >> \"$(dirname \"$0\")/runs\"\n"
      "while IFS= read -r line || exit 0; do\n"
      "  [ \"${line%$'\\r'}\" = '' ] || continue\n"
      "  printf 'HTTP/1.1 200 OK\\r\\nApi-Version: 1.41\\r\\nContent-Length: 2\\r\\n\\r\\n[]'\n"
      "done");
  {
    HttpDockerApi api(ssh_endpoint("ssh://deploy@box.example:2222"));
    for (int i = 0; i < 3; ++i) {
      Result<DockerResponse> response = api.request("GET", "/containers/json", "", 0ms);
      REQUIRE(response);
      CHECK(response->status == 200);
    }
  }
  std::ifstream runs(ssh.directory() + "/runs");
  std::string line;
  std::vector<std::string> lines;
  while (std::getline(runs, line)) lines.push_back(line);
  CHECK(lines == std::vector<std::string>{"-o ConnectTimeout=20 -T -l deploy -p 2222 -- "
                                          "box.example docker system dial-stdio"});
}

TEST_CASE("ssh engine: ssh's reason reaches the message, with the URL and a hint to try ssh") {
  FakeSsh ssh("echo 'deploy@box.example: Permission denied (publickey).' >&2; exit 255");
  HttpDockerApi api(ssh_endpoint("ssh://deploy@box.example:2222"));
  Result<DockerResponse> response = api.request("GET", "/containers/json", "", 0ms);
  REQUIRE(!response);
  const Diagnostic& error = response.errors().front();
  CHECK(error.message ==
        "cannot reach Docker at ssh://deploy@box.example:2222: `ssh` ended the stream before any "
        "answer; ssh printed: deploy@box.example: Permission denied (publickey).");
  CHECK(error.hint.starts_with(
      "check that `ssh -p 2222 deploy@box.example docker version` works from this shell"));
}

}  // namespace run::docker
