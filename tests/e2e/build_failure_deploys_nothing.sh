# A build that fails names its step and its last output, exits 1, and deploys nothing: no
# container of any service changes, not even one whose own image was fine.
source "$(dirname "$0")/lib.sh"
docker_project
write run-config.yaml <<YAML
version: "2"
project: $project
services:
  app:
    build: { context: app }
    init: true
    command: ["sleep", "100000"]
  web:
    image: run-demo/busybox:latest
    init: true
    command: ["sleep", "100000"]
    env: { VERSION: "1" }
environments:
  dev: {}
YAML
printf 'FROM run-demo/busybox\nCOPY a.txt /a.txt\n' | write app/Dockerfile
echo one | write app/a.txt
run_expect 0 apply --auto-approve --progress plain
app=$(docker inspect -f '{{.Id}}' "$project-dev-app-1")
web=$(docker inspect -f '{{.Id}}' "$project-dev-web-1")

printf 'FROM run-demo/busybox\nCOPY a.txt /a.txt\nRUN echo compiling; echo "no compiler" >&2; exit 3\n' >app/Dockerfile
sed -i 's/VERSION: "1"/VERSION: "2"/' run-config.yaml
run_expect 1 apply --auto-approve --progress plain
stdout_has "failed at step 3/"
stdout_has "RUN echo compiling"
stdout_has "exit code 3"
stdout_has "no compiler"
stdout_lacks $'\033['  # the daemon's colours are not passed on
stdout_has "a build failed: nothing deployed"
[ "$(docker inspect -f '{{.Id}}' "$project-dev-app-1")" = "$app" ] || fail "app changed"
[ "$(docker inspect -f '{{.Id}}' "$project-dev-web-1")" = "$web" ] || fail "web changed"
run_expect 0 history
stdout_has "failed"
pass
