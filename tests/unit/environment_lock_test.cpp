#include <doctest/doctest.h>

#include <variant>

#include "docker/environment_lock.h"
#include "fake_docker_api.h"

namespace run::docker {

namespace {

constexpr const char* kCreatePath = "/containers/create?name=run-lock-shop-dev";
constexpr const char* kInspectPath = "/containers/run-lock-shop-dev/json";
constexpr const char* kHeldLock =
    R"json({"Id": "l1", "Config": {"Labels": {"run.lock": "1", "run.lock.holder": "ann@ci",
  "run.lock.pid": "42", "run.lock.command": "apply", "run.lock.since": "2026-11-29T10:00:00Z"}}})json";

void answer_lock_image(test::FakeDockerApi& api) {
  api.answer("/images/run-lock:1/json", 200, R"({"Id": "sha256:lock"})");
}

}  // namespace

TEST_CASE("lock: a held lock is an answer naming the holder read when the attempt gave up") {
  test::FakeDockerApi api;
  answer_lock_image(api);
  api.answer(kCreatePath, 409, R"({"message": "Conflict. The container name is already in use"})");
  api.answer(kInspectPath, 200, kHeldLock);
  Result<LockAttempt> attempt = EnvironmentLock::try_acquire(
      container_lock_objects(api), "shop", "dev", "reconcile", std::chrono::milliseconds(0));
  REQUIRE(attempt.ok());
  const LockHolder* holder = std::get_if<LockHolder>(&*attempt);
  REQUIRE(holder != nullptr);
  CHECK(holder->holder == "ann@ci");
  CHECK(holder->command == "apply");

  Result<EnvironmentLock> lock = EnvironmentLock::acquire(
      container_lock_objects(api), "shop", "dev", "apply", std::chrono::milliseconds(0));
  REQUIRE_FALSE(lock.ok());
  CHECK(lock.errors().front().message ==
        "shop/dev is locked by ann@ci (pid 42, apply since 2026-11-29T10:00:00Z)");
}

TEST_CASE(
    "lock: a lock released between the refused create and its inspect is taken, not reported as "
    "held") {
  test::FakeDockerApi api;
  answer_lock_image(api);
  api.answer_in_turn(kCreatePath,
                     {{409, R"({"message": "Conflict"})"}, {201, R"({"Id": "mine"})"}});
  api.answer(kInspectPath, 404, R"({"message": "No such container"})");
  api.answer("/containers/mine", 204, "");
  Result<LockAttempt> attempt = EnvironmentLock::try_acquire(
      container_lock_objects(api), "shop", "dev", "reconcile", std::chrono::milliseconds(0));
  REQUIRE(attempt.ok());
  CHECK(std::holds_alternative<EnvironmentLock>(*attempt));
}

}  // namespace run::docker
