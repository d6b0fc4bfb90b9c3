#!/usr/bin/env bash
# `run` next to docker compose v2 on a project of two services built from source (app and
# worker, each FROM run-demo/busybox with a COPY and a cheap RUN), on the same daemon, both
# building through the daemon's classic builder (POST /build). See bench/README.md, "Builds".
#
#   bash bench/build.sh [--runs 5] [--cold 3] [--out FILE]
#
# Rows: cold (no image, no container of the project -> both services running), no-op (`run
# apply` with nothing to do vs `docker-compose up -d --build`, which runs its builder every
# time), and one source file of app changed (from the edit to the new container running).
# Each row alternates the tools, run first in odd rounds. RUN_BIN names the run binary (default
# build/run); compose v2 comes from bench/compose_v2.sh. Prints a markdown table, also to FILE
# with --out (and every sample to FILE.samples: step tool round wall_ms). Everything the bench
# made (containers, networks, images of both projects) is removed at the end, also on failure;
# nothing else on the daemon is touched.
set -euo pipefail
export LC_ALL=C
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

runs=5
cold_runs=3
out=
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=$2; shift ;;
    --cold) cold_runs=$2; shift ;;
    --out) out=$2; shift ;;
    *) echo "usage: bash bench/build.sh [--runs 5] [--cold 3] [--out FILE]" >&2; exit 2 ;;
  esac
  shift
done
[[ $runs =~ ^[1-9][0-9]*$ && $cold_runs =~ ^[1-9][0-9]*$ ]] ||
  { echo "bench/build.sh: --runs and --cold take a count of at least 1" >&2; exit 2; }

say() { echo "build bench: $*" >&2; }
die() { say "$*"; exit 1; }

RUN_BIN=${RUN_BIN:-$root/build/run}
[ -x "$RUN_BIN" ] || die "no run binary at $RUN_BIN (ninja -C build run, or set RUN_BIN)"
timeout 10 docker info >/dev/null 2>&1 || die "no Docker daemon answers (scripts/setup.sh starts one)"
bash "$root/scripts/make-images.sh"  # run-demo/busybox; quiet when it exists
compose_bin=$(bash "$root/bench/compose_v2.sh")
base_image_id=$(docker image inspect -f '{{.Id}}' run-demo/busybox:latest)

work=$(mktemp -d)  # outside any git repository: run keeps its history in <project>/.run
run_dir=$work/run
compose_dir=$work/compose
run_project=benchbuild$$
compose_project=benchbuild$$c
samples=$work/samples
log=$work/log
images_seen=$work/images  # every image id either tool ran, with its parents: removed at the end
: >"$samples"
: >"$images_seen"

# The classic builder, as run uses it: compose v2 would otherwise build with BuildKit.
compose() { DOCKER_BUILDKIT=0 "$compose_bin" --project-directory "$compose_dir" -p "$compose_project" -f "$compose_dir/compose.yaml" "$@"; }
run_cli() { "$RUN_BIN" -C "$run_dir" "$@"; }
run_container() { echo "$run_project-dev-$1-1"; }
compose_container() { echo "$compose_project-$1-1"; }

# ---- the same project for both tools ------------------------------------------------------

# write_sources DIR TOOL: the two contexts. TOOL is in every copied file, so that neither
# tool's build can reuse the layers the other's left in the daemon's build cache.
write_sources() {
  local dir=$1 tool=$2
  mkdir -p "$dir/app/lib" "$dir/worker"
  printf 'FROM run-demo/busybox\nCOPY server.sh config.txt /app/\nCOPY lib /app/lib\nRUN cat /app/config.txt > /app/version\n' >"$dir/app/Dockerfile"
  printf '#!/bin/sh\n# %s\nexec sleep 100000\n' "$tool" >"$dir/app/server.sh"
  printf 'log() { echo "$*"; }  # %s\n' "$tool" >"$dir/app/lib/log.sh"
  echo "value=$tool-0" >"$dir/app/config.txt"
  printf '*.md\n' >"$dir/app/.dockerignore"
  echo "notes, not sent" >"$dir/app/NOTES.md"
  printf 'FROM run-demo/busybox\nCOPY work.sh config.txt /worker/\nRUN cat /worker/config.txt > /worker/version\n' >"$dir/worker/Dockerfile"
  printf '#!/bin/sh\n# %s\nexec sleep 100000\n' "$tool" >"$dir/worker/work.sh"
  echo "worker=$tool" >"$dir/worker/config.txt"
}

write_projects() {
  write_sources "$run_dir" run
  cat >"$run_dir/run-config.yaml" <<YAML
version: "2"
project: $run_project
services:
  app:
    build: { context: app }
    init: true
    command: ["sleep", "100000"]
  worker:
    build: { context: worker }
    init: true
    command: ["sleep", "100000"]
environments:
  dev: {}
YAML
  write_sources "$compose_dir" compose
  cat >"$compose_dir/compose.yaml" <<'YAML'
services:
  app:
    build: { context: ./app }
    init: true
    command: ["sleep", "100000"]
  worker:
    build: { context: ./worker }
    init: true
    command: ["sleep", "100000"]
YAML
}

