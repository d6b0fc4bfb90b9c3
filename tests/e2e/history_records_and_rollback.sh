# Deployment history end to end: each apply appends a record to refs/run/history/<env> that
# plain git reads; `run history` and `run show` list and show them; `run rollback` puts the
# earlier image back (even with a broken, dirty working tree) and records itself as a
# rollback; plans say which changes are desired and which are drift; no secret value ever
# reaches a git object.
source "$(dirname "$0")/lib.sh"
docker_project
export RUN_SECRET_DB_PASSWORD="canary-$$-s3cr3t"
git init -q .
git config user.name "Ann Example"
git config user.email "ann@example.com"
config() {
  write run-config.yaml <<YAML
version: "2"
project: $project
default_environment: dev
services:
  app:
    image: $1
    init: true
    command: ["sleep", "100000"]
    env:
      DATABASE_URL: "postgres://app:\${secret:DB_PASSWORD}@db/app"
  worker:
    image: run-demo/busybox:latest
    init: true
    command: ["sleep", "100000"]
environments:
  dev: {}
YAML
}
image_of() { docker inspect -f '{{.Config.Image}}' "$project-dev-$1-1"; }
label_of() { docker inspect -f "{{index .Config.Labels \"$2\"}}" "$project-dev-$1-1"; }

# Nothing recorded yet.
config tsp/app:1.4.2
git add run-config.yaml && git commit -qm "app 1.4.2"
run_expect 0 history
stdout_has "has no deployment records yet"
run_expect 1 rollback --auto-approve
stderr_has "has no deployment records: there is nothing to roll back to"

# Two applies: two records, numbered, readable with git alone.
run_expect 0 apply --auto-approve
stdout_has "Recorded as dev #1 (refs/run/history/dev)."
[ "$(label_of app run.deployment)" = 1 ] || fail "run.deployment is not the record number"
config tsp/app:1.4.3
git commit -qam "app 1.4.3"
run_expect 0 apply --auto-approve
stdout_has "Recorded as dev #2"
[ "$(image_of app)" = tsp/app:1.4.3 ] || fail "apply did not move app to 1.4.3"
git log --format=%s refs/run/history/dev >"$work/log"
[ "$(head -1 "$work/log")" = "dev #2: apply succeeded: 0 to add, 0 to change, 1 to replace, 0 to start, 0 to remove" ] ||
  fail "unexpected subject: $(head -1 "$work/log")"
git log -1 --format=%an refs/run/history/dev | grep -qx "Ann Example" || fail "the record's author is not the git identity"
git log -1 --format=%B refs/run/history/dev | grep -qx "Run-Source: $(git rev-parse HEAD)" || fail "no source commit trailer"
git show refs/run/history/dev:result.json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["outcome"]=="succeeded" and d["number"]==2, d'
git show refs/run/history/dev:plan.json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["summary"]["replace"]==1, d'
git show refs/run/history/dev:state.json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert [s["image"] for s in d["services"]]==["tsp/app:1.4.3","run-demo/busybox:latest"], d'

run_expect 0 history
stdout_has "#2"
stdout_has "#1"
run_expect 0 history -o json
python3 - "$work/stdout" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert [r["number"] for r in d["records"]] == [2, 1], d
assert all(r["outcome"] == "succeeded" and r["kind"] == "apply" for r in d["records"]), d
assert d["records"][0]["author"] == "Ann Example <ann@example.com>", d
PY
run_expect 0 show 1
stdout_has "dev #1: apply succeeded"
stdout_has "app     tsp/app:1.4.2"
run_expect 0 show -o json
[ "$(json_field "$work/stdout" 'd["number"]')" = 2 ] || fail "show without N is not the newest record"
run_expect 1 show 9
stderr_has "environment 'dev' has no record #9"

# Drift triage: a container stopped by hand is live drift; a config change is a desired change.
docker stop "$project-dev-worker-1" >/dev/null
config tsp/app:1.4.2
run_expect 0 plan
stdout_has "Since deployment #2: 1 desired change, 1 live drift."
run_expect 0 plan -o json
python3 - "$work/stdout" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["compared_with_record"] == 2, d
causes = {a["service"]: a.get("drift") for a in d["actions"]}
assert causes == {"app": "desired", "worker": "live"}, causes
PY
run_expect 0 plan -o markdown
stdout_has "live drift"
config tsp/app:1.4.3
docker start "$project-dev-worker-1" >/dev/null

# Rollback with a broken, uncommitted working tree: the record's state goes back, offline.
echo "services: [this is: not valid" >run-config.yaml
run_expect 0 rollback --env dev --auto-approve
stdout_has "Rolling dev back to record #1"
stdout_has "Recorded as dev #3"
[ "$(image_of app)" = tsp/app:1.4.2 ] || fail "rollback did not put tsp/app:1.4.2 back"
[ "$(label_of app run.deployment)" = 3 ] || fail "the rolled-back container does not carry record 3"
git log -1 --format=%s refs/run/history/dev | grep -q "^dev #3: rollback to #1 succeeded" || fail "record 3 is not a rollback of 1"
git log -1 --format=%B refs/run/history/dev | grep -qx "Run-Source-Dirty: true" || fail "the dirty working tree is not recorded"
run_expect 0 history --env dev -o json
[ "$(json_field "$work/stdout" 'd["records"][0]["rollback_of"]')" = 1 ] || fail "history does not say rollback_of 1"
# --to picks any record; rolling back to where we are changes nothing and records nothing.
run_expect 0 rollback --env dev --to 1 --auto-approve
stdout_has "No changes."
run_expect 0 history --env dev -o json
[ "$(json_field "$work/stdout" 'len(d["records"])')" = 3 ] || fail "a rollback with nothing to do was recorded"
run_expect 1 rollback --env dev --to 7 --auto-approve
stderr_has "has no record #7"

# The secret's value is in no git object; its reference is.
git cat-file --batch-all-objects --batch >"$work/objects"
grep -qF "$RUN_SECRET_DB_PASSWORD" "$work/objects" && fail "the secret's value reached a git object"
grep -qF 'postgres://app:${secret:DB_PASSWORD}@db/app' "$work/objects" || fail "state.json does not keep the secret's reference"

# A rotated secret: the rollback resolves today's value, so the container is recreated with it.
export RUN_SECRET_DB_PASSWORD="canary-$$-rotated"
run_expect 0 rollback --env dev --to 1 --auto-approve
stdout_has "Recorded as dev #4"
docker inspect -f '{{range .Config.Env}}{{println .}}{{end}}' "$project-dev-app-1" | grep -qF "canary-$$-rotated" ||
  fail "the rolled-back container does not have today's secret"
unset RUN_SECRET_DB_PASSWORD
run_expect 1 rollback --env dev --to 1 --auto-approve
stderr_has "secret DB_PASSWORD is not set"
pass
