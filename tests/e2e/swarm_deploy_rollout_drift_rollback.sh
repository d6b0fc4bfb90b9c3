# target: swarm against a real three-node swarm of the test's own (lib/swarm.sh): a cold
# deploy spreads tasks by a placement constraint on node labels, runs a global service on every
# worker and a one-shot job to completion, and waits for them; a no-op
# plan is exact; an image change rolls out start-first with progress per service; a drained
# node's tasks move and the service stays converged; a `docker service update` by hand is
# drift that the plan shows field by field and the loop heals; a saved plan made before
# someone else's update is refused; a rollout whose health check never passes is reported (exit 1) while the previous
# spec keeps running; rollback returns every service; the lock is a swarm config that is gone
# after each command; the manager reached over TCP with mutual TLS from a worker's namespace,
# and refused with a stranger CA or without TLS; destroy removes everything. The shared test
# daemon is only read.
source "$(dirname "$0")/lib.sh"
source "$RUN_SOURCE_DIR/tests/e2e/lib/swarm.sh"
require_docker
project=$(unique_project)
command -v openssl >/dev/null || fail "openssl is missing (apt-get install openssl)"
swarm_tls=1 swarm_start
engine="{ host: \"$swarm_manager\" }"

manager_docker() { swarm_docker 1 "$@"; }
service_field() { manager_docker service inspect -f "$2" "$project-prod-$1"; }
running_tasks() { # running_tasks SERVICE: "NODE IMAGE" of each running task, sorted
  manager_docker service ps --filter desired-state=running --format '{{.Node}} {{.Image}} {{.CurrentState}}' \
    "$project-prod-$1" | grep ' Running' | cut -d' ' -f1,2 | sort
}
config() { # config WEB_IMAGE WEB_HEALTH_COMMAND
  write run-config.yaml <<YAML
version: "2"
project: $project
services:
  web:
    image: $1
    init: true
    command: ["sleep", "100000"]
    replicas: 2
    env: { GREETING: hello }
    healthcheck: { test: ["CMD", "$2"], interval: 1s, timeout: 2s, retries: 2 }
    update: { order: start-first, monitor: 2s, failure_action: pause }
    deploy:
      endpoint_mode: dnsrr
      placement: { constraints: ["node.labels.zone==a"] }
  worker:
    image: run-demo/busybox:latest
    init: true
    command: ["sleep", "100000"]
    replicas: 2
    deploy: { endpoint_mode: dnsrr, placement: { constraints: ["node.role==worker"] } }
  agent:
    image: run-demo/busybox:latest
    init: true
    command: ["sleep", "100000"]
    deploy: { mode: global, endpoint_mode: dnsrr, placement: { constraints: ["node.role==worker"] } }
  migrate:
    image: run-demo/busybox:latest
    command: ["sh", "-c", "echo migrated"]
    restart: on-failure
    replicas: 2
    deploy: { mode: replicated-job, endpoint_mode: dnsrr }
environments:
  prod:
    target: swarm
    engine: $engine
YAML
}
for n in 1 2 3; do swarm_docker "$n" tag run-demo/busybox:latest run-demo/busybox:v2; done

# A cold deploy: both services converge; web's tasks only on the zone=a node.
config run-demo/busybox:latest true
run_expect_within 180 0 apply --env prod --auto-approve
stderr_has "tasks running"
[ "$(running_tasks web | cut -d' ' -f1 | sort -u)" = "node2-$swarm_id" ] ||
  fail "web's tasks are not all on the zone=a node: $(running_tasks web)"
[ "$(running_tasks worker | wc -l)" = 2 ] || fail "worker does not run 2 tasks"
[ "$(running_tasks agent | cut -d' ' -f1 | sort -u | tr '\n' ' ')" = "node2-$swarm_id node3-$swarm_id " ] ||
  fail "the global agent does not run once on each worker: $(running_tasks agent)"
[ "$(manager_docker service ps --format '{{.CurrentState}}' "$project-prod-migrate" | grep -c Complete)" = 2 ] ||
  fail "the job did not complete twice"
[ -z "$(manager_docker config ls -q)" ] || fail "the lock config is left behind"
[ "$(service_field web '{{index .Spec.Labels "run.image"}}')" = run-demo/busybox:latest ] ||
  fail "the service lacks its run.image label"

# Exact: nothing to do right after.
run_expect 0 plan --env prod --detailed-exitcode
stdout_has "No changes."
run_expect 0 status --env prod
stdout_has "in sync"

# An image change, start-first, with progress per service.
config run-demo/busybox:v2 true
run_expect 2 plan --env prod --detailed-exitcode
stdout_has "update service $project-prod-web  (image changed)"
stdout_has "image: run-demo/busybox:latest -> run-demo/busybox:v2"
stdout_lacks "worker"
run_expect_within 180 0 apply --env prod --auto-approve
stderr_has "tasks updated"
[ "$(running_tasks web | cut -d' ' -f2 | sort -u)" = run-demo/busybox:v2 ] ||
  fail "web does not run the new image: $(running_tasks web)"
run_expect 0 plan --env prod --detailed-exitcode

