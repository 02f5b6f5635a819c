// The DOM painter (nerlight/dom) in headless Chromium, with the engine in its worker
// (nerlight/worker), both loaded from the built package in www/pkg:
//
//   bash scripts/build-wasm.sh && node bench/paint.mjs             # 3 runs of each case
//   node bench/paint.mjs --runs 5 --only words                       # words | huge | changes | style
//   node bench/paint.mjs --only words --pieces   # and when each piece of the engine's answer came
//   node bench/paint.mjs --only words --compare ../main/www/pkg   # that build against this one,
//                                # run for run in turn (before/after at one load; words and huge)
//
// - words (issue 14): a 10,000-word article (generatedDocument, paragraphs of 80 words), a
//   fresh page per run, the engine's worker started and ready before the clock starts. Times
//   from highlightElement to the frame after `handle.ready` (the viewport painted) and after
//   `handle.done` (every entity), and the longest main-thread task (longtask entries). Once
//   with the worker's first text (its wasm code not yet optimised), once with the same text
//   highlighted beforehand (warm).
// - huge (issue 18): 20,000 paragraphs with an email address each; the longest task and the
//   longest animation frame (long-animation-frame entries, with the part spent in style and
//   layout) from highlightElement to `done`, and how many ranges end up registered.
// - changes (issue 18): 3,000 paragraphs of 10 email addresses (30,000 entities); 2,000 times
//   append and remove a <p> and edit a text node, best of 15 rounds, before highlighting, with
//   the entities painted, and just after clear(): the ratio to the cost before.
// - style: on the 20,000-paragraph page without nerlight, the time to adopt the `::highlight`
//   stylesheet and have the page's style recomputed (forced by asking for a box), against the
//   same after changing the body's color: both recompute the style of the whole page.
//
// Timings on a shared machine are noisy: compare the figures within one run, and print the load
// average with them (it is printed first).

import { readFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";

import { ARGS, CHROMIUM, WWW } from "../tests/e2e/page-helpers.mjs";
import { generatedDocument } from "./corpus.mjs";

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const RUNS = Number(option("--runs", 3));
const ONLY = option("--only", null);
// The package builds measured: this tree's, and with --compare another (e.g. main's www/pkg),
// served as /pkg0/ and /pkg1/ to pages that load /bench0.js or /bench1.js.
const PKGS = [path.join(WWW, "pkg"), ...(option("--compare", null) ? [path.resolve(option("--compare"))] : [])];
const LABELS = PKGS.length > 1 ? ["this tree", path.relative(process.cwd(), PKGS[1]) || PKGS[1]] : [""];

const words = generatedDocument(120_000).split(/\s+/).slice(0, 10_000).join(" ");
const PAGE_HEAD = `<!doctype html><html><head><meta charset="utf-8"><script type="module" src="/benchPKG.js"></script></head>`;
const PAGES = {
  "/words.html": `${PAGE_HEAD}<body><article id="root">${words.match(/(?:\S+\s*){1,80}/g).map((p) => `<p>${p}</p>`).join("\n")}</article></body></html>`,
  "/huge.html": `${PAGE_HEAD}<body><div id="root">${Array.from({ length: 20_000 }, (_, i) => `<p>Note ${i}: for this, write to desk${i}@example.org today.</p>`).join("\n")}</div></body></html>`,
  "/changes.html": `${PAGE_HEAD}<body><div id="root"><div id="host"></div><p id="edit">edit me</p>
${Array.from({ length: 3000 }, (_, i) => `<p>${Array.from({ length: 10 }, (_, k) => `u${i}x${k}@example.org`).join(", ")}</p>`).join("\n")}</div></body></html>`,
};

// In the page: the package's three entries and the measurements.
const BENCH_JS = `
import { createHighlighter } from "/pkgPKG/worker.js";
import { highlightElement, highlightStyles } from "/pkgPKG/dom.js";
import { init, labels } from "/pkgPKG/index.js";

const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
function recorder() {
  const rec = { tasks: [], frames: [] };
  const o1 = new PerformanceObserver((l) => { for (const e of l.getEntries()) rec.tasks.push(e.duration); });
  o1.observe({ type: "longtask" });
  const o2 = new PerformanceObserver((l) => {
    for (const e of l.getEntries()) rec.frames.push({ ms: e.duration, style: e.startTime + e.duration - (e.styleAndLayoutStart || e.startTime + e.duration) });
  });
  o2.observe({ type: "long-animation-frame" });
  rec.stop = async () => { await new Promise((r) => setTimeout(r, 200)); o1.disconnect(); o2.disconnect(); };
  return rec;
}
function registered() {
  let n = 0;
  for (const [name, h] of CSS.highlights) if (name.startsWith("nerlight-")) n += h.size;
  return n;
}

window.bench = {
  async words(warm) {
    const root = document.getElementById("root");
    const highlighter = createHighlighter();
    await highlighter.ready;
    if (warm) await highlighter.highlight(root.innerText);
    // When each piece of the engine's answer reached the page.
    const pieces = [];
    const timed = {
      labels: () => highlighter.labels(),
      highlight: (text, o) => {
        pieces.push({ sent: performance.now() - t0, length: text.length });
        return highlighter.highlight(text, { ...o, onChunk: (c) => { pieces.push({ at: performance.now() - t0, end: c.end }); o.onChunk?.(c); } });
      },
    };
    const rec = recorder();
    const t0 = performance.now();
    const handle = highlightElement(root, { highlighter: timed });
    await handle.ready;
    const resolved = performance.now() - t0;
    await frame();
    const ready = performance.now() - t0;
    await handle.done;
    await frame();
    const done = performance.now() - t0;
    await rec.stop();
    return { resolved, ready, done, pieces, entities: handle.entities.length, registered: registered(), task: Math.max(0, ...rec.tasks) };
  },
  async huge() {
    const highlighter = createHighlighter();
    await highlighter.ready;
    const rec = recorder();
    const t0 = performance.now();
    const handle = highlightElement(document.getElementById("root"), { highlighter });
    await handle.ready;
    const ready = performance.now() - t0;
    await handle.done;
    await frame();
    const done = performance.now() - t0;
    await rec.stop();
    const longest = rec.frames.reduce((a, f) => (f.ms > a.ms ? f : a), { ms: 0, style: 0 });
    return { ready, done, entities: handle.entities.length, registered: registered(), task: Math.max(0, ...rec.tasks), frame: longest, frames: rec.frames.length };
  },
  async changes() {
    const time = () => {
      const host = document.getElementById("host");
      const text = document.getElementById("edit").firstChild;
      const round = () => {
        const t0 = performance.now();
        for (let i = 0; i < 2000; i++) {
          const p = document.createElement("p");
          p.textContent = "a paragraph the page adds";
          host.append(p);
          p.remove();
          text.data = "edit " + i;
        }
        return performance.now() - t0;
      };
      for (let r = 0; r < 3; r++) round();
      let best = Infinity;
      for (let r = 0; r < 15; r++) best = Math.min(best, round());
      return best;
    };
    const before = time();
    const highlighter = createHighlighter();
    const handle = highlightElement(document.getElementById("root"), { highlighter });
    await handle.done;
    await frame();
    const count = registered();
    const on = time();
    handle.clear();
    const off = time();
    highlighter.terminate();
    return { before, on, off, entities: 30000, registered: count };
  },
  async style() {
    await init();
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(highlightStyles(labels()));
    // The recalc, forced at once by asking for a box (nothing else is pending after a frame).
    const styleOf = async (change) => {
      await frame();
      const t0 = performance.now();
      change();
      document.body.getBoundingClientRect();
      return performance.now() - t0;
    };
    const adopt = await styleOf(() => { document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet]; });
    const color = await styleOf(() => { document.body.style.color = "#222"; });
    return { adopt, color };
  },
};
`;

function serve() {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://x");
    const name = url.pathname;
    const pkg = Number(url.searchParams.get("pkg") ?? 0);
    if (PAGES[name]) return res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(PAGES[name].replace("PKG", pkg));
    const bench = name.match(/^\/bench(\d)\.js$/);
    if (bench) return res.writeHead(200, { "Content-Type": "text/javascript" }).end(BENCH_JS.replaceAll("PKG", bench[1]));
    const file = name.match(/^\/pkg(\d)\/([^/]+)$/);
    if (file && PKGS[file[1]]) {
      try {
        const body = readFileSync(path.join(PKGS[file[1]], file[2]));
        const type = name.endsWith(".wasm") ? "application/wasm" : "text/javascript";
        return res.writeHead(200, { "Content-Type": type }).end(body);
      } catch {}
    }
    res.writeHead(404).end();
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

const ms = (x) => `${Math.round(x)} ms`;
const list = (xs, f = ms) => xs.map(f).join(", ");

const server = await serve();
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
console.log(`load average ${os.loadavg().map((x) => x.toFixed(1)).join(" ")} on ${os.cpus().length} cores; ${RUNS} runs per case`);

async function inPage(pathname, fn, arg, pkg = 0) {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(`${origin}${pathname}?pkg=${pkg}`);
  await page.waitForFunction(() => window.bench);
  const out = await page.evaluate(([fn, arg]) => window.bench[fn](arg), [fn, arg]);
  await page.close();
  if (errors.length) throw new Error(errors.join("\n"));
  return out;
}

try {
  if (!ONLY || ONLY === "words") {
    for (const warm of [false, true]) {
      // Run i of each build in turn, so that the builds share the machine's load.
      const runs = PKGS.map(() => []);
      for (let i = 0; i < RUNS; i++) for (let k = 0; k < PKGS.length; k++) runs[k].push(await inPage("/words.html", "words", warm, k));
      for (let k = 0; k < PKGS.length; k++) {
        const rs = runs[k];
        console.log(
          `${LABELS[k] ? `[${LABELS[k]}] ` : ""}10,000 words (${rs[0].entities} entities, ${rs[0].registered} ranges registered), ${warm ? "warm engine" : "engine's first text"}: ` +
            `viewport painted ${list(rs.map((r) => r.ready))}; every entity ${list(rs.map((r) => r.done))}; longest task ${list(rs.map((r) => r.task))}`,
        );
        // Per run: the text sent at ms, each piece's end (characters) @ ms, ready resolved at ms.
        if (args.includes("--pieces")) {
          for (const r of rs) {
            const pieces = r.pieces.map((p) => (p.sent != null ? `sent ${Math.round(p.sent)}` : `${p.end}@${Math.round(p.at)}`));
            console.log(`   ${pieces.join(", ")}; ready resolved at ${Math.round(r.resolved)}`);
          }
        }
      }
    }
  }
  if (!ONLY || ONLY === "huge") {
    const all = PKGS.map(() => []);
    for (let i = 0; i < RUNS; i++) for (let k = 0; k < PKGS.length; k++) all[k].push(await inPage("/huge.html", "huge", undefined, k));
    for (let k = 0; k < PKGS.length; k++) {
      const runs = all[k];
      console.log(
        `${LABELS[k] ? `[${LABELS[k]}] ` : ""}20,000 paragraphs (${runs[0].entities} entities, ${list(runs.map((r) => r.registered), String)} ranges registered): viewport painted ${list(runs.map((r) => r.ready))}; ` +
          `every entity ${list(runs.map((r) => r.done))}; longest task ${list(runs.map((r) => r.task))}; ` +
          `longest frame ${list(runs.map((r) => r.frame), (f) => `${Math.round(f.ms)} ms (${Math.round(f.style)} in style and layout)`)}`,
      );
    }
  }
  if (!ONLY || ONLY === "changes") {
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await inPage("/changes.html", "changes"));
    const ratio = (r, k) => (r[k] / r.before).toFixed(2);
    console.log(
      `DOM changes, 2,000 x (append+remove a <p>, edit a text), best of 15: without ${list(runs.map((r) => r.before), (x) => `${x.toFixed(1)} ms`)}; ` +
        `with 30,000 entities painted (${list(runs.map((r) => r.registered), String)} ranges registered) ${list(runs.map((r) => `${ratio(r, "on")}x`), String)}; ` +
        `just after clear() ${list(runs.map((r) => `${ratio(r, "off")}x`), String)}`,
    );
  }
  if (!ONLY || ONLY === "style") {
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await inPage("/huge.html", "style"));
    console.log(
      `20,000 paragraphs without nerlight, the whole-page style recalc (forced at once): after adopting the ::highlight stylesheet ${list(runs.map((r) => r.adopt))}; ` +
        `changing the body's color ${list(runs.map((r) => r.color))}`,
    );
  }
} finally {
  await browser.close();
  server.close();
}
