#include <doctest/doctest.h>

#include <variant>

#include "core/this_process.h"
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

TEST_CASE("lock: a holder that is a process of this host that no longer exists is named stale") {
  run::docker::LockHolder gone{"ann@" + run::this_host(), "2147483647", "apply",
                               "2026-12-04T10:00:00Z"};
  CHECK(run::docker::holder_gone(gone));
  run::Diagnostic stale = run::docker::locked_error("shop", "dev", gone);
  CHECK(stale.message.find("that process no longer exists on this host: the lock is stale") !=
        std::string::npos);
  CHECK(stale.hint.find("'run force-unlock --env dev'") != std::string::npos);

  run::docker::LockHolder alive{"ann@" + run::this_host(), std::to_string(run::this_process_id()),
                                "apply", "2026-12-04T10:00:00Z"};
  CHECK_FALSE(run::docker::holder_gone(alive));
  CHECK(run::docker::locked_error("shop", "dev", alive).message.find("stale") == std::string::npos);
  // Another host's process cannot be asked: never called stale.
  CHECK_FALSE(run::docker::holder_gone({"ann@some-other-host.invalid", "2147483647", "apply", ""}));
  CHECK_FALSE(run::docker::holder_gone({"ann@" + run::this_host(), "not-a-pid", "apply", ""}));
}
