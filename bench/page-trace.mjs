// What runs in the page's long main-thread tasks during a real Ctrl+V of a big text: a Chromium
// performance trace (DevTools protocol Tracing.start/end, the categories DevTools' Performance
// panel records) of the paste until the page is ready, then, per task over --over ms on the
// renderer's main thread, what it spent its time in: the events nested in it (the paste event and
// its clipboard read, script by function, garbage collection, style, layout, paint, messages),
// down to --depth levels, each with its own and total time, and the CPU time of each (on a loaded
// machine most of a long task's wall time can be its thread waiting for a core).
//
//   node bench/page-trace.mjs                      # 5 MB, tasks over 50 ms
//   node bench/page-trace.mjs --sizes 5,20 --over 30 --depth 5
//   node bench/page-trace.mjs --www /work/main/www  # another checkout's page (before/after)
//   node bench/page-trace.mjs --save /tmp/t.json    # also keep the trace (open it in DevTools)
//   node bench/page-trace.mjs --from /tmp/t.json    # report on a kept trace
//   node bench/page-trace.mjs --invalidations       # also record why layouts and paints happened
//
// Also prints the longest tasks by what they started with, and the "longtask" entries the page's
// own PerformanceObserver saw (what bench/page-big.mjs and the tests report).

import { readFileSync } from "node:fs";
import path from "node:path";

import { generatedDocument } from "./corpus.mjs";
import { forest, launch, mainThread, openPage, traced, TRACE_CATEGORIES, waitReady, watched, watchPage, WWW } from "../tests/e2e/page-helpers.mjs";

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const SIZES = option("--sizes", "5").split(",").map(Number);
const OVER = Number(option("--over", "50"));
const DEPTH = Number(option("--depth", "8"));
const TOP = Number(option("--top", "6"));
const SAVE = option("--save", null);
const WWW_DIR = path.resolve(option("--www", WWW));

const CATEGORIES = [
  ...TRACE_CATEGORIES,
  "disabled-by-default-devtools.timeline",
  "v8.execute",
  "blink.user_timing",
  "mojom",
  // --invalidations: what made each style recalculation, layout and paint necessary (slower).
  ...(args.includes("--invalidations") ? ["disabled-by-default-devtools.timeline.invalidationTracking"] : []),
];

/** A readable name for a trace event: the event type, the function, the DOM event type. */
function nameOf(e) {
  const d = e.args?.data ?? e.args?.beginData ?? {};
  if (e.name === "EventDispatch") return `EventDispatch ${d.type}`;
  if (e.name === "FunctionCall" || e.name === "v8.callFunction") {
    const url = d.url ? path.basename(d.url) : "";
    return `${e.name} ${d.functionName || "(anonymous)"} ${url}:${d.lineNumber ?? "?"}`;
  }
  if (e.name === "TimerFire") return `TimerFire ${d.timerId ?? ""}`;
  if (e.name === "EvaluateScript") return `EvaluateScript ${d.url ? path.basename(d.url) : ""}`;
  if (e.name.startsWith("Receive mojo message") || e.name.startsWith("Send mojo message")) return e.name;
  if (e.args?.chrome_mojo_event_info?.mojo_interface_tag) return `${e.name} ${e.args.chrome_mojo_event_info.mojo_interface_tag}`;
  return e.name;
}

const ms = (us) => (us / 1000).toFixed(1);

function print(span, depth, indent = "  ") {
  const total = span.end - span.ts;
  const own = total - span.children.reduce((n, c) => n + (c.end - c.ts), 0);
  const cpu = span.cpu === undefined ? "" : `, cpu ${ms(span.cpu).padStart(6)}`;
  console.log(`${indent}${ms(total).padStart(7)} ms (own ${ms(own).padStart(6)}${cpu})  ${nameOf(span.e)}`);
  if (depth <= 0) return;
  // Children of 1 ms or more, the smaller ones summed by name.
  const small = new Map();
  for (const c of span.children) {
    if (c.end - c.ts >= 1000) print(c, depth - 1, `${indent}  `);
    else {
      const n = nameOf(c.e);
      const s = small.get(n) ?? { n: 0, us: 0 };
      s.n++;
      s.us += c.end - c.ts;
      small.set(n, s);
    }
  }
  const summed = [...small].filter(([, s]) => s.us >= 1000).sort((a, b) => b[1].us - a[1].us);
  for (const [n, s] of summed) console.log(`${indent}  ${ms(s.us).padStart(7)} ms in ${s.n} × ${n}`);
}

