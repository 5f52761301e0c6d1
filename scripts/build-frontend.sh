#!/usr/bin/env bash
# Builds the three apps with Trunk, offline, release mode: the sign-in into
# dist/ (served at /), the account app into dist/account/ (at /account/),
# then the admin center, one build per language, into dist/admin/en/ and
# dist/admin/nl/ (its page at /admin/). The sign-in first: Trunk replaces
# its whole dist directory.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$REKEY_ROOT"
# Size-first settings for the wasm only; the function's native release
# build keeps the workspace's release profile, and everything else (tests,
# clippy, the component tests) builds with stable.
# - erase_components type-erases Leptos components;
# - the pinned nightly rebuilds std with panics as an immediate abort and
#   without panic locations or Debug output. That drops the panic and
#   formatting machinery: about 9% less brotli (see README); std's
#   `optimize_for_size` (its smaller sorts and the like) 0.2% more.
# A panic in the release app still stops it; only its console message goes.
export RUSTUP_TOOLCHAIN="$REKEY_WASM_TOOLCHAIN" \
  CARGO_PROFILE_RELEASE_OPT_LEVEL=z \
  CARGO_UNSTABLE_BUILD_STD=std,panic_abort \
  CARGO_UNSTABLE_BUILD_STD_FEATURES=optimize_for_size \
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="--cfg erase_components -Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none"
trunk build frontend/index.html --release --offline "$@"
trunk build frontend/account/index.html --dist dist/account --public-url /account/ --release --offline "$@"
# The admin center, once per language (each build's wasm carries its own
# language's words alone: admin-page.sh writes the page that picks one),
# each split into chunks (split-admin.sh): built with its split points on
# and the relocations wasm-split reads, in a target directory of its own so
# the other apps' builds stay cached. The two builds differ in one feature
# of the frontend crate, so only that crate builds twice.
split_target="$REKEY_ROOT/target/split"
rm -rf dist/admin
for lang in en nl; do
  CARGO_TARGET_DIR="$split_target" \
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="$CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS --cfg rekey_split -Clink-args=--emit-relocs" \
    trunk build frontend/admin/index.html --dist "dist/admin/$lang" --public-url "/admin/$lang/" \
    --features "only-$lang" --release --offline "$@"
  ./scripts/split-admin.sh "$split_target/wasm32-unknown-unknown/release/admin.wasm" "dist/admin/$lang"
done
./scripts/admin-page.sh
# Hashed names after the final bytes, then brotli and gzip copies beside
# each file, served by Accept-Encoding.
./scripts/name-by-content.sh
./scripts/precompress.sh
