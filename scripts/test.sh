#!/usr/bin/env bash
# Every check and test Rekey has. What CI runs (.ci/run).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$REKEY_ROOT"
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "tools"
./scripts/setup.sh

step "format"
cargo fmt --all -- --check

step "lint (native: shared, function, tests, benches)"
cargo clippy --all-targets --locked -- -D warnings
step "lint (wasm32: frontend)"
cargo clippy -p rekey-frontend --target wasm32-unknown-unknown --all-targets --locked -- -D warnings

step "deploy template (cfn-lint)"
.tools/venv/bin/cfn-lint template.yaml

step "frontend release build (Trunk, offline, wasm-opt)"
./scripts/build-frontend.sh
./scripts/frontend-size.sh

step "tests (browser tests drive the real binary serving dist/)"
cargo build -p rekey-function --locked
log=$(mktemp)
trap 'rm -f "$log"' EXIT
cargo test --workspace --locked 2>&1 | tee "$log"
step "frontend component tests (wasm-bindgen-test in headless Chromium)"
# The runner reads frontend/webdriver.json (headless, no sandbox) from the
# package directory cargo runs it in.
CHROMEDRIVER=$(command -v chromedriver) \
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test -p rekey-frontend --target wasm32-unknown-unknown --locked 2>&1 | tee -a "$log"
step "frontend figures"
./scripts/frontend-size.sh | tail -7
cat target/frontend-timing*.txt 2>/dev/null || true
cat target/lambda-cold-start*.txt 2>/dev/null || true
cat target/scim-conformance.txt 2>/dev/null || true
echo "screenshots: target/screenshots/"

# One closing line for the whole run, summed over every test binary.
awk '/^test result:/ { p += $4; f += $6; i += $8 }
     END { printf "\nrekey: %d passed, %d failed, %d skipped\n", p, f, i }' "$log"
