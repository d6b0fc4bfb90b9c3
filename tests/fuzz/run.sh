#!/usr/bin/env bash
# Builds each libFuzzer target of tests/fuzz (NAME_fuzz.cpp -> fuzz_NAME) with clang, in its own
# build directory, and fuzzes each for a bounded time from its seed corpus
# (tests/fuzz/corpus/NAME/), as many at a time as there are cores. Run by ctest when clang is
# installed.
#   RUN_FUZZ_SECONDS   seconds per target (default 20: with the clean build, the whole step of
#                      about 8 targets stays near five minutes on 2 cores; HACKING.md has the
#                      figures)
#   RUN_FUZZ_TARGETS   the targets to run, space-separated (default: all)
#   RUN_FUZZ_JOBS      targets fuzzed at a time (default: the number of cores)
# A crashing input is kept in $build_dir/artifacts/ and its bytes are printed; add it to the
# target's corpus once fixed.
set -euo pipefail
source_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build_dir=${RUN_FUZZ_BUILD_DIR:-$source_dir/build-fuzz}
seconds=${RUN_FUZZ_SECONDS:-20}
jobs=${RUN_FUZZ_JOBS:-$(nproc)}
targets=${RUN_FUZZ_TARGETS:-$(cd "$source_dir/tests/fuzz" && ls *_fuzz.cpp | sed 's/_fuzz\.cpp$//' | tr '\n' ' ')}
# Configured each time (a second when nothing changed), so a directory made by an older run.sh
# takes the Fuzz build type too.
CXX=clang++ cmake -S "$source_dir" -B "$build_dir" -G Ninja -DRUN_FUZZ=ON -DCMAKE_BUILD_TYPE=Fuzz >/dev/null
mkdir -p "$build_dir/artifacts"
# shellcheck disable=SC2046 # the targets, split
cmake --build "$build_dir" --target $(printf 'fuzz_%s ' $targets) >/dev/null

# Fuzzes one target; its log is $build_dir/fuzz_NAME.log. Fails, printing the crash, when the
# fuzzer found one.
fuzz_one() {
  local target=$1 corpus log
  corpus=$(mktemp -d)
  cp "$source_dir/tests/fuzz/corpus/$target"/* "$corpus/"
  log="$build_dir/fuzz_$target.log"
  # -rss_limit_mb catches unbounded allocation; -timeout catches a hang on one input.
  if ! "$build_dir/fuzz_$target" "$corpus" -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 \
    -max_len=65536 -print_final_stats=1 -artifact_prefix="$build_dir/artifacts/$target-" >"$log" 2>&1; then
    rm -rf "$corpus"
    echo "fuzz: $target failed" >&2
    grep -A20 -E "ERROR|Test unit written" "$log" >&2
    return 1
  fi
  rm -rf "$corpus"
  echo "fuzz_$target: $(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}') executions, peak RSS $(grep -E '^stat::peak_rss_mb' "$log" | awk '{print $2}') MB"
}

failed=0
running=0
for target in $targets; do
  if [ "$running" -ge "$jobs" ]; then
    wait -n || failed=1
    running=$((running - 1))
  fi
  fuzz_one "$target" &
  running=$((running + 1))
done
while [ "$running" -gt 0 ]; do
  wait -n || failed=1
  running=$((running - 1))
done
exit "$failed"
