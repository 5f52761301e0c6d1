#!/usr/bin/env bash
# Builds the admin app into dist/ with Trunk, offline, release mode.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$REKEY_ROOT"
# Size-first settings for the wasm only; the function's native release
# build keeps the workspace's release profile.
# erase_components type-erases Leptos components: ~8% less wasm.
CARGO_PROFILE_RELEASE_OPT_LEVEL=z CARGO_PROFILE_RELEASE_PANIC=abort \
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="--cfg erase_components" \
  trunk build --release --offline "$@"
