// Which Docker engine an environment deploys to: its own engine: (a host with TLS files, or a
// docker context), else DOCKER_HOST, else DOCKER_CONTEXT, else the docker CLI's current
// context, else the local socket; contexts read as the docker CLI stores them.
#include "docker/engine_selection.h"

#include <doctest/doctest.h>

#include <map>

#include "config/digest.h"

namespace run::docker {

namespace {

constexpr const char* kDockerDir = "/home/ci/.docker";

struct Surroundings {
  std::map<std::string, std::string> files;
  EngineSurroundings value;

  Surroundings() {
    value.from_environment.host = "unix:///var/run/docker.sock";
    value.docker_config_dir = kDockerDir;
    value.read_file = [this](const std::string& path) -> std::optional<std::string> {
      auto found = files.find(path);
      if (found == files.end()) return std::nullopt;
      return found->second;
    };
  }

  std::string context_dir(const std::string& kind, const std::string& name) const {
    return std::string(kDockerDir) + "/contexts/" + kind + "/" + config::sha256_hex(name);
  }

  /// A context as `docker context create NAME --docker host=HOST[,ca=...]` writes it.
  void add_context(const std::string& name, const std::string& host, bool with_tls,
                   bool skip_verify = false) {
    files[context_dir("meta", name) + "/meta.json"] =
        R"({"Name":")" + name + R"(","Metadata":{},"Endpoints":{"docker":{"Host":")" + host +
        R"(","SkipTLSVerify":)" + (skip_verify ? "true" : "false") + "}}}";
    if (!with_tls) return;
    for (const char* file : {"ca.pem", "cert.pem", "key.pem"})
      files[context_dir("tls", name) + "/docker/" + file] = "PEM";
  }
};

model::EngineSpec tls_host() {
  return {"tcp://10.0.0.5:2376", model::EngineTls{"certs/ca.pem", "certs/cert.pem", "/etc/k.pem"},
          ""};
}

}  // namespace

TEST_CASE("engine: without any choice, the endpoint of the process environment") {
  Surroundings around;
  Result<DockerEndpoint> endpoint = choose_endpoint(std::nullopt, "/p", around.value);
  REQUIRE(endpoint);
  CHECK(endpoint->host == "unix:///var/run/docker.sock");
  CHECK_FALSE(endpoint->tls_verify);
}

TEST_CASE("engine: an environment's host with TLS files made absolute against the project") {
  Surroundings around;
  for (const char* file : {"/p/certs/ca.pem", "/p/certs/cert.pem", "/etc/k.pem"})
    around.files[file] = "PEM";
  around.value.docker_host_set = true;
  around.value.from_environment.host = "tcp://elsewhere:2375";
  Result<DockerEndpoint> endpoint = choose_endpoint(tls_host(), "/p", around.value);
  REQUIRE(endpoint);
  CHECK(endpoint->host == "tcp://10.0.0.5:2376");
  CHECK(endpoint->tls_verify);
  net::Address address = endpoint->address();
  CHECK(address.host == "10.0.0.5");
  CHECK(address.port == "2376");
  REQUIRE(address.tls);
  CHECK(address.tls->ca_file == "/p/certs/ca.pem");
  CHECK(address.tls->cert_file == "/p/certs/cert.pem");
  CHECK(address.tls->key_file == "/etc/k.pem");
}

TEST_CASE("engine: a TLS file that cannot be read is an error naming it and the host") {
  Surroundings around;
  around.files["/p/certs/ca.pem"] = "PEM";
  Result<DockerEndpoint> endpoint = choose_endpoint(tls_host(), "/p", around.value);
  REQUIRE_FALSE(endpoint);
  CHECK(endpoint.errors().front().message ==
        "cannot read /p/certs/cert.pem, a TLS file of the engine tcp://10.0.0.5:2376");
}

