#!/usr/bin/env bash
# run reconcile --remote follows a branch of a bare repository: the first tick deploys it,
# a new commit pushed there is rolled out at the next tick and recorded as a reconcile, and
# the working tree is never touched.
source "$(dirname "$0")/lib.sh"
docker_project
reconcile_project
start_reconcile --remote origin --branch main --interval 2s --listen off

wait_until 60 running "$project-dev-web-1"
wait_until 30 log_has "recorded as #1"
[ "$(container_env "$project-dev-web-1" RELEASE)" = "1" ] || fail "release 1 was not deployed"

# A new commit, pushed from another clone: the loop's working tree stays at release 1.
git clone -q "$work/remote.git" "$work/other"
sed -i 's/RELEASE: "1"/RELEASE: "2"/' "$work/other/run-config.yaml"
(cd "$work/other" && commit_and_push "release 2")
wait_until 60 log_has "recorded as #2"
[ "$(container_env "$project-dev-web-1" RELEASE)" = "2" ] || fail "release 2 was not rolled out"
grep -qF 'RELEASE: "1"' run-config.yaml || fail "the working tree was modified"
[ -z "$(git status --porcelain)" ] || fail "the working tree is dirty: $(git status --porcelain)"

# The record says where the config came from: the pushed commit, read by a reconcile.
pushed=$(git -C "$work/remote.git" rev-parse main)
run_expect 0 history -o json
python3 - "$work/stdout" "$pushed" <<'PY' || fail "history does not record the reconcile of $pushed"
import json, sys
records = json.load(open(sys.argv[1]))["records"]
newest = records[0]
assert newest["number"] == 2 and newest["kind"] == "reconcile", newest
assert newest["source_commit"] == sys.argv[2], newest
PY
pass
