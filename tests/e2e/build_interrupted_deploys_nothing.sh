# Ctrl-C during a build cancels it (the daemon stops building when the connection closes),
# deploys nothing and exits 130; the next plan still wants the build.
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
environments:
  dev: {}
YAML
printf 'FROM run-demo/busybox\nRUN echo v1 > /v\n' | write app/Dockerfile
run_expect 0 apply --auto-approve --progress plain
app=$(docker inspect -f '{{.Id}}' "$project-dev-app-1")

printf 'FROM run-demo/busybox\nRUN echo started; sleep 30; echo v2 > /v\n' >app/Dockerfile
# Job control gives the background apply SIGINT's default disposition (a script's background
# jobs otherwise ignore it).
set -m
"$RUN_BIN" apply --auto-approve --progress plain >"$work/stdout" 2>"$work/stderr" &
pid=$!
set +m
trap 'kill -9 $pid 2>/dev/null || true; cleanup_project "$project"; rm -rf "$work"' EXIT
wait_until 60 grep -q "app: step 2/" "$work/stderr"
sleep 1
kill -INT "$pid"
code=0
wait "$pid" || code=$?
[ "$code" -eq 130 ] || fail "apply exited $code after Ctrl-C, expected 130"
stdout_has "Apply interrupted"
[ "$(docker inspect -f '{{.Id}}' "$project-dev-app-1")" = "$app" ] || fail "app changed"
run_expect 2 plan --detailed-exitcode
stdout_has "build image $project/app:"
tag=$(grep -o "build image $project/app:[0-9a-f]*" "$work/stdout" | cut -d' ' -f3)
! docker image inspect "$tag" >/dev/null 2>&1 || fail "the interrupted build made $tag"
pass
