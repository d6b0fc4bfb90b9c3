#!/usr/bin/env bash
# `run` next to docker-compose on the same N services and the same daemon, and the planner
# alone without Docker. See bench/README.md for what each row means.
#
#   bash bench/run.sh [--smoke] [--sizes 10,50,100] [--runs 5] [--out FILE]
#   bash bench/run.sh --report FILE.samples [--out FILE]
#
# --smoke: N = 3, one run, small planner sizes: checks that every figure is produced and
# that both tools converge (the test suite's bench.smoke); its times mean nothing.
# RUN_BIN and PLAN_BENCH name the binaries; by default they are built in build/.
# Prints the tables (markdown) to stdout, and to FILE with --out (every sample then goes to
# FILE.samples: N step tool wall_ms cpu_ms peak_rss_kib). --report prints the tables of
# samples saved before (e.g. from two invocations with different --runs), measuring nothing
# but the planner. Leaves nothing running.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

sizes=10,50,100
runs=5
planner_sizes=(1000 2000 5000 10000)
planner_repeat=5
out=
smoke=no
report=
while [ $# -gt 0 ]; do
  case $1 in
    --smoke) smoke=yes sizes=3 runs=1 planner_sizes=(100 1000) planner_repeat=1 ;;
    --sizes) sizes=$2; shift ;;
    --runs) runs=$2; shift ;;
    --out) out=$2; shift ;;
    --report) report=$2; shift ;;
    *) echo "usage: bash bench/run.sh [--smoke] [--sizes 10,50,100] [--runs 5] [--out FILE] | --report FILE.samples" >&2; exit 2 ;;
  esac
  shift
done
IFS=, read -r -a service_counts <<<"$sizes"
if [ -n "$report" ]; then
  [ -s "$report" ] || { echo "bench: no samples in '$report'" >&2; exit 2; }
  mapfile -t service_counts < <(awk '$1 != 0 && !seen[$1]++ { print $1 }' "$report")
fi
for n in "${service_counts[@]}"; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "bench: --sizes takes counts like 10,50,100, not '$sizes'" >&2; exit 2; }
done
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "bench: --runs takes a count of at least 1" >&2; exit 2; }

say() { echo "bench: $*" >&2; }

# ---- set-up: packages, daemon, images, binaries -------------------------------------------

