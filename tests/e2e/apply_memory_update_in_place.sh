# A memory change is an update in place: the same container, now with the new limit, and
# never restarted (its StartedAt does not move).
source "$(dirname "$0")/lib.sh"
docker_project
config() {
  write run-config.yaml <<YAML
version: "2"
project: $project
services:
  web:
    image: run-demo/busybox:latest
    init: true
    command: ["sleep", "100000"]
    healthcheck: { test: ["CMD", "true"], interval: 1s, retries: 3 }
    resources: { memory: $1 }
environments:
  dev: {}
YAML
}
name=$project-dev-web-1

config 64M
run_expect 0 apply --auto-approve --progress plain
[ "$(docker inspect -f '{{.HostConfig.Memory}}' "$name")" = 67108864 ] || fail "the first apply did not set 64M"
before=$(docker inspect -f '{{.Id}} {{.State.StartedAt}}' "$name")

config 128M
run_expect 0 apply --auto-approve --progress plain
stdout_has "update container $name  (resources changed)"
stdout_has "~ resources.memory: 64M -> 128M"
stdout_has "Apply complete: 1 action"
[ "$(docker inspect -f '{{.Id}} {{.State.StartedAt}}' "$name")" = "$before" ] ||
  fail "the container was recreated or restarted: $before -> $(docker inspect -f '{{.Id}} {{.State.StartedAt}}' "$name")"
[ "$(docker inspect -f '{{.HostConfig.Memory}}' "$name")" = 134217728 ] || fail "memory is not 128M"
[ "$(docker inspect -f '{{.State.Running}} {{.RestartCount}}' "$name")" = "true 0" ] || fail "not running, or restarted"

run_expect 0 plan --detailed-exitcode
[ -z "$(docker ps -aq --filter name=run-lock-$project)" ] || fail "the lock was not released"
pass
