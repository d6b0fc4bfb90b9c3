# run exec: a command's stdout and stderr passed apart and its exit code kept; --replica 2
# runs in replica 2; an unknown service exits 1 with a suggestion; a stopped service exits 1.
source "$(dirname "$0")/lib.sh"
docker_project
trap 'cleanup_project "$project"; rm -rf "$work"' EXIT
write run-config.yaml <<YAML
version: "2"
project: $project
services:
  web:
    image: run-demo/busybox:latest
    init: true
    replicas: 2
    command: ["sleep", "100000"]
environments:
  dev: {}
YAML
run_expect_within 60 0 apply --auto-approve

run_expect 3 exec web -- sh -c 'echo out; echo err >&2; exit 3'
[ "$(cat "$work/stdout")" = "out" ] || fail "stdout is not just 'out'"
stderr_has "err"
stdout_lacks "err"

run_expect 0 exec web --replica 2 -- cat /etc/hostname
id=$(docker inspect -f '{{.Id}}' "$project-dev-web-2")
[ "$(cat "$work/stdout")" = "${id:0:12}" ] || fail "--replica 2 did not run in $project-dev-web-2"

run_expect 0 exec web -- sh -c 'printf "no end"'
[ "$(cat "$work/stdout")" = "no end" ] || fail "output was not passed byte for byte"

run_expect 1 exec wbe -- true
stderr_has "no service 'wbe'"
stderr_has "web"

docker stop -t 1 "$project-dev-web-1" "$project-dev-web-2" >/dev/null
run_expect 1 exec web -- true
stderr_has "service 'web' has no running replica in $project/dev"
pass
