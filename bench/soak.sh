#!/usr/bin/env bash
# A soak of `run reconcile`: one loop follows a branch of a local remote for many ticks at a
# short interval, while drift is injected every 50 ticks (a container stopped, given another
# memory limit, or removed) and the configuration changes every 200; every drift must be
# healed and every change rolled out. It samples the loop's resident memory (VmRSS) and open
# file descriptors (/proc/PID/fd) as it goes, and prints the figures. A benchmark, not a test:
# it fails only when a drift is not healed, a change is not rolled out, or the loop stalls.
#
#   bash bench/soak.sh [--ticks 2000] [--interval 150ms] [--services 3] [--drift-every 50]
#                      [--change-every 200] [--sample-every 20] [--warmup TICKS] [--out FILE]
#
# --warmup: the tick whose sample is the baseline of the memory growth (default ticks/10).
# --out FILE: every sample too (tick rss_kib fds children), one line each.
# RUN_BIN names the binary (default build/run, built when missing). Needs the Docker daemon and
# the local image run-demo/busybox:latest (scripts/setup.sh). Leaves nothing running.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

ticks=2000
interval=150ms
services=3
drift_every=50
change_every=200
sample_every=20
warmup=
out=
while [ $# -gt 0 ]; do
  case $1 in
    --ticks) ticks=$2; shift ;;
    --interval) interval=$2; shift ;;
    --services) services=$2; shift ;;
    --drift-every) drift_every=$2; shift ;;
    --change-every) change_every=$2; shift ;;
    --sample-every) sample_every=$2; shift ;;
    --warmup) warmup=$2; shift ;;
    --out) out=$2; shift ;;
    *) echo "usage: bash bench/soak.sh [--ticks N] [--interval 150ms] [--services N] [--drift-every N] [--change-every N] [--sample-every N] [--warmup N] [--out FILE]" >&2; exit 2 ;;
  esac
  shift
done
for count in "$ticks" "$services" "$drift_every" "$change_every" "$sample_every" ${warmup:+"$warmup"}; do
  [[ $count =~ ^[1-9][0-9]*$ ]] || { echo "soak: counts are whole numbers of at least 1, not '$count'" >&2; exit 2; }
done
warmup=${warmup:-$(((ticks + 9) / 10))}

say() { echo "soak: $*" >&2; }
die() { say "FAILED: $*"; [ -f "${work:-}/loop.log" ] && tail -n 30 "$work/loop.log" >&2; exit 1; }

if [ -z "${RUN_BIN:-}" ]; then
  RUN_BIN=$root/build/run
  if [ ! -x "$RUN_BIN" ]; then
    say "building run in $root/build"
    [ -f "$root/build/CMakeCache.txt" ] || cmake -S "$root" -B "$root/build" -G Ninja >/dev/null
    cmake --build "$root/build" --target run >/dev/null
  fi
fi
timeout 10 docker info >/dev/null 2>&1 || die "no Docker daemon answers (scripts/setup.sh starts one)"
docker image inspect run-demo/busybox:latest >/dev/null 2>&1 || die "no image run-demo/busybox:latest (scripts/setup.sh makes it)"

