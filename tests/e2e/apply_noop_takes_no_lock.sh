# An apply with nothing to do plans without the lock and stops there: it succeeds even while
# another apply holds the lock, and makes nothing on the daemon. An apply with changes still
# needs the lock and is refused, changing nothing.
source "$(dirname "$0")/lib.sh"
docker_project
trap 'docker rm -f "run-lock-$project-dev" >/dev/null 2>&1; cleanup_project "$project"; rm -rf "$work"' EXIT
web_project 1
run_expect 0 apply --auto-approve --progress plain
stdout_has "Recorded as dev #1"

# A lock held by another machine's apply, made by hand as that run would leave it.
docker create --name "run-lock-$project-dev" --label run.lock=1 --label run.lock.holder=ghost@nowhere \
  --label run.lock.pid=1 --label run.lock.command=apply --label run.lock.since=2026-01-01T00:00:00Z run-lock:1 lock >/dev/null
since=$(date +%s.%N)  # after the lock above: its own create is not counted
run_expect 0 apply --auto-approve
stdout_has "No changes."
stdout_lacks "Recorded as"
run_expect 0 apply --dry-run
stdout_has "No changes."
# This project's containers and its lock only: other tests run beside this one.
made=$(docker events --since "$since" --until "$(date +%s.%N)" --filter type=container --filter event=create \
  --format '{{.Actor.Attributes.name}}' | grep -F -- "$project" || true)
[ -z "$made" ] || fail "a no-op apply made containers on the daemon: $made"

web_project 2
before=$(docker inspect -f '{{.Id}}' "$project-dev-web-1")
run_expect 1 apply --auto-approve
stderr_has "$project/dev is locked by ghost@nowhere (pid 1, apply since 2026-01-01T00:00:00Z)"
stdout_lacks "Plan:"
[ "$(docker inspect -f '{{.Id}}' "$project-dev-web-1")" = "$before" ] || fail "a refused apply replaced web"
docker rm "run-lock-$project-dev" >/dev/null
run_expect 0 apply --auto-approve --progress plain
stdout_has "Recorded as dev #2"
pass
