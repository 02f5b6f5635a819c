// The engine at scale (issue 16): memory and time of big calls and of many instances, on the
// page's wasm build (www/pkg, `bash scripts/build-wasm.sh`) in Node, and the command line's
// memory on a long JSONL input.
//
//   node bench/scale.mjs                 # every figure (about 3 minutes on 2 cores)
//   node bench/scale.mjs --quick         # smaller inputs (prose 5 and 10 MB, JSONL 20/100 MB)
//
// Each wasm figure comes from a fresh module in a child process, because wasm memory never
// shrinks: "wasm memory" is the module's memory after the call minus before it, so it is the
// call's peak. Bytes per input byte divide that by the text's UTF-8 length.
//
//   prose N MB       one highlight() call on N MB of generated news text (corpus.mjs)
//   instances        wasm memory of 1 and of 50 live `new Highlighter()`
//   churn            200 instances created, used and dropped, five times over, with GC between
//                    (the glue's FinalizationRegistry frees them): wasm memory after each round
//   NUL, letters     one call on 4 MB of "\0", and of "a": seconds per MB
//   CLI JSONL        peak RSS of `nerlight --jsonl` (target/release/nerlight; built with
//                    `cargo build --release -p nerlight-cli`, skipped if absent) on 20 and 200 MB
//                    of JSONL, from /usr/bin/time -v

import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import v8 from "node:v8";
import vm from "node:vm";

import { ROOT, generatedDocument } from "./corpus.mjs";

const PKG = process.env.NERLIGHT_PKG ?? path.join(ROOT, "www", "pkg");
const SELF = fileURLToPath(import.meta.url);
const MB = 1_000_000;

/** A fresh wasm module (its own memory) and its glue. */
export async function freshModule(tag = Math.random()) {
  const url = pathToFileURL(path.join(PKG, "nerlight.js"));
  url.search = `fresh=${tag}`;
  const glue = await import(url.href);
  const exports = glue.initSync({ module: readFileSync(path.join(PKG, "nerlight_bg.wasm")) });
  return { glue, memory: () => exports.memory.buffer.byteLength };
}

export function collectGarbage() {
  if (typeof globalThis.gc !== "function") {
    v8.setFlagsFromString("--expose-gc");
    globalThis.gc = vm.runInNewContext("gc");
  }
  globalThis.gc();
}

/** `bytes` of generated news text (UTF-8 bytes; the text is mostly ASCII). */
export function prose(bytes) {
  const text = generatedDocument(bytes);
  return text.slice(0, bytes);
}

/** One highlight() call on `text` in a fresh module: seconds, entities, wasm memory growth. */
export async function oneCall(text) {
  const { glue, memory } = await freshModule();
  const h = new glue.Highlighter();
  h.highlight("warm up: Ana Lopez met IBM in Paris on 3 May.");
  const before = memory();
  const t0 = performance.now();
  const found = h.highlight(text);
  const seconds = (performance.now() - t0) / 1000;
  const bytes = Buffer.byteLength(text);
  return { bytes, seconds, entities: found.length, grew: memory() - before };
}

/** Wasm memory growth for 1 and for 50 live instances. */
export async function instances(n = 50) {
  const { glue, memory } = await freshModule();
  const base = memory();
  const live = [new glue.Highlighter()];
  const one = memory() - base;
  while (live.length < n) live.push(new glue.Highlighter());
  for (const h of live) h.highlight("Ana Lopez met IBM in Paris.");
  return { one, all: memory() - base, n };
}