TEST_CASE("engine: a plain tcp:// host of an environment does not use DOCKER_TLS_VERIFY's files") {
  Surroundings around;
  around.value.from_environment.tls_verify = true;
  Result<DockerEndpoint> endpoint = choose_endpoint(
      model::EngineSpec{"tcp://10.0.0.5:2375", std::nullopt, ""}, "/p", around.value);
  REQUIRE(endpoint);
  CHECK_FALSE(endpoint->address().tls);
}

TEST_CASE("engine: an environment's context, with the TLS files the docker CLI keeps for it") {
  Surroundings around;
  around.add_context("prod", "tcp://10.0.0.9:2376", true);
  Result<DockerEndpoint> endpoint =
      choose_endpoint(model::EngineSpec{"", std::nullopt, "prod"}, "/p", around.value);
  REQUIRE(endpoint);
  CHECK(endpoint->host == "tcp://10.0.0.9:2376");
  REQUIRE(endpoint->address().tls);
  CHECK(endpoint->address().tls->ca_file == around.context_dir("tls", "prod") + "/docker/ca.pem");
}

TEST_CASE("engine: the docker CLI's precedence: DOCKER_HOST, DOCKER_CONTEXT, currentContext") {
  Surroundings around;
  around.add_context("from-env", "tcp://10.0.0.1:2375", false);
  around.add_context("current", "tcp://10.0.0.2:2375", false);
  around.files[std::string(kDockerDir) + "/config.json"] = R"({"currentContext": "current"})";
  CHECK(choose_endpoint(std::nullopt, "/p", around.value)->host == "tcp://10.0.0.2:2375");
  around.value.docker_context = "from-env";
  CHECK(choose_endpoint(std::nullopt, "/p", around.value)->host == "tcp://10.0.0.1:2375");
  around.value.docker_host_set = true;
  around.value.from_environment.host = "tcp://10.0.0.3:2375";
  CHECK(choose_endpoint(std::nullopt, "/p", around.value)->host == "tcp://10.0.0.3:2375");
  around.value.docker_context = "default";
  around.value.docker_host_set = false;
  CHECK(choose_endpoint(std::nullopt, "/p", around.value)->host == "unix:///var/run/docker.sock");
}

TEST_CASE("engine: a missing context, or one that skips verification, is an error") {
  Surroundings around;
  Result<DockerEndpoint> missing =
      choose_endpoint(model::EngineSpec{"", std::nullopt, "nope"}, "/p", around.value);
  REQUIRE_FALSE(missing);
  CHECK(missing.errors().front().message.starts_with("no docker context 'nope' (looked for " +
                                                     around.context_dir("meta", "nope")));
  around.add_context("lax", "tcp://10.0.0.9:2376", false, true);
  Result<DockerEndpoint> lax =
      choose_endpoint(model::EngineSpec{"", std::nullopt, "lax"}, "/p", around.value);
  REQUIRE_FALSE(lax);
  CHECK(lax.errors().front().message.find("skips TLS verification") != std::string::npos);
}

TEST_CASE("engine: a context whose host run cannot speak to is an error naming both") {
  Surroundings around;
  around.add_context("odd", "npipe:////./pipe/docker_engine", false);
  around.value.docker_context = "odd";
  Result<DockerEndpoint> endpoint = choose_endpoint(std::nullopt, "/p", around.value);
  REQUIRE_FALSE(endpoint);
  CHECK(endpoint.errors().front().message ==
        "DOCKER_CONTEXT='odd' names the engine 'npipe:////./pipe/docker_engine', which is not "
        "supported");
}

TEST_CASE("engine: an environment's ssh:// host runs ssh, and one with a path is refused") {
  Surroundings around;
  Result<DockerEndpoint> endpoint = choose_endpoint(
      model::EngineSpec{"ssh://deploy@build-1:2222", std::nullopt, ""}, "/p", around.value);
  REQUIRE(endpoint);
  CHECK(endpoint->address().kind == net::Address::Kind::kCommand);
  CHECK_FALSE(
      choose_endpoint(model::EngineSpec{"ssh://build-1/var/run/docker.sock", std::nullopt, ""},
                      "/p", around.value));
}

}  // namespace run::docker
