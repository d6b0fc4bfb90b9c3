# Drift triage: after an apply (record #1), `run plan` tells the config's changes from what
# was done to the containers by hand, in text, markdown and JSON: a changed command is a
# desired change; a stopped container and a removed replica are live drift; a changed command
# on a container whose memory was changed with `docker update` is both. Before any record the
# plan has no causes.
source "$(dirname "$0")/lib.sh"
docker_project
service() {
  cat <<YAML
  $1:
    image: run-demo/busybox:latest
    init: true
    command: ["sleep", "${2:-100000}"]
    replicas: ${3:-1}
    resources: { memory: 64M }
YAML
}
config() {
  { printf 'version: "2"\nproject: %s\nservices:\n' "$project"; cat; printf 'environments:\n  dev: {}\n'; } | write run-config.yaml
}
{ service cache; service db; service web; service worker 100000 2; } | config

# No record yet: the plan is as it always was.
run_expect 0 plan -o json
stdout_lacks '"drift"'
stdout_lacks '"compared_with_record"'
run_expect 0 plan
stdout_lacks "Since deployment"
stdout_lacks "[desired change]"

run_expect_within 120 0 apply --auto-approve --progress plain
stdout_has "Recorded as dev #1"

# By hand: db stopped, worker's second replica removed, web's memory raised.
docker stop -t 0 "$project-dev-db-1" >/dev/null
docker rm -f "$project-dev-worker-2" >/dev/null
docker update --memory 128M --memory-swap 256M "$project-dev-web-1" >/dev/null
# In the config: the command of cache and of web.
{ service cache 200000; service db; service web 200000; service worker 100000 2; } | config

run_expect 0 plan --no-color
stdout_has "replace container $project-dev-cache-1  (command changed)  [desired change]"
stdout_has "start container $project-dev-db-1  (not running (exited))  [live drift]"
stdout_has "replace container $project-dev-web-1  (command changed)  [desired change + live drift]"
stdout_has "create container $project-dev-worker-2  (scale up 1 -> 2)  [live drift]"
stdout_has "Since deployment #1: 1 desired change, 2 live drift, 1 both."

run_expect 0 plan -o json
[ "$(json_field "$work/stdout" "d['compared_with_record']")" = 1 ] || fail "compared_with_record is not 1"
causes=$(json_field "$work/stdout" "' '.join(a['name'].rsplit('-', 2)[1] + '=' + a['drift'] for a in d['actions'])")
[ "$causes" = "cache=desired db=live web=both worker=live" ] || fail "causes: $causes"

run_expect 0 plan -o markdown
stdout_has "| Action | Kind | Name | Why | Cause |"
stdout_has "| \`$project-dev-web-1\` | command changed | desired change + **live drift** |"
stdout_has "Since deployment #1: 1 desired change, 2 live drift, 1 both."

# Applied, the next plan has nothing to triage, and the record moved on.
run_expect_within 120 0 apply --auto-approve --progress plain
stdout_has "Recorded as dev #2"
run_expect 0 plan --detailed-exitcode
stdout_lacks "Since deployment"
pass
