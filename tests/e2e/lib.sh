# Shared helpers for the end-to-end scripts: each script sources this, tests one behaviour
# against the built binary ($RUN_BIN), and works in its own temporary directory.
set -euo pipefail

RUN_BIN=${RUN_BIN:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/build/run}
RUN_SOURCE_DIR=${RUN_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
unset RUN_ENV RUN_CONFIG NO_COLOR

fail() {
  echo "FAIL: $*" >&2
  [ -f "$work/stdout" ] && { echo "--- stdout"; cat "$work/stdout"; } >&2
  [ -f "$work/stderr" ] && { echo "--- stderr"; cat "$work/stderr"; } >&2
  [ -f "$work/loop.log" ] && { echo "--- the reconcile loop's log (last 40 lines)"; tail -n 40 "$work/loop.log"; } >&2
  exit 1
}

# run_expect CODE ARGS...: runs run with ARGS (120 s at most: applies on a loaded 2-core
# machine with the vfs driver are slow; a hang still ends), keeps stdout and stderr in
# $work/stdout and $work/stderr, and fails unless it exits with CODE.
run_expect() {
  local expected=$1
  shift
  local code=0
  timeout 120 "$RUN_BIN" "$@" >"$work/stdout" 2>"$work/stderr" || code=$?
  [ "$code" -eq "$expected" ] || fail "run $* exited $code, expected $expected"
}

stdout_has() { grep -qF -- "$1" "$work/stdout" || fail "stdout lacks: $1"; }
stderr_has() { grep -qF -- "$1" "$work/stderr" || fail "stderr lacks: $1"; }
stdout_lacks() { ! grep -qF -- "$1" "$work/stdout" || fail "stdout has: $1"; }
stderr_lacks() { ! grep -qF -- "$1" "$work/stderr" || fail "stderr has: $1"; }

# write FILE: writes standard input to FILE, making its directory.
write() {
  mkdir -p "$(dirname "$1")"
  cat >"$1"
}

# A small valid project in the current directory.
minimal_project() {
  write run-config.yaml <<'YAML'
version: "2"
project: e2e
default_environment: dev
services:
  web:
    image: run-demo/busybox:latest
    replicas: 1
environments:
  dev: {}
  production: {}
YAML
}

pass() { echo "ok: $(basename "$0" .sh)"; }

# A project name of its own for each script, so scripts never see each other's containers.
unique_project() { echo "e2e-$(basename "$0" .sh | tr '_' '-' | cut -c1-20)-$$"; }

# Removes every container, network and volume of a project (run's labels), at exit.
cleanup_project() {
  local project=$1
  docker ps -aq --filter "label=run.project=$project" | xargs -r docker rm -f >/dev/null 2>&1 || true
  docker ps -aq --filter "name=$project-" | xargs -r docker rm -f >/dev/null 2>&1 || true
  docker network ls -q --filter "label=run.project=$project" | xargs -r docker network rm >/dev/null 2>&1 || true
  docker volume ls -q --filter "label=run.project=$project" | xargs -r docker volume rm >/dev/null 2>&1 || true
  docker images -q --filter "label=run.project=$project" | xargs -r docker rmi -f >/dev/null 2>&1 || true
}

# Fails the script early, with a clear reason, when no Docker daemon answers.
require_docker() {
  timeout 10 docker info >/dev/null 2>&1 || fail "no Docker daemon answers (scripts/setup.sh starts one)"
}

# json_field FILE EXPRESSION: a value out of a JSON file (python3).
json_field() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }

# run_expect_within SECONDS CODE ARGS...: run_expect for commands that may take longer than 10 s.
run_expect_within() {
  local limit=$1 expected=$2
  shift 2
  local code=0
  timeout "$limit" "$RUN_BIN" "$@" >"$work/stdout" 2>"$work/stderr" || code=$?
  [ "$code" -eq "$expected" ] || fail "run $* exited $code, expected $expected"
}

