# --dry-run prints the plan and changes nothing (no container, no network, no lock); without
# a terminal and without --auto-approve, apply refuses with a message naming --auto-approve
# and changes nothing either.
source "$(dirname "$0")/lib.sh"
docker_project
write run-config.yaml <<YAML
version: "2"
project: $project
services:
  web:
    image: run-demo/busybox:latest
    init: true
    command: ["sleep", "100000"]
    healthcheck: { test: ["CMD", "true"], interval: 1s, retries: 3 }
    replicas: 2
environments:
  dev: {}
YAML
nothing_made() {
  [ -z "$(docker ps -aq --filter "label=run.project=$project")" ] || fail "$1 created containers"
  [ -z "$(docker network ls -q --filter "label=run.project=$project")" ] || fail "$1 created a network"
  [ -z "$(docker ps -aq --filter name=run-lock-$project)" ] || fail "$1 left a lock"
}

run_expect 0 apply --dry-run </dev/null
stdout_has "create container $project-dev-web-1  (new service)"
stdout_has "create container $project-dev-web-2"
stdout_has "Plan: 3 to add, 0 to change, 0 to replace, 0 to start, 0 to remove."
stdout_lacks "Apply complete"
nothing_made "apply --dry-run"

run_expect 1 apply </dev/null
stderr_has "--auto-approve"
stdout_lacks "Apply complete"
nothing_made "apply without a terminal"

# Converge, then a dry run of a change changes nothing either.
run_expect 0 apply --auto-approve --progress plain
ids=$(docker ps -aq --filter "label=run.project=$project" | sort)
sed -i 's/replicas: 2/replicas: 1/' run-config.yaml
run_expect 0 apply --dry-run </dev/null
stdout_has "remove container $project-dev-web-2  (scale down 2 -> 1)"
[ "$(docker ps -aq --filter "label=run.project=$project" | sort)" = "$ids" ] || fail "a dry run changed containers"
sed -i 's/replicas: 1/replicas: 2/' run-config.yaml

run_expect 0 plan --detailed-exitcode
[ -z "$(docker ps -aq --filter name=run-lock-$project)" ] || fail "the lock was not released"
pass
