#include "app/held_environment_lock.h"

namespace run::app {

namespace {

class HeldEnvironmentLock final : public HeldLock {
 public:
  explicit HeldEnvironmentLock(docker::EnvironmentLock lock) : lock_(std::move(lock)) {}
  Status release() override { return lock_.release(); }
  std::function<void()> releaser() const override { return lock_.releaser(); }

 private:
  docker::EnvironmentLock lock_;
};

}  // namespace

Result<LockAttempt> held_lock_of(Result<docker::LockAttempt> attempt) {
  if (!attempt) return attempt.errors();
  if (docker::LockHolder* holder = std::get_if<docker::LockHolder>(&*attempt))
    return LockAttempt{*holder};
  return LockAttempt{std::make_unique<HeldEnvironmentLock>(
      std::get<docker::EnvironmentLock>(std::move(*attempt)))};
}

}  // namespace run::app
