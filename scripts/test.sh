#!/usr/bin/env bash
# The README's test command: sets the machine up, checks the formatting, builds run and its
# tests, and runs the whole suite with ctest (unit tests, end-to-end scripts against the built
# binary, and a bounded fuzzing run of the loader when clang is installed).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh --for-tests
# Formatting is part of the suite: any file clang-format would change fails it (.clang-format).
if ! clang-format --dry-run --Werror $(git ls-files '*.cpp' '*.h'); then
  echo "test: formatting differs from .clang-format; run: clang-format -i \$(git ls-files '*.cpp' '*.h')" >&2
  exit 1
fi
bash scripts/build.sh
ctest --test-dir build --output-on-failure -j 2