# ---- keeping track, and cleaning up --------------------------------------------------------

# remember_images CONTAINER...: the image each container runs and its parents (the classic
# builder's intermediate images), down to the base image. `down --rmi local` removes the tag but
# not the parents, and a rebuilt image leaves the previous one untagged: both are removed at
# the end from this list, and only what is on it.
remember_images() {
  local container id
  for container in "$@"; do
    id=$(docker inspect -f '{{.Image}}' "$container" 2>/dev/null) || continue
    while [ -n "$id" ] && [ "$id" != "$base_image_id" ]; do
      echo "$id" >>"$images_seen"
      id=$(docker image inspect -f '{{.Parent}}' "$id" 2>/dev/null) || break
    done
  done
}

remove_images_seen() {
  local id _
  for _ in 1 2 3; do  # a parent goes once its children have
    tac "$images_seen" | awk '!seen[$0]++' | while read -r id; do
      if docker image inspect "$id" >/dev/null 2>&1; then docker rmi "$id" >/dev/null 2>&1 || true; fi
    done
  done
}

teardown_run() {
  run_cli destroy --auto-approve --progress plain >>"$log" 2>&1 || true
  docker ps -aq --filter "label=run.project=$run_project" | xargs -r docker rm -f >/dev/null 2>&1 || true
  docker network ls -q --filter "label=run.project=$run_project" | xargs -r docker network rm >/dev/null 2>&1 || true
  docker images -q --filter "label=run.project=$run_project" | sort -u | xargs -r docker rmi -f >/dev/null 2>&1 || true
}

teardown_compose() {
  compose down --rmi local --remove-orphans >>"$log" 2>&1 || true
  docker ps -aq --filter "label=com.docker.compose.project=$compose_project" | xargs -r docker rm -f >/dev/null 2>&1 || true
  docker network rm "${compose_project}_default" >/dev/null 2>&1 || true
  docker images -q --filter "label=com.docker.compose.project=$compose_project" | sort -u | xargs -r docker rmi -f >/dev/null 2>&1 || true
}

# Nothing of either project on the daemon: no container, no network, no image.
teardown_both() {
  teardown_run
  teardown_compose
  remove_images_seen
}

