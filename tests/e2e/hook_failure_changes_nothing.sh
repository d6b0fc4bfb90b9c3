# A pre-deploy hook that fails stops the apply before any change: the container is the same,
# apply exits 1, and the record says which hook failed with its output. The plan says which
# hooks run and why; run_if_changed skips a hook whose paths do not change.
source "$(dirname "$0")/lib.sh"
docker_project
trap 'cleanup_project "$project"; rm -rf "$work"' EXIT
git -C "$work" init -q
config() {
  write run-config.yaml <<YAML
version: "2"
project: $project
services:
  web:
    image: run-demo/busybox:latest
    init: true
    command: ["sleep", "100000"]
    env: { LEVEL: "$1" }
tasks:
  migrate:
    image: run-demo/busybox:latest
    command: ["sh", "-c", "echo applying 002_bad.sql; echo 'ERROR: syntax error' >&2; exit $2"]
    when: pre-deploy
    run_if_changed: [services.web.env]
  reindex:
    image: run-demo/busybox:latest
    command: ["true"]
    when: post-deploy
    run_if_changed: [services.web.image]
environments:
  dev: {}
YAML
}
config info 0
run_expect_within 60 0 apply --auto-approve
before=$(docker inspect -f '{{.Id}}' "$project-dev-web-1")

config debug 4
run_expect 2 plan --detailed-exitcode
stdout_has "migrate"
stdout_has "services.web.env changes"
stdout_has "services.web.image does not change"
run_expect 0 plan -o json
[ "$(json_field "$work/stdout" "[h['task'] for h in d['hooks'] if h['runs']]")" = "['migrate']" ] ||
  fail "the plan's JSON does not say that only migrate runs"

run_expect_within 60 1 apply --auto-approve
stderr_has "migrate"
stderr_has "ERROR: syntax error"
[ "$(docker inspect -f '{{.Id}}' "$project-dev-web-1")" = "$before" ] || fail "the container was changed"
[ "$(docker inspect -f '{{range .Config.Env}}{{println .}}{{end}}' "$project-dev-web-1" | grep LEVEL)" = "LEVEL=info" ] ||
  fail "the container's env was changed"
container_exists "$project-dev-task-migrate" && fail "the hook's container was left behind"
run_expect 0 show
stdout_has "failed"
stdout_has "migrate"
stdout_has "ERROR: syntax error"

config debug 0
run_expect_within 60 0 apply --auto-approve
[ "$(docker inspect -f '{{.Id}}' "$project-dev-web-1")" != "$before" ] || fail "the fixed apply changed nothing"
pass