work=$(mktemp -d /tmp/run-soak.XXXXXX)
project=soak$$
loop_pid=
cleanup() {
  [ -n "$loop_pid" ] && kill -TERM "$loop_pid" 2>/dev/null && wait "$loop_pid" 2>/dev/null
  docker ps -aq --filter "label=run.project=$project" | xargs -r docker rm -f >/dev/null 2>&1 || true
  docker network ls -q --filter "label=run.project=$project" | xargs -r docker network rm >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# ---- the project: N busybox services in a clone of a local bare remote --------------------

releases=()
for i in $(seq 1 "$services"); do releases+=(0); done

# write_config DIR: run-config.yaml of services s1..sN, each with its release in its env and
# a 64 MiB memory limit (so a changed limit is drift the loop heals in place).
write_config() {
  local i
  {
    printf 'version: "2"\nproject: %s\ndefault_environment: soak\nservices:\n' "$project"
    for i in $(seq 1 "$services"); do
      printf '  s%d:\n    image: run-demo/busybox:latest\n    init: true\n' "$i"
      printf '    command: ["sleep", "100000"]\n    resources: { memory: 64M }\n'
      printf '    env: { RELEASE: "%s" }\n' "${releases[$((i - 1))]}"
    done
    printf 'environments:\n  soak: {}\n'
  } >"$1/run-config.yaml"
}

git_quiet() { git -c user.name=soak -c user.email=soak@example.com "$@" >/dev/null 2>&1; }

git init -q --bare "$work/remote.git"
git -C "$work/remote.git" symbolic-ref HEAD refs/heads/main
git init -q -b main "$work/loop"
git -C "$work/loop" remote add origin "$work/remote.git"
write_config "$work/loop"
git_quiet -C "$work/loop" add -A
git_quiet -C "$work/loop" commit -m "release 0"
git_quiet -C "$work/loop" push origin main
git clone -q "$work/remote.git" "$work/editor"

# ---- the loop and what is read of it -------------------------------------------------------

(cd "$work/loop" && exec "$RUN_BIN" reconcile --remote origin --branch main --interval "$interval" \
  --listen 127.0.0.1:0 >"$work/loop.out" 2>"$work/loop.log") &
loop_pid=$!
started_at=$(date +%s%N)

tick_count() { grep -cE ': (in sync|applied |failed: |skipped: )' "$work/loop.log" || true; }
rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$loop_pid/status"; }
fd_count() { find "/proc/$loop_pid/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l; }
child_count() { pgrep -P "$loop_pid" | wc -l || true; }
container() { echo "$project-soak-s$1-1"; }
running() { [ "$(docker inspect -f '{{.State.Running}}' "$1" 2>/dev/null)" = true ]; }
memory_of() { docker inspect -f '{{.HostConfig.Memory}}' "$1" 2>/dev/null; }
release_of() {
  docker inspect -f '{{range .Config.Env}}{{println .}}{{end}}' "$1" 2>/dev/null | sed -n 's/^RELEASE=//p'
}

# wait_for SECONDS WHAT COMMAND...: polls COMMAND until it succeeds; dies after SECONDS.
wait_for() {
  local limit=$1 what=$2 deadline=$((SECONDS + $1))
  shift 2
  until "$@"; do
    [ "$SECONDS" -lt "$deadline" ] || die "$what within $limit s"
    kill -0 "$loop_pid" 2>/dev/null || die "the loop ended"
    sleep 0.05
  done
}

samples=()
sample() {
  local tick
  tick=$(tick_count)
  samples+=("$tick $(rss_kib) $(fd_count) $(child_count)")
}

# ---- drift and changes ---------------------------------------------------------------------

injected=0
healed=0
heal_ticks=()
changed=0
rolled_out=0
rollout_ticks=()

healthy() {
  local name=$1
  running "$name" && [ "$(memory_of "$name")" = 67108864 ]
}

# inject_drift: the next kind of drift (stop, memory limit, remove) on the next service, then
# waits for the loop to heal it.
inject_drift() {
  local service=$((injected % services + 1)) kind=$((injected % 3)) name before
  name=$(container "$service")
  before=$(tick_count)
  case $kind in
    0) docker stop -t 1 "$name" >/dev/null ;;
    1) docker update --memory 96m --memory-swap 96m "$name" >/dev/null ;;
    2) docker rm -f "$name" >/dev/null ;;
  esac
  injected=$((injected + 1))
  wait_for 60 "drift $injected ($kind on $name) was not healed" healthy "$name"
  healed=$((healed + 1))
  heal_ticks+=($(($(tick_count) - before)))
}

rolled() { [ "$(release_of "$1")" = "$2" ] && running "$1"; }

# change_config: the next release of the next service, committed and pushed from another
# clone; waits for the loop to roll it out.
change_config() {
  local service=$((changed % services + 1)) name before
  changed=$((changed + 1))
  releases[$((service - 1))]=$changed
  write_config "$work/editor"
  git_quiet -C "$work/editor" commit -am "s$service release $changed"
  git_quiet -C "$work/editor" push origin main
  name=$(container "$service")
  before=$(tick_count)
  wait_for 60 "release $changed of s$service was not rolled out" rolled "$name" "$changed"
  rolled_out=$((rolled_out + 1))
  rollout_ticks+=($(($(tick_count) - before)))
}

# ---- the soak --------------------------------------------------------------------------------

first_deploy() { for i in $(seq 1 "$services"); do healthy "$(container "$i")" || return 1; done; }
wait_for 120 "the first deployment did not come up" first_deploy
say "deployed $services services; soaking for $ticks ticks at --interval $interval"