# wait_until SECONDS COMMAND...: polls COMMAND every 0.1 s until it succeeds; fails the script
# after SECONDS.
wait_until() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do
    [ "$SECONDS" -lt "$deadline" ] || fail "timed out waiting for: $*"
    sleep 0.1
  done
}

# lock_held PROJECT [ENV]: whether the environment's lock container exists.
lock_held() { container_exists "run-lock-$1-${2:-dev}"; }

# A chained project's slow health check: the service becomes healthy ~3 s after it starts.
slow_healthy_service() {
  cat <<YAML
  $1:
    image: run-demo/busybox:latest
    init: true
    command: ["sh", "-c", "sleep 3; touch /tmp/ok; exec sleep 100000"]
    healthcheck: { test: ["CMD", "test", "-f", "/tmp/ok"], interval: 1s, retries: 10 }
YAML
}

# service_after_db NAME: a busybox service NAME that depends_on db being healthy (with
# slow_healthy_service db, an apply holds its lock for the ~4 s db takes).
service_after_db() {
  cat <<YAML
  $1:
    image: run-demo/busybox:latest
    init: true
    command: ["sleep", "100000"]
    depends_on: { db: healthy }
YAML
}

# exited PID: whether a background process has ended.
exited() { ! kill -0 "$1" 2>/dev/null; }

# The start of a script that uses the daemon: fails early without one, names a project of the
# script's own in $project, and removes all of it at exit.
docker_project() {
  require_docker
  project=$(unique_project)
  trap 'cleanup_project "$project"; rm -rf "$work"' EXIT
}

# git_as_tester ARGS...: git with an identity of its own, so commits work on a fresh machine.
git_as_tester() { git -c user.name=e2e -c user.email=e2e@example.com "$@"; }

# reconcile_project: a git clone in $work/work of a bare remote in $work/remote.git (branch
# main), holding one busybox service `web` of $project, committed and pushed; the current
# directory becomes the clone. `commit_and_push MESSAGE` publishes the next change.
reconcile_project() {
  git init -q --bare "$work/remote.git"
  git -C "$work/remote.git" symbolic-ref HEAD refs/heads/main
  git init -q -b main "$work/work"
  cd "$work/work"
  git remote add origin "$work/remote.git"
  web_project 1
  commit_and_push "release 1"
}

# web_project RELEASE: run-config.yaml in the current directory: one busybox service `web` of
# $project whose environment says RELEASE (line 9), and one environment, dev.
web_project() {
  write run-config.yaml <<YAML
version: "2"
project: $project
default_environment: dev
services:
  web:
    image: run-demo/busybox:latest
    init: true
    command: ["sleep", "100000"]
    env: { RELEASE: "$1" }
environments:
  dev: {}
YAML
}

commit_and_push() {
  git add -A
  git_as_tester commit -q -m "$1"
  git push -q origin main 2>/dev/null
}

# start_reconcile ARGS...: runs `run reconcile ARGS` in the background (stderr to
# $work/loop.log) and keeps its pid in $loop_pid; the loop is stopped at exit.
start_reconcile() {
  "$RUN_BIN" reconcile "$@" >"$work/loop.out" 2>"$work/loop.log" &
  loop_pid=$!
  trap 'kill -TERM "$loop_pid" 2>/dev/null || true; wait "$loop_pid" 2>/dev/null || true; cleanup_project "$project"; rm -rf "$work"' EXIT
}

# log_has TEXT: whether the loop's log holds TEXT (for wait_until).
log_has() { grep -qF -- "$1" "$work/loop.log"; }

# container_env NAME VAR: the value of VAR in container NAME's environment ("" when absent).
container_env() {
  docker inspect -f '{{range .Config.Env}}{{println .}}{{end}}' "$1" 2>/dev/null | sed -n "s/^$2=//p"
}

# running NAME: whether container NAME is running.
running() { [ "$(docker inspect -f '{{.State.Running}}' "$1" 2>/dev/null)" = "true" ]; }

# container_exists NAME: whether the daemon has container NAME, in any state.
container_exists() { docker inspect "$1" >/dev/null 2>&1; }
