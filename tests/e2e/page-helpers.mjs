// Shared set-up for the page's end-to-end tests (tests/e2e/page-*.test.mjs): serve www/ on a
// loopback port, launch Debian's Chromium headless with a persistent profile in a temp dir (so
// localStorage survives a reload), open pages that record console errors, exceptions and dialogs.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const WWW = path.join(ROOT, "www");
export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
export const ARGS = [
  "--headless",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-sandbox",
];

/**
 * Serve www/ (or `dir`, e.g. another checkout's www/ for a before/after bench) on 127.0.0.1 on a
 * port the OS picks; resolves once the server says where.
 */
export function startServer(dir = WWW) {
  return new Promise((resolve, reject) => {
    const child = spawn("python3", ["-u", "-m", "http.server", "--bind", "127.0.0.1", "0", "--directory", dir], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`http.server did not start: ${out}`));
    }, 10_000);
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const m = out.match(/port (\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: `http://127.0.0.1:${m[1]}/` });
      }
    });
    child.stderr.on("data", () => {}); // request log; drained so the pipe never fills
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`http.server exited with ${code}: ${out}`));
    });
  });
}

/**
 * The server (of www/, or of `www`), and a persistent Chromium context on a fresh profile
 * directory. `close()` stops both and removes the profile.
 */
export async function launch({ viewport = { width: 1400, height: 900 }, www = WWW } = {}) {
  assert.ok(existsSync(path.join(www, "pkg", "nerlight.js")), `${www}/pkg is missing: run \`bash scripts/build-wasm.sh\` first`);
  const server = await startServer(www);
  const profile = mkdtempSync(path.join(os.tmpdir(), "nerlight-page-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: ARGS,
    viewport,
    acceptDownloads: true,
  });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url.replace(/\/$/, "") });
  return {
    server,
    context,
    url: server.url,
    profile,
    async close() {
      await context.close();
      server.child.kill();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * The renderer processes of the Chromium that `launch()` started (found by its profile
 * directory in /proc): [{pid, rssMB, peakMB}], peak being the process's high-water mark
 * (VmHWM), so a spike between two looks is not missed.
 */
export function renderers(profile) {
  const procs = new Map(); // pid → {ppid, cmdline}
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      // Chromium rewrites its children's command lines into one string: match substrings.
      procs.set(Number(entry), { ppid, cmdline: readFileSync(`/proc/${entry}/cmdline`, "utf8").replace(/\0/g, " ") });
    } catch {
      // the process ended while we looked
    }
  }
  const roots = [...procs].filter(([, p]) => p.cmdline.includes(`--user-data-dir=${profile} `)).map(([pid]) => pid);
  const family = new Set(roots);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, p] of procs) {
      if (!family.has(pid) && family.has(p.ppid)) {
        family.add(pid);
        grew = true;
      }
    }
  }
  const out = [];
  for (const pid of family) {
    if (!procs.get(pid).cmdline.includes("--type=renderer")) continue;
    try {
      const status = readFileSync(`/proc/${pid}/status`, "utf8");
      const kB = (field) => Number(status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, "m"))?.[1] ?? 0);
      out.push({ pid, rssMB: Math.round(kB("VmRSS") / 1024), peakMB: Math.round(kB("VmHWM") / 1024) });
    } catch {
      // ended
    }
  }
  return out;
}

/**
 * A new page (of a browser or a context) that records console errors, uncaught exceptions and
 * dialogs, at `url`; `beforeLoad(page)` runs before navigation, `ready` waits for the first
 * highlight.
 */
export async function openPage(context, url, { ready = true, beforeLoad } = {}) {
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const problems = { consoleErrors: [], pageErrors: [], dialogs: [] };
  page.on("console", (msg) => {
    if (msg.type() === "error") problems.consoleErrors.push(msg.text());
  });
  page.on("pageerror", (err) => problems.pageErrors.push(String(err)));
  page.on("dialog", async (dialog) => {
    problems.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    await dialog.dismiss();
  });
  if (beforeLoad) await beforeLoad(page);
  await page.goto(url);
  if (ready) await waitReady(page);
  return { page, problems };
}

