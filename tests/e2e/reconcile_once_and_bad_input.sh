#!/usr/bin/env bash
# run reconcile --once runs one tick and exits with its code: 0 when it applied (outside git
# and inside a clone) or found the environment in sync, 1 when the config is broken (naming
# file:line) or another process holds the environment's lock ("skipped: locked by").
# Bad flags end the command with 1 and a clear message: a duration that is none, a remote or
# a branch that does not exist, an address that cannot be listened on.
source "$(dirname "$0")/lib.sh"
docker_project
trap 'cleanup_project "$project"; docker rm -f "run-lock-$project-dev" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
web="$project-dev-web-1"

# Outside git: the working tree (no commit to name), history in .run/history.git.
mkdir "$work/plain"
cd "$work/plain"
! git rev-parse --git-dir >/dev/null 2>&1 || fail "$PWD is inside a git repository: the test proves nothing"
web_project plain
run_expect_within 90 0 reconcile --once
stderr_has "dev at working tree: applied 2 to add, 0 to change, 0 to replace, 0 to start, 0 to remove, recorded as #1"
stderr_lacks "reconciling dev from"   # --once runs no loop
stderr_lacks "serving /healthz"       # and serves nothing
[ "$(container_env "$web" RELEASE)" = plain ] || fail "--once did not deploy the working tree"
run_expect_within 60 0 reconcile --once
stderr_has "dev at working tree: in sync ("
stderr_lacks "applied"

# A broken config: exit 1, with the file and line of the error; the environment is untouched.
sed -i 's/^    env: { RELEASE: "plain" }$/&\n    colour: blue/' run-config.yaml
[ "$(sed -n 10p run-config.yaml)" = "    colour: blue" ] || fail "the broken line is not line 10"
run_expect_within 60 1 reconcile --once
grep -qE "run-config\.yaml:10:[0-9]+: unknown key 'colour' \(at services\.[a-z]+\.colour\); hint: " "$work/stderr" ||
  fail "the failure does not name run-config.yaml:10, the key's path and the hint"
stderr_lacks "applied"
stderr_lacks "retrying in"
running "$web" || fail "a broken config stopped $web"

# Bad flags: each refused with 1 before anything runs (timeouts would mean a loop started).
sed -i '/^    colour: blue$/d' run-config.yaml
run_expect_within 15 1 reconcile --interval nonsense
stderr_has "--interval 'nonsense' is not a duration"
stderr_has "write e.g. 30s, 5m or 1h"
stderr_lacks "reconciling dev"
run_expect_within 15 1 reconcile --backoff-max 0s --listen off
stderr_has "--backoff-max '0s' is not a duration"
run_expect_within 15 1 reconcile --listen 127.0.0.1:99999
stderr_has "listen address '127.0.0.1:99999' has no valid port (0 to 65535)"
stderr_lacks "reconciling dev"
# --remote outside git: the tick fails, saying why.
run_expect_within 30 1 reconcile --once --remote origin
stderr_has "the default environment at working tree: failed: --remote needs a git repository, and "
stderr_has "/plain is in none"

# Inside a clone of a bare remote: --once applies the working tree's commit.
reconcile_project
commit=$(git rev-parse --short=7 HEAD)
run_expect_within 90 0 reconcile --once
stderr_has "dev at $commit: applied 0 to add, 0 to change, 1 to replace, 0 to start, 0 to remove, recorded as #1"
[ "$(container_env "$web" RELEASE)" = 1 ] || fail "--once did not deploy the clone's working tree"
run_expect_within 60 0 reconcile --once --remote origin --branch main
stderr_has "dev at $commit: in sync ("
run_expect_within 30 1 reconcile --once --remote nope
stderr_has "has no remote 'nope'"
stderr_lacks "applied"
run_expect_within 30 1 reconcile --once --remote origin --branch nope
stderr_has "remote 'origin' has no branch 'nope'"

# Another process holds the lock (a lock as another machine's run would leave it): with
# something to change, the tick is skipped, and --once says so with 1.
docker create --name "run-lock-$project-dev" --label run.lock=1 --label run.lock.holder=ghost@nowhere \
  --label run.lock.pid=1 --label run.lock.command=apply --label run.lock.since=2026-01-01T00:00:00Z run-lock:1 lock >/dev/null
docker stop -t 1 "$web" >/dev/null
run_expect_within 60 1 reconcile --once
stderr_has "dev at $commit: skipped: locked by ghost@nowhere (apply since 2026-01-01T00:00:00Z)"
running "$web" && fail "a skipped tick started $web"
lock_held "$project" || fail "the tick removed another process's lock"
docker rm -f "run-lock-$project-dev" >/dev/null
run_expect_within 60 0 reconcile --once
stderr_has "dev at $commit: applied 0 to add, 0 to change, 0 to replace, 1 to start, 0 to remove, recorded as #2"
running "$web" || fail "$web was not started once the lock was gone"
pass
