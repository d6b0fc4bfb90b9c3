#!/usr/bin/env bash
# A remote that accepts the connection and never answers cannot hang the loop: with
# --fetch-timeout 2s the tick fails after about 2 s with "fetch of stuck timed out after 2 s",
# the loop goes on and tries again; SIGTERM during such a fetch (--fetch-timeout 60s) ends the
# loop within 5 s, exit 0, and the fetch's child process is gone with it. No Docker: every
# tick fails at its fetch, before any engine is asked.
source "$(dirname "$0")/lib.sh"
project=$(unique_project)
reconcile_project

# The silent remote: accepts every connection and never sends a byte (the connections are
# kept, so none is closed under libgit2's feet). It writes its port, then a line per connection.
cat >"$work/silent.py" <<'PY'
import socket, sys
listener = socket.socket()
listener.bind(("127.0.0.1", 0))
listener.listen(16)
with open(sys.argv[1], "w") as ports:
    ports.write(f"{listener.getsockname()[1]}\n")
kept = []
while True:
    connection, _ = listener.accept()
    kept.append(connection)
    with open(sys.argv[2], "a") as log:
        log.write("accepted\n")
PY
python3 "$work/silent.py" "$work/port" "$work/accepted" &
silent_pid=$!
# start_loop ARGS...: start_reconcile, and at exit the silent remote is stopped too.
start_loop() {
  start_reconcile "$@"
  trap 'kill "$silent_pid" 2>/dev/null || true; kill -TERM "$loop_pid" 2>/dev/null || true; wait "$loop_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
}
trap 'kill "$silent_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
wait_until 10 test -s "$work/port"
git remote add stuck "http://127.0.0.1:$(cat "$work/port")/repo.git"
connections() { [ -f "$work/accepted" ] && wc -l <"$work/accepted" || echo 0; }

# fetch_children: the pids of the loop's fetch children (run __fetch), one a line.
fetch_children() { pgrep -P "$loop_pid" -f "__fetch" || true; }

start_loop --remote stuck --interval 1s --fetch-timeout 2s --backoff-max 2s --listen off
wait_until 20 log_has "fetch of stuck timed out after 2 s"
grep -qE "failed: fetch of stuck timed out after 2 s; hint: .*--fetch-timeout.* \([23]\.[0-9] s\)$" "$work/loop.log" ||
  fail "the failed tick's line does not say the timeout, its hint and about 2 s"
[ "$(connections)" -ge 1 ] || fail "the fetch never reached the silent remote"
# The loop goes on: it backs off, then the second tick tries (and times out) again.
log_has "retrying in " || fail "the loop does not announce a retry after the timeout"
two_timeouts() { [ "$(grep -c "fetch of stuck timed out after 2 s" "$work/loop.log")" -ge 2 ]; }
wait_until 20 two_timeouts
[ "$(connections)" -ge 2 ] || fail "the second tick did not fetch again"
exited "$loop_pid" && fail "the loop ended after a fetch timed out"
kill -TERM "$loop_pid"
wait_until 10 exited "$loop_pid"

# SIGTERM in the middle of a fetch that would hang for 60 s.
before=$(connections)
start_loop --remote stuck --interval 60s --fetch-timeout 60s --listen off
hanging() { [ "$(connections)" -gt "$before" ] && [ -n "$(fetch_children)" ]; }
wait_until 20 hanging
child=$(fetch_children | head -n 1)
sleep 1  # the fetch is now blocked on the silent remote
started=$(date +%s%N)
kill -TERM "$loop_pid"
wait_until 10 exited "$loop_pid"
stopped_ms=$((($(date +%s%N) - started) / 1000000))
code=0
wait "$loop_pid" || code=$?
echo "the loop stopped ${stopped_ms} ms after SIGTERM, during a hanging fetch"
[ "$code" -eq 0 ] || fail "the loop exited $code after SIGTERM, expected 0"
[ "$stopped_ms" -lt 5000 ] || fail "the loop took ${stopped_ms} ms to stop during a fetch, more than 5 s"
kill -0 "$child" 2>/dev/null && fail "the fetch child $child outlived the loop"
pgrep -f "__fetch .*stuck" >/dev/null && fail "a fetch child is left: $(pgrep -af '__fetch .*stuck')"
log_has "fetch of stuck interrupted" || fail "the cut-short fetch is not logged as interrupted"
grep -qE "stopped after 1 ticks?$" "$work/loop.log" || fail "the loop does not say it stopped after its one tick"
pass