export const NO_PROBLEMS = { consoleErrors: [], pageErrors: [], dialogs: [] };

/**
 * Wait until the page's text (the text box's, or a long text held read-only) is fully
 * highlighted: every chunk received in order, each rendered chunk showing exactly its part of the
 * text (a long text's far chunks stand empty: render.js), counts and list in place. `polling`:
 * "raf" (checked before every frame) or ms between checks, which keeps the check's own work (it
 * reads every rendered chunk's text) out of the frames of a page whose long tasks are measured.
 */
export async function waitReady(page, timeout = 20_000, { polling = "raf" } = {}) {
  await page.waitForFunction(
    () => {
      const result = document.getElementById("result");
      const state = window.nerlightPage;
      if (result.dataset.state !== "ready" || !state?.input) return false;
      const text = state.input.text();
      const view = state.resultView;
      if (view.text !== text) return false;
      let at = 0;
      for (const c of view.chunks) {
        if (c.start !== at) return false;
        if (c.state === "rendered" ? c.element.textContent !== text.slice(c.start, c.end) : c.element.textContent !== "") {
          return false;
        }
        at = c.end;
      }
      return at === text.length;
    },
    null,
    { timeout, polling },
  );
}

/** The page's text: the text box's, or a long text held read-only (textview.js). */
export function pageText(page) {
  return page.evaluate(() => window.nerlightPage.input.text());
}

/** Put `text` in the textarea as a paste does (highlighted at once) and wait for the result. */
export async function paste(page, text, { wait = true } = {}) {
  await page.evaluate((t) => {
    const input = document.getElementById("input");
    input.value = t;
    input.dispatchEvent(new InputEvent("input", { inputType: "insertFromPaste", bubbles: true }));
  }, text);
  if (wait) await waitReady(page);
}

/** [{i, label, text, source}] for every highlight rendered in the result pane. */
export function marks(page) {
  return page.$$eval("#result mark.entity", (ms) =>
    ms.map((m) => ({ i: Number(m.dataset.i), label: m.dataset.label, text: m.textContent, source: m.dataset.source })),
  );
}

/**
 * [{i, label, text, source}] for every highlight of the text, rendered or not: from the page's
 * data (a long text's far chunks are not rendered), after checking that each mark rendered is
 * the entity at its index, at its offset in the text.
 */
export async function allMarks(page) {
  const { all, wrong } = await page.evaluate(() => {
    const view = window.nerlightPage.resultView;
    const all = view.entities.map((e, i) => ({ i, label: e.label, text: view.text.slice(e.start, e.end), source: e.source }));
    const wrong = [];
    for (const c of view.chunks) {
      if (c.state !== "rendered") continue;
      // Each mark's offset: the chunk's start plus the length of the chunk's text before it.
      let at = c.start;
      const walker = document.createTreeWalker(c.element, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (node.nodeType === Node.TEXT_NODE) {
          at += node.length;
          continue;
        }
        if (!node.matches("mark.entity")) continue;
        const e = view.entities[Number(node.dataset.i)];
        if (!e || e.start !== at || e.label !== node.dataset.label || node.textContent !== view.text.slice(e.start, e.end)) {
          wrong.push(`${node.dataset.i} at ${at}: ${node.dataset.label} ${JSON.stringify(node.textContent)}`);
        }
      }
    }
    return { all, wrong };
  });
  assert.deepEqual(wrong, [], "rendered marks that are not their entity");
  return all;
}

/**
 * What the engine returns for `text`, from the same wasm module run on the page's main thread
 * (the page itself only ever calls it in its worker).
 */
export function engineEntities(page, text, phrases = []) {
  return page.evaluate(
    async ({ text, phrases }) => {
      const { default: init, Highlighter } = await import("./pkg/nerlight.js");
      await init();
      const h = new Highlighter();
      if (phrases.length) h.setUserPhrases(phrases);
      return h.highlight(text);
    },
    { text, phrases },
  );
}

