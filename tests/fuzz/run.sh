#!/usr/bin/env bash
# Builds the loader's libFuzzer target with clang (in build-fuzz/) and fuzzes it for a
# bounded time, starting from the seed corpus. Run by ctest when clang is installed.
set -euo pipefail
source_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build_dir=${RUN_FUZZ_BUILD_DIR:-$source_dir/build-fuzz}
seconds=${RUN_FUZZ_SECONDS:-60}
if [ ! -f "$build_dir/build.ninja" ]; then
  CXX=clang++ cmake -S "$source_dir" -B "$build_dir" -G Ninja -DRUN_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
cmake --build "$build_dir" --target fuzz_loader >/dev/null
corpus=$(mktemp -d)
trap 'rm -rf "$corpus"' EXIT
cp "$source_dir"/tests/fuzz/corpus/* "$corpus/"
# -rss_limit_mb catches unbounded allocation; -timeout catches a hang on one input.
# A crashing input is kept in $build_dir/artifacts/ and its bytes are printed.
mkdir -p "$build_dir/artifacts"
"$build_dir/fuzz_loader" "$corpus" -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 \
  -max_len=65536 -print_final_stats=1 -artifact_prefix="$build_dir/artifacts/" >"$build_dir/fuzz.log" 2>&1 || {
  grep -A20 -E "ERROR|Test unit written" "$build_dir/fuzz.log" >&2
  exit 1
}
grep -E "^stat::(number_of_executed_units|peak_rss_mb)|^Done" "$build_dir/fuzz.log" || true
