// Big texts in the page: a real Ctrl+V of 1, 5 and 20 MB of generated prose into the text box of
// headless Chromium, each in a fresh browser, timed in the page.
//
//   bash scripts/build-wasm.sh && node bench/page-big.mjs            # 1, 5 and 20 MB
//   node bench/page-big.mjs --sizes 1,5
//   node bench/page-big.mjs --sizes 5 --runs 3 --www /work/main/www,www   # before/after, alternating
//
// Prints per size: first highlight (ms from the Ctrl+V to the first mark of the new text in the
// DOM), all counted (ms to every entity received, counted in the legend and listed: the result
// pane's data-state "ready"), the longest main-thread task (PerformanceObserver "longtask") and
// how many took over 100 ms, the most DOM nodes seen (every node, sampled every 100 ms, and
// Chromium's own count from the DevTools protocol's Performance.getMetrics), and the renderer's
// memory (its peak resident set from /proc, and the JS heap in use at the end). The text is
// built in Node (bench/corpus.mjs) and written to the clipboard by the page before the clock
// starts. With --www, each run pastes into each of the pages given (other checkouts' www/), one
// after the other, so that a before/after comparison sees the same load. The long tasks are
// attributed by the long animation frames the page saw (script by what started it, and the
// frame's own style, layout and paint): "longest frames" says what the three longest were made of.

import os from "node:os";
import path from "node:path";

import { generatedDocument } from "./corpus.mjs";
import { launch, openPage, renderers, waitReady, watched, watchPage, WWW } from "../tests/e2e/page-helpers.mjs";

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const SIZES = option("--sizes", "1,5,20").split(",").map(Number);
const RUNS = Number(option("--runs", "1"));
const PAGES = option("--www", WWW)
  .split(",")
  .map((p) => path.resolve(p));

/** What a long animation frame was made of, in a few words. */
function describe(frame) {
  if (!frame) return "";
  const script = frame.scripts
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 2)
    .map((s) => `${s.ms} ms ${s.what} (${s.at})`)
    .join(", ");
  return `${frame.ms} ms at +${frame.at}: render ${frame.render} ms (style and layout ${frame.styleLayout})${script ? `, script ${script}` : ""}`;
}

const rows = [];
const jobs = [];
for (let run = 0; run < RUNS; run++) for (const mb of SIZES) for (const www of PAGES) jobs.push({ mb, www });
for (const { mb, www } of jobs) {
  const text = generatedDocument(mb * 1_000_000);
  const env = await launch({ www });
  try {
    const { page } = await openPage(env.context, env.url);
    const cdp = await env.context.newCDPSession(page);
    await cdp.send("Performance.enable");
    // On the clipboard first (its transfer is not the page's work), then the clock starts.
    await page.evaluate((t) => navigator.clipboard.writeText(t), text);
    await watchPage(page, text.length);
    let cdpNodes = 0;
    const sampling = setInterval(async () => {
      try {
        const { metrics } = await cdp.send("Performance.getMetrics");
        cdpNodes = Math.max(cdpNodes, metrics.find((m) => m.name === "Nodes")?.value ?? 0);
      } catch {
        // the page closed
      }
    }, 250);
    await page.focus("#input");
    await page.keyboard.press("Control+A"); // the paste replaces the sample text
    await page.keyboard.press("Control+V");
    await waitReady(page, 900_000, { polling: 100 });
    const seen = await watched(page);
    clearInterval(sampling);
    const { metrics } = await cdp.send("Performance.getMetrics");
    const heapMB = Math.round((metrics.find((m) => m.name === "JSHeapUsedSize")?.value ?? 0) / 1048576);
    const entities = await page.evaluate(() => window.nerlightPage.resultView.entities.length);
    const peakMB = Math.max(0, ...renderers(env.profile).map((r) => r.peakMB));
    const longest = seen.frames.sort((a, b) => b.ms - a.ms).slice(0, 3);
    rows.push({
      ...(PAGES.length > 1 ? { page: path.relative(process.cwd(), www) || "." } : {}),
      size: `${mb} MB`,
      entities,
      "first highlight ms": seen.firstMarkMs,
      "all counted ms": seen.elapsedMs,
      "longest task ms": seen.longestTask,
      "tasks over 100 ms": seen.longTasks.filter((t) => t > 100).length,
      "max DOM nodes": seen.maxNodes,
      "max Nodes (CDP)": cdpNodes,
      "renderer peak MB": peakMB,
      "JS heap MB": heapMB,
      load: os.loadavg()[0].toFixed(1),
    });
    console.error(JSON.stringify({ ...rows.at(-1), "longest frames": longest.map(describe), "tasks over 50 ms": seen.longTasks.join(" ") }));
  } finally {
    await env.close();
  }
}
console.table(rows);