/**
 * Whether a mark is drawn as a highlight (a background color and its label tag). The tag of a
 * mark with a glued possessive ("Iran’s") is drawn after that tail (render.js tailElement).
 */
export function markLooks(page, selector) {
  return page.$$eval(selector, (ms) =>
    ms.map((m) => {
      const tail = m.classList.contains("tailed") ? m.nextElementSibling : null;
      return {
        text: m.textContent,
        label: m.dataset.label,
        background: getComputedStyle(m).backgroundColor,
        tag: getComputedStyle(tail ?? m, "::after").content,
      };
    }),
  );
}

export const isHighlighted = (look) => look.background !== "rgba(0, 0, 0, 0)" && look.tag !== "none";

/** Parse RFC 4180 CSV (quoted fields, doubled quotes, CRLF) into rows. */
export function parseCSV(s) {
  const rows = [];
  let row = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\r" && s[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else cell += c;
  }
  if (cell !== "" || row.length) rows.push([...row, cell]);
  return rows;
}

/**
 * Put a text on the clipboard (the page's navigator.clipboard: launch() grants the permission)
 * and paste it into the text box with a real Ctrl+V, a trusted paste as a user's. `text` is the
 * string, or `{unit, times}` to build `unit.repeat(times)` in the page (no big transfer).
 */
export async function realPaste(page, text) {
  await page.evaluate(async (t) => {
    await navigator.clipboard.writeText(typeof t === "string" ? t : t.unit.repeat(t.times));
  }, text);
  await page.focus("#input");
  await page.keyboard.press("Control+A"); // the paste replaces the text, as the bench's does
  await page.keyboard.press("Control+V");
}

/** The trace categories DevTools' Performance panel records tasks and their parts with. */
export const TRACE_CATEGORIES = ["-*", "toplevel", "devtools.timeline"];

/**
 * Record a Chromium trace (DevTools protocol Tracing.start/end) of `action()` on `page`; returns
 * its events. `save`: also write the trace there (DevTools opens it).
 */
export async function traced(context, page, { categories = TRACE_CATEGORIES, save = null } = {}, action) {
  const cdp = await context.newCDPSession(page);
  const done = new Promise((resolve) => cdp.once("Tracing.tracingComplete", resolve));
  await cdp.send("Tracing.start", { categories: categories.join(","), transferMode: "ReturnAsStream" });
  await action();
  await cdp.send("Tracing.end");
  const { stream } = await done;
  const parts = [];
  for (;;) {
    const { data, eof, base64Encoded } = await cdp.send("IO.read", { handle: stream, size: 1 << 22 });
    parts.push(base64Encoded ? Buffer.from(data, "base64").toString("utf8") : data);
    if (eof) break;
  }
  await cdp.send("IO.close", { handle: stream });
  await cdp.detach();
  const json = parts.join("");
  if (save) writeFileSync(save, json);
  const parsed = JSON.parse(json);
  return Array.isArray(parsed) ? parsed : parsed.traceEvents;
}

