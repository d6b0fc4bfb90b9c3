#!/usr/bin/env bash
# `run apply` next to docker-compose on the same N services and the same daemon, alternating
# the two tools: a cold apply vs `up -d` from nothing, one changed service vs `up -d` with the
# same change, a no-op, and destroy vs `down`; plus the raw Engine API (N create+start calls in
# parallel, straight to the socket) as the daemon's own limit for a cold start.
# Usage: bench/apply_vs_compose.sh [N] [RUNS]. Prints medians and the ratio compose/run.
set -euo pipefail
n=${1:-50}
runs=${2:-3}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
run_bin=${RUN_BIN:-$root/build/run}
command -v docker-compose >/dev/null || { echo "bench: docker-compose is not installed (apt-get install docker-compose)" >&2; exit 1; }
work=$(mktemp -d)
project=benchapply$$
export COMPOSE_PARALLEL_LIMIT=$((n + 8))  # compose 1.29 deadlocks at 64+ services below this
cleanup() {
  (cd "$work/compose" && docker-compose -p "${project}c" down -t 1 >/dev/null 2>&1) || true
  (cd "$work/run" && "$run_bin" destroy --auto-approve --progress plain >/dev/null 2>&1) || true
  docker ps -aq --filter "name=${project}raw" | xargs -r docker rm -f >/dev/null 2>&1 || true
  docker network rm "${project}raw" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/run" "$work/compose"

# write_configs VERSION: the same N services for both tools; VERSION changes service s1 only.
write_configs() {
  {
    echo 'version: "2"'
    echo "project: $project"
    echo "services:"
    for i in $(seq 1 "$n"); do
      version=0
      [ "$i" = 1 ] && version=$1
      printf '  s%d:\n    image: run-demo/busybox:latest\n    command: ["sleep", "100000"]\n    init: true\n    env: { VERSION: "%s" }\n' "$i" "$version"
    done
    echo "environments: { bench: {} }"
  } >"$work/run/run-config.yaml"
  {
    echo 'version: "2.4"'
    echo "services:"
    for i in $(seq 1 "$n"); do
      version=0
      [ "$i" = 1 ] && version=$1
      printf '  s%d:\n    image: run-demo/busybox:latest\n    command: ["sleep", "100000"]\n    init: true\n    environment: { VERSION: "%s" }\n' "$i" "$version"
    done
  } >"$work/compose/docker-compose.yml"
}

# timed LABEL COMMAND...: appends "LABEL wall_ms" to the results file.
timed() {
  local label=$1
  shift
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null 2>&1 || { echo "bench: $label failed" >&2; exit 1; }
  end=$(date +%s%N)
  echo "$label $(((end - start) / 1000000))" >>"$work/results"
}

run_apply() { (cd "$work/run" && "$run_bin" apply --auto-approve --progress plain); }
run_destroy() { (cd "$work/run" && "$run_bin" destroy --auto-approve --progress plain); }
compose_up() { (cd "$work/compose" && docker-compose -p "${project}c" up -d); }
compose_down() { (cd "$work/compose" && docker-compose -p "${project}c" down -t 10); }

raw_api() {
  python3 - "$n" "${project}raw" <<'PY'
import concurrent.futures, http.client, json, socket, sys
n, prefix = int(sys.argv[1]), sys.argv[2]
class Conn(http.client.HTTPConnection):
    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX)
        self.sock.connect("/var/run/docker.sock")
def call(method, path, body=None):
    c = Conn("docker")
    c.request(method, path, body=json.dumps(body) if body is not None else None, headers={"Content-Type": "application/json"})
    r = c.getresponse(); data = r.read(); c.close()
    if r.status >= 300: raise SystemExit(f"{method} {path}: {r.status} {data[:200]}")
    return json.loads(data) if data else None
# The same container as run and compose make: on a user-defined network, with an alias (the
# default bridge is cheaper for the daemon, and neither tool uses it).
call("POST", "/v1.41/networks/create", {"Name": prefix, "CheckDuplicate": True})
def one(i):
    created = call("POST", f"/v1.41/containers/create?name={prefix}-{i}",
                   {"Image": "run-demo/busybox:latest", "Cmd": ["sleep", "100000"],
                    "HostConfig": {"Init": True, "NetworkMode": prefix},
                    "NetworkingConfig": {"EndpointsConfig": {prefix: {"Aliases": [f"s{i}"]}}}})
    call("POST", f"/v1.41/containers/{created['Id']}/start")
with concurrent.futures.ThreadPoolExecutor(n) as pool:
    list(pool.map(one, range(n)))
PY
}
raw_cleanup() {
  docker ps -aq --filter "name=${project}raw" | xargs -r docker rm -f >/dev/null
  docker network rm "${project}raw" >/dev/null 2>&1 || true
}

for round in $(seq 1 "$runs"); do
  write_configs 0
  timed run.cold run_apply
  timed compose.cold compose_up
  timed run.noop run_apply
  timed compose.noop compose_up
  write_configs "$round"
  timed run.change run_apply
  timed compose.change compose_up
  timed run.destroy run_destroy
  timed compose.destroy compose_down
  timed raw.cold raw_api
  raw_cleanup
done

median() { grep "^$1 " "$work/results" | awk '{print $2}' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
printf '%-34s %10s %14s %8s\n' "$n services, median of $runs" "run" "docker-compose" "ratio"
for step in cold noop change destroy; do
  r=$(median "run.$step")
  c=$(median "compose.$step")
  printf '%-34s %8s ms %11s ms %7.1fx\n' "$step" "$r" "$c" "$(echo "$c / $r" | bc -l)"
done
raw=$(median raw.cold)
printf '%-34s %8s ms   (run cold / raw = %.2f)\n' "raw API: $n parallel create+start" "$raw" "$(echo "$(median run.cold) / $raw" | bc -l)"
