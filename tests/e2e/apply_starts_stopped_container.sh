# A stopped container that run owns and whose spec is still right is started again, not
# recreated: the plan says start, and the same container id runs afterwards.
source "$(dirname "$0")/lib.sh"
docker_project
write run-config.yaml <<YAML
version: "2"
project: $project
services:
  worker:
    image: run-demo/busybox:latest
    init: true
    command: ["sleep", "100000"]
    healthcheck: { test: ["CMD", "true"], interval: 1s, retries: 3 }
    replicas: 2
environments:
  dev: {}
YAML
run_expect 0 apply --auto-approve --progress plain
two=$(docker inspect -f '{{.Id}}' "$project-dev-worker-2")
one=$(docker inspect -f '{{.Id}}' "$project-dev-worker-1")
docker stop "$project-dev-worker-2" >/dev/null

run_expect 0 plan
stdout_has "start container $project-dev-worker-2  (not running (exited))"
stdout_has "Plan: 0 to add, 0 to change, 0 to replace, 1 to start, 0 to remove."
stdout_lacks "$project-dev-worker-1"

run_expect 0 apply --auto-approve --progress plain
stdout_has "Apply complete: 1 action"
[ "$(docker inspect -f '{{.Id}} {{.State.Running}}' "$project-dev-worker-2")" = "$two true" ] ||
  fail "replica 2 is not the same running container"
[ "$(docker inspect -f '{{.Id}}' "$project-dev-worker-1")" = "$one" ] || fail "replica 1 was recreated"
[ "$(docker ps -aq --filter "label=run.project=$project" | wc -l)" -eq 2 ] || fail "not exactly 2 containers"

run_expect 0 plan --detailed-exitcode
[ -z "$(docker ps -aq --filter name=run-lock-$project)" ] || fail "the lock was not released"
pass
