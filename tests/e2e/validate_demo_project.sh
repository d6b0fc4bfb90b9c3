# The demo project of this repository is valid in every environment.
source "$(dirname "$0")/lib.sh"
cd "$RUN_SOURCE_DIR"
run_expect 0 validate
stdout_has "The configuration is valid (all environments)."
run_expect 0 validate --env production
stdout_has "environment production"
pass
