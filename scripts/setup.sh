#!/usr/bin/env bash
# Installs every tool Rekey needs, skipping what is already present at the
# right version. Safe to run again and again; run by run.sh and test.sh.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$REKEY_ROOT"

TRUNK_VERSION=0.22.1       # built with the pinned stable of rust-toolchain.toml
BINARYEN_VERSION=132.0.0   # npm's binaryen; Debian's 108 emits wasm that won't run
MOTO_VERSION=5.2.5         # the DynamoDB emulator (moto's server)
AXE_VERSION=4.14.1         # axe-core, injected into the browser tests
CFN_LINT_VERSION=1.58.0    # checks template.yaml
AUTHLIB_VERSION=1.9.10     # an independent OpenID Connect relying party (API tests)
SCIM2_CLI_VERSION=0.6.0    # scim2-cli: SCIM compliance checks (scim2-tester)
AIOSMTPD_VERSION=1.4.6     # a real SMTP server for the SMTP mailer's tests
WASM_SPLIT_VERSION=0.2.4   # wasm-split-cli: splits the admin center into chunks
TERSER_VERSION=5.51.2      # minifies the split admin center's script, as Trunk does the others
# wasm-bindgen-cli must equal the wasm-bindgen in Cargo.lock, exactly.
BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)

say() { printf '\033[1msetup:\033[0m %s\n' "$*"; }
apt_install() {
  local sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

if ! command -v cargo >/dev/null; then
  echo "setup: cargo is missing; install Rust with rustup first" >&2
  exit 1
fi

# rust-toolchain.toml pins the stable every cargo call here uses, with
# rustfmt, clippy and the wasm32 target; this installs it (and them) once.
if ! rustup toolchain list | grep -q "^$(sed -n 's/^channel = "\(.*\)"/\1/p' rust-toolchain.toml)-" \
  || ! rustup target list --installed | grep -qx wasm32-unknown-unknown \
  || ! rustup component list --installed | grep -q '^clippy'; then
  say "installing the pinned Rust toolchain (rust-toolchain.toml)"
  rustup toolchain install
fi

# The size-first release build of the admin app rebuilds std for wasm32
# (build-std), which needs a nightly with rust-src, and std's own crates
# in the cargo cache because Trunk builds offline.
if ! rustup run "$REKEY_WASM_TOOLCHAIN" rustc --print sysroot >/dev/null 2>&1 \
  || ! rustup component list --toolchain "$REKEY_WASM_TOOLCHAIN" --installed | grep -qx rust-src \
  || ! rustup target list --toolchain "$REKEY_WASM_TOOLCHAIN" --installed | grep -qx wasm32-unknown-unknown; then
  say "installing $REKEY_WASM_TOOLCHAIN with rust-src and wasm32 (the release wasm's toolchain)"
  rustup toolchain install "$REKEY_WASM_TOOLCHAIN" --profile minimal \
    --component rust-src --target wasm32-unknown-unknown
fi
STD_MANIFEST="$(rustup run "$REKEY_WASM_TOOLCHAIN" rustc --print sysroot)/lib/rustlib/src/rust/library/Cargo.toml"
cargo "+$REKEY_WASM_TOOLCHAIN" fetch --locked --manifest-path "$STD_MANIFEST" >/dev/null

if ! trunk --version 2>/dev/null | grep -qx "trunk $TRUNK_VERSION"; then
  say "installing trunk $TRUNK_VERSION (about 5 minutes, once)"
  # Trunk's own release profile links with fat LTO in one codegen unit
  # (8.3 minutes here); it only runs the build's tools, so it is built
  # without them (5.5 minutes).
  CARGO_PROFILE_RELEASE_LTO=off CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install --locked "trunk@$TRUNK_VERSION"
fi

# (It also installs wasm-bindgen-test-runner, for the component tests.)
if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $BINDGEN_VERSION" \
  || ! wasm-bindgen-test-runner --version 2>/dev/null | grep -qx "wasm-bindgen-test-runner $BINDGEN_VERSION"; then
  say "installing wasm-bindgen-cli $BINDGEN_VERSION (about 4 minutes, once)"
  # Not --locked: its lock names a webpki-roots release the registry lacks.
  cargo install --force wasm-bindgen-cli --version "$BINDGEN_VERSION"
fi

if ! wasm-opt --version 2>/dev/null | grep -q "version ${BINARYEN_VERSION%%.*}"; then
  say "installing binaryen $BINARYEN_VERSION (wasm-opt) into .tools/"
  mkdir -p .tools
  npm install --prefix .tools --no-audit --no-fund --silent "binaryen@$BINARYEN_VERSION"
fi

# scripts/split-admin.sh: the admin center's chunks.
# (It has no --version; cargo's own list says which is installed.)
if ! command -v wasm-split-cli >/dev/null \
  || ! cargo install --list | grep -qx "wasm_split_cli_support v$WASM_SPLIT_VERSION:"; then
  say "installing wasm-split-cli $WASM_SPLIT_VERSION (about a minute, once)"
  cargo install --locked "wasm_split_cli_support@$WASM_SPLIT_VERSION" --features build-binary
fi
if ! grep -q "\"version\": \"$TERSER_VERSION\"" .tools/node_modules/terser/package.json 2>/dev/null; then
  say "installing terser $TERSER_VERSION into .tools/"
  mkdir -p .tools
  npm install --prefix .tools --no-audit --no-fund --silent "terser@$TERSER_VERSION"
fi

if [ ! -x .tools/node_modules/.bin/aws-ses-v2-local ] \
  || ! grep -q '"version": "2.10.2"' .tools/node_modules/aws-ses-v2-local/package.json 2>/dev/null; then
  say "installing aws-ses-v2-local 2.10.2 (the SES emulator) into .tools/"
  mkdir -p .tools
  npm install --prefix .tools --no-audit --no-fund --silent aws-ses-v2-local@2.10.2
fi

if ! grep -q "\"version\": \"$AXE_VERSION\"" .tools/node_modules/axe-core/package.json 2>/dev/null; then
  say "installing axe-core $AXE_VERSION (accessibility checks in the browser tests) into .tools/"
  mkdir -p .tools
  npm install --prefix .tools --no-audit --no-fund --silent "axe-core@$AXE_VERSION"
fi

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  say "installing Debian's chromium and chromium-driver (browser tests)"
  apt_install chromium chromium-driver
fi

# Apache httpd with mod_auth_openidc: a real OpenID Connect relying party
# for the browser walk (started by the test on 127.0.0.1, never as a service).
if [ ! -x /usr/sbin/apache2 ] || [ ! -f /usr/lib/apache2/modules/mod_auth_openidc.so ]; then
  say "installing Debian's apache2 and libapache2-mod-auth-openidc (OpenID Connect tests)"
  apt_install apache2 libapache2-mod-auth-openidc
fi

# OATH Toolkit's oathtool: an independent TOTP implementation, as an
# authenticator app computes codes (the TOTP tests).
if ! command -v oathtool >/dev/null; then
  say "installing Debian's oathtool (TOTP tests)"
  apt_install oathtool
fi

# Python tools in their own venv: moto (with its server) and cfn-lint, at
# exactly the versions in scripts/python-tools.txt.
PY_LOCK_SUM=$(sha256sum scripts/python-tools.txt | cut -d' ' -f1)
if [ "$(cat .tools/venv/.installed 2>/dev/null)" != "$PY_LOCK_SUM" ] || [ ! -x .tools/venv/bin/cfn-lint ] || [ ! -x .tools/venv/bin/scim2 ] || [ ! -x .tools/venv/bin/aiosmtpd ] || ! .tools/venv/bin/python -c 'import zxingcpp, PIL' 2>/dev/null; then
  say "installing moto[server] $MOTO_VERSION, cfn-lint $CFN_LINT_VERSION, Authlib $AUTHLIB_VERSION, scim2-cli $SCIM2_CLI_VERSION, aiosmtpd $AIOSMTPD_VERSION and zxing-cpp 3.1.1 into .tools/venv"
  if ! command -v python3 >/dev/null || ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
    apt_install python3 python3-venv
  fi
  rm -rf .tools/venv
  python3 -m venv .tools/venv
  # The pins fit this machine's Python; on another, the two tools at their
  # versions with whatever dependencies pip resolves.
  .tools/venv/bin/pip install --quiet --disable-pip-version-check -r scripts/python-tools.txt \
    || .tools/venv/bin/pip install --quiet --disable-pip-version-check \
      "moto[server]==$MOTO_VERSION" "cfn-lint==$CFN_LINT_VERSION" "Authlib==$AUTHLIB_VERSION" "scim2-cli==$SCIM2_CLI_VERSION" "aiosmtpd==$AIOSMTPD_VERSION" zxing-cpp==3.1.1 pillow==13.0.0
  echo "$PY_LOCK_SUM" > .tools/venv/.installed
fi

say "tools ready: $REKEY_WASM_TOOLCHAIN (release wasm), $(trunk --version), $(wasm-bindgen --version), $(wasm-opt --version | head -1), $(chromedriver --version | cut -d' ' -f1-2), axe-core $AXE_VERSION, moto $MOTO_VERSION, cfn-lint $CFN_LINT_VERSION, Authlib $AUTHLIB_VERSION, scim2-cli $SCIM2_CLI_VERSION, aiosmtpd $AIOSMTPD_VERSION, zxing-cpp 3.1.1, $(/usr/sbin/apache2 -v | head -1 | cut -d' ' -f3), $(oathtool --version | head -1)"
