# Sourced by the other scripts: puts the project's own tools on PATH.
# shellcheck shell=bash
REKEY_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export REKEY_ROOT
export PATH="$REKEY_ROOT/.tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# The release wasm is built with this pinned nightly, only for the flags
# that shrink it (scripts/build-frontend.sh); everything else uses stable.
export REKEY_WASM_TOOLCHAIN=nightly-2026-05-20
