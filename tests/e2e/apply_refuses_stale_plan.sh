# A saved plan is applied only if nothing moved since it was made: a plan made against an
# empty environment that is no longer empty, or against a configuration that changed since,
# is refused (exit 1, saying what moved) and nothing of it is applied. A fresh saved plan
# applies without a prompt.
source "$(dirname "$0")/lib.sh"
docker_project
config() {
  write run-config.yaml <<YAML
version: "2"
project: $project
services:
  web:
    image: $1
    init: true
    command: ["sleep", "100000"]
    healthcheck: { test: ["CMD", "true"], interval: 1s, retries: 3 }
  worker:
    image: run-demo/busybox:latest
    init: true
    command: ["sleep", "100000"]
    replicas: $2
environments:
  dev: {}
YAML
}
# Every container of the project with its id, image and state: what "nothing was applied" compares.
snapshot() {
  docker ps -a --filter "label=run.project=$project" --format '{{.Names}} {{.ID}} {{.Image}} {{.State}}' | sort
}
lock_free() { [ -z "$(docker ps -aq --filter name=run-lock-$project)" ]; }

# 1. Planned against an empty environment, which someone else then filled.
config run-demo/busybox:latest 1
run_expect 0 plan --out p.json
stdout_has "Plan: 3 to add"
run_expect 0 apply --auto-approve --progress plain
stdout_has "Apply complete"
before=$(snapshot)
[ "$(echo "$before" | wc -l)" -eq 2 ] || fail "the first apply did not make 2 containers"
run_expect 1 apply p.json </dev/null
stderr_has "the saved plan is stale"
stderr_has "the environment was empty when the plan was made"
stdout_lacks "Apply complete"
[ "$(snapshot)" = "$before" ] || fail "a stale plan changed containers: $(snapshot)"
lock_free || fail "the lock was not released after a stale plan"

# 2. Planned against one configuration, which was edited before the apply.
config tsp/app:1.4.3 2
run_expect 0 plan --out p.json
stdout_has "replace container $project-dev-web-1"
config tsp/app:1.4.2 2
run_expect 1 apply p.json </dev/null
stderr_has "the saved plan is stale"
stderr_has "the configuration changed"
stdout_lacks "Apply complete"
[ "$(snapshot)" = "$before" ] || fail "a stale plan changed containers: $(snapshot)"
lock_free || fail "the lock was not released after a stale plan"

# 3. A fresh saved plan applies, with no prompt (stdin is not a terminal).
run_expect 0 plan --out p2.json
run_expect 0 apply p2.json </dev/null
stdout_has "Apply complete"
[ "$(docker inspect -f '{{.Config.Image}}' "$project-dev-web-1")" = tsp/app:1.4.2 ] || fail "web does not run tsp/app:1.4.2"
[ "$(docker ps -q --filter "label=run.project=$project" | wc -l)" -eq 3 ] || fail "not 3 running containers"
# A plan already applied is stale too: the environment moved under it.
run_expect 1 apply p2.json </dev/null
stderr_has "the environment changed since the plan was made"

run_expect 0 plan --detailed-exitcode
lock_free || fail "the lock was not released"
pass
