// Find in the text: every match of the query in the whole text is counted (a search over the
// string, in slices of a few milliseconds, so a 20 MB text never blocks the page), and the
// matches in the chunks the result pane has rendered are painted with the CSS Custom Highlight
// API (no element is added around them, so the pane's DOM and its marks stay as they are).
// ‹ › (or Enter, Shift+Enter) go to the next or previous match, rendering its chunk first.

import { nextTask } from "../pkg/tasks.js";
import { $ } from "../ui.js";

/** Match positions kept for stepping through; beyond them matches are only counted. */
const MAX_POSITIONS = 1_000_000;
/** Milliseconds of searching per task. */
const SLICE_MS = 8;

/** A query as a case-insensitive pattern matching it literally. */
export function literalPattern(query) {
  return new RegExp(query.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "gi");
}

/** Wires the find box to the result pane (page.resultView). */
export function setupFind(page) {
  const view = page.resultView;
  const box = $("find-text");
  const count = $("find-count");
  const supported = typeof Highlight === "function" && typeof CSS !== "undefined" && CSS.highlights;
  const all = supported ? new Highlight() : null;
  const current = supported ? new Highlight() : null;
  if (supported) {
    CSS.highlights.set("find", all);
    CSS.highlights.set("find-current", current);
  }

  let search = 0; // the current search; a newer one stops an older one
  let positions = []; // match starts, in order (at most MAX_POSITIONS)
  let length = 0; // the query's length: every literal match is as long
  let total = 0;
  let at = -1;
  let complete = false;
  const painted = new Map(); // chunk → its ranges in `all`

  function clearPaint() {
    all?.clear();
    current?.clear();
    painted.clear();
  }

  let searched = null; // the query of the last search started
  async function run() {
    const id = ++search;
    const query = box.value;
    searched = query;
    clearPaint();
    positions = [];
    total = 0;
    at = -1;
    complete = false;
    length = query.length;
    if (!query) {
      count.textContent = "";
      return;
    }
    const text = view.text;
    const pattern = literalPattern(query);
    let deadline = performance.now() + SLICE_MS;
    for (let n = 1, m = pattern.exec(text); m; m = pattern.exec(text), n++) {
      if (positions.length < MAX_POSITIONS) positions.push(m.index);
      total++;
      if (n % 256 === 0 && performance.now() > deadline) {
        count.textContent = `${total.toLocaleString("en-US")} matches…`;
        await new Promise((resolve) => nextTask(resolve));
        if (id !== search || view.text !== text) return;
        deadline = performance.now() + SLICE_MS;
      }
    }
    complete = true;
    showCount();
    for (const record of view.chunks) if (record.state === "rendered") paint(record);
  }

  function showCount() {
    const where = at >= 0 ? `${(at + 1).toLocaleString("en-US")} of ` : "";
    const kept = total > positions.length ? ` (the first ${positions.length.toLocaleString("en-US")} can be visited)` : "";
    count.textContent =
      total === 0 ? "No matches" : `${where}${total.toLocaleString("en-US")} ${total === 1 ? "match" : "matches"}${kept}`;
  }

  /** The first index in `positions` at or after `offset`. */
  function firstFrom(offset) {
    let lo = 0;
    let hi = positions.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (positions[mid] < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Ranges over the chunk's text nodes for the matches starting in it (cut at its end). */
  function rangesIn(record, from, to) {
    const out = [];
    const walker = document.createTreeWalker(record.element, NodeFilter.SHOW_TEXT);
    let node = walker.nextNode();
    let nodeStart = record.start;
    const locate = (offset) => {
      while (node && nodeStart + node.length < offset) {
        nodeStart += node.length;
        node = walker.nextNode();
      }
      return node ? [node, offset - nodeStart] : null;
    };
    for (let i = from; i < to; i++) {
      const start = locate(positions[i]);
      if (!start) break;
      const range = document.createRange();
      range.setStart(...start);
      const end = locate(Math.min(positions[i] + length, record.end));
      if (!end) break;
      range.setEnd(...end);
      out.push(range);
    }
    return out;
  }

  function paint(record) {
    if (!supported || !complete || painted.has(record)) return;
    const ranges = rangesIn(record, firstFrom(record.start), firstFrom(record.end));
    for (const r of ranges) all.add(r);
    painted.set(record, ranges);
  }

  view.on("render", (record) => paint(record));
  let currentChunk = null; // the chunk of the match gone to, whose range `current` holds
  view.on("evict", (record) => {
    for (const r of painted.get(record) ?? []) all.delete(r);
    painted.delete(record);
    if (record === currentChunk) current?.clear();
  });
  // A new text: search it again once it is there (its chunks are painted as they render).
  view.on("reset", () => {
    if (box.value) setTimeout(run, 0);
    else clearPaint();
  });

  /** Go to the next (1) or previous (-1) match: render its chunk, scroll the pane to it. */
  function go(dir) {
    if (!complete || positions.length === 0) return;
    at = at < 0 ? (dir > 0 ? 0 : positions.length - 1) : (at + dir + positions.length) % positions.length;
    const record = view.chunkAt(positions[at]);
    if (!record) return;
    view.renderNow(record);
    const [range] = rangesIn(record, at, at + 1);
    showCount();
    if (!range) return;
    current?.clear();
    current?.add(range);
    currentChunk = record;
    const pane = view.container;
    const rect = range.getBoundingClientRect();
    const paneRect = pane.getBoundingClientRect();
    pane.scrollTop += rect.top - paneRect.top - pane.clientHeight / 2;
    view.pin(range);
  }

  let timer = 0;
  box.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(run, 150);
  });
  box.addEventListener("keydown", async (event) => {
    if (event.key !== "Enter") return;
    event.preventDefault();
    if (searched !== box.value) {
      clearTimeout(timer);
      await run();
    }
    go(event.shiftKey ? -1 : 1);
  });
  $("find-next").addEventListener("click", () => go(1));
  $("find-prev").addEventListener("click", () => go(-1));
  $("find").addEventListener("submit", (event) => event.preventDefault());
}
