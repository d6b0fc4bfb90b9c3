# --log-format json: every log line is one JSON object with time, level, msg, run_id,
# reconcile_id, env and commit, in that order; one run_id per process.
source "$(dirname "$0")/lib.sh"
require_docker
minimal_project
run_expect 0 status -v --log-format json
[ -s "$work/stderr" ] || fail "status -v logged nothing"
check_lines() {
  python3 - "$1" <<'PY'
import json, re, sys
keys = ["time", "level", "msg", "run_id", "reconcile_id", "env", "commit"]
run_ids = set()
for number, line in enumerate(open(sys.argv[1], encoding="utf-8"), 1):
    entry = json.loads(line)
    assert list(entry) == keys, f"line {number}: keys {list(entry)}"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", entry["time"]), entry["time"]
    assert entry["level"] in ("debug", "info", "warning", "error", "critical"), entry["level"]
    assert re.fullmatch(r"[0-9a-f]{16}", entry["run_id"]), entry["run_id"]
    assert entry["reconcile_id"] is None, entry
    run_ids.add(entry["run_id"])
assert len(run_ids) == 1, run_ids
print(run_ids.pop())
PY
}
first=$(check_lines "$work/stderr") || fail "a log line is not as documented"
stderr_has '"msg":"docker: GET /_ping -> 200'
run_expect 0 status -v --log-format json
second=$(check_lines "$work/stderr") || fail "a log line is not as documented"
[ "$first" != "$second" ] || fail "two processes logged the same run_id $first"
run_expect 0 status -v
stderr_has "debug: docker: GET /_ping -> 200"
pass