/** Wasm memory after each of `rounds` rounds of `n` instances created, used and dropped. */
export async function churn(n = 200, rounds = 5) {
  const { glue, memory } = await freshModule();
  const after = [];
  for (let r = 0; r < rounds; r++) {
    (() => {
      for (let i = 0; i < n; i++) new glue.Highlighter().highlight(`Ana Lopez ${i} met IBM in Paris.`);
    })();
    // FinalizationRegistry callbacks run after a GC, on a later task.
    for (let k = 0; k < 3; k++) {
      collectGarbage();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    after.push(memory());
  }
  return after;
}

const CASES = {
  prose: async (mb) => oneCall(prose(mb * MB)),
  nul: async (mb) => oneCall("\0".repeat(mb * MB)),
  letters: async (mb) => oneCall("a".repeat(mb * MB)),
  instances: async () => instances(50),
  churn: async () => churn(200, 5),
};

/** Runs one case in a child process (a fresh process, so that one case's heap cannot skew the next). */
function child(name, arg = "") {
  const r = spawnSync(process.execPath, ["--expose-gc", "--max-old-space-size=8192", SELF, "--case", name, String(arg)], {
    encoding: "utf8",
    maxBuffer: 1 << 24,
  });
  if (r.status !== 0) throw new Error(`case ${name} ${arg} failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** Peak RSS in kB of `nerlight --jsonl` on `mb` MB of JSONL (one paragraph of prose a line). */
function cliPeakKb(bin, mb, dir) {
  const file = path.join(dir, `in-${mb}.jsonl`);
  const paragraphs = generatedDocument(MB).split("\n\n").map((p) => JSON.stringify(p) + "\n");
  const copies = Math.ceil((mb * MB) / Buffer.byteLength(paragraphs.join("")));
  writeFileSync(file, paragraphs.join("").repeat(copies));
  // The output (more than Node's longest string at 200 MB) is not kept.
  const r = spawnSync("/usr/bin/time", ["-v", bin, "--jsonl", file], { encoding: "utf8", stdio: ["ignore", "ignore", "pipe"] });
  rmSync(file);
  if (r.status !== 0) throw new Error(`nerlight --jsonl failed: ${r.stderr}`);
  const kb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1]);
  return { kb, lines: copies * paragraphs.length };
}

const mib = (b) => `${(b / 2 ** 20).toFixed(1)} MiB`;

async function main() {
  const caseAt = process.argv.indexOf("--case");
  if (caseAt >= 0) {
    const [name, arg] = process.argv.slice(caseAt + 1);
    process.stdout.write(JSON.stringify(await CASES[name](Number(arg))));
    return;
  }
  const quick = process.argv.includes("--quick");
  if (!existsSync(path.join(PKG, "nerlight_bg.wasm"))) {
    console.error(`no wasm build in ${PKG}: run bash scripts/build-wasm.sh`);
    process.exit(1);
  }
  console.log(`# nerlight at scale (${path.relative(ROOT, PKG)}, Node ${process.version}, ${os.cpus().length} cores)\n`);

  console.log("## one highlight() call on generated prose");
  console.log("| input | seconds | s/MB | entities | wasm memory | bytes per input byte |");
  console.log("|---|---|---|---|---|---|");
  for (const mb of quick ? [5, 10] : [20, 50]) {
    const r = child("prose", mb);
    console.log(`| ${mb} MB | ${r.seconds.toFixed(1)} | ${(r.seconds / (r.bytes / MB)).toFixed(2)} | ${r.entities} | +${mib(r.grew)} | ${(r.grew / r.bytes).toFixed(1)} |`);
  }

  console.log("\n## instances");
  const inst = child("instances");
  console.log(`1 instance: +${mib(inst.one)} of wasm memory; ${inst.n} live instances: +${mib(inst.all)} (${((inst.all - inst.one) / (inst.n - 1) / 1024).toFixed(1)} KiB each after the first)`);
  const rounds = child("churn");
  console.log(`200 instances created, used and dropped, 5 rounds: wasm memory after each round ${rounds.map(mib).join(", ")}`);

  console.log("\n## control characters against letters (4 MB, one call each)");
  console.log("| input | seconds | s/MB | wasm memory |");
  console.log("|---|---|---|---|");
  for (const name of ["nul", "letters"]) {
    const r = child(name, 4);
    console.log(`| 4 MB of ${name === "nul" ? "NUL" : '"a"'} | ${r.seconds.toFixed(2)} | ${(r.seconds / 4).toFixed(3)} | +${mib(r.grew)} |`);
  }

  console.log("\n## command line: nerlight --jsonl");
  const bin = path.join(ROOT, "target", "release", "nerlight");
  if (!existsSync(bin) || !existsSync("/usr/bin/time")) {
    console.log(`skipped: needs ${path.relative(ROOT, bin)} (cargo build --release -p nerlight-cli) and /usr/bin/time`);
    return;
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), "nerlight-scale-"));
  try {
    for (const mb of quick ? [20, 100] : [20, 200]) {
      const r = cliPeakKb(bin, mb, dir);
      console.log(`${mb} MB of JSONL (${r.lines} lines): peak RSS ${(r.kb / 1024).toFixed(1)} MiB`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === SELF) await main();
