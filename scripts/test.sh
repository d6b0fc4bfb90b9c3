#!/usr/bin/env bash
# The README's test command: sets the machine up, builds run and its tests, and runs the
# whole suite with ctest (unit tests, end-to-end scripts against the built binary, and a
# bounded fuzzing run of the loader when clang is installed).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh --for-tests
bash scripts/build.sh
ctest --test-dir build --output-on-failure -j 2
