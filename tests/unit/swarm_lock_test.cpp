#include <doctest/doctest.h>

#include "docker/swarm_lock.h"
#include "fake_docker_api.h"

namespace run::docker {

namespace {

bool called(const test::FakeDockerApi& api, const std::string& method, const std::string& path) {
  for (const auto& request : api.recorded())
    if (request.method == method && request.path == path) return true;
  return false;
}

}  // namespace

TEST_CASE("swarm lock: a config created is the lock, released by its id") {
  test::FakeDockerApi api;
  api.answer("/configs/create", 201, R"({"ID": "cfg1"})");
  api.answer("/configs/cfg1", 200, "");
  Result<EnvironmentLock> lock = EnvironmentLock::acquire(swarm_lock_objects(api), "shop", "prod",
                                                          "apply", std::chrono::milliseconds(0));
  REQUIRE(lock.ok());
  CHECK(lock->release().ok());
  CHECK(called(api, "POST", "/configs/create"));
  CHECK(called(api, "DELETE", "/configs/cfg1"));
}

TEST_CASE("swarm lock: a config that exists names its holder; force-unlock removes it") {
  test::FakeDockerApi api;
  api.answer("/configs/create", 409, R"({"message": "config run-lock-shop-prod already exists"})");
  api.answer("/configs/run-lock-shop-prod", 200,
             R"({"ID": "cfg9", "Spec": {"Name": "run-lock-shop-prod", "Labels": {"run.lock": "1",
               "run.lock.holder": "ann@ci", "run.lock.pid": "42", "run.lock.command": "apply",
               "run.lock.since": "2026-12-03T10:00:00Z"}}})");
  Result<EnvironmentLock> lock = EnvironmentLock::acquire(swarm_lock_objects(api), "shop", "prod",
                                                          "apply", std::chrono::milliseconds(0));
  REQUIRE_FALSE(lock.ok());
  CHECK(lock.errors().front().message ==
        "shop/prod is locked by ann@ci (pid 42, apply since 2026-12-03T10:00:00Z)");
  api.answer("/configs/cfg9", 200, "");
  Result<std::optional<LockHolder>> removed =
      force_unlock(*swarm_lock_objects(api), "shop", "prod");
  REQUIRE(removed.ok());
  REQUIRE(removed->has_value());
  CHECK((*removed)->holder == "ann@ci");
  CHECK(called(api, "DELETE", "/configs/cfg9"));
}

TEST_CASE("swarm lock: a config of that name that run did not make is never taken for a lock") {
  test::FakeDockerApi api;
  api.answer("/configs/create", 409, R"({"message": "exists"})");
  api.answer("/configs/run-lock-shop-prod", 200, R"({"ID": "x", "Spec": {"Labels": {}}})");
  Result<std::optional<LockHolder>> removed =
      force_unlock(*swarm_lock_objects(api), "shop", "prod");
  REQUIRE_FALSE(removed.ok());
  CHECK(removed.errors().front().message ==
        "a swarm config named run-lock-shop-prod exists but is not a lock run made");
}

}  // namespace run::docker
