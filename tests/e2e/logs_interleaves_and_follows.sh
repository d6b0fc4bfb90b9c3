# run logs: both replicas' stdout and stderr lines, prefixed; --tail 1 per container; -o json
# parses; --follow sees a line printed after it started and ends on SIGINT with exit 0; an
# unknown service exits 1 with a suggestion.
source "$(dirname "$0")/lib.sh"
docker_project
trap 'kill -9 ${follower:-} 2>/dev/null || true; cleanup_project "$project"; rm -rf "$work"' EXIT
write run-config.yaml <<YAML
version: "2"
project: $project
services:
  app:
    image: run-demo/busybox:latest
    init: true
    replicas: 2
    command: ["sh", "-c", "for i in 1 2 3; do echo \"out \$\$i\"; echo \"err \$\$i\" >&2; done; while [ ! -f /tmp/more ]; do sleep 0.2; done; echo after-follow; exec sleep 100000"]
environments:
  dev: {}
YAML
run_expect_within 60 0 apply --auto-approve
has_three() { "$RUN_BIN" logs app 2>/dev/null | grep -c "err 3" | grep -qx 2; }
wait_until 20 has_three

run_expect 0 logs
for replica in 1 2; do
  for line in "out 1" "err 1" "out 3" "err 3"; do
    stdout_has "app-$replica  | $line"
  done
done
[ "$(grep -c . "$work/stdout")" -eq 12 ] || fail "logs printed other than 12 lines"

run_expect 0 logs app --tail 1
[ "$(grep -c . "$work/stdout")" -eq 2 ] || fail "--tail 1 printed other than one line per replica"

run_expect 0 logs -o json --timestamps
python3 - "$work/stdout" <<'PY' || fail "logs -o json is not one object per line"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
assert len(lines) == 12, len(lines)
assert {(l["service"], l["replica"]) for l in lines} == {("app", 1), ("app", 2)}
assert {l["stream"] for l in lines} == {"stdout", "stderr"}
assert all(l["time"].endswith("Z") for l in lines)
assert {"out 1", "err 3"} <= {l["line"] for l in lines}
PY

# Job control gives the background follower SIGINT's default disposition.
set -m
"$RUN_BIN" logs --follow --tail 0 >"$work/follow.out" 2>"$work/follow.err" &
follower=$!
set +m
sleep 1
for replica in 1 2; do docker exec "$project-dev-app-$replica" touch /tmp/more; done
follow_has() { grep -qF -- "$1" "$work/follow.out"; }
wait_until 20 follow_has "app-1  | after-follow"
wait_until 20 follow_has "app-2  | after-follow"
! follow_has "out 1" || fail "--follow --tail 0 printed old lines"
kill -INT "$follower"
code=0
wait "$follower" || code=$?
[ "$code" -eq 0 ] || { cat "$work/follow.err" >&2; fail "logs --follow exited $code on SIGINT, expected 0"; }

run_expect 1 logs ap
stderr_has "error: no service 'ap' in $project/dev"
stderr_has "hint: did you mean 'app'?"
run_expect 1 logs --since yesterday
stderr_has "error: --since 'yesterday' is neither a duration nor an RFC 3339 time"
pass
