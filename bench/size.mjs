// Size report of what a page downloads: the wasm module (raw from cargo, after wasm-opt, gzip -9,
// brotli), the JS glue, and the default model's share; then the npm package: the packed tarball
// (npm pack) and what each entry adds to a bundle (esbuild --bundle --minify).
//
//   bash scripts/build-wasm.sh && node bench/size.mjs
//
// The model is embedded in the wasm (include_bytes!), so "engine + model" is the optimised .wasm
// plus the glue; the model's share is its file compressed on its own. The budget, checked by
// tests/e2e/size-budget.test.mjs: engine + default model + glue, gzip -9, at most 1.5 MB.
// No dependencies beyond Node: gzip and brotli come from node:zlib.

import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { execFileSync } from "node:child_process";
import zlib from "node:zlib";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** Engine + default model + JS glue, gzip -9: 1.5 MB. */
export const BUDGET_GZIP = 1_500_000;
/** The npm package's packed tarball: 2.0 MB. */
export const BUDGET_TARBALL = 2_000_000;

export const gzip = (bytes) => zlib.gzipSync(bytes, { level: 9 }).length;
export const brotli = (bytes) =>
  zlib.brotliCompressSync(bytes, {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    },
  }).length;

function sizes(file, withBrotli) {
  const bytes = readFileSync(file);
  return {
    file: path.relative(ROOT, file),
    raw: bytes.length,
    gzip: gzip(bytes),
    brotli: withBrotli ? brotli(bytes) : null, // quality 11 takes seconds on a 4 MB module
  };
}

/** The byte ranges of a wasm module's code and data sections. */
function sections(bytes) {
  const out = {};
  let i = 8;
  const leb = () => {
    let r = 0;
    let shift = 0;
    for (;;) {
      const x = bytes[i++];
      r += (x & 0x7f) * 2 ** shift;
      shift += 7;
      if (x < 0x80) return r;
    }
  };
  while (i < bytes.length) {
    const id = bytes[i++];
    const n = leb();
    if (id === 10) out.code = bytes.subarray(i, i + n);
    if (id === 11) out.data = bytes.subarray(i, i + n);
    i += n;
  }
  return out;
}

/** The model file the library embeds (the `include_bytes!` in src/tagger/mod.rs). */
function embeddedModel() {
  const src = path.join(ROOT, "src", "tagger", "mod.rs");
  if (!existsSync(src)) return null;
  const m = readFileSync(src, "utf8").match(/DEFAULT_MODEL[^=]*=\s*include_bytes!\("([^"]+)"\)/);
  return m ? path.resolve(path.dirname(src), m[1]) : null;
}

/** The wasm as cargo wrote it, before wasm-bindgen and wasm-opt, if it is there. */
function cargoWasm() {
  let dir = process.env.CARGO_TARGET_DIR;
  if (!dir) {
    try {
      dir = JSON.parse(
        execFileSync("cargo", ["metadata", "--format-version", "1", "--no-deps"], { cwd: ROOT, encoding: "utf8" }),
      ).target_directory;
    } catch {
      dir = path.join(ROOT, "target");
    }
  }
  const file = path.join(dir, "wasm32-unknown-unknown", "wasm", "nerlight.wasm");
  return existsSync(file) ? file : null;
}

/** Every size, in bytes. `pkg` is the wasm-bindgen output directory (www/pkg). */
export function measure(pkg = path.resolve(ROOT, process.env.NERLIGHT_PKG ?? "www/pkg"), { withBrotli = true } = {}) {
  const wasm = path.join(pkg, "nerlight_bg.wasm");
  const glue = path.join(pkg, "nerlight.js");
  if (!existsSync(wasm) || !existsSync(glue)) {
    throw new Error(`${path.relative(ROOT, pkg)} has no nerlight_bg.wasm/nerlight.js: run \`bash scripts/build-wasm.sh\` first`);
  }
  const models = existsSync(path.join(ROOT, "models"))
    ? readdirSync(path.join(ROOT, "models"))
        .filter((f) => /\.(nlm|bin)$/.test(f))
        .map((f) => sizes(path.join(ROOT, "models", f), withBrotli))
    : [];
  const raw = cargoWasm();
  const embedded = embeddedModel();
  for (const m of models) m.embedded = embedded != null && path.resolve(ROOT, m.file) === embedded;
  const parts = sections(readFileSync(wasm));
  const part = (bytes) => bytes && { raw: bytes.length, gzip: gzip(bytes), brotli: withBrotli ? brotli(bytes) : null };
  const r = {
    code: part(parts.code),
    data: part(parts.data),
    cargo: raw ? { file: path.relative(ROOT, raw), raw: statSync(raw).size } : null,
    wasm: sizes(wasm, withBrotli),
    glue: sizes(glue, withBrotli),
    models,
  };
  r.total = {
    raw: r.wasm.raw + r.glue.raw,
    gzip: r.wasm.gzip + r.glue.gzip,
    brotli: withBrotli ? r.wasm.brotli + r.glue.brotli : null,
  };
  return r;
}

