# A dependency that never gets healthy stops what depends on it: the apply fails (exit 1),
# the report says the dependent was skipped because the dependency is unhealthy, and no
# container of the dependent exists. Once the health check is fixed, apply converges.
source "$(dirname "$0")/lib.sh"
docker_project
config() {
  write run-config.yaml <<YAML
version: "2"
project: $project
services:
  db:
    image: run-demo/busybox:latest
    init: true
    command: ["sleep", "100000"]
    healthcheck: { test: ["CMD", "$1"], interval: 1s, retries: 1 }
  app:
    image: tsp/app:1.4.2
    init: true
    command: ["sleep", "100000"]
    depends_on: { db: healthy }
  other:
    image: run-demo/busybox:latest
    init: true
    command: ["sleep", "100000"]
environments:
  dev: {}
YAML
}
containers_of() { docker ps -aq --filter "label=run.project=$project" --filter "label=run.service=$1"; }

config false
run_expect_within 40 1 apply --auto-approve --progress plain --wait-timeout 20s
stdout_has "Apply failed: 3 done, 0 failed, 1 skipped"  # the network, db and other are done
stdout_has "skipped: create container $project-dev-app-1"
grep -F "skipped: create container $project-dev-app-1" "$work/stdout" | grep -qF "db is unhealthy" ||
  fail "the skipped app does not name db unhealthy"
[ -z "$(containers_of app)" ] || fail "an app container exists"
[ -n "$(containers_of db)" ] && [ -n "$(containers_of other)" ] || fail "db or other was not created"
[ -z "$(docker ps -aq --filter name=run-lock-$project)" ] || fail "the lock was not released after the failure"
# The next plan shows exactly what is left: the app, and db's changed health check.
run_expect 0 plan
stdout_has "create container $project-dev-app-1"
stdout_lacks "$project-dev-other-1"

config true
run_expect_within 40 0 apply --auto-approve --progress plain --wait-timeout 20s
stdout_has "Apply complete"
[ "$(docker inspect -f '{{.State.Running}} {{.State.Health.Status}}' "$project-dev-db-1")" = "true healthy" ] ||
  fail "db is not running and healthy"
[ "$(docker inspect -f '{{.State.Running}}' "$project-dev-app-1")" = true ] || fail "app is not running"

run_expect 0 plan --detailed-exitcode
[ -z "$(docker ps -aq --filter name=run-lock-$project)" ] || fail "the lock was not released"
pass
