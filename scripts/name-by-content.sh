#!/usr/bin/env bash
# Renames each hashed file in dist/ after its final bytes: the first 16 hex
# digits of their SHA-256, in Trunk's own form (`sign_in-<hash>_bg.wasm`,
# `account-<hash>.js`, `style-<hash>.css`), and rewrites the page that
# names it. Trunk hashes the wasm-bindgen output, before wasm-opt, so a
# change that only wasm-opt makes kept the old name; a browser holding
# that name (cached a year, immutable) would then fail the page's new
# integrity check (and the admin center's chunk loader, which imports its
# script). Then the apps' shared stylesheet is kept once. Run after
# every Trunk build, before precompress.sh.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$REKEY_ROOT/dist"
node - <<'JS'
const fs = require("fs"), path = require("path"), crypto = require("crypto");
// Each page and the directories of the files it names: the admin center's
// page loads one of its two language builds.
const pages = {
  "index.html": ["."],
  "account/index.html": ["account"],
  "admin/index.html": ["admin", ...fs.readdirSync("admin", { withFileTypes: true })
    .filter((e) => e.isDirectory()).map((e) => `admin/${e.name}`)],
};
for (const [page, dirs] of Object.entries(pages)) {
  let html = fs.readFileSync(page, "utf8");
  for (const dir of dirs) {
    // The admin center's chunk loader imports its app's script by name.
    const loaderPath = path.join(dir, "__wasm_split.js");
    let loader = fs.existsSync(loaderPath) ? fs.readFileSync(loaderPath, "utf8") : null;
    for (const name of fs.readdirSync(dir)) {
      const m = /^(.+)-[0-9a-f]{15,16}(_bg\.wasm|\.js|\.css)$/.exec(name);
      if (!m) continue;
      const file = path.join(dir, name);
      const hash = crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex").slice(0, 16);
      const renamed = `${m[1]}-${hash}${m[2]}`;
      if (renamed === name) continue;
      // By its path: the two language builds have files of the same name.
      const at = dir === "." ? "/" : `/${dir}/`;
      if (!html.includes(at + name)) throw new Error(`${page} does not name ${at}${name}`);
      fs.renameSync(file, path.join(dir, renamed));
      html = html.split(at + name).join(at + renamed);
      if (loader !== null) loader = loader.split(name).join(renamed);
    }
    if (loader !== null) fs.writeFileSync(loaderPath, loader);
  }
  fs.writeFileSync(page, html);
}
// A stylesheet two apps both have (the sign-in's, which all three load;
// the account app's and the admin center's other one) is kept once, at
// the top: named after its bytes, the same name is the same file, so a
// browser that has it from one app fetches it no more for the next.
for (const dir of ["account", "admin"]) {
  const page = path.join(dir, "index.html");
  let html = fs.readFileSync(page, "utf8");
  for (const name of fs.readdirSync(dir)) {
    if (!/^[a-z_-]+-[0-9a-f]{16}\.css$/.test(name)) continue;
    const copy = path.join(dir, name);
    if (!fs.existsSync(name)) fs.renameSync(copy, name);
    else if (fs.readFileSync(name).equals(fs.readFileSync(copy))) fs.rmSync(copy);
    else throw new Error(`${copy} differs from ${name}`);
    if (!html.includes(`/${copy}`)) throw new Error(`${page} does not name ${copy}`);
    html = html.split(`/${copy}`).join(`/${name}`);
  }
  fs.writeFileSync(page, html);
}
JS