/**
 * The npm package in `pkg` (www/pkg, assembled by scripts/build-package.sh): the tarball `npm
 * pack` would write, and each entry's JavaScript bundled and minified by esbuild on its own
 * (raw and gzip -9; the .wasm is fetched, not bundled).
 */
export async function measurePackage(pkg = path.resolve(ROOT, process.env.NERLIGHT_PKG ?? "www/pkg")) {
  if (!existsSync(path.join(pkg, "package.json"))) throw new Error(`${path.relative(ROOT, pkg)} has no package.json: run \`bash scripts/build-wasm.sh\` first`);
  const [packed] = JSON.parse(execFileSync("npm", ["pack", "--dry-run", "--json", pkg], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }));
  const { buildSync } = await import("esbuild");
  const entries = {
    "`nerlight`": "index.js",
    "`nerlight/worker`": "worker.js",
    "`nerlight/dom`": "dom.js",
    "`nerlight/worker`'s thread (engine-worker.js, glue included)": "engine-worker.js",
  };
  const bundles = Object.entries(entries).map(([name, file]) => {
    const { outputFiles } = buildSync({ entryPoints: [path.join(pkg, file)], bundle: true, minify: true, format: "esm", write: false, logLevel: "silent" });
    const bytes = outputFiles[0].contents;
    return { name, raw: bytes.length, gzip: gzip(bytes) };
  });
  return { tarball: packed.size, unpacked: packed.unpackedSize, files: packed.entryCount, bundles };
}

export function packageReport(p) {
  const rows = ["| npm package | raw | gzip -9 |", "| --- | ---: | ---: |"];
  rows.push(`| tarball (\`npm pack\`, ${p.files} files) | ${kib(p.unpacked)} unpacked | ${kib(p.tarball)} packed |`);
  for (const b of p.bundles) rows.push(`| ${b.name} bundled, minified (JS only) | ${kib(b.raw)} | ${kib(b.gzip)} |`);
  const ok = p.tarball <= BUDGET_TARBALL;
  rows.push("");
  rows.push(`budget: the packed tarball ≤ ${mb(BUDGET_TARBALL)}: ${mb(p.tarball)} — ${ok ? "within" : "OVER"} budget`);
  return rows.join("\n");
}

const kib = (b) => `${(b / 1024).toFixed(1)} KiB`;
const mb = (b) => `${(b / 1e6).toFixed(3)} MB`;

export function report(r) {
  const rows = [];
  const row = (what, s) => rows.push(`| ${what} | ${s.raw != null ? kib(s.raw) : "–"} | ${s.gzip != null ? kib(s.gzip) : "–"} | ${s.brotli != null ? kib(s.brotli) : "–"} |`);
  rows.push("| what | raw | gzip -9 | brotli 11 |", "| --- | ---: | ---: | ---: |");
  if (r.cargo) row(`wasm from cargo (${r.cargo.file})`, { raw: r.cargo.raw });
  row("wasm after wasm-bindgen + wasm-opt -Oz (engine + embedded model)", r.wasm);
  if (r.code) row("… its code section (engine: tokenizer, rules, tagger, binding)", r.code);
  if (r.data) row("… its data section (the default model, rule tables, strings)", r.data);
  row("JS glue (nerlight.js)", r.glue);
  for (const m of r.models) {
    row(`model file ${m.file} (${m.embedded ? "embedded: the default model" : "not embedded"})`, m);
  }
  row("**download: wasm + glue**", r.total);
  const ok = r.total.gzip <= BUDGET_GZIP;
  rows.push("");
  rows.push(`budget: engine + default model + glue, gzip -9 ≤ ${mb(BUDGET_GZIP)}: ${mb(r.total.gzip)} — ${ok ? "within" : "OVER"} budget` +
    (ok ? ` (${((100 * r.total.gzip) / BUDGET_GZIP).toFixed(0)}% of it)` : ` by ${mb(r.total.gzip - BUDGET_GZIP)}`));
  return rows.join("\n");
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const r = measure();
  console.log(report(r));
  const p = await measurePackage();
  console.log(`\n${packageReport(p)}`);
  if (process.argv.includes("--check") && (r.total.gzip > BUDGET_GZIP || p.tarball > BUDGET_TARBALL)) process.exit(1);
}
