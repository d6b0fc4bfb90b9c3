# run status says why a replica is unhealthy: the last output of its health check (secrets
# redacted), in text and in JSON; a healthy replica shows none.
source "$(dirname "$0")/lib.sh"
docker_project
trap 'cleanup_project "$project"; rm -rf "$work"' EXIT
canary=canary-41d9e2-secret
write .run/secrets/dev.env <<EOF2
TOKEN=$canary
EOF2
write run-config.yaml <<YAML
version: "2"
project: $project
services:
  web:
    image: run-demo/busybox:latest
    init: true
    command: ["sleep", "100000"]
    replicas: 2
    env: { TOKEN: "\${secret:TOKEN}" }
    healthcheck:
      test: ["CMD", "sh", "-c", "if test -f /tmp/broken; then echo \"backend refused token \$\$TOKEN\"; exit 3; fi"]
      interval: 1s
      retries: 1
environments:
  dev: {}
YAML
run_expect_within 60 0 apply --auto-approve
run_expect 0 status
stdout_lacks "is unhealthy"

run_expect 0 exec web --replica 2 -- touch /tmp/broken
for _ in $(seq 1 30); do
  [ "$(docker inspect -f '{{.State.Health.Status}}' "$project-dev-web-2")" = unhealthy ] && break
  sleep 1
done
run_expect 0 status
stdout_has "web-2 is unhealthy; its last health check exited 3: backend refused token (sensitive)"
stdout_lacks "web-1 is unhealthy"
stdout_lacks "$canary"
run_expect 0 status -o json
[ "$(json_field "$work/stdout" "[(r['replica'], r['last_health_check']['exit_code'], r['last_health_check']['output']) for s in d['services'] for r in s['unhealthy_replicas']]")" = "[(2, 3, 'backend refused token (sensitive)')]" ] ||
  fail "status -o json does not give web-2's failing health check"
stdout_lacks "$canary"
pass
