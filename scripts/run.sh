#!/usr/bin/env bash
# Runs Rekey locally on the embedded defaults (SQLite + outbox in
# rekey-data/). First run: installs tools, builds, seeds a demo directory.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$REKEY_ROOT"
./scripts/setup.sh
./scripts/build-frontend.sh
# The demo directory (three admins, 60 users) on a first run; the bare
# binary creates only the first global admin.
REKEY_SEED_DEMO=${REKEY_SEED_DEMO:-true} exec cargo run --release -p rekey-function
