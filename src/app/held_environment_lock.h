#pragma once

#include "app/engine.h"
#include "docker/environment_lock.h"

namespace run::app {

/// An engine's answer to a lock attempt as the use cases hold it: the lock (whatever object
/// it lives in), or its holder.
Result<LockAttempt> held_lock_of(Result<docker::LockAttempt> attempt);

}  // namespace run::app