cleanup() {
  local code=$?
  if [ "$code" != 0 ] && [ -s "$log" ]; then
    say "the last lines the tools printed:"
    tail -n 30 "$log" >&2
  fi
  teardown_both
  local left
  left=$(docker ps -aq --filter "label=run.project=$run_project"; docker ps -aq --filter "label=com.docker.compose.project=$compose_project"
    docker images -q --filter "label=run.project=$run_project"; docker images -q "$compose_project-*")
  [ -z "$left" ] || say "left behind on the daemon: $left"
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- measuring -----------------------------------------------------------------------------

now_us() { echo "${EPOCHREALTIME//[.,]/}"; }  # microseconds, without a process of its own

# measure STEP TOOL ROUND COMMAND...: runs COMMAND (its output to the log) and appends
# "STEP TOOL ROUND wall_ms" to the samples; a failing command ends the bench.
measure() {
  local step=$1 tool=$2 round=$3
  shift 3
  local start end
  echo "=== $step $tool $round: $*" >>"$log"
  start=$(now_us)
  "$@" >>"$log" 2>&1 || die "$tool failed at '$step' (round $round)"
  end=$(now_us)
  echo "$step $tool $round $(((end - start) / 1000))" >>"$samples"
}

# Both services running, from what the tool was last given.
check_running() {
  local tool=$1 name state
  for name in app worker; do
    if [ "$tool" = run ]; then name=$(run_container "$name"); else name=$(compose_container "$name"); fi
    state=$(docker inspect -f '{{.State.Running}}' "$name" 2>/dev/null) || die "$tool: no container $name"
    [ "$state" = true ] || die "$tool: $name is not running"
  done
}

# check_value TOOL VALUE: app's container runs an image built from config.txt holding VALUE.
check_value() {
  local tool=$1 value=$2 container
  if [ "$tool" = run ]; then container=$(run_container app); else container=$(compose_container app); fi
  [ "$(docker exec "$container" cat /app/version)" = "$value" ] ||
    die "$tool: $container does not run the image with $value"
}

container_ids() {
  if [ "$1" = run ]; then
    docker inspect -f '{{.Id}}' "$(run_container app)" "$(run_container worker)"
  else
    docker inspect -f '{{.Id}}' "$(compose_container app)" "$(compose_container worker)"
  fi
}

after_step() {  # check_running, then note the images the containers now run
  check_running "$1"
  if [ "$1" = run ]; then
    remember_images "$(run_container app)" "$(run_container worker)"
  else
    remember_images "$(compose_container app)" "$(compose_container worker)"
  fi
}

step_cold() {
  local tool=$1 round=$2
  if [ "$tool" = run ]; then
    measure cold run "$round" run_cli apply --auto-approve --progress plain
  else
    measure cold compose "$round" compose up -d --build
  fi
  after_step "$tool"
  check_value "$tool" "value=$tool-0"
}

step_noop() {
  local tool=$1 round=$2 before
  before=$(container_ids "$tool")
  if [ "$tool" = run ]; then
    measure noop run "$round" run_cli apply --auto-approve --progress plain
    run_cli plan --detailed-exitcode >>"$log" 2>&1 || die "run: the no-op apply left changes to plan"
  else
    measure noop compose "$round" compose up -d --build
  fi
  [ "$(container_ids "$tool")" = "$before" ] || die "$tool: the no-op replaced a container"
  check_running "$tool"
}

step_change() {
  local tool=$1 round=$2 dir worker_before
  if [ "$tool" = run ]; then dir=$run_dir; else dir=$compose_dir; fi
  worker_before=$(container_ids "$tool" | tail -n 1)
  echo "value=$tool-$round" >"$dir/app/config.txt"  # a new value each round: a real rebuild
  if [ "$tool" = run ]; then
    measure change run "$round" run_cli apply --auto-approve --progress plain
  else
    measure change compose "$round" compose up -d --build
  fi
  after_step "$tool"
  check_value "$tool" "value=$tool-$round"
  [ "$(container_ids "$tool" | tail -n 1)" = "$worker_before" ] || die "$tool: the change replaced worker"
}

# alternate STEP ROUND: both tools, run first in odd rounds and compose first in even ones.
alternate() {
  local step=$1 round=$2
  if [ $((round % 2)) = 1 ]; then
    "step_$step" run "$round"
    "step_$step" compose "$round"
  else
    "step_$step" compose "$round"
    "step_$step" run "$round"
  fi
}

mkdir -p "$run_dir" "$compose_dir"
write_projects
say "run: $("$RUN_BIN" version | head -n 1); compose: $("$compose_bin" version --short) (DOCKER_BUILDKIT=0)"

for round in $(seq 1 "$cold_runs"); do
  say "cold, round $round of $cold_runs"
  teardown_both
  for file in "$run_dir" "$compose_dir"; do  # every cold round builds the same sources
    [ "$file" = "$run_dir" ] && tool=run || tool=compose
    echo "value=$tool-0" >"$file/app/config.txt"
  done
  alternate cold "$round"
done

say "no-op, $runs rounds (after one untimed no-op each)"
step_noop run 0
step_noop compose 0
sed -i '/^noop [a-z]* 0 /d' "$samples"
for round in $(seq 1 "$runs"); do alternate noop "$round"; done

say "one file of app changed, $runs rounds"
for round in $(seq 1 "$runs"); do alternate change "$round"; done

# ---- the table ------------------------------------------------------------------------------

median() {  # median STEP TOOL: the median wall ms (the lower middle of an even count)
  awk -v step="$1" -v tool="$2" '$1 == step && $2 == tool { print $4 }' "$samples" | sort -n |
    awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}
range() {
  awk -v step="$1" -v tool="$2" '$1 == step && $2 == tool { print $4 }' "$samples" | sort -n |
    awk '{ v[NR] = $1 } END { printf "%s-%s", v[1], v[NR] }'
}
row() {  # row STEP LABEL COUNT
  local r c
  r=$(median "$1" run) c=$(median "$1" compose)
  awk -v label="$2" -v r="$r" -v c="$c" -v rr="$(range "$1" run)" -v cr="$(range "$1" compose)" \
    'BEGIN { printf "| %s | %d (%s) | %d (%s) | %.1fx |\n", label, r, rr, c, cr, (r > 0 ? c / r : 0) }'
}

{
  echo "### Builds: run vs docker compose v2, 2 built services"
  echo
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, Docker $(docker version --format '{{.Server.Version}}')" \
    "($(docker info --format '{{.Driver}}') storage driver), docker compose $("$compose_bin" version --short)" \
    "with DOCKER_BUILDKIT=0 (the classic builder), run $("$RUN_BIN" version 2>/dev/null | head -n 1 | awk '{ print $NF }')."
  echo
  echo "| row | run ms (min-max) | compose ms (min-max) | ratio compose / run |"
  echo "|---|---:|---:|---:|"
  row cold "cold: nothing -> 2 images built, 2 containers running (median of $cold_runs)"
  row noop "no-op: \`run apply\` vs \`up -d --build\` (median of $runs)"
  row change "one file of app changed: edit -> new app container running (median of $runs)"
  echo
  awk -v r="$(median noop run)" -v c="$(median noop compose)" 'BEGIN {
    q = (r > 0 ? c / r : 0)
    printf "Goal, a no-op at least 10x faster than compose'\''s: %.1fx, %s.\n", q, (q >= 10 ? "met" : "**missed**") }'
} | if [ -n "$out" ]; then tee "$out"; else cat; fi
if [ -n "$out" ]; then cp "$samples" "$out.samples"; fi
