# promote: [image, env.NAME, ...] copies the listed environment variables too, each where it
# stands or added under its service (a '$' written '$$' so it renders as deployed); a secret is
# never promoted and a service production removes is left out, each with a note; the secret's
# value appears nowhere.
source "$(dirname "$0")/lib.sh"
docker_project
export RUN_SECRET_API_KEY=s3cret-canary-value
write run-config.yaml <<YAML
version: "2"
project: $project
promote: [image, env.LOG_LEVEL, env.API_KEY, env.GREETING]
services:
  app:
    image: tsp/app:1.4.2
    init: true
    command: ["sleep", "100000"]
    env:
      LOG_LEVEL: info
      API_KEY: \${secret:API_KEY}
  canary:
    image: run-demo/busybox:latest
    init: true
    command: ["sleep", "100000"]
environments:
  staging: {}
  production: {}
YAML
write environments/staging.yaml <<'YAML'
services:
  app:
    image: tsp/app:1.4.3
    env:
      LOG_LEVEL: debug
      GREETING: "costs $$5"
YAML
write environments/production.yaml <<'YAML'
# production
services:
  app:
    env:
      LOG_LEVEL: warn   # quiet
  canary: null   # not in production
YAML
run_expect_within 300 0 apply --env staging --auto-approve --progress plain

run_expect 0 promote staging production
stdout_has "Promoting staging deployment #1 to production:"
stdout_has "  app tsp/app:1.4.2 -> tsp/app:1.4.3"
stdout_has "  app env.LOG_LEVEL warn -> debug"
stdout_has "  app env.GREETING (unset) -> costs \$5"
stdout_has "  note: services.app.env.API_KEY is a secret in staging: secrets are never promoted"
stdout_has "  note: service 'canary' is only in staging: not promoted"
stdout_has "create container $project-production-app-1"
write "$work/expected.yaml" <<'YAML'
# production
services:
  app:
    env:
      LOG_LEVEL: debug   # quiet
      GREETING: costs $$5
    image: tsp/app:1.4.3
  canary: null   # not in production
YAML
diff -u "$work/expected.yaml" environments/production.yaml || fail "the overlay is not the expected edit"
run_expect 0 render --env production -o json
stdout_has '"GREETING": "costs $5"'
stdout_has '"LOG_LEVEL": "debug"'
! grep -rqF "s3cret-canary-value" . "$work/stdout" "$work/stderr" || fail "the secret's value was written somewhere"

run_expect 0 promote staging production
stdout_has "Nothing to promote: production already has what staging deployed."
pass
