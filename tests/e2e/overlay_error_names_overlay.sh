# An error in a value set by an overlay names the overlay's file and line, not the base.
source "$(dirname "$0")/lib.sh"
minimal_project
write environments/production.yaml <<'YAML'
# production
services:
  web:
    image: 42
YAML
run_expect 1 validate --env production
stderr_has "environments/production.yaml:4:12: error: expected a string, got integer '42' (at services.web.image)"
stderr_lacks "run-config.yaml:"
run_expect 0 validate --env dev
pass
