#pragma once

#include <string_view>

#include "model/desired_state.h"
#include "model/observed_state.h"
#include "plan/plan.h"

namespace run::plan {

/// Drift triage: marks each action of `plan` (made by make_plan from `desired` and
/// `observed`) with who moved since the last successful deployment, whose desired state is
/// `recorded` (record number `record_number`), and sets `plan.drift_record`.
/// `recorded == nullptr` (no history) leaves the plan untouched: no action gets a cause.
///
/// Pure. A record's state comes back from history without secret values, so states are
/// compared in the form plans and the `run.spec` label use (a secret as its fingerprint:
/// a rotated secret is a desired change), never by config hash. The record is trusted to
/// describe what ran right after it: when the config did not move for an action, the live
/// environment did. So every action gets a cause. Per action:
/// - create, remove (containers, networks, volumes): the object's presence. The record
///   had the object: a create is live drift (it was removed by hand), a remove a desired
///   change (the config dropped it). It had not: a create is a desired change (new service,
///   scale up), a remove live drift (made outside the record, or left by an interrupted
///   change). A create that the record had is also a desired change when the config
///   changed the service's fields since (the new container differs from the removed one).
/// - update, replace: each field that differs between the container and the config
///   (recreate and in-place fields) moved in the config (record != config), on the
///   container (container != record), or both. A replace with no field to compare (an
///   image rebuilt behind its tag, a container without a `run.spec` label) is live drift.
/// - start: live drift (it was stopped outside run).
/// - update, replace or start of a replica the record did not have: both (the container
///   was made outside the record, and the config asks for it since).
/// A failed or interrupted deployment after the record moved containers too: that counts as
/// live drift, since the record compared with is the last one that succeeded.
void classify_drift(Plan& plan, const model::DesiredState& desired,
                    const model::ObservedState& observed, const model::DesiredState* recorded,
                    int record_number);

/// "desired", "live" or "both": the JSON plan's `drift`.
std::string_view to_string(DriftCause cause);

/// How many actions have each cause.
struct DriftSummary {
  int desired = 0;
  int live = 0;
  int both = 0;
};

DriftSummary drift_summary(const Plan& plan);

}  // namespace run::plan
