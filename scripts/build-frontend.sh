#!/usr/bin/env bash
# Builds the admin app into dist/ with Trunk, offline, release mode.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$REKEY_ROOT"
# Size-first settings for the wasm only; the function's native release
# build keeps the workspace's release profile.
CARGO_PROFILE_RELEASE_OPT_LEVEL=z CARGO_PROFILE_RELEASE_PANIC=abort \
  trunk build --release --offline "$@"
