# The config is found with -f, $RUN_CONFIG, or upwards from the current directory; the
# environment with --env, $RUN_ENV, or default_environment.
source "$(dirname "$0")/lib.sh"
mkdir project && cd project && git init -q . && minimal_project
write environments/production.yaml <<'YAML'
services: { web: { replicas: 3 } }
YAML
mkdir -p deep/er && cd deep/er
run_expect 0 explain services.web.replicas
stdout_has "(environment dev) = 1"
RUN_ENV=production run_expect 0 explain services.web.replicas
stdout_has "(environment production) = 3"
cd "$work"
run_expect 1 validate
stderr_has "no run-config.yaml in"
run_expect 0 -f project/run-config.yaml explain --env production services.web.replicas
stdout_has "project/environments/production.yaml:1:"
RUN_CONFIG=project/run-config.yaml run_expect 0 validate
run_expect 0 -C project validate
run_expect 1 -C project validate --env prod
stderr_has "unknown environment 'prod'"
stderr_has "did you mean"
pass
