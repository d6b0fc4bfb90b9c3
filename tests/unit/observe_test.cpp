#include <doctest/doctest.h>

#include "docker/observe.h"
#include "fake_docker_api.h"
#include "model/names.h"

namespace run::docker {

namespace {

model::DesiredState desired_state() {
  model::DesiredState desired;
  desired.project = "shop";
  desired.environment = "dev";
  model::ServiceSpec web;
  web.name = "web";
  web.image = "busybox:web";
  model::ServiceSpec db;
  db.name = "db";
  db.image = "busybox:db";
  desired.services = {db, web};
  desired.networks = {{"default", false, {}}};
  desired.volumes = {{"data", {}}};
  return desired;
}

constexpr const char* kOwnedList = R"json([
  {"Id": "c1", "Names": ["/shop-dev-web-1"], "Image": "busybox:web", "ImageID": "sha256:w1",
   "State": "running", "Status": "Up 2 minutes (healthy)",
   "Labels": {"run.project": "shop", "run.environment": "dev", "run.service": "web", "run.replica": "1",
              "run.config-hash": "h1"}}
])json";

constexpr const char* kNamedList = R"json([
  {"Id": "c1", "Names": ["/shop-dev-web-1"], "State": "running", "Status": "Up",
   "Labels": {"run.project": "shop", "run.environment": "dev"}},
  {"Id": "c9", "Names": ["/shop-dev-db-1"], "State": "exited", "Status": "Exited (0)", "Labels": {}}
])json";

void answer_everything(test::FakeDockerApi& api) {
  api.answer("/containers/json?all=1&filters=" +
                 filters_query({{"label", {"run.project=shop", "run.environment=dev"}}}),
             200, kOwnedList);
  api.answer("/containers/json?all=1&filters=" + filters_query({{"name", {"shop-dev"}}}), 200,
             kNamedList);
  api.answer(
      "/containers/c1/json", 200,
      R"({"Id": "c1", "HostConfig": {"NanoCpus": 500000000, "Memory": 268435456, "RestartPolicy": {"Name": "always"}}})");
  api.answer(
      "/networks", 200,
      R"json([{"Id": "n1", "Name": "shop-dev", "Labels": {"run.project": "shop", "run.environment": "dev"}},
                                   {"Id": "n2", "Name": "shop-dev-back", "Labels": {}}])json");
  api.answer(
      "/volumes", 200,
      R"({"Volumes": [{"Name": "shop-dev-data", "Labels": {"run.project": "shop", "run.environment": "dev"}}]})");
  api.answer("/images/busybox:web/json", 200, R"({"Id": "sha256:w2"})");
}

}  // namespace

TEST_CASE("observe: one snapshot of containers, networks, volumes and image ids") {
  test::FakeDockerApi api;
  answer_everything(api);
  Result<model::ObservedState> observed = observe(api, desired_state());
  REQUIRE(observed.ok());
  REQUIRE(observed->containers.size() == 1);
  const model::ObservedContainer& web = observed->containers.front();
  CHECK(web.name == "shop-dev-web-1");
  CHECK(web.health == "healthy");
  CHECK(web.image_id == "sha256:w1");
  CHECK(web.cpus == doctest::Approx(0.5));
  CHECK(web.memory_bytes == 268435456);
  CHECK(web.restart == "always");
  CHECK(web.label(model::kLabelConfigHash) == "h1");
  REQUIRE(observed->foreign_containers.size() == 1);
  CHECK(observed->foreign_containers.front().name == "shop-dev-db-1");
  REQUIRE(observed->networks.size() == 1);
  CHECK(observed->foreign_networks == std::vector<std::string>{"shop-dev-back"});
  REQUIRE(observed->volumes.size() == 1);
  CHECK(observed->image_ids.at("busybox:web") == "sha256:w2");
  CHECK(observed->image_ids.count("busybox:db") == 0);  // 404: not pulled yet
}

TEST_CASE("observe: a container being removed (docker rm -f) is waited for, not planned against") {
  test::FakeDockerApi api;
  answer_everything(api);
  std::string owned_path = "/containers/json?all=1&filters=" +
                           filters_query({{"label", {"run.project=shop", "run.environment=dev"}}});
  std::string removing = kOwnedList;
  removing.replace(removing.find("\"running\""), 9, "\"removing\"");
  api.answer_in_turn(owned_path, {{200, removing}, {200, removing}, {200, "[]"}});
  Result<model::ObservedState> observed = observe(api, desired_state());
  REQUIRE(observed.ok());
  CHECK(observed->containers.empty());
  std::size_t lists = 0;
  for (const auto& request : api.recorded()) lists += request.path == owned_path;
  CHECK(lists == 3);
}

TEST_CASE(
    "observe: a container removed between the list and its inspect is left out, not an error") {
  test::FakeDockerApi api;
  answer_everything(api);
  api.answer("/containers/c1/json", 404, R"({"message": "No such container: c1"})");
  Result<model::ObservedState> observed = observe(api, desired_state());
  REQUIRE(observed.ok());
  CHECK(observed->containers.empty());
  REQUIRE(observed->networks.size() == 1);

  test::FakeDockerApi refusing;
  answer_everything(refusing);
  refusing.answer("/containers/c1/json", 500, R"({"message": "boom"})");
  Result<model::ObservedState> refused = observe(refusing, desired_state());
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.errors().front().message ==
        "Docker at unix:///fake.sock refused GET /containers/c1/json (HTTP 500): boom");
}

TEST_CASE("observe: sends only GET requests") {
  test::FakeDockerApi api;
  answer_everything(api);
  REQUIRE(observe(api, desired_state()).ok());
  REQUIRE_FALSE(api.recorded().empty());
  for (const auto& request : api.recorded()) {
    CAPTURE(request.path);
    CHECK(request.method == "GET");
  }
}

TEST_CASE("observe: a refused list call is an error naming Docker; malformed JSON too") {
  test::FakeDockerApi api;
  api.answer("/containers/json", 500, R"({"message": "boom"})");
  Result<model::ObservedState> observed = observe(api, desired_state());
  REQUIRE_FALSE(observed.ok());
  CHECK(observed.errors().front().message ==
        "Docker at unix:///fake.sock refused GET /containers/json (HTTP 500): boom");
  test::FakeDockerApi garbled;
  garbled.answer("/containers/json", 200, "{not json");
  Result<model::ObservedState> broken = observe(garbled, desired_state());
  REQUIRE_FALSE(broken.ok());
  CHECK(broken.errors().front().message ==
        "Docker at unix:///fake.sock sent malformed JSON for GET /containers/json");
}

}  // namespace run::docker
