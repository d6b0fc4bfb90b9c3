# run status: in sync after apply; a stopped replica and a changed image show as drift (text
# and JSON); a container of a service removed from the config shows as not in config.
source "$(dirname "$0")/lib.sh"
require_docker
project=$(unique_project)
trap 'cleanup_project "$project"; docker rm -f run-lock-$project-dev >/dev/null 2>&1; rm -rf "$work"' EXIT
service() {
  cat <<YAML
  $1:
    image: ${2:-run-demo/busybox:latest}
    init: true
    command: ["sleep", "100000"]
    replicas: ${3:-1}
YAML
}
config() {
  { printf 'version: "2"\nproject: %s\nservices:\n' "$project"; cat; printf 'environments:\n  dev: {}\n'; } | write run-config.yaml
}
{ service web "" 2; service worker; service old; } | config

run_expect_within 60 0 apply --auto-approve
run_expect 0 status
stdout_has "$project/dev"
for name in web worker old; do
  grep -qE "^$name +[0-9]+/[0-9]+ .* in sync$" "$work/stdout" || fail "status does not say $name is in sync"
done
grep -qE "^web +2/2 " "$work/stdout" || fail "status does not say web runs 2/2"
stdout_lacks "drifted"
run_expect 0 status -o json
[ "$(json_field "$work/stdout" "d['in_sync']")" = True ] || fail "status -o json is not in sync after apply"

# Drift: a replica stopped behind run's back, another service's image changed in the config,
# a third service removed from the config.
docker stop -t 0 "$project-dev-web-2" >/dev/null
{ service web "" 2; service worker tsp/app:1.4.3; } | config
run_expect 0 status
grep -qE "^web +1/2 .* drifted: 1 to start$" "$work/stdout" || fail "status does not say web drifted: 1 to start"
grep -qE "^worker +1/1 .* drifted: 1 to replace$" "$work/stdout" || fail "status does not say worker drifted: 1 to replace"
grep -qE "^old .* not in config$" "$work/stdout" || fail "status does not say old is not in config"
run_expect 0 status -o json
[ "$(json_field "$work/stdout" "d['in_sync']")" = False ] || fail "status -o json says in sync with drift"
pending() { json_field "$work/stdout" "[s['pending'] for s in d['services'] if s['name']=='$1'][0]"; }
[ "$(pending web)" = "['1 to start']" ] || fail "web pending: $(pending web)"
[ "$(pending worker)" = "['1 to replace']" ] || fail "worker pending: $(pending worker)"
[ "$(pending old)" = "['1 to remove']" ] || fail "old pending: $(pending old)"
[ "$(json_field "$work/stdout" "[s['in_config'] for s in d['services'] if s['name']=='old'][0]")" = False ] || fail "old is said to be in config"
[ "$(json_field "$work/stdout" "[s['replicas']['running'] for s in d['services'] if s['name']=='web'][0]")" = 1 ] || fail "web is said to run other than 1 replica"

# status reads only: it changed nothing and took no lock.
[ "$(docker inspect -f '{{.State.Running}}' "$project-dev-web-2")" = false ] || fail "status started a container"
lock_held "$project" && fail "status left a lock"

run_expect_within 60 0 apply --auto-approve
run_expect 0 status
stdout_lacks "drifted"
stdout_lacks "not in config"
run_expect 0 plan --detailed-exitcode
lock_held "$project" && fail "a lock remains"
pass
