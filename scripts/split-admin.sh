#!/usr/bin/env bash
# Splits the admin center into chunks, after Trunk built it: its frame and
# Active users stay in the module the page loads; each page and pane in
# frontend/src/admin/lazy_pages.rs (and the code only those use) goes into
# chunks fetched the first time it opens. Trunk cannot run wasm-split
# between cargo and wasm-bindgen, so this takes cargo's own output (built
# with `--cfg rekey_split` and relocations kept), splits it, runs
# wasm-bindgen and wasm-opt as Trunk does, and puts the result under the
# names Trunk chose; name-by-content.sh then names each file after its
# bytes.
#
# The chunks' loader (`__wasm_split.js`) keeps its plain name (asked for
# again on every load, and preloaded beside the app's script): it imports
# the app's script by name and that script imports it, so only one of the
# two can be named after its own bytes.
#
# Usage: split-admin.sh <cargo's admin.wasm> <Trunk's dist dir for it>
# (one per language: dist/admin/en, dist/admin/nl).
set -euo pipefail
source "$(dirname "$0")/env.sh"
raw=$1
dir=$(cd "$2" && pwd)
url="/${dir#"$REKEY_ROOT/dist/"}/"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
glue=$(cd "$dir" && ls admin-*.js)
wasm=$(cd "$dir" && ls admin-*_bg.wasm)
stem=${glue%.js}

# --keep-lld-exports: the chunks reach the function table through its export.
wasm-split-cli "$raw" "$work/split" --out-name "$stem"
wasm-bindgen --target web --no-typescript --keep-lld-exports --out-dir "$work/bindgen" --out-name "$stem" "$work/split/$stem.wasm"
# As the page's data-wasm-opt-params (frontend/admin/index.html).
wasm-opt "$work/bindgen/${stem}_bg.wasm" -o "$dir/$wasm" --remove-exports \
  --pass-arg='remove-exports@*intounderlying*' -Os --strip-debug --strip-producers
# Minified, as Trunk minifies the other apps' scripts.
terser "$work/bindgen/$stem.js" --module --compress --mangle --output "$dir/$glue"
for chunk in "$work"/split/*.wasm; do
  [ "$(basename "$chunk")" = "$stem.wasm" ] && continue
  # Each chunk has a name subsection binaryen does not read (and drops):
  # one warning a chunk, left out of the build's log.
  wasm-opt "$chunk" -o "$chunk" -Os --strip-debug --strip-producers 2>&1 \
    | { grep -v 'unknown name subsection' || true; }
done

node - "$work/split" "$dir" "$glue" "$wasm" "$url" <<'JS'
const fs = require("fs"), path = require("path"), crypto = require("crypto");
const [split, dir, glue, wasm, url] = process.argv.slice(2);
const digest = (bytes, alg) => crypto.createHash(alg).update(bytes);
// Each chunk named after its bytes (`chunk_9-<hash>.wasm`): cached a year.
let loader = fs.readFileSync(path.join(split, "__wasm_split.js"), "utf8");
for (const name of fs.readdirSync(split)) {
  if (!name.endsWith(".wasm") || name === glue.replace(/\.js$/, ".wasm")) continue;
  const bytes = fs.readFileSync(path.join(split, name));
  const named = `${name.replace(/\.wasm$/, "")}-${digest(bytes, "sha256").digest("hex").slice(0, 16)}.wasm`;
  if (!loader.includes(`"./${name}"`)) throw new Error(`the loader does not name ${name}`);
  loader = loader.split(`"./${name}"`).join(`"./${named}"`);
  fs.writeFileSync(path.join(dir, named), bytes);
}
fs.writeFileSync(path.join(split, "__wasm_split.js"), loader);
// The page: new integrity for the two files replaced, and the loader
// preloaded beside the app's script (which imports it).
const page = path.join(dir, "index.html");
let html = fs.readFileSync(page, "utf8");
for (const file of [glue, wasm]) {
  const sri = "sha384-" + digest(fs.readFileSync(path.join(dir, file)), "sha384").digest("base64");
  const at = new RegExp(`(href=${url}${file.replace(/[.]/g, "\\.")} integrity=)sha384-[A-Za-z0-9+/=]+`);
  if (!at.test(html)) throw new Error(`${page} has no integrity for ${file}`);
  html = html.replace(at, `$1${sri}`);
}
const preload = `<link crossorigin href=${url}${glue} `;
if (!html.includes(preload)) throw new Error(`${page} does not preload ${glue}`);
html = html.replace(preload, `<link crossorigin href=${url}__wasm_split.js rel=modulepreload>${preload}`);
fs.writeFileSync(page, html);
JS
terser "$work/split/__wasm_split.js" --module --compress --mangle --output "$dir/__wasm_split.js"