/** The renderer main thread of the page: the CrRendererMain thread with the most DOM events. */
export function mainThread(events) {
  const mains = new Set(
    events.filter((e) => e.ph === "M" && e.name === "thread_name" && e.args?.name === "CrRendererMain").map((e) => `${e.pid}:${e.tid}`),
  );
  const counts = new Map();
  for (const e of events) {
    const key = `${e.pid}:${e.tid}`;
    if (mains.has(key) && e.name === "EventDispatch") counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
}

/**
 * The complete events of thread `key` ("pid:tid"; B/E pairs joined) as a forest by time
 * containment: [{e, ts, end, cpu, children}], times in µs, `cpu` the thread's CPU time in it.
 * The roots are the thread's tasks.
 */
export function forest(events, key) {
  const spans = [];
  const open = [];
  for (const e of events) {
    if (`${e.pid}:${e.tid}` !== key) continue;
    if (e.ph === "X") spans.push({ e, ts: e.ts, end: e.ts + (e.dur ?? 0), cpu: e.tdur, children: [] });
    else if (e.ph === "B") open.push({ e, ts: e.ts, tts: e.tts, children: [] });
    else if (e.ph === "E") {
      const s = open.pop();
      if (s) {
        s.end = e.ts;
        if (s.tts !== undefined && e.tts !== undefined) s.cpu = e.tts - s.tts;
        if (e.args && Object.keys(e.args).length) s.e = { ...s.e, args: { ...s.e.args, ...e.args } };
        spans.push(s);
      }
    }
  }
  // Outer first at equal starts.
  spans.sort((a, b) => a.ts - b.ts || b.end - a.end);
  const roots = [];
  const stack = [];
  for (const s of spans) {
    while (stack.length && stack.at(-1).end <= s.ts) stack.pop();
    if (stack.length && s.end <= stack.at(-1).end) stack.at(-1).children.push(s);
    else roots.push(s);
    stack.push(s);
  }
  return roots;
}

/**
 * Watch the page from now on, for a text of `length` units: main-thread long tasks, the DOM's
 * node count (every node, text nodes too) sampled every 100 ms, and when the first mark of that
 * text appears. `watched(page)` stops and reads it.
 */
export function watchPage(page, length) {
  return page.evaluate((length) => {
    const w = (window.__watch = { started: performance.now(), longTasks: [], frames: [], maxNodes: 0, samples: 0, firstMark: null });
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.longTasks.push(Math.round(e.duration));
    }).observe({ type: "longtask" });
    // What the long ones were: long animation frames (over 50 ms), split into script (by what
    // started it) and the frame's own style, layout and paint.
    if (PerformanceObserver.supportedEntryTypes.includes("long-animation-frame")) {
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          const render = e.renderStart ? e.startTime + e.duration - e.renderStart : 0;
          const scripts = e.scripts.map((s) => ({
            ms: Math.round(s.duration),
            what: `${s.invokerType} ${s.invoker}`.slice(0, 80),
            at: `${(s.sourceURL ?? "").split("/").pop()}:${s.sourceFunctionName ?? ""}`,
          }));
          w.frames.push({
            at: Math.round(e.startTime - w.started),
            ms: Math.round(e.duration),
            blocking: Math.round(e.blockingDuration),
            render: Math.round(render),
            styleLayout: e.styleAndLayoutStart ? Math.round(e.startTime + e.duration - e.styleAndLayoutStart) : 0,
            scripts,
          });
        }
      }).observe({ type: "long-animation-frame" });
    }
    const count = () => {
      let n = 1;
      const walker = document.createTreeWalker(document, NodeFilter.SHOW_ALL);
      while (walker.nextNode()) n++;
      return n;
    };
    w.timer = setInterval(() => {
      w.maxNodes = Math.max(w.maxNodes, count());
      w.samples++;
    }, 100);
    const result = document.getElementById("result");
    const observer = new MutationObserver(() => {
      if (window.nerlightPage?.resultView.text.length === length && result.querySelector("mark")) {
        w.firstMark = performance.now() - w.started;
        observer.disconnect();
      }
    });
    observer.observe(result, { childList: true, subtree: true });
  }, length);
}

/**
 * What watchPage saw: {longestTask, longTasks, frames (long animation frames, see watchPage),
 * maxNodes, samples, firstMarkMs, elapsedMs}.
 */
export function watched(page) {
  return page.evaluate(() => {
    const w = window.__watch;
    clearInterval(w.timer);
    let n = 1;
    const walker = document.createTreeWalker(document, NodeFilter.SHOW_ALL);
    while (walker.nextNode()) n++;
    return {
      longestTask: Math.max(0, ...w.longTasks),
      longTasks: w.longTasks,
      frames: w.frames,
      maxNodes: Math.max(w.maxNodes, n),
      samples: w.samples,
      firstMarkMs: w.firstMark === null ? null : Math.round(w.firstMark),
      elapsedMs: Math.round(performance.now() - w.started),
    };
  });
}
