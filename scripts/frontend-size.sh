#!/usr/bin/env bash
# Prints the admin app's transfer size: each file in dist/, raw and brotli
# (quality 11, as a CDN serves it), and the total.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$REKEY_ROOT/dist"
node - <<'JS'
const fs = require("fs"), path = require("path"), zlib = require("zlib");
const files = [];
(function walk(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (!/\.(br|gz)$/.test(e.name)) files.push(p);
  }
})(".");
let raw = 0, br = 0;
for (const f of files.sort()) {
  const data = fs.readFileSync(f);
  const c = zlib.brotliCompressSync(data, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  raw += data.length; br += c;
  console.log(`${f.padEnd(48)} ${String(data.length).padStart(9)} B raw ${String(c).padStart(8)} B brotli`);
}
console.log(`${"total".padEnd(48)} ${String(raw).padStart(9)} B raw ${String(br).padStart(8)} B brotli`);
// Issue 3's budget for the whole transfer.
const budget = 120000;
console.log(br <= budget
  ? `budget ${budget} B brotli: met, ${budget - br} B to spare`
  : `budget ${budget} B brotli: NOT met, ${br - budget} B over`);
JS
