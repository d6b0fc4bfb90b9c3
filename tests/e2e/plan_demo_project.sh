# On the demo project against the local daemon, plan shows the creates in all three formats.
source "$(dirname "$0")/lib.sh"
require_docker
cp -r "$RUN_SOURCE_DIR/run-config.yaml" "$RUN_SOURCE_DIR/environments" "$RUN_SOURCE_DIR/demo" .
project=$(unique_project)
# The project's own name, and its own image repository: no image of it exists, so both of the
# services built from demo/ are planned as builds.
sed -i -e "s/^project: tsp/project: $project/" -e "s|image: tsp/app$|image: $project/app|" run-config.yaml
trap 'cleanup_project "$project"; rm -rf "$work"' EXIT
export RUN_SECRET_DB_PASSWORD=e2e-password APP_PORT=18080
run_expect 0 plan
stdout_has "Plan for $project/dev"
stdout_has "create container $project-dev-db-1"
stdout_has "create container $project-dev-worker-2"
stdout_has "+ env.POSTGRES_PASSWORD = (sensitive)"
stdout_has "build image $project/app:"
stdout_has "build image $project/worker:"
stdout_has "Plan: 2 images to build, 6 to add, 0 to change, 0 to replace, 0 to start, 0 to remove."
stdout_lacks "e2e-password"
run_expect 2 plan --detailed-exitcode
run_expect 0 plan --env production -o json
[ "$(json_field "$work/stdout" 'd["summary"]["create"]')" = 12 ] || fail "production should create 12 objects"
run_expect 0 plan -o markdown
stdout_has "**Plan: 2 images to build, 6 to add, 0 to change, 0 to replace, 0 to start, 0 to remove.**"
stdout_has "<!-- run-plan:dev -->"
stdout_has '```diff'
unset RUN_SECRET_DB_PASSWORD
run_expect 1 plan
stderr_has "error: secret DB_PASSWORD is not set"
pass
