#!/usr/bin/env bash
# The loop's HTTP server under load, on loopback: 200 kept-alive connections ask for /metrics at
# 500 requests a second in all for 30 s while the loop ticks every second. No request fails, no
# tick waits longer than the interval + 1 s, and the process's resident memory stays flat
# (grows by less than 2 MiB from 10 s to the end). Prints the p50/p99/max latency.
source "$(dirname "$0")/lib.sh"
docker_project
reconcile_project
start_reconcile --interval 1s --listen 127.0.0.1:0

wait_until 60 log_has "recorded as #1"
address=$(sed -n 's|.*status page on http://\([0-9.:]*\)/.*|\1|p' "$work/loop.log" | head -n1)
[ -n "$address" ] || fail "the loop did not say where it listens"

timeout 60 python3 "$RUN_SOURCE_DIR/tests/e2e/http_load.py" --port "${address##*:}" --pid "$loop_pid" \
  --connections 200 --rate 500 --seconds 30 --interval 1 >"$work/load.txt" 2>&1 ||
  fail "under load: $(cat "$work/load.txt")"
cat "$work/load.txt"
exited "$loop_pid" && fail "the loop ended under load"
pass
