#!/usr/bin/env bash
# SIGTERM stops the loop whenever it arrives, even in its first milliseconds (while it reads
# the configuration, before its first tick): the loop exits within 10 s, with 0, or with 143
# when the signal came before it could handle signals at all. It never keeps running.
source "$(dirname "$0")/lib.sh"
docker_project
trap 'kill -9 ${loop:-} 2>/dev/null || true; cleanup_project "$project"; rm -rf "$work"' EXIT
web_project 1
run_expect_within 90 0 reconcile --once

for delay in 0.005 0.01 0.015 0.02 0.025 0.03 0.04 0.05 0.06 0.08 0.1 0.15 0.2 0.3; do
  "$RUN_BIN" reconcile --interval 60s --listen off >"$work/stdout" 2>"$work/stderr" &
  loop=$!
  sleep "$delay"
  kill -TERM "$loop"
  deadline=$((SECONDS + 10))
  while ! exited "$loop"; do
    [ "$SECONDS" -lt "$deadline" ] || fail "a loop sent SIGTERM ${delay} s after its start was still running 10 s later"
    sleep 0.1
  done
  code=0
  wait "$loop" || code=$?
  [ "$code" -eq 0 ] || [ "$code" -eq 143 ] || fail "a loop sent SIGTERM ${delay} s after its start exited $code"
  [ "$code" -eq 143 ] || grep -qF "stopped after " "$work/stderr" || fail "a loop stopped ${delay} s after its start does not say so"
done
pass
