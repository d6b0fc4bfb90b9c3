# --progress json: every stderr line is one JSON object; each action has a started and a
# finished event, and every finished event says done.
source "$(dirname "$0")/lib.sh"
require_docker
project=$(unique_project)
trap 'cleanup_project "$project"; docker rm -f run-lock-$project-dev >/dev/null 2>&1; rm -rf "$work"' EXIT
{
  cat <<YAML
version: "2"
project: $project
services:
YAML
  slow_healthy_service db
  cat <<YAML
  web:
    image: run-demo/busybox:latest
    init: true
    command: ["sleep", "100000"]
    replicas: 2
    depends_on: { db: healthy }
  worker:
    image: run-demo/busybox:latest
    init: true
    command: ["sleep", "100000"]
environments:
  dev: {}
YAML
} | write run-config.yaml

run_expect_within 60 0 apply --auto-approve --progress json
stdout_has "Apply complete: 5 actions"
[ -s "$work/stderr" ] || fail "no progress events"
python3 - "$work/stderr" "$project" <<'PY' || fail "the progress events are wrong"
import json, sys
path, project = sys.argv[1], sys.argv[2]
started, finished, notes = {}, {}, []
for number, line in enumerate(open(path), 1):
    try:
        event = json.loads(line)
    except ValueError as error:
        sys.exit(f"line {number} is not JSON ({error}): {line!r}")
    if not isinstance(event, dict) or not isinstance(event.get("time_ms"), int):
        sys.exit(f"line {number} is not an event with a time: {line!r}")
    kind = event.get("event")
    if kind == "note":
        assert isinstance(event["message"], str), line
        notes.append(event["message"])
        continue
    if kind not in ("started", "finished"):
        sys.exit(f"line {number}: unknown event {kind!r}")
    for field in ("index", "action", "kind", "name"):
        if field not in event:
            sys.exit(f"line {number} lacks {field}: {line!r}")
    table = started if kind == "started" else finished
    if event["index"] in table:
        sys.exit(f"line {number}: a second {kind} event for action {event['index']}")
    table[event["index"]] = event
    if kind == "finished":
        if event["index"] not in started:
            sys.exit(f"line {number}: finished before started: {line!r}")
        if event.get("state") != "done" or not isinstance(event.get("seconds"), (int, float)):
            sys.exit(f"line {number}: not done in some seconds: {line!r}")
if set(started) != set(finished):
    sys.exit(f"started {sorted(started)} but finished {sorted(finished)}")
actions = sorted((e["action"], e["kind"], e["name"], e.get("service", "")) for e in finished.values())
expected = sorted([("create", "network", f"{project}-dev", "")] +
                  [("create", "container", f"{project}-dev-{s}-{r}", s) for s, r in (("db", 1), ("web", 1), ("web", 2), ("worker", 1))])
if actions != expected:
    sys.exit(f"actions {actions}, expected {expected}")
if "waiting for db to be healthy" not in notes or "db is healthy" not in notes:
    sys.exit(f"notes lack the health gate: {notes}")
PY

run_expect 0 plan --detailed-exitcode
lock_held "$project" && fail "a lock remains"
pass
