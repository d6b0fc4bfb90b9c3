#!/usr/bin/env bash
# The README's main job: sets the machine up, builds run, and deploys the demo project in
# this repository (the trading signal processor of run-config.yaml) to `dev` on the local
# Docker daemon, then shows its status. Run it again: the second apply has nothing to do.
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
./build/run apply --env dev --auto-approve
./build/run status --env dev
