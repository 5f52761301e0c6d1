#!/usr/bin/env bash
# The admin center is built once per language (build-frontend.sh), each
# build carrying its own language's words alone: dist/admin/en/ and
# dist/admin/nl/. This writes the one page both are loaded from,
# dist/admin/index.html (so /admin/ and the links in emails stay as they
# are): Trunk's page of the English build, with its preloads and loader
# replaced by one inline script that picks the build by the rule the app
# starts by (frontend/src/state.rs `initial_language`): the language chosen
# in this browser before, else the first of the browser's languages Rekey
# speaks, else English. Choosing the other language in the app stores it
# and loads the page again. The stylesheets, the same in both builds, move
# up to dist/admin/; the two builds' own pages go. Run after split-admin.sh
# on both, before name-by-content.sh (which renames what this page names).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$REKEY_ROOT/dist/admin"
node - <<'JS'
const fs = require("fs");
// The builds build-frontend.sh wrote, English first (the page's own).
const langs = fs.readdirSync(".", { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name)
  .sort((a, b) => (b === "en") - (a === "en"));
if (langs[0] !== "en") throw new Error(`no English build among ${langs}`);
// A build's page: its stylesheets, and what Trunk (and split-admin.sh)
// put in to load it: the preloads and the inline module script.
function build(lang) {
  const html = fs.readFileSync(`${lang}/index.html`, "utf8");
  const dir = `/admin/${lang}/`;
  const tags = [...html.matchAll(/<link [^>]*>|<script[^>]*>[\s\S]*?<\/script>/g)].map((m) => m[0]);
  const loading = tags.filter((t) => t.includes(dir) && !t.includes("rel=stylesheet"));
  const styles = tags.filter((t) => t.includes(dir) && t.includes("rel=stylesheet"));
  const preload = (end) => {
    const tag = loading.find((t) => t.startsWith("<link") && new RegExp(`href=${dir}[^ >]*${end} `).test(t));
    if (!tag) throw new Error(`${lang}/index.html preloads no ${end}`);
    return { href: / href=([^ >]+)/.exec(tag)[1], integrity: / integrity=([^ >]+)/.exec(tag)[1] };
  };
  const script = preload("[0-9a-f].js"), wasm = preload("_bg.wasm");
  const loader = `${dir}__wasm_split.js`;
  if (!loading.some((t) => t.includes(`href=${loader} `))) throw new Error(`${lang}/index.html preloads no chunk loader`);
  if (loading.length !== 4) throw new Error(`${lang}/index.html loads ${loading.length} things, not 4: ${loading}`);
  return { html, dir, loading, styles, script, wasm, loader };
}
const builds = Object.fromEntries(langs.map((l) => [l, build(l)]));
const en = builds.en;
// Apart from what loads it, the page is the same in each language.
const strip = (b) => b.loading.reduce((h, t) => h.split(t).join(""), b.html).split(b.dir).join("/admin/");
for (const l of langs) {
  if (strip(builds[l]) !== strip(en)) throw new Error(`${l}/index.html differs from en/index.html`);
}
const table = JSON.stringify(
  Object.fromEntries(langs.map((l) => {
    const b = builds[l];
    return [l, [b.loader, b.script.href, b.script.integrity, b.wasm.href, b.wasm.integrity]];
  })),
);
// Classic, not a module: it runs as it is parsed, so the preloads start
// as early as Trunk's own. One inline script, as before: the CSP allows
// it by its hash (function/src/api/static_files.rs, template.yaml).
const picker = `<script>(()=>{const b=${table};let l;try{l=localStorage.getItem("rekey.lang")}catch{}` +
  `const has=(t)=>Object.hasOwn(b,t);if(!has(l))l=navigator.languages.map(t=>t.trim().split(/[-_]/)[0].toLowerCase()).find(has)||"en";` +
  `const[p,j,ji,w,wi]=b[l],h=document.head,a=(o)=>h.append(Object.assign(document.createElement("link"),{crossOrigin:"anonymous"},o));` +
  `a({rel:"modulepreload",href:p});a({rel:"modulepreload",href:j,integrity:ji});` +
  `a({rel:"preload",as:"fetch",type:"application/wasm",href:w,integrity:wi});` +
  `import(j).then(m=>m.default({module_or_path:w}))})()</script>`;
let html = en.html;
const at = html.indexOf(en.loading[0]);
for (const t of en.loading) html = html.split(t).join("");
html = html.slice(0, at) + picker + html.slice(at);
// The stylesheets up a level: the same bytes in each build.
for (const tag of en.styles) {
  const href = / href=([^ >]+)/.exec(tag)[1];
  const name = href.slice(en.dir.length);
  for (const l of langs.slice(1)) {
    if (!fs.readFileSync(`${l}/${name}`).equals(fs.readFileSync(`en/${name}`))) throw new Error(`${l}/${name} differs`);
    fs.rmSync(`${l}/${name}`);
  }
  fs.renameSync(`en/${name}`, name);
  html = html.split(href).join(`/admin/${name}`);
}
if (html.includes(en.dir.slice(0, -1) + "/index")) throw new Error("the page names a build's own page");
fs.writeFileSync("index.html", html);
for (const l of langs) fs.rmSync(`${l}/index.html`);
JS
