# A secret's value appears in no output: render, explain, validate, JSON or errors.
source "$(dirname "$0")/lib.sh"
write run-config.yaml <<'YAML'
version: "2"
project: e2e
services:
  db:
    image: run-demo/busybox:latest
    env: { PASSWORD: "${secret:DB_PASSWORD}", MODE: "${secret:MODE}" }
environments:
  dev: {}
YAML
canary=canary-7f3a9c-secret
write .run/secrets/dev.env <<EOF2
MODE=$canary-from-file
EOF2
export RUN_SECRET_DB_PASSWORD=$canary
for args in "render" "render -o json" "render --show-origin" "explain services.db.env.PASSWORD" "explain services.db.env.MODE -o json" "validate" "validate -o json"; do
  run_expect 0 $args
  ! grep -q "$canary" "$work/stdout" "$work/stderr" || fail "the secret leaked in: run $args"
done
run_expect 0 render
stdout_has "PASSWORD: (sensitive)"
unset RUN_SECRET_DB_PASSWORD
run_expect 0 validate
stderr_has "warning: secret DB_PASSWORD is not set"
pass