install_tools() {
  local missing=()
  command -v docker-compose >/dev/null || missing+=(docker-compose)
  [ -x /usr/bin/time ] || missing+=(time)
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || { say "missing ${missing[*]}: run as root to install them (apt-get install ${missing[*]})"; exit 1; }
  say "installing ${missing[*]}"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

build_binaries() {
  if [ -n "${RUN_BIN:-}" ] && [ -n "${PLAN_BENCH:-}" ]; then return 0; fi
  say "building run and plan_bench in $root/build"
  [ -f "$root/build/CMakeCache.txt" ] || cmake -S "$root" -B "$root/build" -G Ninja >/dev/null
  cmake --build "$root/build" --target run plan_bench >/dev/null
  RUN_BIN=${RUN_BIN:-$root/build/run}
  PLAN_BENCH=${PLAN_BENCH:-$root/build/bench/plan_bench}
}

if [ -z "$report" ]; then
  bash "$root/scripts/setup.sh"  # packages, dockerd, the local images; quiet when all is there
  install_tools
fi
build_binaries

work=$(mktemp -d)  # outside any git repository: run keeps its history in <project>/.run
results=$work/results
harness_ms=0  # measure_all calibrates it
project=bench$$
run_dir=$work/run
compose_dir=$work/compose
compose_project=${project}c
raw_prefix=${project}raw
max_n=$(printf '%s\n' "${service_counts[@]}" | sort -n | tail -n 1)
# compose 1.29 deadlocks at 64 services or more below this; above N + 10 it never waits.
export COMPOSE_PARALLEL_LIMIT=$((max_n + 16))

cleanup() {
  docker ps -aq --filter "label=run.project=$project" | xargs -r docker rm -f >/dev/null 2>&1 || true
  docker network ls -q --filter "label=run.project=$project" | xargs -r docker network rm >/dev/null 2>&1 || true
  docker ps -aq --filter "label=com.docker.compose.project=$compose_project" | xargs -r docker rm -f >/dev/null 2>&1 || true
  docker network rm "${compose_project}_default" >/dev/null 2>&1 || true
  docker ps -aq --filter "name=^/$raw_prefix-" | xargs -r docker rm -f >/dev/null 2>&1 || true
  docker network rm "$raw_prefix" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$run_dir" "$compose_dir"

# ---- the same N services for both tools ---------------------------------------------------

# write_configs N VERSION REPLICAS: N services s1..sN, each one container of the local
# busybox image sleeping under an init (a `sleep` as PID 1 ignores SIGTERM, so every stop
# would wait out the grace period). VERSION is s1's env value; REPLICAS, s1's scale (compose
# takes it as `--scale s1=REPLICAS`, which is how compose users scale).
write_configs() {
  local n=$1 version=$2 replicas=$3 i
  {
    echo 'version: "2"'
    echo "project: $project"
    echo "services:"
    for i in $(seq 1 "$n"); do
      printf '  s%d:\n    image: run-demo/busybox:latest\n    command: ["sleep", "100000"]\n    init: true\n' "$i"
      if [ "$i" = 1 ]; then
        printf '    env: { VERSION: "%s" }\n    replicas: %d\n' "$version" "$replicas"
      fi
    done
    echo "environments: { bench: {} }"
  } >"$run_dir/run-config.yaml"
  {
    echo 'version: "2.4"'
    echo "services:"
    for i in $(seq 1 "$n"); do
      printf '  s%d:\n    image: run-demo/busybox:latest\n    command: ["sleep", "100000"]\n    init: true\n' "$i"
      if [ "$i" = 1 ]; then printf '    environment: { VERSION: "%s" }\n' "$version"; fi
    done
  } >"$compose_dir/docker-compose.yml"
}

# ---- the commands measured ----------------------------------------------------------------

# Arrays, not functions: GNU time runs the binary itself, so it measures the client alone.
run_apply=("$RUN_BIN" -C "$run_dir" apply --auto-approve --progress plain)
run_plan=("$RUN_BIN" -C "$run_dir" plan --detailed-exitcode)
run_destroy=("$RUN_BIN" -C "$run_dir" destroy --auto-approve --progress plain)
compose=(docker-compose --project-directory "$compose_dir" -f "$compose_dir/docker-compose.yml" -p "$compose_project")
compose_up=("${compose[@]}" up -d)
compose_scale=("${compose[@]}" up -d --scale s1=10)
compose_down=("${compose[@]}" down)
raw_down=(python3 "$root/bench/raw_api.py" down "$raw_prefix")

now_us() { echo "${EPOCHREALTIME//[.,]/}"; }  # microseconds, without a process of its own

# The harness's own wall time: GNU time starting, running an empty command and writing its
# file (about 10 ms here), taken off every wall time below, for both tools alike, so that a
# 30 ms command is not read as 40. The fastest of 9, measured once per bench run: what is
# taken off is never more than the harness costs.
calibrate_harness() {
  local i start end samples=()
  for i in 1 2 3 4 5 6 7 8 9; do
    start=$(now_us)
    /usr/bin/time -f '%U %S %M' -o "$work/time" true
    end=$(now_us)
    samples+=($(((end - start) / 1000)))
  done
  harness_ms=$(printf '%s\n' "${samples[@]}" | sort -n | head -n 1)
}

# measure N STEP TOOL COMMAND...: runs COMMAND under GNU time and appends
# "N STEP TOOL wall_ms cpu_ms peak_rss_kib" to the results. Wall time is taken around it in
# microseconds (GNU time's %e has 10 ms steps), less the harness's own; CPU time is the
# client's user + system time, with every thread and child it waited for; peak RSS is its
# largest process's.
measure() {
  local n=$1 step=$2 tool=$3
  shift 3
  local start end
  start=$(now_us)
  if ! /usr/bin/time -f '%U %S %M' -o "$work/time" "$@" >"$work/output" 2>&1; then
    tail -n 20 "$work/output" >&2
    say "$tool failed at '$step' with $n services"
    exit 1
  fi
  end=$(now_us)
  read -r user system rss_kib < <(tail -n 1 "$work/time")
  local cpu_ms wall_ms
  cpu_ms=$(awk -v u="$user" -v s="$system" 'BEGIN { printf "%d", (u + s) * 1000 }')
  wall_ms=$(((end - start) / 1000 - harness_ms))
  [ "$wall_ms" -ge 0 ] || wall_ms=0
  echo "$n $step $tool $wall_ms $cpu_ms $rss_kib" >>"$results"
}

# pair N ROUND STEP RUN_COMMAND... -- COMPOSE_COMMAND...: both tools at the same step, run first
# in odd rounds and compose first in even ones, so neither always meets a warmer daemon.
pair() {
  local n=$1 round=$2 step=$3
  shift 3
  local run_command=() compose_command=()
  while [ "$1" != -- ]; do run_command+=("$1"); shift; done
  shift
  compose_command=("$@")
  if [ $((round % 2)) = 1 ]; then
    measure "$n" "$step" run "${run_command[@]}"
    measure "$n" "$step" compose "${compose_command[@]}"
  else
    measure "$n" "$step" compose "${compose_command[@]}"
    measure "$n" "$step" run "${run_command[@]}"
  fi
}

# ---- convergence checks (outside the timings) ---------------------------------------------

running_count() { docker ps -q --filter "label=$1" --filter status=running | wc -l; }

# converged N VERSION REPLICAS: both tools run exactly the containers the configs ask for,
# s1 with the VERSION asked, and run's own plan says there is nothing left to do.
converged() {
  local n=$1 version=$2 replicas=$3 expected=$(($1 + $3 - 1))
  local run_count compose_count
  run_count=$(running_count "run.project=$project")
  compose_count=$(running_count "com.docker.compose.project=$compose_project")
  [ "$run_count" = "$expected" ] || { say "run has $run_count containers running, not $expected"; exit 1; }
  [ "$compose_count" = "$expected" ] || { say "compose has $compose_count containers running, not $expected"; exit 1; }
  "${run_plan[@]}" >/dev/null 2>&1 || { say "run's plan is not empty after its apply"; exit 1; }
  s1_has_version "label=run.service=s1" "label=run.project=$project" "$version"
  s1_has_version "label=com.docker.compose.service=s1" "label=com.docker.compose.project=$compose_project" "$version"
}

s1_has_version() {
  local id
  for id in $(docker ps -q --filter "$1" --filter "$2"); do
    docker inspect --format '{{range .Config.Env}}{{println .}}{{end}}' "$id" | grep -qx "VERSION=$3" ||
      { say "container $id ($2) does not have VERSION=$3"; exit 1; }
  done
}

nothing_left() {
  local left
  left=$(docker ps -aq --filter "label=run.project=$project" | wc -l)
  left=$((left + $(docker ps -aq --filter "label=com.docker.compose.project=$compose_project" | wc -l)))
  left=$((left + $(docker ps -aq --filter "name=^/$raw_prefix-" | wc -l)))
  [ "$left" = 0 ] || { say "$left containers are left after destroy"; exit 1; }
}

# ---- one round: every step, both tools ----------------------------------------------------

round() {
  local n=$1 round=$2
  write_configs "$n" 0 1
  pair "$n" "$round" cold "${run_apply[@]}" -- "${compose_up[@]}"
  converged "$n" 0 1
  pair "$n" "$round" noop_apply "${run_apply[@]}" -- "${compose_up[@]}"
  pair "$n" "$round" noop_plan "${run_plan[@]}" -- "${compose_up[@]}"
  write_configs "$n" "$round" 1
  pair "$n" "$round" change "${run_apply[@]}" -- "${compose_up[@]}"
  converged "$n" "$round" 1
  write_configs "$n" "$round" 10
  pair "$n" "$round" scale "${run_apply[@]}" -- "${compose_scale[@]}"
  converged "$n" "$round" 10
  pair "$n" "$round" destroy "${run_destroy[@]}" -- "${compose_down[@]}"
  measure "$n" cold raw python3 "$root/bench/raw_api.py" up "$n" "$raw_prefix"
  measure "$n" destroy raw "${raw_down[@]}"
  nothing_left
}

# ---- the tables ---------------------------------------------------------------------------

# figure N STEP TOOL COLUMN: the median of a column (4 wall, 5 CPU, 6 RSS) over the runs.
figure() {
  awk -v n="$1" -v s="$2" -v t="$3" -v c="$4" '$1 == n && $2 == s && $3 == t { print $c }' "$results" |
    sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "NaN"; else print v[int((NR + 1) / 2)] }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "n/a"; else printf "%.1fx", a / b }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

step_title() {
  case $1 in
    cold) echo "cold apply vs up -d" ;;
    noop_apply) echo "no-op apply vs up -d" ;;
    noop_plan) echo "no-op plan vs up -d" ;;
    change) echo "one service changed" ;;
    scale) echo "scale s1 1 -> 10" ;;
    destroy) echo "destroy vs down" ;;
  esac
}

