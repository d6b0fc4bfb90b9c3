#!/usr/bin/env bash
# The loop heals drift at once, woken by the daemon's events rather than its timer (the
# interval is 60 s, so only an event explains a heal within 15 s): a container removed by hand
# with `docker rm -f` is back and the heal is recorded; a container stopped by hand with
# `docker stop` is running again. The log names the event that woke the loop and the drift.
source "$(dirname "$0")/lib.sh"
docker_project
reconcile_project
web="$project-dev-web-1"
start_reconcile --remote origin --interval 60s --listen off

wait_until 60 log_has "recorded as #1"
running "$web" || fail "the first deployment left $web not running"
# The event stream opens right after the first tick's log line: give it a moment to connect,
# or the removal below happens before the loop listens.
sleep 3
log_has "woken by docker event" && fail "the loop was woken before anything happened"

# Removed by hand: created again, and the heal is a new record.
first_id=$(docker inspect -f '{{.Id}}' "$web")
docker rm -f "$web" >/dev/null
wait_until 15 running "$web"
[ "$(docker inspect -f '{{.Id}}' "$web")" != "$first_id" ] || fail "$web is the removed container"
wait_until 10 log_has "recorded as #2"
log_has "woken by docker event: " || fail "the heal was not woken by a docker event"
grep -qE "woken by docker event: (die|destroy) $web\$" "$work/loop.log" || fail "the wake-up does not name the removal of $web"
grep -qE "drift: container $web: .*\(create\)\$" "$work/loop.log" || fail "the log does not show the removal as drift"
[ "$(container_env "$web" RELEASE)" = "1" ] || fail "the healed container is not release 1"

# Stopped by hand: started again (the same container), and recorded.
healed_id=$(docker inspect -f '{{.Id}}' "$web")
docker stop -t 1 "$web" >/dev/null
wait_until 15 running "$web"
[ "$(docker inspect -f '{{.Id}}' "$web")" = "$healed_id" ] || fail "the stopped container was replaced, not started"
wait_until 10 log_has "recorded as #3"
grep -qE "woken by docker event: (die|stop) $web\$" "$work/loop.log" || fail "the wake-up does not name the stop of $web"
grep -qE "drift: container $web: .*\(start\)\$" "$work/loop.log" || fail "the log does not show the stop as drift"
log_has "failed:" && fail "a tick failed"

run_expect 0 history -o json
python3 - "$work/stdout" <<'PY' || fail "history does not hold the two heals: $(cat "$work/stdout")"
import json, sys
records = json.load(open(sys.argv[1]))["records"]
assert [r["number"] for r in records] == [3, 2, 1], records
assert all(r["kind"] == "reconcile" and r["outcome"] == "succeeded" for r in records), records
PY
pass
