# explain shows a value and its override chain, base to overlay, with file:line:col.
source "$(dirname "$0")/lib.sh"
cd "$RUN_SOURCE_DIR"
run_expect 0 explain --env production services.worker.replicas
stdout_has "services.worker.replicas (environment production) = 8"
stdout_has "run-config.yaml:"
stdout_has "(overridden)"
stdout_has "environments/production.yaml:10:15  8"
run_expect 0 explain --env production services.worker.replicas -o json
stdout_has '"effect": "set"'
run_expect 1 explain --env production services.worker.replica
stderr_has "did you mean 'replicas'?"
pass
