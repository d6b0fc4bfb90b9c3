#!/usr/bin/env bash
# run next to `docker stack deploy` on a real three-node swarm of its own (the test harness,
# tests/e2e/lib/swarm.sh): the same N services, both tools waiting for convergence
# (`stack deploy --detach=false`, `run apply`), the tools alternating, medians of RUNS.
#
#   bash bench/swarm.sh                    # N=10, 5 runs, and a no-op plan at 50 services
#   bash bench/swarm.sh --services 20 --runs 3 --plan-services 50
#
# Prints a markdown table of wall times and ratios (stack deploy / run: above 1, run is
# faster). It leaves nothing running: the swarm is torn down at exit. Needs root, the docker
# CLI with `stack deploy --detach`, and run built in build/ (or RUN_BIN).
set -euo pipefail

services=10
runs=5
plan_services=50
while [ $# -gt 0 ]; do
  case $1 in
    --services) services=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --plan-services) plan_services=$2; shift 2 ;;
    *) echo "usage: bench/swarm.sh [--services N] [--runs R] [--plan-services N]" >&2; exit 2 ;;
  esac
done

here=$(cd "$(dirname "$0")/.." && pwd)
RUN_BIN=${RUN_BIN:-$here/build/run}
[ -x "$RUN_BIN" ] || { echo "bench/swarm.sh: no $RUN_BIN (build run first)" >&2; exit 1; }
work=$(mktemp -d)
fail() { echo "bench/swarm.sh: $*" >&2; exit 1; }
source "$here/tests/e2e/lib/swarm.sh"
say() { echo "bench/swarm.sh: $*" >&2; }

say "starting a three-node swarm"
swarm_start
export DOCKER_HOST=$swarm_manager
cd "$work"

# run_project NAME N GREETING / stack_file N GREETING: the same services for both tools.
run_project() {
  mkdir -p "$work/$1"
  {
    echo 'version: "2"'
    echo "project: $1"
    echo "services:"
    for i in $(seq 1 "$2"); do
      echo "  s$i:"
      echo "    image: run-demo/busybox:latest"
      echo "    init: true"
      echo '    command: ["sleep", "100000"]'
      echo "    env: { GREETING: $([ "$i" = 1 ] && echo "$3" || echo hello) }"
      echo "    deploy: { endpoint_mode: dnsrr }"
    done
    echo "environments:"
    echo "  prod: { target: swarm }"
  } >"$work/$1/run-config.yaml"
}
stack_file() {
  {
    echo 'version: "3.8"'
    echo "services:"
    for i in $(seq 1 "$1"); do
      echo "  s$i:"
      echo "    image: run-demo/busybox:latest"
      echo "    init: true"
      echo '    command: ["sleep", "100000"]'
      echo "    environment: { GREETING: $([ "$i" = 1 ] && echo "$2" || echo hello) }"
      echo "    deploy: { endpoint_mode: dnsrr }"
    done
  } >"$work/stack.yml"
}

now_ms() { date +%s%3N; }
# timed FILE COMMAND...: appends the command's wall time in ms to FILE; fails on its failure.
timed() {
  local file=$1 start
  shift
  start=$(now_ms)
  "$@" >/dev/null 2>"$work/last.err" || { cat "$work/last.err" >&2; fail "failed: $*"; }
  echo $(($(now_ms) - start)) >>"$file"
}
median() { sort -n "$1" | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
stack_gone() { [ -z "$(docker service ls -q --filter label=com.docker.stack.namespace=bench)" ] &&
  [ -z "$(docker network ls -q --filter label=com.docker.stack.namespace=bench)" ]; }

stack() { docker stack deploy --detach=false --resolve-image never -c "$work/stack.yml" bench; }
run_in() { (cd "$work/$1" && "$RUN_BIN" "${@:2}"); }

for round in $(seq 1 "$runs"); do
  say "round $round of $runs ($services services)"
  run_project rb "$services" hello
  stack_file "$services" hello
  timed "$work/run.cold" run_in rb apply --env prod --auto-approve
  timed "$work/stack.cold" stack
  run_project rb "$services" "changed-$round"
  stack_file "$services" "changed-$round"
  timed "$work/run.change" run_in rb apply --env prod --auto-approve
  timed "$work/stack.change" stack
  timed "$work/run.noop" run_in rb apply --env prod --auto-approve
  timed "$work/stack.noop" stack
  # The CLI waits for each service in turn, each for its monitor period (5 s) after the update
  # it re-sends: --detach shows what the deploy itself costs.
  timed "$work/stack.noop-detached" docker stack deploy --detach=true --resolve-image never \
    -c "$work/stack.yml" bench
  run_in rb destroy --env prod --auto-approve >/dev/null 2>&1
  docker stack rm bench >/dev/null
  for _ in $(seq 1 300); do stack_gone && break; sleep 0.2; done
done

say "a no-op plan at $plan_services services"
run_project rp "$plan_services" hello
run_in rp apply --env prod --auto-approve >/dev/null 2>&1
for _ in $(seq 1 "$runs"); do timed "$work/run.plan" run_in rp plan --env prod --detailed-exitcode; done
run_in rp destroy --env prod --auto-approve >/dev/null 2>&1

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", (b > 0 ? a / b : 0) }'; }
echo
echo "| work ($services services, median of $runs) | docker stack deploy | run | stack / run |"
echo "|---|---|---|---|"
for step in cold change noop; do
  s=$(median "$work/stack.$step")
  r=$(median "$work/run.$step")
  case $step in
    cold) words="cold deploy, until converged" ;;
    change) words="one service changed, until converged" ;;
    noop) words="no-op" ;;
  esac
  echo "| $words | $s ms | $r ms | $(ratio "$s" "$r") |"
done
echo "| no-op, \`stack deploy --detach\` (returns before convergence) | $(median "$work/stack.noop-detached") ms | $(median "$work/run.noop") ms | $(ratio "$(median "$work/stack.noop-detached")" "$(median "$work/run.noop")") |"
echo "| no-op \`run plan\` at $plan_services services | | $(median "$work/run.plan") ms | |"
