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
  exit 1
}

# run_expect CODE ARGS...: runs run with ARGS (10 s at most), keeps stdout and stderr in
# $work/stdout and $work/stderr, and fails unless it exits with CODE.
run_expect() {
  local expected=$1
  shift
  local code=0
  timeout 10 "$RUN_BIN" "$@" >"$work/stdout" 2>"$work/stderr" || code=$?
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