/** Print the tasks over OVER ms of a trace's page main thread. */
function report(events, title) {
  const key = mainThread(events);
  const roots = forest(events, key);
  // Tasks: the top-level spans of the main thread (RunTask and the like).
  const tasks = roots.filter((r) => r.end - r.ts >= OVER * 1000).sort((a, b) => a.ts - b.ts);
  const has = (s, test) => test(s) || s.children.some((c) => has(c, test));
  const pasteAt = roots.find((r) => has(r, (s) => s.e.name === "EventDispatch" && s.e.args?.data?.type === "paste"))?.ts;
  console.log(`\n=== ${title}`);
  const after = roots.filter((r) => pasteAt === undefined || r.ts >= pasteAt);
  const wall = after.reduce((n, r) => n + (r.end - r.ts), 0);
  const cpu = after.reduce((n, r) => n + (r.cpu ?? 0), 0);
  const longest = (key) => Math.max(0, ...after.map(key));
  console.log(
    `main thread from the paste on: ${ms(wall)} ms in tasks, ${ms(cpu)} ms of them on a CPU ` +
      `(the rest waiting: for a core, or for another process); longest task ${ms(longest((r) => r.end - r.ts))} ms, ` +
      `most CPU in one task ${ms(longest((r) => r.cpu ?? 0))} ms`,
  );
  // The tasks that used the most CPU, each named by the chain of events that took most of it.
  const chain = (span) => {
    const names = [];
    for (let at = span; at; ) {
      if (!/^(RunTask|ThreadControllerImpl::RunTask|SimpleWatcher::OnHandleReady|HandlePostMessage)$/.test(at.e.name)) names.push(nameOf(at.e));
      const big = at.children.filter((c) => c.end - c.ts > 0.5 * (at.end - at.ts));
      at = big.length === 1 ? big[0] : null;
    }
    return names.join(" > ") || "(frame: style, layout, paint)";
  };
  const byCpu = [...after].sort((a, b) => (b.cpu ?? 0) - (a.cpu ?? 0)).slice(0, TOP);
  console.log(`the ${TOP} tasks with the most CPU time:`);
  for (const r of byCpu) {
    const at = pasteAt === undefined ? "" : ` at +${ms(r.ts - pasteAt)}`;
    console.log(`  cpu ${ms(r.cpu ?? 0).padStart(6)} ms, wall ${ms(r.end - r.ts).padStart(6)} ms${at}: ${chain(r)}`);
  }
  console.log(`${roots.length} top-level events on the main thread, ${tasks.length} over ${OVER} ms:`);
  for (const t of tasks) {
    console.log(`\n at +${ms(t.ts - (pasteAt ?? t.ts))} ms from the paste's task:`);
    print(t, DEPTH);
  }
  // --window A,B: every task of 2 ms or more from A to B ms after the paste's task, in order.
  const win = option("--window", null);
  if (win && pasteAt !== undefined) {
    const [a, b] = win.split(",").map(Number);
    console.log(`\ntasks of 2 ms or more from +${a} to +${b} ms:`);
    for (const r of roots) {
      const at = (r.ts - pasteAt) / 1000;
      if (at >= a && at <= b && r.end - r.ts >= 2000) {
        console.log(`\n at +${at.toFixed(1)} ms:`);
        print(r, DEPTH);
      }
    }
  }
}

const FROM = option("--from", null);
if (FROM) {
  const parsed = JSON.parse(readFileSync(FROM, "utf8"));
  report(Array.isArray(parsed) ? parsed : parsed.traceEvents, FROM);
  process.exit(0);
}

for (const mb of SIZES) {
  const text = generatedDocument(mb * 1_000_000);
  const env = await launch({ www: WWW_DIR });
  try {
    const { page } = await openPage(env.context, env.url);
    await page.evaluate((t) => navigator.clipboard.writeText(t), text);
    await watchPage(page, text.length);
    await page.focus("#input");
    await page.keyboard.press("Control+A");
    const events = await traced(env.context, page, { categories: CATEGORIES, save: SAVE }, async () => {
      await page.keyboard.press("Control+V");
      await waitReady(page, 900_000, { polling: 100 });
    });
    const seen = await watched(page);
    report(
      events,
      `${mb} MB (${text.length.toLocaleString("en-US")} units), page ${WWW_DIR}: first highlight ${seen.firstMarkMs} ms, ` +
        `all counted ${seen.elapsedMs} ms; longtask entries ${seen.longTasks.join(", ")}`,
    );
  } finally {
    await env.close();
  }
}
