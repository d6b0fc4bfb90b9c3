# A replacement that never gets ready shows, for that container, its state and exit code, its
# health check's last output and its last log lines, with secret values redacted; the record
# keeps them (run show). The old container keeps running.
source "$(dirname "$0")/lib.sh"
docker_project
export RUN_SECRET_TOKEN=hunter2-secret
config() {
  write run-config.yaml <<YAML
version: "2"
project: $project
services:
  web:
    image: run-demo/busybox:latest
    init: true
    env: { TOKEN: "\${secret:TOKEN}" }
    command: ["sh", "-c", "$1"]
    healthcheck: { test: ["CMD", "sh", "-c", "test -f /tmp/ok || { echo not ready; exit 1; }"], interval: 1s, retries: 2 }
    update: { order: start-first }
environments:
  dev: {}
YAML
}
config 'touch /tmp/ok; exec sleep 100000'
run_expect 0 apply --auto-approve --progress plain
old=$(docker inspect -f '{{.Id}}' "$project-dev-web-1")

# Never healthy: the health check's output and the logs, the secret redacted.
config 'echo starting with token $$TOKEN; echo giving up >&2; exec sleep 100000'
run_expect 1 apply --auto-approve --progress json
stdout_has "state: running"
stdout_has "health check: exit 1: not ready"
stdout_has "log: starting with token (sensitive)"
stdout_has "log: giving up"
stdout_lacks "hunter2-secret"
stderr_lacks "hunter2-secret"
stderr_has '"diagnostics": ['
[ "$(docker inspect -f '{{.Id}}' "$project-dev-web-1")" = "$old" ] || fail "the old container did not keep running"
run_expect 0 show
stdout_has "health check: exit 1: not ready"
stdout_lacks "hunter2-secret"

# Exits at once: its state and exit code.
config 'echo crashing; exit 3'
run_expect 1 apply --auto-approve --progress plain
stdout_has "state: exited (exit code 3)"
stdout_has "log: crashing"
[ "$(docker inspect -f '{{.Id}}' "$project-dev-web-1")" = "$old" ] || fail "the old container did not keep running"
pass
