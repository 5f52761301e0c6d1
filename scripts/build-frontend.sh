#!/usr/bin/env bash
# Builds the admin app into dist/ with Trunk, offline, release mode.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$REKEY_ROOT"
# Size-first settings for the wasm only; the function's native release
# build keeps the workspace's release profile, and everything else (tests,
# clippy, the component tests) builds with stable.
# - erase_components type-erases Leptos components;
# - the pinned nightly rebuilds std with panics as an immediate abort and
#   without panic locations or Debug output. That drops the panic and
#   formatting machinery: about 9% less brotli (see README).
# A panic in the release app still stops it; only its console message goes.
RUSTUP_TOOLCHAIN="$REKEY_WASM_TOOLCHAIN" \
  CARGO_PROFILE_RELEASE_OPT_LEVEL=z \
  CARGO_UNSTABLE_BUILD_STD=std,panic_abort \
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="--cfg erase_components -Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none" \
  trunk build --release --offline "$@"
# Brotli and gzip copies beside each file, served by Accept-Encoding.
./scripts/precompress.sh
