#!/usr/bin/env bash
# Writes a brotli (quality 11) and a gzip (level 9) copy beside each file
# in dist/, as a CDN would serve them: the server picks one by
# Accept-Encoding, so nothing is compressed per request. Copies that would
# not be smaller are not written. Run after every Trunk build (Trunk
# replaces dist/ whole, so no stale copy survives).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$REKEY_ROOT/dist"
node - <<'JS'
const fs = require("fs"), path = require("path"), zlib = require("zlib");
(function walk(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) { walk(p); continue; }
    if (/\.(br|gz)$/.test(e.name)) continue;
    const data = fs.readFileSync(p);
    const br = zlib.brotliCompressSync(data, {
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length },
    });
    const gz = zlib.gzipSync(data, { level: 9 });
    if (br.length < data.length) fs.writeFileSync(p + ".br", br);
    if (gz.length < data.length) fs.writeFileSync(p + ".gz", gz);
  }
})(".");
JS
