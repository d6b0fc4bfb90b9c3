#!/usr/bin/env bash
# `run rollback` while the loop runs: the rolled-back state is kept (a "rollback hold") instead
# of the rolled-back commit being deployed again at the next tick; drift under the hold is
# healed to the rolled-back state and recorded as a rollback; a newer commit ends the hold.
source "$(dirname "$0")/lib.sh"
docker_project
reconcile_project
web="$project-dev-web-1"
start_reconcile --remote origin --branch main --interval 2s --listen off

wait_until 60 log_has "recorded as #1"
# Release 2, pushed from another clone: the loop's working tree stays at release 1.
git clone -q "$work/remote.git" "$work/other"
sed -i 's/RELEASE: "1"/RELEASE: "2"/' "$work/other/run-config.yaml"
(cd "$work/other" && commit_and_push "release 2")
release2=$(git -C "$work/other" rev-parse --short=7 HEAD)
wait_until 60 log_has "recorded as #2"
[ "$(container_env "$web" RELEASE)" = "2" ] || fail "release 2 was not rolled out"

# The rollback may find the loop holding the lock: it waits for it.
run_expect_within 90 0 rollback --auto-approve --lock-timeout 30s
stdout_has "Rolling dev back to record #1"
[ "$(container_env "$web" RELEASE)" = "1" ] || fail "the rollback did not put release 1 back"

# Several ticks later, release 2 is still not deployed again.
ticks_before=$(grep -c "dev at $release2: " "$work/loop.log" || true)
sleep 8
[ "$(container_env "$web" RELEASE)" = "1" ] || fail "the loop deployed the rolled-back release 2 again"
[ "$(grep -c "dev at $release2: " "$work/loop.log" || true)" -ge $((ticks_before + 2)) ] || fail "the loop did not tick under the hold"
grep -qF "dev at $release2: in sync (rollback hold: keeping record #1)" "$work/loop.log" ||
  fail "the log does not say the rollback hold keeps record #1"
log_has "recorded as #4" && fail "a tick under the hold recorded a deployment"

# Drift under the hold is healed to the rolled-back state, and recorded as a rollback of #1.
docker rm -f "$web" >/dev/null
wait_until 15 running "$web"
[ "$(container_env "$web" RELEASE)" = "1" ] || fail "the hold healed $web to release $(container_env "$web" RELEASE), not 1"
wait_until 10 log_has "recorded as #4 (rollback hold: keeping record #1)"

# Release 3 ends the hold.
sed -i 's/RELEASE: "2"/RELEASE: "3"/' "$work/other/run-config.yaml"
(cd "$work/other" && commit_and_push "release 3")
release3=$(git -C "$work/other" rev-parse --short=7 HEAD)
wait_until 60 log_has "dev at $release3: applied "
[ "$(container_env "$web" RELEASE)" = "3" ] || fail "release 3 was not rolled out"
grep -F "dev at $release3: applied " "$work/loop.log" | grep -qF "rollback hold" && fail "release 3 was deployed under the hold"
log_has "failed:" && fail "a tick failed"

run_expect 0 history -o json
python3 - "$work/stdout" <<'PY' || fail "history is not what it should be: $(cat "$work/stdout")"
import json, sys
records = json.load(open(sys.argv[1]))["records"]
kinds = [(r["number"], r["kind"], r.get("rollback_of")) for r in records]
assert kinds == [(5, "reconcile", None), (4, "rollback", 1), (3, "rollback", 1), (2, "reconcile", None), (1, "reconcile", None)], kinds
PY
pass
