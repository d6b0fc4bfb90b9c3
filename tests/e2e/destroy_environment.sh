# destroy removes an environment's containers and networks and keeps its volumes (saying so);
# --prune-volumes removes them too; a container run did not make survives both; destroying an
# empty environment has nothing to do.
source "$(dirname "$0")/lib.sh"
require_docker
project=$(unique_project)
trap 'cleanup_project "$project"; docker rm -f run-lock-$project-dev >/dev/null 2>&1; rm -rf "$work"' EXIT
write run-config.yaml <<YAML
version: "2"
project: $project
services:
  db:
    image: run-demo/busybox:latest
    init: true
    command: ["sleep", "100000"]
    volumes: ["data:/data"]
  web:
    image: run-demo/busybox:latest
    init: true
    command: ["sleep", "100000"]
    replicas: 2
volumes: { data: {} }
environments:
  dev: {}
YAML
count() { docker "$1" ls -q --filter "label=run.project=$project" | wc -l; }
containers() { docker ps -aq --filter "label=run.project=$project" | wc -l; }

run_expect_within 60 0 apply --auto-approve
[ "$(containers)" -eq 3 ] && [ "$(count network)" -eq 1 ] && [ "$(count volume)" -eq 1 ] || fail "apply did not make 3 containers, a network and a volume"
docker run -d --name "$project-other" run-demo/busybox:latest sleep 100000 >/dev/null

run_expect_within 60 0 destroy --auto-approve
stdout_has "remove container $project-dev-db-1"
stdout_has "remove container $project-dev-web-2"
stdout_has "remove network $project-dev"
stdout_lacks "remove volume"
stdout_has "Note: volume $project-dev-data"
stdout_has "--prune-volumes removes it"
stdout_has "Destroy complete: 4 actions"
[ "$(containers)" -eq 0 ] || fail "containers remain after destroy"
[ "$(count network)" -eq 0 ] || fail "the network remains after destroy"
[ "$(count volume)" -eq 1 ] || fail "destroy removed the volume without --prune-volumes"
lock_held "$project" && fail "destroy left its lock behind"

run_expect_within 60 0 destroy --auto-approve --prune-volumes
stdout_has "remove volume $project-dev-data"
[ "$(count volume)" -eq 0 ] || fail "the volume remains after --prune-volumes"
[ "$(docker inspect -f '{{.State.Running}}' "$project-other")" = true ] || fail "destroy touched a container it did not make"

run_expect 0 destroy --auto-approve
stdout_has "No changes."
stdout_lacks "Destroy complete"
stdout_lacks "Note: volume"
[ "$(docker inspect -f '{{.State.Running}}' "$project-other")" = true ] || fail "destroy touched a container it did not make"

# Idempotence for destroy: nothing left to remove (plan would now create everything).
run_expect 0 destroy --dry-run
stdout_has "No changes."
lock_held "$project" && fail "a lock remains"
pass
