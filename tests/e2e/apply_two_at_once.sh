# Two applies at once: the second fails fast naming the holder (user@host, pid); Ctrl-C ends
# a wait for the lock; with --lock-timeout a third waits for the first and then finds nothing
# to do; no lock remains.
source "$(dirname "$0")/lib.sh"
require_docker
project=$(unique_project)
trap 'kill -9 ${first:-} ${waiting:-} 2>/dev/null || true; cleanup_project "$project"; docker rm -f run-lock-$project-dev >/dev/null 2>&1; rm -rf "$work"' EXIT
{
  cat <<YAML
version: "2"
project: $project
services:
YAML
  slow_healthy_service db
  service_after_db app
  printf 'environments:\n  dev: {}\n'
} | write run-config.yaml

# The first apply holds the lock while db becomes healthy (~4 s).
"$RUN_BIN" apply --auto-approve --progress plain >"$work/first.out" 2>"$work/first.err" &
first=$!
wait_until 20 lock_held "$project"

started=$SECONDS
run_expect 1 apply --auto-approve
[ $((SECONDS - started)) -lt 3 ] || fail "the second apply took $((SECONDS - started)) s to fail"
stderr_has "$project/dev is locked by ${USER:-$(id -un)}@$(hostname) (pid $first, apply since "
stderr_has "--lock-timeout"
stdout_lacks "Plan:"

# Ctrl-C ends a wait for the lock at once (exit 130), whatever --lock-timeout says.
set -m
"$RUN_BIN" apply --auto-approve --lock-timeout 60s >"$work/waiting.out" 2>"$work/waiting.err" &
waiting=$!
set +m
sleep 0.5
lock_held "$project" || fail "the first apply finished too early for this test"
kill -INT "$waiting"
wait_until 3 exited "$waiting"
code=0
wait "$waiting" || code=$?
[ "$code" -eq 130 ] || { cat "$work/waiting.err" >&2; fail "the apply interrupted while waiting for the lock exited $code"; }
grep -qF "is locked by" "$work/waiting.err" || fail "the interrupted wait does not name the holder"

# The third waits for the first, then plans against what the first made: nothing to do.
run_expect_within 60 0 apply --auto-approve --lock-timeout 60s
stdout_has "No changes"
lock_held "$project" && fail "the third apply left its lock behind"

wait_until 60 exited "$first"
code=0
wait "$first" || code=$?
[ "$code" -eq 0 ] || { cat "$work/first.out" "$work/first.err" >&2; fail "the first apply exited $code"; }
grep -qF "Apply complete" "$work/first.out" || fail "the first apply did not complete"
[ "$(docker inspect -f '{{.State.Running}}' "$project-dev-app-1")" = true ] || fail "app is not running"

run_expect 0 plan --detailed-exitcode
lock_held "$project" && fail "a lock remains"
pass
