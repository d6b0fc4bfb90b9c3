# A lock left behind by a run that is gone blocks apply, naming its holder; force-unlock
# removes it and says whose it was; a second force-unlock finds no lock; apply then works.
source "$(dirname "$0")/lib.sh"
require_docker
project=$(unique_project)
trap 'kill -9 ${apply:-} 2>/dev/null || true; cleanup_project "$project"; docker rm -f run-lock-$project-dev >/dev/null 2>&1; rm -rf "$work"' EXIT
{
  printf 'version: "2"\nproject: %s\nservices:\n' "$project"
  slow_healthy_service db
  service_after_db web
  printf 'environments:\n  dev: {}\n'
} | write run-config.yaml

# A killed apply cannot release its lock.
"$RUN_BIN" apply --auto-approve --progress plain >"$work/killed.out" 2>"$work/killed.err" &
apply=$!
# Killed once db exists, so the destroy below has something to remove and needs the lock
# (with nothing to remove, destroy like apply ends at its first plan and takes no lock).
wait_until 20 lock_held "$project"
wait_until 20 container_exists "$project-dev-db-1"
kill -9 "$apply"
wait "$apply" 2>/dev/null || true
lock_held "$project" || fail "the killed apply's lock is gone"
run_expect 1 apply --auto-approve
stderr_has "$project/dev is locked by "
stderr_has "(pid $apply, apply since "
stderr_has "run force-unlock --env dev"
run_expect 0 force-unlock
stdout_has "Removed the lock of $project/dev held by "
stdout_has "(pid $apply, apply since "
lock_held "$project" && fail "force-unlock left the lock"

# A lock made by hand, as another machine's run would leave it.
docker create --name "run-lock-$project-dev" --label run.lock=1 --label run.lock.holder=ghost@nowhere \
  --label run.lock.pid=1 --label run.lock.command=apply --label run.lock.since=2026-01-01T00:00:00Z run-lock:1 lock >/dev/null
run_expect 1 apply --auto-approve
stderr_has "$project/dev is locked by ghost@nowhere (pid 1, apply since 2026-01-01T00:00:00Z)"
stdout_lacks "Plan:"
run_expect 1 destroy --auto-approve
stderr_has "is locked by ghost@nowhere"
run_expect 0 force-unlock
stdout_has "Removed the lock of $project/dev held by ghost@nowhere (pid 1, apply since 2026-01-01T00:00:00Z)."
lock_held "$project" && fail "force-unlock left the lock"
run_expect 0 force-unlock
stdout_has "$project/dev is not locked."

# A container that only has the lock's name is not a lock: refused, never removed.
docker create --name "run-lock-$project-dev" run-demo/busybox:latest true >/dev/null
run_expect 1 force-unlock
stderr_has "run-lock-$project-dev exists but is not a lock run made"
run_expect 1 apply --auto-approve
stderr_has "is not a lock run made"
container_exists "run-lock-$project-dev" || fail "force-unlock removed a container that is not a lock"
docker rm -f "run-lock-$project-dev" >/dev/null

run_expect_within 60 0 apply --auto-approve
[ "$(docker inspect -f '{{.State.Running}}' "$project-dev-web-1")" = true ] || fail "web is not running"
run_expect 0 plan --detailed-exitcode
lock_held "$project" && fail "a lock remains"
pass
