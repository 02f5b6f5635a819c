// Page timing in headless Chromium: page load → first highlight of the sample article, and
// paste → highlight of a 5,000-word article, measured in the page with the Performance API.
//
//   bash scripts/build-wasm.sh && node bench/page-timing.mjs            # 7 runs each, medians
//   node bench/page-timing.mjs --runs 15
//
// The page is served from www/ by python3's http.server on a free loopback port. Each load runs
// in a fresh browser context (empty HTTP cache). The script assumes only what the page's e2e
// tests assume: a textarea #input whose text is highlighted into #result as <mark> elements
// (MARK_SELECTOR to change that). "Highlighted" means the marks for the new text are in the DOM
// (a MutationObserver's timestamp); "painted" is the next animation frame after that. The page
// streams a long text's highlights a chunk at a time, so "highlighted" is when the *last* chunk's
// marks are in and the pane holds the whole text; "first highlights" is when the first chunk's
// are. The engine runs in a worker, so the wasm download is timed from the network events.
//
// Paste is simulated the way a browser delivers it: a `paste` ClipboardEvent, then the text is
// inserted and an `input` event with inputType "insertFromPaste" fires. The clock starts just
// before the `paste` event. The article is the first 5,000 words of the OntoNotes dev split
// (../shared/data/ontonotes/dev.docstart.txt), or generated text without it.

import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";

import { ARGS, CHROMIUM, WWW, startServer } from "../tests/e2e/page-helpers.mjs";
import { article, countTokens } from "./corpus.mjs";

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const RUNS = Number(option("--runs", 7));
const MARK_SELECTOR = process.env.MARK_SELECTOR ?? "#result mark";

// Installed before the page's own scripts: records when marks first appear in the DOM and the
// frame after, relative to navigation start (performance.timeOrigin).
function recordFirstHighlight(selector) {
  window.__timing = {};
  const check = () => {
    if (window.__timing.firstHighlight == null && document.querySelector(selector)) {
      window.__timing.firstHighlight = performance.now();
      requestAnimationFrame(() => (window.__timing.firstPaint = performance.now()));
      return true;
    }
    return false;
  };
  new MutationObserver((_, observer) => {
    if (check()) observer.disconnect();
  }).observe(document, { childList: true, subtree: true, characterData: true });
}

// In the page: paste `text` into #input and resolve with the times (ms since the paste) at which
// #result shows exactly `text` with marks in it, and the next frame.
function pasteAndTime({ text, selector }) {
  return new Promise((resolve, reject) => {
    const input = document.getElementById("input");
    const result = document.getElementById("result");
    let t0 = 0;
    let first = null;
    const markIn = () => result.querySelector(selector.replace(/^#result\s+/, ""));
    const done = () => markIn() && result.textContent === text;
    const observer = new MutationObserver(() => {
      if (first == null && markIn() && result.textContent.length > 0 && text.startsWith(result.textContent)) {
        first = performance.now() - t0;
      }
      if (!done()) return;
      const highlighted = performance.now() - t0;
      observer.disconnect();
      clearTimeout(timer);
      requestAnimationFrame(() => resolve({ first: first ?? highlighted, highlighted, painted: performance.now() - t0 }));
    });
    observer.observe(result, { childList: true, subtree: true, characterData: true });
    const timer = setTimeout(() => {
      observer.disconnect();
      reject(new Error("no highlight within 20 s of the paste"));
    }, 20_000);
    input.focus();
    t0 = performance.now();
    const data = new DataTransfer();
    data.setData("text/plain", text);
    input.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
    input.value = text;
    input.dispatchEvent(new InputEvent("input", { inputType: "insertFromPaste", bubbles: true }));
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

if (!existsSync(path.join(WWW, "pkg", "nerlight_bg.wasm"))) {
  console.error("www/pkg is missing: run `bash scripts/build-wasm.sh` first");
  process.exit(1);
}
const text = article(5000);
const server = await startServer();
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
try {
  // 1. Load → first highlight, each in a fresh context (cold cache).
  const loads = [];
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.addInitScript(recordFirstHighlight, MARK_SELECTOR);
    // The wasm may be fetched by a worker, whose resource timings the page cannot see.
    let wasmEnd = null;
    page.on("requestfinished", (request) => {
      if (!request.url().endsWith(".wasm")) return;
      const t = request.timing();
      wasmEnd = t.startTime + t.responseEnd; // ms since the epoch
    });
    await page.goto(server.url);
    await page.waitForFunction(() => window.__timing.firstPaint != null, null, { timeout: 30_000 });
    const t = await page.evaluate(() => ({
      ...window.__timing,
      domContentLoaded: performance.getEntriesByType("navigation")[0]?.domContentLoadedEventEnd,
      origin: performance.timeOrigin,
    }));
    t.wasm = wasmEnd == null ? null : wasmEnd - t.origin;
    loads.push(t);
    await context.close();
  }

  // 2. Paste → highlight of the 5,000-word article, in one page: before each run a short text
  //    replaces the article, so every paste is a change.
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.url);
  await page.waitForSelector(MARK_SELECTOR, { timeout: 30_000 });
  const pastes = [];
  for (let i = 0; i < RUNS + 1; i++) {
    const short = `Run ${i}: mail ana${i}@example.org today.`;
    await page.evaluate(pasteAndTime, { text: short, selector: MARK_SELECTOR });
    const t = await page.evaluate(pasteAndTime, { text, selector: MARK_SELECTOR });
    if (i > 0) pastes.push(t); // the first paste warms the engine up
  }
  const marks = await page.$$eval(MARK_SELECTOR, (m) => m.length);
  const version = browser.version();
  await context.close();

  const f = (x) => (x == null ? "–" : x.toFixed(1));
  console.log(`## page timing (node bench/page-timing.mjs, ${RUNS} runs, medians)`);
  console.log();
  console.log(`machine: ${os.cpus()[0]?.model ?? "?"} × ${os.cpus().length}; Chromium ${version} headless`);
  console.log();
  console.log("| measure | median ms | min | max |");
  console.log("| --- | ---: | ---: | ---: |");
  const line = (what, xs) =>
    xs.length === 0
      ? console.log(`| ${what} | – | – | – |`)
      : console.log(`| ${what} | ${f(median(xs))} | ${f(Math.min(...xs))} | ${f(Math.max(...xs))} |`);
  line("load → wasm downloaded", loads.map((t) => t.wasm).filter((x) => x != null));
  line("load → first highlight of the sample (marks in the DOM)", loads.map((t) => t.firstHighlight));
  line("load → first highlight painted", loads.map((t) => t.firstPaint));
  line(`paste → first highlights, ${countTokens(text).toLocaleString("en-US")}-word article (first chunk's marks in the DOM)`, pastes.map((t) => t.first));
  line(`paste → highlight, ${countTokens(text).toLocaleString("en-US")}-word article (all marks in the DOM)`, pastes.map((t) => t.highlighted));
  line(`paste → highlight painted (${marks.toLocaleString("en-US")} marks)`, pastes.map((t) => t.painted));
} finally {
  await browser.close();
  server.child.kill();
}
