// Peer benchmark: nerlight's wasm build against compromise and wink-nlp, in one Node process, on
// the same texts.
//
//   bash scripts/build-wasm.sh && (cd bench && npm ci) && node bench/peers.mjs
//   node bench/peers.mjs --passes 9          # more timed passes (default 5)
//   node bench/peers.mjs --quick             # 3 passes, fewer calls in the memory check
//   node bench/peers.mjs --json out.json     # also write every figure as JSON
//
// Texts (built at run time, never stored in the repository; see corpus.mjs):
//   news   the OntoNotes dev split (../shared/data/ontonotes/dev.docstart.txt) as 207 plain-text
//          documents, one engine call per document; skipped if the file is absent
//   1 MB   one generated news-like document of 1,000,000 bytes, one call
//
// Every engine gets the same strings. Speed is reported as whitespace-separated tokens per
// second and MB (10^6 UTF-8 bytes) per second, the median of the timed passes after one warm-up
// pass, and as each peer's ratio to nerlight. Absolute numbers depend on the machine; compare the
// ratios, which are measured in one run. What each engine finds is reported too (entity counts
// by type, and on the news text how many of the gold names each finds exactly), so that no
// engine's speed comes from finding nothing.
//
// nerlight is the wasm module in www/pkg (NERLIGHT_PKG=dir to use another build), loaded with
// initSync, as a page or an extension would load it. compromise runs its default pipeline and is
// asked for people, places and organizations; wink-nlp runs with wink-eng-lite-web-model and
// only its "ner" pipe (the least work that gives its entities).

