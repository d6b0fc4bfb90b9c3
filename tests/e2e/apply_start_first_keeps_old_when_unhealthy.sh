# A start-first replace whose new container fails its health check keeps the old one: the
# apply fails naming the service and saying the old container keeps running, the old
# container (same id) still runs, and no "-next" container is left behind.
source "$(dirname "$0")/lib.sh"
docker_project
config() {
  write run-config.yaml <<YAML
version: "2"
project: $project
services:
  web:
    image: ${2:-run-demo/busybox:latest}
    init: true
    command: ["sleep", "100000"]
    healthcheck: { test: ["CMD", "$1"], interval: 1s, retries: 1 }
    update: { order: start-first }
environments:
  dev: {}
YAML
}
name=$project-dev-web-1

config true
run_expect 0 apply --auto-approve --progress plain
old=$(docker inspect -f '{{.Id}}' "$name")

# healthcheck.test forces a replace; the new container can never become healthy.
config false
run_expect_within 40 1 apply --auto-approve --progress plain
stdout_has "replace container $name  (healthcheck.test changed)"
stdout_has "Apply failed: 0 done, 1 failed, 0 skipped"
grep -F "failed: replace container $name" "$work/stdout" | grep -F "web" | grep -qF "the old container keeps running" ||
  fail "the failure does not name web and say the old container keeps running"
[ "$(docker inspect -f '{{.Id}} {{.State.Running}}' "$name")" = "$old true" ] || fail "the old container is not running"
[ -z "$(docker ps -aq --filter name=$name-next)" ] || fail "a -next container was left behind"
[ "$(docker ps -aq --filter "label=run.project=$project" | wc -l)" -eq 1 ] || fail "not exactly one container"
[ -z "$(docker ps -aq --filter name=run-lock-$project)" ] || fail "the lock was not released after the failure"
# What is left is exactly that replace.
run_expect 0 plan
stdout_has "Plan: 0 to add, 0 to change, 1 to replace, 0 to start, 0 to remove."

# Back to the passing health check: the old container already matches, nothing to do.
config true
run_expect 0 plan --detailed-exitcode
[ "$(docker inspect -f '{{.Id}} {{.State.Running}}' "$name")" = "$old true" ] || fail "the old container changed"

# A start-first replace that gets healthy: the new container takes the name, the old one goes.
config true tsp/app:1.4.3
run_expect_within 40 0 apply --auto-approve --progress plain
stdout_has "Apply complete: 1 action"
[ "$(docker inspect -f '{{.Config.Image}} {{.State.Running}}' "$name")" = "tsp/app:1.4.3 true" ] || fail "web does not run the new image"
[ "$(docker inspect -f '{{.Id}}' "$name")" != "$old" ] || fail "web kept the old container"
[ -z "$(docker ps -aq --filter name=$name-next)" ] || fail "a -next container was left behind"
[ "$(docker ps -aq --filter "label=run.project=$project" | wc -l)" -eq 1 ] || fail "not exactly one container"

run_expect 0 plan --detailed-exitcode
[ -z "$(docker ps -aq --filter name=run-lock-$project)" ] || fail "the lock was not released"
pass
