# A change to one service's image replaces only that service's container: the other
# services' containers keep their ids, and the next plan has nothing to do.
source "$(dirname "$0")/lib.sh"
docker_project
config() {
  write run-config.yaml <<YAML
version: "2"
project: $project
services:
  api:
    image: run-demo/busybox:latest
    init: true
    command: ["sleep", "100000"]
    healthcheck: { test: ["CMD", "true"], interval: 1s, retries: 3 }
  web:
    image: $1
    init: true
    command: ["sleep", "100000"]
    healthcheck: { test: ["CMD", "true"], interval: 1s, retries: 3 }
  worker:
    image: run-demo/busybox:latest
    init: true
    command: ["sleep", "100000"]
environments:
  dev: {}
YAML
}
id_of() { docker inspect -f '{{.Id}}' "$project-dev-$1-1"; }

config run-demo/busybox:latest
run_expect 0 apply --auto-approve --progress plain
stdout_has "Apply complete: 4 actions"  # the network and 3 containers
api=$(id_of api) web=$(id_of web) worker=$(id_of worker)

config tsp/app:1.4.3
run_expect 0 apply --auto-approve --progress plain
stdout_has "replace container $project-dev-web-1  (image changed)"
stdout_has "Apply complete: 1 action"
stdout_lacks "$project-dev-api-1"
stdout_lacks "$project-dev-worker-1"
[ "$(id_of api)" = "$api" ] || fail "api was recreated"
[ "$(id_of worker)" = "$worker" ] || fail "worker was recreated"
[ "$(id_of web)" != "$web" ] || fail "web kept its old container"
[ "$(docker inspect -f '{{.Config.Image}} {{.State.Running}}' "$project-dev-web-1")" = "tsp/app:1.4.3 true" ] ||
  fail "web does not run tsp/app:1.4.3"
[ "$(docker ps -aq --filter "label=run.project=$project" | wc -l)" -eq 3 ] || fail "not exactly 3 containers"

run_expect 0 plan --detailed-exitcode
[ -z "$(docker ps -aq --filter name=run-lock-$project)" ] || fail "the lock was not released"
pass