print_table() {
  local n=$1 step
  echo
  echo "#### $n services, median of $(awk -v n="$n" '$1 == n && $2 == "cold" && $3 == "run"' "$results" | wc -l) run(s)"
  echo
  echo "| step | run wall ms | compose wall ms | wall ratio | run CPU ms | compose CPU ms | CPU ratio | run RSS MiB | compose RSS MiB | RSS ratio |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for step in cold noop_apply noop_plan change scale destroy; do
    local rw cw rc cc rr cr
    rw=$(figure "$n" "$step" run 4) cw=$(figure "$n" "$step" compose 4)
    rc=$(figure "$n" "$step" run 5) cc=$(figure "$n" "$step" compose 5)
    rr=$(figure "$n" "$step" run 6) cr=$(figure "$n" "$step" compose 6)
    echo "| $(step_title "$step") | $rw | $cw | $(ratio "$cw" "$rw") | $rc | $cc | $(ratio "$cc" "$rc") | $(mib "$rr") | $(mib "$cr") | $(ratio "$cr" "$rr") |"
  done
  local raw_cold raw_destroy
  raw_cold=$(figure "$n" cold raw 4) raw_destroy=$(figure "$n" destroy raw 4)
  echo
  echo "Raw Engine API, $n containers in parallel: create + start $raw_cold ms (run's cold apply takes" \
    "$(ratio "$(figure "$n" cold run 4)" "$raw_cold") of it, compose's $(ratio "$(figure "$n" cold compose 4)" "$raw_cold"));" \
    "stop + remove $raw_destroy ms (run's destroy $(ratio "$(figure "$n" destroy run 4)" "$raw_destroy")," \
    "compose's down $(ratio "$(figure "$n" destroy compose 4)" "$raw_destroy"))."
}

