#pragma once

#include <vector>

#include "reconcile/notifier.h"
#include "reconcile/tick_report.h"

namespace run::reconcile {

/// Which webhook events a tick is announced with, in the order they are posted: drift when
/// live drift caused actions; a failure when the tick failed, except a failure that follows
/// a failure without applying anything (a config that stays broken is announced once, not at
/// every retry); a success when it applied. `previous_failed`: whether the tick before failed.
std::vector<NotifyKind> notifications_for(const TickReport& report, bool previous_failed);

}  // namespace run::reconcile