# A drained node: its tasks move, and the environment is still what the config says.
manager_docker node update --availability drain "node3-$swarm_id" >/dev/null
wait_until 60 sh -c "! docker -H $swarm_manager service ps --filter desired-state=running --format '{{.Node}} {{.CurrentState}}' $project-prod-worker | grep -v ' Running' | grep -q . && [ \$(docker -H $swarm_manager service ps --filter desired-state=running --format '{{.Node}}' $project-prod-worker | grep -c node3) = 0 ]"
wait_until 60 sh -c "[ \$(docker -H $swarm_manager service ps --filter desired-state=running --format '{{.CurrentState}}' $project-prod-worker | grep -c Running) = 2 ]"
run_expect 0 plan --env prod --detailed-exitcode
run_expect 0 status --env prod
stdout_has "in sync"
manager_docker node update --availability active "node3-$swarm_id" >/dev/null

# A change by hand is drift, shown field by field; a saved plan from before it is stale.
run_expect 0 plan --env prod --out "$work/before.plan"
manager_docker service update -q --detach=false --no-resolve-image --env-add GREETING=bonjour \
  --replicas 3 "$project-prod-web" >/dev/null
run_expect 2 plan --env prod --detailed-exitcode
stdout_has "update service $project-prod-web  (env, replicas changed)"
stdout_has "env.GREETING: bonjour -> hello"
stdout_has "replicas: 3 -> 2"
stdout_has "[live drift]"
run_expect 1 apply --env prod "$work/before.plan" --auto-approve
stderr_has "stale"
run_expect_within 180 0 reconcile --env prod --once --listen off
[ "$(service_field web '{{.Spec.Mode.Replicated.Replicas}}')" = 2 ] || fail "drift not healed"
run_expect 0 plan --env prod --detailed-exitcode

# A rollout whose health check never passes: reported, and the previous spec keeps running.
config run-demo/busybox:latest false
run_expect_within 180 1 apply --env prod --auto-approve
stderr_has "paused the rollout"
[ "$(running_tasks web | wc -l)" -ge 2 ] || fail "the previous tasks stopped: $(running_tasks web)"
running_tasks web | grep -q "run-demo/busybox:v2" || fail "the previous spec does not run any more"
[ -z "$(manager_docker config ls -q)" ] || fail "a failed apply left the lock behind"

# Rollback to the last good record (the healed drift, v2 and `true`): every service.
run_expect_within 180 0 rollback --env prod --auto-approve
[ "$(service_field web '{{.Spec.TaskTemplate.ContainerSpec.Image}}')" = run-demo/busybox:v2 ] ||
  fail "rollback did not restore web's image"
wait_until 60 sh -c "[ \$(docker -H $swarm_manager service ps --filter desired-state=running --format '{{.CurrentState}}' $project-prod-web | grep -c Running) = 2 ]"
config run-demo/busybox:v2 true
run_expect 0 plan --env prod --detailed-exitcode

# The manager over TCP with mutual TLS, from inside a worker's namespace (where 10.231.0.1 is).
run_in_node() { # run_in_node CODE ARGS...: run_expect inside node 2's network namespace
  local expected=$1 code=0
  shift
  timeout 120 nsenter --net="/run/netns/$swarm_id-2" "$RUN_BIN" "$@" >"$work/stdout" 2>"$work/stderr" || code=$?
  [ "$code" -eq "$expected" ] || fail "run $* (in node 2) exited $code, expected $expected"
}
mkdir -p certs
cp "$swarm_root"/certs/{ca,client,client-key,stranger}.pem certs/
engine='{ host: "tcp://10.231.0.1:2376", tls: { ca: certs/ca.pem, cert: certs/client.pem, key: certs/client-key.pem } }'
config run-demo/busybox:v2 true
run_in_node 0 plan --env prod --detailed-exitcode
stdout_has "The services of $project/prod match the configuration."
engine='{ host: "tcp://10.231.0.1:2376", tls: { ca: certs/stranger.pem, cert: certs/client.pem, key: certs/client-key.pem } }'
config run-demo/busybox:v2 true
run_in_node 1 plan --env prod
stderr_has "cannot reach Docker at tcp://10.231.0.1:2376: the server's certificate"
engine='{ host: "tcp://10.231.0.1:2376" }'
config run-demo/busybox:v2 true
run_in_node 1 plan --env prod
stderr_has "a TLS port answers plain HTTP"
engine="{ host: \"$swarm_manager\" }"
config run-demo/busybox:v2 true

# A worker is not a manager: said, with what to do.
sed -i "s|$swarm_manager|$(swarm_node 2)|" run-config.yaml
run_expect 1 plan --env prod
stderr_has "is a swarm worker, not a manager"
sed -i "s|$(swarm_node 2)|$swarm_manager|" run-config.yaml

run_expect_within 120 0 destroy --env prod --auto-approve
[ -z "$(manager_docker service ls -q)" ] || fail "destroy left services"
manager_docker network ls --format '{{.Name}}' | grep -q "^$project-prod" && fail "destroy left a network"
pass
