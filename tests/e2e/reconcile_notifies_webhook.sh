#!/usr/bin/env bash
# notify: { webhook: URL } makes the loop post JSON events to a receiver on loopback: apply
# succeeded on the first deployment, drift detected and apply succeeded when a container
# removed by hand is healed, apply failed when an apply fails. A receiver that is down is
# a warning in the log, never fatal. --log-format json writes one JSON object per line.
source "$(dirname "$0")/lib.sh"
docker_project
reconcile_project

# The receiver: appends each POST body as one line to events.jsonl.
cat >"$work/receiver.py" <<'PY'
import http.server, sys
class Hook(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with open(sys.argv[2], "ab") as out:
            out.write(body.replace(b"\n", b" ") + b"\n")
        self.send_response(204); self.end_headers()
    def log_message(self, *args): pass
server = http.server.HTTPServer(("127.0.0.1", 0), Hook)
open(sys.argv[1], "w").write(str(server.server_address[1]))
server.serve_forever()
PY
python3 "$work/receiver.py" "$work/port" "$work/events.jsonl" &
receiver=$!
wait_until 10 test -s "$work/port"
port=$(cat "$work/port")

cat >>run-config.yaml <<YAML
notify:
  webhook: "http://127.0.0.1:$port/hooks/run?token=not-for-logs"
YAML
commit_and_push "notify"
start_reconcile --remote origin --interval 3s --listen off --log-format json
trap 'kill "$receiver" 2>/dev/null || true; kill -TERM "$loop_pid" 2>/dev/null || true; wait "$loop_pid" 2>/dev/null || true; cleanup_project "$project"; rm -rf "$work"' EXIT

event_count() {
  [ -f "$work/events.jsonl" ] || { echo 0; return; }
  grep -c "\"$1\"" "$work/events.jsonl" || true
}
has_event() { [ "$(event_count "$1")" -ge "${2:-1}" ]; }

wait_until 60 has_event apply_succeeded
docker rm -f "$project-dev-web-1" >/dev/null
wait_until 30 has_event drift_detected
wait_until 30 has_event apply_succeeded 2

python3 - "$work/events.jsonl" "$project" "$(git rev-parse HEAD)" <<'PY' || fail "the events are not what they should be: $(cat "$work/events.jsonl")"
import json, sys
events = [json.loads(line) for line in open(sys.argv[1])]
first = events[0]
assert first["event"] == "apply_succeeded", first
assert first["project"] == sys.argv[2] and first["environment"] == "dev", first
assert first["commit"] == sys.argv[3] and first["record"] == 1 and first["error"] is None, first
assert first["actions"].get("create") == 2, first
for key in ("time", "run_id", "reconcile_id", "summary", "drift"):
    assert key in first, key
drift = [e for e in events if e["event"] == "drift_detected"][0]
assert any("web-1" in line for line in drift["drift"]), drift
PY

# An apply that fails (an image that does not exist) is announced as such.
sed -i 's|image: run-demo/busybox:latest|image: run-demo/no-such-image:1|' run-config.yaml
commit_and_push "a missing image"
wait_until 60 has_event apply_failed
grep '"apply_failed"' "$work/events.jsonl" | head -n1 | python3 -c '
import json, sys
event = json.loads(sys.stdin.readline())
assert event["error"], event' || fail "apply_failed carries no error"

# A receiver that is down: a warning, and the loop goes on healing.
sed -i 's|image: run-demo/no-such-image:1|image: run-demo/busybox:latest|' run-config.yaml
commit_and_push "fixed"
wait_until 60 log_has "in sync"
kill "$receiver"
wait "$receiver" 2>/dev/null || true
docker rm -f "$project-dev-web-1" >/dev/null
wait_until 60 running "$project-dev-web-1"
wait_until 30 log_has "webhook http://127.0.0.1:$port/hooks/run"
exited "$loop_pid" && fail "the loop stopped when the webhook failed"
log_has "not-for-logs" && fail "the webhook's query (a token) was logged"

# Every log line is one JSON object with the context keys.
python3 - "$work/loop.log" <<'PY' || fail "the log is not one JSON object per line"
import json, sys
lines = [line for line in open(sys.argv[1]) if line.strip()]
assert lines
for line in lines:
    entry = json.loads(line)
    assert list(entry)[:3] == ["time", "level", "msg"], entry
    for key in ("run_id", "reconcile_id", "env", "commit"):
        assert key in entry, (key, entry)
    # The environment comes from default_environment, learned by the first tick: null before.
    if entry["reconcile_id"] is not None:
        assert entry["env"] == "dev", entry
PY
pass
