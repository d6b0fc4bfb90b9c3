# SIGINT mid-apply: running actions finish, nothing new starts, the apply exits 130 saying
# "interrupted", releases the lock and leaves no half-made container; the next apply converges
# and the plan after it is a no-op.
source "$(dirname "$0")/lib.sh"
require_docker
project=$(unique_project)
trap 'kill -9 ${apply:-} 2>/dev/null || true; cleanup_project "$project"; docker rm -f run-lock-$project-dev >/dev/null 2>&1; rm -rf "$work"' EXIT
# A chain of slow health checks (~4 s each): the apply lasts well over 5 s.
{
  cat <<YAML
version: "2"
project: $project
services:
YAML
  slow_healthy_service a
  slow_healthy_service b
  echo "    depends_on: { a: healthy }"
  slow_healthy_service c
  echo "    depends_on: { b: healthy }"
  cat <<YAML
  d:
    image: run-demo/busybox:latest
    init: true
    command: ["sleep", "100000"]
    depends_on: { c: healthy }
environments:
  dev: {}
YAML
} | write run-config.yaml

owned() { docker ps -aq --filter "label=run.project=$project"; }
has_owned() { [ -n "$(owned)" ]; }

# Job control gives the background apply SIGINT's default disposition (a script's background
# jobs otherwise ignore it, as a terminal's Ctrl-C would never reach them).
set -m
"$RUN_BIN" apply --auto-approve --progress plain >"$work/stdout" 2>"$work/stderr" &
apply=$!
set +m
wait_until 20 has_owned
kill -INT "$apply"
interrupted_at=$SECONDS
wait_until 15 exited "$apply"
code=0
wait "$apply" || code=$?
[ "$code" -eq 130 ] || fail "the interrupted apply exited $code, expected 130"
echo "exited $((SECONDS - interrupted_at)) s after SIGINT"
stderr_has "interrupted"
stdout_has "Apply interrupted"
lock_held "$project" && fail "the interrupted apply left its lock behind"

# Nothing half-made: no *-next container, and every container run made is complete, i.e. the
# apply got to start it.
docker ps -a --format '{{.Names}}' --filter "name=$project-" | grep -- '-next$' && fail "a -next container is left"
made=$(owned | wc -l)
[ "$made" -ge 1 ] && [ "$made" -lt 4 ] || fail "$made containers exist after the interrupt, expected 1 to 3"
for id in $(owned); do
  [ "$(docker inspect -f '{{.State.Running}}' "$id")" = true ] || fail "container $id was left not running"
done
[ -z "$(docker ps -aq --filter "name=$project-dev-d-1")" ] || fail "d was started after the interrupt"

run_expect_within 60 0 apply --auto-approve --progress plain
stdout_has "Apply complete"
[ "$(owned | wc -l)" -eq 4 ] || fail "the converging apply did not make all 4 containers"
run_expect 0 plan --detailed-exitcode
lock_held "$project" && fail "a lock remains"
pass
