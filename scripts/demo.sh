#!/usr/bin/env bash
# The README's main job: sets the machine up, builds run, and runs it on the demo project
# in this repository (the trading signal processor of run-config.yaml).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
bash scripts/build.sh >/dev/null
set -x
./build/run validate
./build/run render --env production
