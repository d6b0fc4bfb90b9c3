#!/usr/bin/env bash
# The README's main job: sets the machine up, builds run, and runs it on the demo project
# in this repository (the trading signal processor of run-config.yaml).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
bash scripts/build.sh >/dev/null
# The demo's database password: a secret, kept out of git (.run/ is ignored).
if [ ! -f .run/secrets/dev.env ]; then
  mkdir -p .run/secrets
  echo "DB_PASSWORD=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')" >.run/secrets/dev.env
  chmod 600 .run/secrets/dev.env
fi
set -x
./build/run validate
./build/run render --env production
./build/run plan
