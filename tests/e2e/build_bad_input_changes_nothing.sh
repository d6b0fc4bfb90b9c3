# Bad build input is refused before anything changes, each with the file and line of the
# service's build section and exit 1: a missing context, a missing Dockerfile, a context that
# leaves the project through .. or a symbolic link, a secret in a build arg, a service that
# `run build` does not know.
source "$(dirname "$0")/lib.sh"
docker_project
config() {
  write run-config.yaml <<YAML
version: "2"
project: $project
services:
  app:
    build: $1
    init: true
    command: ["sleep", "100000"]
environments:
  dev: {}
YAML
}
nothing_made() {
  [ -z "$(docker ps -aq --filter "label=run.project=$project")" ] || fail "a container was made"
  [ -z "$(docker images -q --filter "label=run.project=$project")" ] || fail "an image was built"
}

config "{ context: missing }"
run_expect 1 apply --auto-approve
stderr_has "run-config.yaml:5:"
stderr_has "build context missing does not exist"

mkdir -p empty
config "{ context: empty }"
run_expect 1 plan
stderr_has "Dockerfile not found in the build context"

config "{ context: ../.. }"
run_expect 1 plan
stderr_has "build context '../..' is outside the project"

ln -s / escape
config "{ context: escape }"
run_expect 1 plan
stderr_has "build context escape leads outside the project, to /"

mkdir -p app && echo 'FROM run-demo/busybox' >app/Dockerfile
config '{ context: app, args: { TOKEN: "${secret:TOKEN}" } }'
RUN_SECRET_TOKEN=hunter2 run_expect 1 plan
stderr_has "build arg 'TOKEN' holds a secret"
stderr_lacks "hunter2"

config "{ context: app }"
run_expect 1 build nope
stderr_has "no service 'nope'"
nothing_made
pass
