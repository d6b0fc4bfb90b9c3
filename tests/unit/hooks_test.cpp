// Which pre- and post-deploy hooks a plan runs, and why: run_if_changed against the plan's
// actions, the order of the hooks, and a first deployment that moves pre-deploy tasks after.
#include <doctest/doctest.h>

#include "plan/hooks.h"
#include "plan/plan.h"

using run::model::TaskSpec;
using run::model::TaskWhen;
using run::plan::Action;
using run::plan::ActionKind;
using run::plan::Deployed;
using run::plan::FieldChange;
using run::plan::HookDecision;
using run::plan::Plan;

namespace {

TaskSpec task(std::string name, TaskWhen when, std::vector<std::string> run_if_changed = {}) {
  TaskSpec spec;
  spec.name = std::move(name);
  spec.when = when;
  spec.run_if_changed = std::move(run_if_changed);
  return spec;
}

Action replace_of(std::string service, std::vector<std::string> changed_paths) {
  Action action;
  action.kind = ActionKind::kReplace;
  action.service = std::move(service);
  for (std::string& path : changed_paths) action.changes.push_back(FieldChange{path, "a", "b"});
  return action;
}

Plan plan_of(std::vector<Action> actions) {
  Plan plan;
  plan.actions = std::move(actions);
  return plan;
}

}  // namespace

TEST_CASE("hooks: a plan without changes runs no hook") {
  std::vector<TaskSpec> tasks{task("migrate", TaskWhen::kPreDeploy),
                              task("notify", TaskWhen::kPostDeploy)};
  CHECK(run::plan::plan_hooks(tasks, Plan{}).empty());
}

TEST_CASE("hooks: manual tasks are never hooks; pre-deploy ones come first") {
  std::vector<TaskSpec> tasks{task("a-notify", TaskWhen::kPostDeploy),
                              task("backup", TaskWhen::kManual),
                              task("migrate", TaskWhen::kPreDeploy)};
  auto hooks = run::plan::plan_hooks(tasks, plan_of({replace_of("app", {"image"})}));
  REQUIRE(hooks.size() == 2);
  CHECK(hooks[0].task == "migrate");
  CHECK(hooks[0].when == TaskWhen::kPreDeploy);
  CHECK(hooks[0].reason == "the plan changes something");
  CHECK(hooks[1].task == "a-notify");
  CHECK(hooks[1].when == TaskWhen::kPostDeploy);
}

TEST_CASE("hooks: run_if_changed runs a hook only when the plan changes one of its paths") {
  std::vector<TaskSpec> tasks{task("migrate", TaskWhen::kPreDeploy, {"services.app.image"})};

  auto image_changed = run::plan::plan_hooks(tasks, plan_of({replace_of("app", {"image"})}));
  REQUIRE(image_changed.size() == 1);
  CHECK(image_changed[0].decision == HookDecision::kRuns);
  CHECK(image_changed[0].reason == "services.app.image changes");

  auto env_changed = run::plan::plan_hooks(tasks, plan_of({replace_of("app", {"env.LOG_LEVEL"})}));
  REQUIRE(env_changed.size() == 1);
  CHECK(env_changed[0].decision == HookDecision::kSkipped);
  CHECK(env_changed[0].reason == "services.app.image does not change");
  CHECK(run::plan::hook_line(env_changed[0]) ==
        "pre-deploy hook migrate skipped: services.app.image does not change");

  auto other_service = run::plan::plan_hooks(tasks, plan_of({replace_of("worker", {"image"})}));
  CHECK(other_service[0].decision == HookDecision::kSkipped);
}

TEST_CASE("hooks: several paths run on the first one changed and name all when skipped") {
  std::vector<TaskSpec> tasks{
      task("migrate", TaskWhen::kPostDeploy, {"services.app.image", "services.worker.env"})};
  auto worker_env = run::plan::plan_hooks(tasks, plan_of({replace_of("worker", {"env.QUEUE"})}));
  CHECK(worker_env[0].runs());
  CHECK(worker_env[0].reason == "services.worker.env changes");

  auto skipped = run::plan::plan_hooks(tasks, plan_of({replace_of("worker", {"memory"})}));
  CHECK_FALSE(skipped[0].runs());
  CHECK(skipped[0].reason == "none of services.app.image, services.worker.env changes");
}

TEST_CASE("hooks: on a first deployment a pre-deploy task runs after the changes") {
  std::vector<TaskSpec> tasks{task("migrate", TaskWhen::kPreDeploy)};
  Action create;
  create.service = "db";
  auto hooks = run::plan::plan_hooks(tasks, plan_of({create}), Deployed::kNotYet);
  REQUIRE(hooks.size() == 1);
  CHECK(hooks[0].when == TaskWhen::kPostDeploy);
  CHECK(hooks[0].runs());
  CHECK(hooks[0].reason ==
        "a pre-deploy task, after the changes on a first deployment; the plan changes something");
}

TEST_CASE("hooks: which actions change a path of the rendered config") {
  using run::plan::action_changes_path;
  Action create;
  create.service = "app";
  CHECK(action_changes_path(create, "services.app.image"));
  CHECK(action_changes_path(create, "services.app"));
  CHECK_FALSE(action_changes_path(create, "services.application.image"));
  CHECK_FALSE(action_changes_path(create, "volumes.pgdata"));

  Action start = create;
  start.kind = ActionKind::kStart;
  CHECK(action_changes_path(start, "services.app"));
  CHECK_FALSE(action_changes_path(start, "services.app.image"));

  Action build = create;
  build.kind = ActionKind::kBuild;
  CHECK(action_changes_path(build, "services.app.image"));
  CHECK(action_changes_path(build, "services.app.build.args"));
  CHECK_FALSE(action_changes_path(build, "services.app.env"));

  Action update = replace_of("app", {"env.LOG_LEVEL", "ports[0]"});
  update.kind = ActionKind::kUpdate;
  CHECK(action_changes_path(update, "services.app.env"));
  CHECK(action_changes_path(update, "services.app.env.LOG_LEVEL"));
  CHECK(action_changes_path(update, "services.app.ports"));
  CHECK_FALSE(action_changes_path(update, "services.app.envx"));
  CHECK_FALSE(action_changes_path(update, "services.app.env.OTHER"));

  Action network;
  network.resource = run::plan::ResourceKind::kNetwork;
  CHECK_FALSE(action_changes_path(network, "services.app"));
}
