#!/usr/bin/env bash
# SIGTERM stops the loop cleanly: in the middle of an apply (a dependency with a slow health
# check) the running action finishes, nothing new starts, the environment's lock is released
# and the loop exits 0 within 20 s, saying how many ticks it ran; the cut-short tick is logged
# and recorded as interrupted (not as a failure). An idle loop exits 0 within 5 s.
source "$(dirname "$0")/lib.sh"
docker_project
reconcile_project
{
  printf 'version: "2"\nproject: %s\ndefault_environment: dev\nservices:\n' "$project"
  slow_healthy_service db
  service_after_db web
  printf 'environments:\n  dev: {}\n'
} | write run-config.yaml
commit_and_push "web waits for a slow db"

# stop_loop SECONDS: SIGTERM to the loop's own pid; fails unless it exits 0 within SECONDS.
stop_loop() {
  kill -TERM "$loop_pid"
  local started=$SECONDS
  wait_until "$1" exited "$loop_pid"
  local code=0
  wait "$loop_pid" || code=$?
  [ "$code" -eq 0 ] || fail "the loop exited $code after SIGTERM, expected 0"
  echo "the loop stopped $((SECONDS - started)) s after SIGTERM"
}

# Mid-apply: db is created and not yet healthy, web waits for it.
start_reconcile --interval 60s --listen off
db_created() { log_has "create container $project-dev-db-1: done"; }
wait_until 60 db_created
lock_held "$project" || fail "the apply holds no lock"
log_has "create container $project-dev-web-1" && fail "web was created before db was healthy: too late to interrupt"
stop_loop 20
lock_held "$project" && fail "the stopped loop left the environment's lock behind"
grep -qE "stopped after 1 ticks?$" "$work/loop.log" || fail "the log does not say the loop stopped after its one tick"
[ -z "$(docker ps -aq --filter "name=^$project-dev-web-1\$")" ] || fail "web was started after SIGTERM"
# The cut-short tick is an interruption, in the log and in its record, not a failure of 0 actions.
grep -qE "failed: 0 of [0-9]+ actions failed" "$work/loop.log" && fail "the interrupted tick is logged as a failure of 0 actions"
grep -qE "dev at [0-9a-f]{7}: .*interrupted" "$work/loop.log" || fail "the tick's log line does not say it was interrupted"
run_expect 0 history -o json
[ "$(json_field "$work/stdout" 'd["records"][0]["outcome"]')" = interrupted ] || fail "the cut-short apply is not recorded as interrupted"

# Idle: the next loop finishes the deployment, then is stopped between ticks.
start_reconcile --interval 60s --listen off
wait_until 60 running "$project-dev-web-1"
applied() { grep -qE "dev at [0-9a-f]{7}: applied .*, recorded as #[0-9]+ \([0-9.]+ s\)$" "$work/loop.log"; }
wait_until 30 applied
sleep 1
stop_loop 5
grep -qE "stopped after 1 ticks?$" "$work/loop.log" || fail "the idle loop does not say it stopped after its one tick"
lock_held "$project" && fail "the idle loop left a lock behind"
run_expect 0 plan --detailed-exitcode
pass
