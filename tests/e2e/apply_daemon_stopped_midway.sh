# A daemon that stops in the middle of an apply and starts again: the apply exits 1 with an
# honest report (how many actions were done, each one that was not and why: what the daemon
# said while it shut down, or that it no longer answered), its record says failed; once the
# daemon is back, the next apply converges (a lock the apply could not release on a daemon
# that was gone is named stale, with the force-unlock to run). Runs against a dockerd of its own
# (tests/e2e/lib/own_daemon.sh), never the shared one.
source "$(dirname "$0")/lib.sh"
source "$RUN_SOURCE_DIR/tests/e2e/lib/own_daemon.sh"
own_daemon_start
project=$(unique_project)
export DOCKER_HOST=$own_daemon

# A chain of slow health checks: the apply lasts ~12 s, so the stop lands in its middle.
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

"$RUN_BIN" apply --auto-approve --progress plain >"$work/stdout" 2>"$work/stderr" &
apply=$!
wait_until 30 sh -c "docker -H $own_daemon ps -q --filter name=$project-dev-a-1 | grep -q ."
sleep 1
stopped_at=$SECONDS
own_daemon_stop
code=0
wait_until 150 exited "$apply"
wait "$apply" || code=$?
echo "the apply ended $((SECONDS - stopped_at)) s after the daemon stopped, exit $code"
[ "$code" -eq 1 ] || fail "the apply exited $code when its daemon stopped, expected 1"
stdout_lacks "Apply complete"
summary=$(grep -E "^Apply failed: [0-9]+ done, [0-9]+ failed, [0-9]+ skipped" "$work/stdout") || fail "no failure summary"
done_count=$(echo "$summary" | sed -E 's/^Apply failed: ([0-9]+) done.*/\1/')
[ "$done_count" -ge 1 ] || fail "the report does not count what was done before the stop: $summary"
not_done=$(grep -cE "^  (failed|skipped): " "$work/stdout")
[ $((done_count + not_done)) -eq 5 ] || fail "the report lists $done_count done and $not_done not done of 5 actions"
cp "$work/stdout" "$work/stopped.out"
cp "$work/stderr" "$work/stopped.err"

own_daemon_start
run_expect 0 history -o json
[ "$(json_field "$work/stdout" "d['records'][0]['outcome']")" = failed ] || fail "the record of the apply is not failed: $(cat "$work/stdout")"
if docker -H "$own_daemon" inspect "run-lock-$project-dev" >/dev/null 2>&1; then
  grep -q "lock" "$work/stopped.err" || fail "the apply left its lock and did not say so"
  run_expect 1 apply --auto-approve --progress plain
  stderr_has "the lock is stale"
  run_expect 0 force-unlock
fi
run_expect_within 180 0 apply --auto-approve --progress plain
run_expect 0 plan --detailed-exitcode
for service in a b c d; do
  [ "$(docker -H "$own_daemon" inspect -f '{{.State.Running}}' "$project-dev-$service-1")" = true ] || fail "$service is not running"
done
pass
