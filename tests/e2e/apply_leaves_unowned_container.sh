# A container run did not create holds the name a replica needs: apply refuses with an
# error that names it, creates nothing, and leaves the foreign container exactly as it was.
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
  worker:
    image: run-demo/busybox:latest
    init: true
    command: ["sleep", "100000"]
environments:
  dev: {}
YAML
foreign=$(docker create --name "$project-dev-web-1" --init run-demo/busybox:latest sleep 100000)

run_expect 1 apply --auto-approve --progress plain
stderr_has "container '$project-dev-web-1' already exists and was not created by run for $project/dev"
stdout_lacks "Apply complete"
[ "$(docker inspect -f '{{.Id}} {{.State.Status}}' "$project-dev-web-1")" = "$foreign created" ] ||
  fail "the foreign container was touched"
[ "$(docker inspect -f '{{json .Config.Labels}}' "$project-dev-web-1")" = "{}" ] || fail "the foreign container got labels"
[ -z "$(docker ps -aq --filter "label=run.project=$project")" ] || fail "apply created containers"
[ -z "$(docker network ls -q --filter "label=run.project=$project")" ] || fail "apply created a network"
[ -z "$(docker ps -aq --filter name=run-lock-$project)" ] || fail "the lock was not released after the refusal"

# Once the user removes it, the same config applies and converges.
docker rm "$project-dev-web-1" >/dev/null
run_expect 0 apply --auto-approve --progress plain
[ "$(docker inspect -f '{{index .Config.Labels "run.project"}} {{.State.Running}}' "$project-dev-web-1")" = "$project true" ] ||
  fail "web is not run's running container"

run_expect 0 plan --detailed-exitcode
[ -z "$(docker ps -aq --filter name=run-lock-$project)" ] || fail "the lock was not released"
pass
