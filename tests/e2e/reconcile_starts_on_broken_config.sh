#!/usr/bin/env bash
# A config that is broken when the loop starts is a failed tick like any other, not the end of
# the loop: it is logged with file:line and retried, and deployed once fixed. With --remote the
# working tree's config is not read at all, so a broken working tree does not stop the loop
# from deploying the remote branch.
source "$(dirname "$0")/lib.sh"
docker_project
reconcile_project
web="$project-dev-web-1"
break_config() {
  sed -i 's/^    env: { RELEASE: "[0-9]*" }$/&\n    colour: blue/' run-config.yaml
  [ "$(sed -n 10p run-config.yaml)" = "    colour: blue" ] || fail "the broken line is not line 10"
}

# Working tree mode: broken at the start, fixed later.
break_config
start_reconcile --interval 2s --backoff-max 2s --listen off
retried_or_ended() { log_has "retrying in" || exited "$loop_pid"; }
wait_until 20 retried_or_ended
exited "$loop_pid" && fail "the loop ended on a config broken at its start"
grep -qE "failed: .*run-config\.yaml:10(:[0-9]+)?: unknown key 'colour'" "$work/loop.log" ||
  fail "the failure does not name run-config.yaml:10"
sed -i '/^    colour: blue$/d' run-config.yaml
wait_until 60 log_has "recorded as #1"
running "$web" || fail "the fixed config was not deployed"
kill -TERM "$loop_pid"
wait_until 20 exited "$loop_pid"

# --remote: the remote branch is good, the working tree (never read) is broken.
sed -i 's/RELEASE: "1"/RELEASE: "2"/' run-config.yaml
commit_and_push "release 2"
break_config
start_reconcile --remote origin --interval 2s --backoff-max 2s --listen off
deployed_or_ended() { log_has "recorded as #2" || exited "$loop_pid"; }
wait_until 60 deployed_or_ended
exited "$loop_pid" && fail "the loop ended on a broken working tree it does not read"
[ "$(container_env "$web" RELEASE)" = 2 ] || fail "the remote's release 2 was not deployed"
log_has "failed:" && fail "the broken working tree failed a tick of a loop that follows the remote"
pass
