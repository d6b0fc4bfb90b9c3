# Taking a setting out of the config converges too: restart back to "no" is an update in
# place (same container), and a removed memory limit, which Docker cannot lift in place,
# replaces the container; either way the next plan has nothing to do.
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
$1
environments:
  dev: {}
YAML
}
name=$project-dev-web-1
settings() { docker inspect -f '{{.HostConfig.Memory}} {{.HostConfig.RestartPolicy.Name}}' "$name"; }

config '    resources: { memory: 64M }
    restart: always'
run_expect 0 apply --auto-approve --progress plain
[ "$(settings)" = "67108864 always" ] || fail "the first apply set $(settings)"
first=$(docker inspect -f '{{.Id}}' "$name")

config '    resources: { memory: 64M }'
run_expect 0 apply --auto-approve --progress plain
stdout_has "update container $name  (restart policy changed)"
[ "$(settings)" = "67108864 no" ] || fail "restart was not set back to no: $(settings)"
[ "$(docker inspect -f '{{.Id}}' "$name")" = "$first" ] || fail "a restart policy change recreated the container"
run_expect 0 plan --detailed-exitcode

config ''
run_expect 0 apply --auto-approve --progress plain
stdout_has "replace container $name  (resources.memory removed (Docker cannot lift a limit in place))"
[ "$(settings)" = "0 no" ] || fail "the memory limit is still there: $(settings)"
[ "$(docker inspect -f '{{.State.Running}}' "$name")" = true ] || fail "web is not running"

run_expect 0 plan --detailed-exitcode
[ -z "$(docker ps -aq --filter name=run-lock-$project)" ] || fail "the lock was not released"
pass
