# render prints the merged, interpolated state; --show-origin names the file:line of each value.
source "$(dirname "$0")/lib.sh"
cd "$RUN_SOURCE_DIR"
run_expect 0 render --env production
stdout_has "replicas: 8"
stdout_has "memory: 1G"
stdout_has "FEATURE_BACKUP: \"true\""
stdout_lacks "FEATURE_HOT_RELOAD"
stdout_lacks "x-service-defaults"
run_expect 0 render --env dev
stdout_has "replicas: 2"
stdout_has "FEATURE_HOT_RELOAD: \"true\""
run_expect 0 render --env production --show-origin
stdout_has "replicas: 8  # environments/production.yaml:10"
stdout_has "image: run-demo/postgres:15  # run-config.yaml:"
run_expect 0 render --env production -o json
stdout_has '"replicas": 8'
run_expect 1 render -o markdown
stderr_has "'run render' cannot write -o markdown"
pass