import { readFileSync, writeFileSync, existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import v8 from "node:v8";
import vm from "node:vm";

import nlp from "compromise";
import winkNLP from "wink-nlp";
import winkModel from "wink-eng-lite-web-model";

import { ROOT, DEV_CORPUS, countTokens, generatedDocument, newsDocuments, article } from "./corpus.mjs";

// --- options -------------------------------------------------------------------------------------
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const QUICK = flag("--quick");
const PASSES = Number(option("--passes", QUICK ? 3 : 5));
const MEMORY_CALLS = Number(option("--calls", QUICK ? 200 : 1000));
const JSON_OUT = option("--json", null);
// `--only nerlight` (or a comma-separated list) times just those engines: for quick iterations.
const ONLY = option("--only", null)?.split(",");

// --- nerlight ------------------------------------------------------------------------------------
const PKG = path.resolve(ROOT, process.env.NERLIGHT_PKG ?? "www/pkg");
if (!existsSync(path.join(PKG, "nerlight_bg.wasm"))) {
  console.error(`${PKG}/nerlight_bg.wasm is missing: run \`bash scripts/build-wasm.sh\` first`);
  process.exit(1);
}
const wasmBytes = readFileSync(path.join(PKG, "nerlight_bg.wasm"));
const glue = await import(pathToFileURL(path.join(PKG, "nerlight.js")).href);
const loadStarted = performance.now();
const exports = glue.initSync({ module: wasmBytes });
const highlighter = new glue.Highlighter();
const nerlightLoadMs = performance.now() - loadStarted;

// Types that are names (what a highlighter is for), as opposed to numbers and patterns.
const NAME_TYPES = new Set(["PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE"]);

// --- the engines: run(text) does the work that is timed; spans(text) is for counting only -------
const wink = winkNLP(winkModel, ["ner"]);
const ENGINES = [
  {
    name: "nerlight",
    version: cargoVersion(),
    run: (text) => highlighter.highlight(text).length,
    spans: (text) => highlighter.highlight(text).map((e) => ({ type: e.label, start: e.start, end: e.end })),
  },
  {
    name: "compromise",
    version: packageVersion("compromise"),
    run: (text) => {
      const doc = nlp(text);
      return doc.people().length + doc.places().length + doc.organizations().length;
    },
    spans: (text) => {
      const doc = nlp(text);
      const out = [];
      for (const [type, view] of [["PERSON", doc.people()], ["GPE", doc.places()], ["ORG", doc.organizations()]]) {
        for (const m of view.json({ offset: true })) {
          // compromise's match text can end with the sentence's punctuation ("New York.").
          const trimmed = m.text.replace(/[^\p{L}\p{N}]+$/u, "");
          out.push({ type, start: m.offset.start, end: m.offset.start + trimmed.length });
        }
      }
      return out;
    },
  },
  {
    name: "wink-nlp",
    version: `${packageVersion("wink-nlp")} + wink-eng-lite-web-model ${packageVersion("wink-eng-lite-web-model")}`,
    run: (text) => wink.readDoc(text).entities().length(),
    // wink reports token spans, not character offsets; its types are counted, not matched.
    spans: (text) => wink.readDoc(text).entities().out(wink.its.type).map((type) => ({ type })),
  },
];

function cargoVersion() {
  return readFileSync(path.join(ROOT, "Cargo.toml"), "utf8").match(/^version = "(.*)"/m)?.[1] ?? "?";
}
function packageVersion(name) {
  const file = path.join(ROOT, "bench", "node_modules", name, "package.json");
  return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")).version : "?";
}

// --- texts ---------------------------------------------------------------------------------------
const docs = newsDocuments();
const DATASETS = [];
if (docs) {
  DATASETS.push({
    name: "news",
    what: `OntoNotes dev, ${docs.length} documents, one call each`,
    texts: docs.map((d) => d.text),
    gold: docs.map((d) => d.gold),
  });
} else {
  console.warn(`note: ${DEV_CORPUS} not found; the news text is skipped`);
}
const big = generatedDocument(1_000_000);
DATASETS.push({ name: "1 MB", what: "generated news-like document, one call", texts: [big] });
for (const d of DATASETS) {
  d.tokens = d.texts.reduce((n, t) => n + countTokens(t), 0);
  d.bytes = d.texts.reduce((n, t) => n + Buffer.byteLength(t), 0);
}

// --- timing --------------------------------------------------------------------------------------
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function timePasses(engine, texts) {
  let sink = 0;
  for (const t of texts) sink += engine.run(t); // warm-up
  const times = [];
  for (let p = 0; p < PASSES; p++) {
    const t0 = performance.now();
    for (const t of texts) sink += engine.run(t);
    times.push(performance.now() - t0);
  }
  return { ms: median(times), min: Math.min(...times), max: Math.max(...times), sink };
}

if (ONLY) ENGINES.splice(0, ENGINES.length, ...ENGINES.filter((e) => ONLY.includes(e.name)));

const results = {};
for (const d of DATASETS) {
  results[d.name] = {};
  // Engines interleaved per dataset, so that a burst of noise on the shared machine does not land
  // on one engine only.
  for (const e of ENGINES) {
    process.stderr.write(`timing ${e.name} on ${d.name}… `);
    const r = timePasses(e, d.texts);
    r.tokensPerS = d.tokens / (r.ms / 1000);
    r.mbPerS = d.bytes / 1e6 / (r.ms / 1000);
    results[d.name][e.name] = r;
    process.stderr.write(`${r.ms.toFixed(1)} ms\n`);
  }
}

// --- what each engine finds ----------------------------------------------------------------------
const found = {};
for (const d of DATASETS) {
  found[d.name] = {};
  for (const e of ENGINES) {
    const byType = {};
    let names = 0;
    let goldNames = 0;
    let exact = 0;
    d.texts.forEach((text, i) => {
      const spans = e.spans(text);
      for (const s of spans) byType[s.type] = (byType[s.type] ?? 0) + 1;
      const nameSpans = spans.filter((s) => NAME_TYPES.has(s.type));
      names += nameSpans.length;
      if (d.gold && e.name !== "wink-nlp") {
        const keys = new Set(nameSpans.map((s) => `${s.start}:${s.end}`));
        for (const g of d.gold[i]) {
          if (!NAME_TYPES.has(g.type)) continue;
          goldNames++;
          if (keys.has(`${g.start}:${g.end}`)) exact++;
        }
      }
    });
    found[d.name][e.name] = { byType, names, goldNames, exact };
  }
}

// --- memory over repeated calls ------------------------------------------------------------------
function collectGarbage() {
  if (typeof globalThis.gc !== "function") {
    v8.setFlagsFromString("--expose-gc");
    globalThis.gc = vm.runInNewContext("gc");
  }
  globalThis.gc();
}
const memText = article(5000, docs);
highlighter.highlight(memText);
collectGarbage();
const memBefore = { wasm: exports.memory.buffer.byteLength, heap: process.memoryUsage().heapUsed };
const checkpoints = [];
for (let i = 1; i <= MEMORY_CALLS; i++) {
  highlighter.highlight(memText);
  if (i % Math.max(1, MEMORY_CALLS / 4) === 0) {
    collectGarbage();
    checkpoints.push({ calls: i, wasm: exports.memory.buffer.byteLength, heap: process.memoryUsage().heapUsed });
  }
}

// --- report --------------------------------------------------------------------------------------
const fmt = (x, digits = 0) => x.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const mib = (b) => `${(b / 1048576).toFixed(2)} MiB`;
const out = [];
const say = (s = "") => out.push(s);

say(`## nerlight vs peers (node bench/peers.mjs, ${PASSES} timed passes, medians)`);
say();
say(`machine: ${os.cpus()[0]?.model ?? "?"} × ${os.cpus().length}, ${fmt(os.totalmem() / 2 ** 30, 1)} GiB, ${os.type()} ${os.release()}; Node ${process.version}`);
say(`engines: ${ENGINES.map((e) => `${e.name} ${e.version}`).join("; ")}`);
say(`nerlight: ${fmt(wasmBytes.length / 1024, 1)} KiB of wasm from ${path.relative(ROOT, PKG)}; initSync + new Highlighter() took ${fmt(nerlightLoadMs, 1)} ms`);
for (const d of DATASETS) {
  say();
  say(`### ${d.name}: ${d.what} — ${fmt(d.tokens)} tokens, ${fmt(d.bytes / 1e6, 2)} MB`);
  say();
  say("| engine | median ms | tokens/s | MB/s | nerlight is × faster | entities found | names found | gold names found exactly |");
  say("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  const base = results[d.name].nerlight ?? results[d.name][ENGINES[0].name];
  for (const e of ENGINES) {
    const r = results[d.name][e.name];
    const f = found[d.name][e.name];
    const total = Object.values(f.byType).reduce((a, b) => a + b, 0);
    const gold = d.gold && e.name !== "wink-nlp" ? `${fmt(f.exact)} / ${fmt(f.goldNames)} (${fmt((100 * f.exact) / Math.max(1, f.goldNames), 1)}%)` : "–";
    say(`| ${e.name} | ${fmt(r.ms, 1)} | ${fmt(r.tokensPerS)} | ${fmt(r.mbPerS, 2)} | ${e.name === "nerlight" ? "1" : fmt(base.tokensPerS / r.tokensPerS, base.tokensPerS < r.tokensPerS ? 2 : 1)} | ${fmt(total)} | ${fmt(f.names)} | ${gold} |`);
  }
  say();
  say("entities by type:");
  for (const e of ENGINES) {
    const types = Object.entries(found[d.name][e.name].byType).sort((a, b) => b[1] - a[1]);
    say(`- ${e.name}: ${types.map(([t, n]) => `${t} ${fmt(n)}`).join(", ") || "none"}`);
  }
}
say();
say(`### memory: ${fmt(MEMORY_CALLS)} calls of highlight() on a 5,000-word article`);
say();
say("| after calls | wasm memory | JS heap used (after GC) |");
say("| ---: | ---: | ---: |");
say(`| 1 (warm) | ${mib(memBefore.wasm)} | ${mib(memBefore.heap)} |`);
for (const c of checkpoints) say(`| ${fmt(c.calls)} | ${mib(c.wasm)} | ${mib(c.heap)} |`);
const last = checkpoints.at(-1);
const flat = last && last.wasm === memBefore.wasm && last.heap - memBefore.heap < 4 * 1048576;
say();
say(`memory ${flat ? "flat" : "NOT flat"}: wasm ${mib(memBefore.wasm)} → ${mib(last?.wasm ?? 0)}, heap ${mib(memBefore.heap)} → ${mib(last?.heap ?? 0)}`);

console.log(out.join("\n"));
if (JSON_OUT) {
  writeFileSync(JSON_OUT, JSON.stringify({ passes: PASSES, datasets: DATASETS.map(({ name, what, tokens, bytes }) => ({ name, what, tokens, bytes })), results, found, memory: { before: memBefore, checkpoints } }, null, 2));
}
