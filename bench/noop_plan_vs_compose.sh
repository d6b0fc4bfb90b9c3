#!/usr/bin/env bash
# No-op plan of `run` next to docker-compose's no-op `up -d`, on the same N services and the
# same daemon: the figure `run plan` is judged by (issue 3: at least 30 times faster).
# Usage: bench/noop_plan_vs_compose.sh [N] [RUNS]. Needs docker-compose (apt) and the
# local images (scripts/setup.sh). Prints a table; leaves nothing running.
set -euo pipefail
n=${1:-50}
runs=${2:-5}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
run_bin=${RUN_BIN:-$root/build/run}
command -v docker-compose >/dev/null || { echo "bench: docker-compose is not installed (apt-get install docker-compose)" >&2; exit 1; }
work=$(mktemp -d)
project=bench-noop-$$
cleanup() {
  (cd "$work/compose" && COMPOSE_PARALLEL_LIMIT=$((n + 8)) docker-compose -p "$project-c" down -t 1 >/dev/null 2>&1) || true
  docker ps -aq --filter "label=run.project=$project" | xargs -r docker rm -f >/dev/null 2>&1 || true
  docker network ls -q --filter "label=run.project=$project" | xargs -r docker network rm >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/run" "$work/compose"
{
  echo 'version: "2"'
  echo "project: $project"
  echo "services:"
  for i in $(seq 1 "$n"); do
    printf '  s%d:\n    image: run-demo/busybox:latest\n    command: ["sleep", "100000"]\n    init: true\n' "$i"
  done
  echo "environments: { bench: {} }"
} >"$work/run/run-config.yaml"
{
  echo 'version: "2.4"'
  echo "services:"
  for i in $(seq 1 "$n"); do
    printf '  s%d:\n    image: run-demo/busybox:latest\n    command: ["sleep", "100000"]\n    init: true\n' "$i"
  done
} >"$work/compose/docker-compose.yml"

# Until `run apply` exists, the containers run would have made are made here with the docker
# CLI, from what `run plan -o json` says each create would be (labels, spec).
(cd "$work/run" && "$run_bin" plan -o json) >"$work/plan.json"
python3 - "$work/plan.json" "$project" >"$work/create.sh" <<'PY'
import json, shlex, sys
plan, project = json.load(open(sys.argv[1])), sys.argv[2]
print(f"docker network create --label run.project={project} --label run.environment=bench {project}-bench >/dev/null")
for a in plan["actions"]:
    if a["kind"] != "container":
        continue
    spec = {c["path"]: c["after"] for c in a["changes"] if not c["path"].startswith(("resources.", "restart"))}
    labels = {"run.project": project, "run.environment": "bench", "run.service": a["service"],
              "run.replica": str(a["replica"]), "run.config-hash": a["config_hash"],
              "run.spec": json.dumps(spec, separators=(",", ":"), sort_keys=True)}
    flags = " ".join(f"--label {shlex.quote(k + '=' + v)}" for k, v in labels.items())
    print(f"docker run -d --init --name {a['name']} --network {project}-bench {flags} run-demo/busybox:latest sleep 100000 >/dev/null &")
print("wait")
PY
bash "$work/create.sh"
(cd "$work/compose" && COMPOSE_PARALLEL_LIMIT=$((n + 8)) docker-compose -p "$project-c" up -d >/dev/null 2>&1)

# median_ms COMMAND...: the median wall time of RUNS runs, in milliseconds.
median_ms() {
  local times=()
  for _ in $(seq 1 "$runs"); do
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1
    end=$(date +%s%N)
    times+=($(((end - start) / 1000000)))
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n "$(((runs + 1) / 2))p"
}

run_plan() { (cd "$work/run" && "$run_bin" plan --detailed-exitcode); }
compose_up() { (cd "$work/compose" && COMPOSE_PARALLEL_LIMIT=$((n + 8)) docker-compose -p "$project-c" up -d); }
(cd "$work/run" && "$run_bin" plan | tail -n 2 | head -n 1) | grep -q "No changes." || { echo "bench: run's plan is not a no-op" >&2; exit 1; }
run_ms=$(median_ms run_plan)
compose_ms=$(median_ms compose_up)
printf '%-28s %12s %16s %8s\n' "no-op, $n services" "run plan" "compose up -d" "ratio"
printf '%-28s %10s ms %14s ms %7.1fx\n' "wall time (median of $runs)" "$run_ms" "$compose_ms" "$(echo "$compose_ms / ($run_ms + 0.001)" | bc -l)"
