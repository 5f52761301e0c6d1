# Sourced by the other scripts: puts the project's own tools on PATH.
# shellcheck shell=bash
REKEY_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export REKEY_ROOT
export PATH="$REKEY_ROOT/.tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