next_sample=0
next_drift=$drift_every
next_change=$change_every
next_report=$(((ticks + 9) / 10))
last_tick=0
last_progress=$SECONDS
while true; do
  tick=$(tick_count)
  [ "$tick" -ge "$ticks" ] && break
  kill -0 "$loop_pid" 2>/dev/null || die "the loop ended after $tick ticks"
  if [ "$tick" -ne "$last_tick" ]; then last_tick=$tick last_progress=$SECONDS; fi
  [ $((SECONDS - last_progress)) -lt 60 ] || die "no tick for 60 s after tick $tick"
  if [ "$tick" -ge "$next_sample" ]; then
    sample
    next_sample=$((next_sample + sample_every))
  fi
  if [ "$tick" -ge "$next_drift" ]; then
    inject_drift
    next_drift=$((next_drift + drift_every))
  fi
  if [ "$tick" -ge "$next_change" ]; then
    change_config
    next_change=$((next_change + change_every))
  fi
  if [ "$tick" -ge "$next_report" ]; then
    say "tick $tick: rss $(rss_kib) KiB, $(fd_count) fds, $injected drifts, $changed changes"
    next_report=$((next_report + (ticks + 9) / 10))
  fi
  sleep 0.05
done
sample
wall_ms=$((($(date +%s%N) - started_at) / 1000000))
failures=$(grep -cE ': failed: ' "$work/loop.log" || true)

stop_started=$(date +%s%N)
kill -TERM "$loop_pid"
stop_code=0
wait "$loop_pid" || stop_code=$?
stop_ms=$((($(date +%s%N) - stop_started) / 1000000))
loop_pid=

# ---- the figures -----------------------------------------------------------------------------

[ -n "$out" ] && printf '%s\n' "tick rss_kib fds children" "${samples[@]}" >"$out"
printf '%s\n' "${samples[@]}" | awk -v warmup="$warmup" -v ticks="$ticks" -v interval="$interval" \
  -v wall_ms="$wall_ms" -v injected="$injected" -v healed="$healed" -v changed="$changed" \
  -v rolled="$rolled_out" -v failures="$failures" -v stop_ms="$stop_ms" -v stop_code="$stop_code" \
  -v heal="${heal_ticks[*]:-}" -v rollout="${rollout_ticks[*]:-}" '
  function worst(list,   n, parts, i, m) { n = split(list, parts, " "); m = 0
    for (i = 1; i <= n; i++) if (parts[i] + 0 > m) m = parts[i] + 0; return m }
  function mean(list,   n, parts, i, s) { n = split(list, parts, " "); if (n == 0) return 0
    for (i = 1; i <= n; i++) s += parts[i]; return s / n }
  { tick[NR] = $1; rss[NR] = $2; fds[NR] = $3; children[NR] = $4 }
  END {
    base = 0
    for (i = 1; i <= NR; i++) if (tick[i] >= warmup) { base = i; break }
    if (base == 0) base = NR
    fmin = fds[2]; fmax = fds[2]; rmax = rss[base]
    for (i = 2; i <= NR; i++) { if (fds[i] < fmin) fmin = fds[i]; if (fds[i] > fmax) fmax = fds[i] }
    for (i = base; i <= NR; i++) if (rss[i] > rmax) rmax = rss[i]
    printf "| figure | value |\n|---|---|\n"
    printf "| ticks | %d at --interval %s (%d tick lines failed) |\n", tick[NR], interval, failures
    printf "| wall time | %.1f s (%.1f ticks/s) |\n", wall_ms / 1000, tick[NR] * 1000 / wall_ms
    printf "| RSS at tick %d (after warm-up) | %d KiB |\n", tick[base], rss[base]
    printf "| RSS at the end (tick %d) | %d KiB |\n", tick[NR], rss[NR]
    printf "| RSS growth after warm-up | %+d KiB (highest sample %d KiB) |\n", rss[NR] - rss[base], rmax
    printf "| RSS at the first sample (tick %d) | %d KiB |\n", tick[1], rss[1]
    half = int((NR + 1) / 2); h1 = 0; h2 = 0
    for (i = 2; i <= NR; i++) { if (i <= half && fds[i] > h1) h1 = fds[i]; if (i > half && fds[i] > h2) h2 = fds[i] }
    printf "| open fds (after the first tick) | min %d, max %d (max in the first half %d, in the second %d) |\n", fmin, fmax, h1, h2
    printf "| drifts healed / injected | %d / %d (ticks to heal: mean %.1f, worst %d) |\n", healed, injected, mean(heal), worst(heal)
    printf "| config changes rolled out | %d / %d (ticks to roll out: mean %.1f, worst %d) |\n", rolled, changed, mean(rollout), worst(rollout)
    printf "| SIGTERM to exit | %d ms (exit %d) |\n", stop_ms, stop_code
    printf "| samples | %d, every %s ticks; children of the loop at most %d |\n", NR, "'"$sample_every"'", worst_children()
  }
  function worst_children(   i, m) { m = 0; for (i = 1; i <= NR; i++) if (children[i] > m) m = children[i]; return m }'
[ "$healed" -eq "$injected" ] && [ "$rolled_out" -eq "$changed" ] || die "not every drift was healed or change rolled out"
