# Scaling moves only the difference: 2 -> 3 creates replica 3 and leaves 1 and 2 alone;
# 3 -> 1 removes replicas 3 and 2 and leaves 1 alone.
source "$(dirname "$0")/lib.sh"
docker_project
config() {
  write run-config.yaml <<YAML
version: "2"
project: $project
services:
  worker:
    image: run-demo/busybox:latest
    init: true
    command: ["sleep", "100000"]
    healthcheck: { test: ["CMD", "true"], interval: 1s, retries: 3 }
    replicas: $1
environments:
  dev: {}
YAML
}
id_of() { docker inspect -f '{{.Id}}' "$project-dev-worker-$1"; }
replicas() { docker ps -a --filter "label=run.project=$project" --format '{{.Label "run.replica"}}' | sort | tr '\n' ' '; }

config 2
run_expect 0 apply --auto-approve --progress plain
[ "$(replicas)" = "1 2 " ] || fail "after 2: replicas $(replicas)"
one=$(id_of 1) two=$(id_of 2)

config 3
run_expect 0 apply --auto-approve --progress plain
stdout_has "create container $project-dev-worker-3  (scale up 2 -> 3)"
stdout_has "Plan: 1 to add, 0 to change, 0 to replace, 0 to start, 0 to remove."
[ "$(replicas)" = "1 2 3 " ] || fail "after 3: replicas $(replicas)"
[ "$(id_of 1) $(id_of 2)" = "$one $two" ] || fail "replicas 1 or 2 were recreated"
[ "$(docker inspect -f '{{.State.Running}}' "$project-dev-worker-3")" = true ] || fail "replica 3 is not running"

config 1
run_expect 0 apply --auto-approve --progress plain
stdout_has "remove container $project-dev-worker-3  (scale down 3 -> 1)"
stdout_has "remove container $project-dev-worker-2  (scale down 3 -> 1)"
stdout_has "Plan: 0 to add, 0 to change, 0 to replace, 0 to start, 2 to remove."
[ "$(replicas)" = "1 " ] || fail "after 1: replicas $(replicas)"
[ "$(id_of 1)" = "$one" ] || fail "replica 1 was recreated"

run_expect 0 plan --detailed-exitcode
[ -z "$(docker ps -aq --filter name=run-lock-$project)" ] || fail "the lock was not released"
pass
