# A container run did not create, holding a name the plan needs, is an error that names it;
# it is left untouched.
source "$(dirname "$0")/lib.sh"
docker_project
write run-config.yaml <<YAML
version: "2"
project: $project
services:
  web: { image: run-demo/busybox:latest }
environments:
  dev: {}
YAML
id=$(docker create --name "$project-dev-web-1" run-demo/busybox:latest sleep 1000)
run_expect 1 plan
stderr_has "error: container '$project-dev-web-1' already exists and was not created by run for $project/dev"
stderr_has "docker rm $project-dev-web-1"
[ "$(docker inspect -f '{{.Id}}' "$project-dev-web-1")" = "$id" ] || fail "the foreign container changed"
pass
