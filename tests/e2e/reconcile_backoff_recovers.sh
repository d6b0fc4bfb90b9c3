#!/usr/bin/env bash
# A broken config pushed after a good deployment: the loop logs the failure with the file and
# line of the error, retries with growing delays capped by --backoff-max, keeps running, and
# leaves the environment as it was; once a fix is pushed it recovers and deploys it.
source "$(dirname "$0")/lib.sh"
docker_project
reconcile_project
web="$project-dev-web-1"
start_reconcile --remote origin --interval 3s --backoff-max 4s --listen off

wait_until 60 log_has "recorded as #1"
first_id=$(docker inspect -f '{{.Id}}' "$web")

# Line 10 of the config gets a key the schema does not know.
sed -i 's/^    env: { RELEASE: "1" }$/&\n    colour: blue/' run-config.yaml
[ "$(sed -n 10p run-config.yaml)" = "    colour: blue" ] || fail "the broken line is not line 10: $(cat run-config.yaml)"
commit_and_push "broken"
broken=$(git rev-parse --short=7 HEAD)
failures() { grep -c "retrying in .* (failure [0-9]* in a row)" "$work/loop.log" || true; }
three_failures() { [ "$(failures)" -ge 3 ]; }
wait_until 40 three_failures
grep -qE "dev at $broken: failed: .*run-config\.yaml:10(:[0-9]+)?: .*colour" "$work/loop.log" ||
  fail "the failure does not name run-config.yaml:10 and the unknown key"
log_has "retrying in " || fail "no retry was announced"
# Delays: 2 s after the first failure, then doubled and capped at 4 s, each jittered into [d/2, d].
python3 - "$work/loop.log" <<'PY' || fail "the retry delays do not grow up to the cap"
import re, sys
delays = [(float(m.group(1)), int(m.group(2)))
          for m in re.finditer(r"retrying in ([0-9.]+) s \(failure ([0-9]+) in a row\)", open(sys.argv[1]).read())]
assert [n for _, n in delays[:3]] == [1, 2, 3], delays
assert 1.0 <= delays[0][0] <= 2.0, delays
assert 2.0 <= delays[1][0] <= 4.0 and delays[1][0] >= delays[0][0], delays
assert all(d <= 4.0 for d, _ in delays), delays
PY
exited "$loop_pid" && fail "the loop ended on a broken config"
running "$web" || fail "$web stopped while the config was broken"
[ "$(docker inspect -f '{{.Id}}' "$web")" = "$first_id" ] || fail "$web was replaced while the config was broken"
[ "$(container_env "$web" RELEASE)" = "1" ] || fail "$web changed while the config was broken"
log_has "recorded as #2" && fail "a broken config was recorded"

# The fix: release 2, without the unknown key.
sed -i '/^    colour: blue$/d; s/RELEASE: "1"/RELEASE: "2"/' run-config.yaml
commit_and_push "fixed"
fixed=$(git rev-parse --short=7 HEAD)
wait_until 30 log_has "dev at $fixed: applied "
wait_until 5 log_has "recorded as #2"
[ "$(container_env "$web" RELEASE)" = "2" ] || fail "the fix was not deployed"
# Back to the interval: the next tick is in sync, with no retry after it.
wait_until 15 log_has "dev at $fixed: in sync"
[ "$(tail -n 1 "$work/loop.log" | grep -c "retrying in")" = 0 ] || fail "the loop still retries after recovering"
exited "$loop_pid" && fail "the loop ended"
pass