# goal N: the issue's goals for N services, from this run's medians.
print_goals() {
  local n=$1
  awk -v n="$n" -f - "$results" <<'AWK'
function median(key,   count, i, j, t, v) {
  count = split(samples[key], v, " ")
  for (i = 2; i <= count; i++) for (j = i; j > 1 && v[j - 1] + 0 > v[j] + 0; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
  return v[int((count + 1) / 2)]
}
function verdict(ok) { return ok ? "met" : "**missed**" }
$1 == n { samples[$2 " " $3 " wall"] = samples[$2 " " $3 " wall"] " " $4; samples[$2 " " $3 " rss"] = samples[$2 " " $3 " rss"] " " $6 }
END {
  printf "\n| goal, %d services | measured | verdict |\n|---|---:|---|\n", n
  r = median("noop_plan compose wall") / median("noop_plan run wall")
  printf "| no-op plan >= 30x faster than compose's no-op up -d | %.1fx | %s |\n", r, verdict(r >= 30)
  r = median("noop_apply compose wall") / median("noop_apply run wall")
  printf "| no-op apply >= 30x faster than compose's no-op up -d | %.1fx | %s |\n", r, verdict(r >= 30)
  r = median("change compose wall") / median("change run wall")
  printf "| one change >= 2.5x faster | %.1fx | %s |\n", r, verdict(r >= 2.5)
  r = median("cold compose wall") / median("cold run wall")
  printf "| cold apply never slower than compose | %.2fx | %s |\n", r, verdict(r >= 1)
  r = median("cold run wall") / median("cold raw wall")
  printf "| cold apply within 1.2x of the raw parallel API | %.2fx of raw | %s |\n", r, verdict(r <= 1.2)
  r = median("destroy compose wall") / median("destroy run wall")
  printf "| destroy >= 2x faster than down | %.2fx | %s |\n", r, verdict(r >= 2)
  worst = 0
  split("cold noop_apply noop_plan change scale destroy", steps, " ")
  for (i in steps) { q = median(steps[i] " run rss") / median(steps[i] " compose rss"); if (q > worst) worst = q }
  printf "| peak RSS <= 1/4 of compose's (every step) | worst %.2f of compose's | %s |\n", worst, verdict(worst <= 0.25)
}
AWK
}

# ---- main -----------------------------------------------------------------------------------

measure_all() {
  : >"$results"
  calibrate_harness
  say "the harness's own wall time, taken off every figure: $harness_ms ms"
  echo "0 harness empty $harness_ms 0 0" >>"$results"
  for n in "${service_counts[@]}"; do
    for r in $(seq 1 "$runs"); do
      say "$n services, run $r of $runs"
      round "$n" "$r"
    done
  done
  # 14 samples a round: 6 steps x 2 tools, and the raw API's create and destroy.
  local expected_samples=$((${#service_counts[@]} * runs * 14 + 1))
  [ "$(wc -l <"$results")" = "$expected_samples" ] || { say "$(wc -l <"$results") samples, not $expected_samples"; exit 1; }
}

if [ -n "$report" ]; then cp "$report" "$results"; else measure_all; fi
say "planner: ${planner_sizes[*]} services"
planner_table=$("$PLAN_BENCH" --repeat "$planner_repeat" "${planner_sizes[@]}")

{
  echo "### run vs docker-compose"
  echo
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, Docker $(docker version --format '{{.Server.Version}}')" \
    "($(docker info --format '{{.Driver}}') storage driver), $(docker-compose version --short 2>/dev/null | head -n 1 | sed 's/^/docker-compose /')," \
    "run $("$RUN_BIN" version 2>/dev/null | head -n 1 | awk '{ print $NF }'). COMPOSE_PARALLEL_LIMIT=$COMPOSE_PARALLEL_LIMIT."
  harness=$(awk '$1 == 0 && $2 == "harness" { print $4 }' "$results")
  [ -n "$harness" ] && echo && echo "Every wall time has the harness's own ${harness} ms taken off (GNU time running an empty command, the fastest of 9, measured at the start of this run)."
  [ "$smoke" = yes ] && echo && echo "Smoke mode: one run of 3 services; these times are not measurements."
  for n in "${service_counts[@]}"; do
    print_table "$n"
    print_goals "$n"
  done
  echo
  echo "### the planner alone (no Docker), median of $planner_repeat"
  echo
  echo "$planner_table"
} | if [ -n "$out" ]; then tee "$out"; else cat; fi
# Every sample, one line each: N step tool wall_ms cpu_ms peak_rss_kib.
if [ -n "$out" ] && [ -z "$report" ]; then cp "$results" "$out.samples"; fi
