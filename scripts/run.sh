#!/usr/bin/env bash
# Runs Rekey locally on the embedded defaults (SQLite + outbox in
# rekey-data/). First run: installs tools, builds, seeds a demo directory.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$REKEY_ROOT"
./scripts/setup.sh
./scripts/build-frontend.sh
exec cargo run --release -p rekey-function
