#!/usr/bin/env bash
# Builds each libFuzzer target of tests/fuzz (NAME_fuzz.cpp -> fuzz_NAME) with clang, in its own
# build directory, and fuzzes each for a bounded time from its seed corpus
# (tests/fuzz/corpus/NAME/). Run by ctest when clang is installed.
#   RUN_FUZZ_SECONDS   seconds per target (default 30)
#   RUN_FUZZ_TARGETS   the targets to run, space-separated (default: all)
# A crashing input is kept in $build_dir/artifacts/ and its bytes are printed; add it to the
# target's corpus once fixed.
set -euo pipefail
source_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build_dir=${RUN_FUZZ_BUILD_DIR:-$source_dir/build-fuzz}
seconds=${RUN_FUZZ_SECONDS:-30}
targets=${RUN_FUZZ_TARGETS:-$(cd "$source_dir/tests/fuzz" && ls *_fuzz.cpp | sed 's/_fuzz\.cpp$//' | tr '\n' ' ')}
# Configured each time (a second when nothing changed), so a directory made by an older run.sh
# takes the Fuzz build type too.
CXX=clang++ cmake -S "$source_dir" -B "$build_dir" -G Ninja -DRUN_FUZZ=ON -DCMAKE_BUILD_TYPE=Fuzz >/dev/null
mkdir -p "$build_dir/artifacts"
for target in $targets; do
  cmake --build "$build_dir" --target "fuzz_$target" >/dev/null
  corpus=$(mktemp -d)
  cp "$source_dir/tests/fuzz/corpus/$target"/* "$corpus/"
  # -rss_limit_mb catches unbounded allocation; -timeout catches a hang on one input.
  log="$build_dir/fuzz_$target.log"
  if ! "$build_dir/fuzz_$target" "$corpus" -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 \
    -max_len=65536 -print_final_stats=1 -artifact_prefix="$build_dir/artifacts/$target-" >"$log" 2>&1; then
    rm -rf "$corpus"
    echo "fuzz: $target failed" >&2
    grep -A20 -E "ERROR|Test unit written" "$log" >&2
    exit 1
  fi
  rm -rf "$corpus"
  echo "fuzz_$target: $(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}') executions, peak RSS $(grep -E '^stat::peak_rss_mb' "$log" | awk '{print $2}') MB"
done
