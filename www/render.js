// Rendering entities as colored boxes, displaCy style, a chunk at a time.
//
// The engine's chunks arrive in order from the worker; ResultView turns each into a <span
// class="chunk"> of text nodes and <mark>s, in time slices of a few milliseconds, so a 1 MB
// result never blocks the page for long. Hiding labels and low scores is CSS on an ancestor
// (see panels/legend.js): nothing is re-rendered for it.
//
// Windowed: once the rendered chunks hold about NODE_BUDGET DOM nodes, a chunk that is a block
// of whole lines is rendered only while it is near the pane's viewport (within one pane height,
// found at each scroll by a binary search on the chunks' offsets) and emptied again when it is far
// and the budget is spent. An empty chunk keeps its measured height (or an estimate from the
// text's length), so the scroll bar and the position stay right. (An IntersectionObserver on
// every chunk cost 150–360 ms a frame at 20 MB, 2,500 chunks: the browser works out every
// target's intersection each frame.) The DOM stays bounded whatever the text's size; the data
// (every entity) is always whole, and jumping to an entity renders its chunk first.
//
// Safety: the input text only ever reaches the DOM as text nodes. Nothing here builds HTML from
// strings, so a text containing markup is shown as that markup, inert.

import { gluedTail, scoreBucket } from "./entities.js";
import { spans } from "./pkg/spans.js";
import { nextTask } from "./pkg/tasks.js";

/** Milliseconds of DOM building per task before yielding to input. */
const SLICE_MS = 8;
/**
 * Milliseconds of DOM building per frame. Chromium runs queued tasks before rendering until a
 * frame is ~100 ms late, so without this cap the chunks of a 1 MB text would all be built before
 * the first frame, and that frame's style and layout alone would block the page.
 */
const FRAME_MS = 8;

/**
 * Characters without a line break on each side of a cut that make it a break between blocks
 * (see push): only lines this long are laid out a chunk at a time.
 */
const LONG_LINE = 2_000;

const FALLBACK_COLOR = "#dddddd";

/**
 * DOM nodes the rendered chunks may hold before far ones are emptied: about three screens of
 * dense prose, a few thousand nodes that style and layout handle in a few milliseconds.
 */
export const NODE_BUDGET = 6_000;

/** Milliseconds a jump's target is held in place while the chunks around it render (pin). */
const PIN_MS = 3_000;

/** The DOM nodes a chunk with `count` entities takes once rendered: each mark, its text, a gap. */
const chunkNodes = (count) => 1 + 3 * count;

/**
 * One mark for one entity. The label tag is drawn by CSS from data-label (style.css), so the
 * pane's textContent stays exactly the input text; screen readers get it from aria-label.
 */
export function entityElement(doc, surface, entity, index) {
  const mark = doc.createElement("mark");
  mark.className = "entity";
  mark.dataset.label = entity.label;
  mark.dataset.source = entity.source;
  mark.dataset.i = index;
  if (entity.source === "model") mark.dataset.b = scoreBucket(entity.score);
  // Not focusable yet: ResultView gives one mark tabindex 0 (roving) and the others -1 when they
  // are reached, which keeps a 1 MB result from adding thousands of tab stops or attributes.
  mark.setAttribute("aria-label", `${surface} (${entity.label})`);
  mark.append(surface);
  return mark;
}

/**
 * A possessive glued to a mark ("’s" in "Iran’s"): a span of the mark's label that carries the
 * label tag in its place (style.css), so the tag follows the whole word. Its text stays text.
 */
export function tailElement(doc, tail, mark) {
  const span = doc.createElement("span");
  span.className = "entity-tail";
  span.dataset.label = mark.dataset.label;
  if (mark.dataset.b !== undefined) span.dataset.b = mark.dataset.b;
  span.append(tail);
  return span;
}

/**
 * Append `text`, which follows `mark` directly (or follows no mark when `mark` is null), to
 * `parent`: a glued possessive at its start goes in a tailElement and the mark is marked as
 * having one, the rest as a text node.
 */
export function appendAfterMark(parent, mark, text) {
  const n = mark ? gluedTail(mark.textContent, text) : 0;
  if (n > 0) {
    mark.classList.add("tailed");
    parent.append(tailElement(parent.ownerDocument ?? mark.ownerDocument, text.slice(0, n), mark));
  }
  if (n < text.length) parent.append(text.slice(n));
}

/**
 * The index of the first of `items` (each with an `element`, laid out top to bottom in one
 * offsetParent) whose element ends below `top`, by a binary search: where the view starts.
 */
export function firstEndingBelow(items, top) {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const e = items[mid].element;
    if (e.offsetTop + e.offsetHeight <= top) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The chunk whose range [first(c), end(c)) holds `x`, by a binary search (chunks in order), or null. */
function findChunk(chunks, x, first, end) {
  let lo = 0;
  let hi = chunks.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = chunks[mid];
    if (x < first(c)) hi = mid - 1;
    else if (x >= end(c)) lo = mid + 1;
    else return c;
  }
  return null;
}

export class ResultView {
  /**
   * @param {HTMLElement} container the scrolling result pane
   * @param {{onProgress?: (received: number, length: number) => void,
   *          onDone?: () => void, isShown?: (index: number) => boolean}} hooks
   */
  constructor(container, hooks = {}) {
    this.container = container;
    this.hooks = hooks;
    this.text = "";
    /** Every entity of the current text, in order; marks[i] renders entities[i] while rendered. */
    this.entities = [];
    this.marks = [];
    /**
     * The text's chunks as received: {index, start, end, base (its first entity's index), count,
     * element, block, state: "empty" | "partial" | "rendered", walk, cursor, height}.
     */
    this.chunks = [];
    this.done = false;
    this.id = 0;
    this.queue = []; // chunks to render, in order
    this.working = false;
    this.frameSpent = 0; // ms of DOM building since the last frame
    this.current = null; // the mark in the tab order (roving tabindex)
    this.received = 0; // text units received so far
    this.liveNodes = 0; // DOM nodes of the rendered chunks (chunkNodes)
    this.near = new Set(); // chunks within a pane height of the viewport (updateNear)
    this.byElement = new WeakMap(); // chunk element → its record
    this.measuredPx = 0; // heights of blocks seen rendered, and their text units (measure)
    this.measuredUnits = 0;
    this.pxPerUnit = 0;
    this.listeners = { render: [], evict: [], reset: [] };
    container.addEventListener("scroll", () => this.nearSoon(), { passive: true });
    globalThis.addEventListener?.("resize", () => this.nearSoon());
    // Scrolling by the user ends a pin (see pin); keys that move between marks pin again.
    for (const type of ["wheel", "pointerdown", "touchstart", "keydown"]) {
      container.addEventListener(type, () => (this.pinned = null), { passive: true });
    }
    container.addEventListener("keydown", (event) => this.onKeydown(event));
    container.addEventListener("click", (event) => {
      const mark = event.target.closest?.("mark.entity");
      if (mark) {
        this.setCurrent(mark);
        mark.focus({ preventScroll: true });
      }
    });
    container.addEventListener("focusin", (event) => {
      const mark = event.target.closest?.("mark.entity");
      if (mark) this.setCurrent(mark);
    });
  }

  /** Call `fn(chunk)` when a chunk is rendered ("render") or emptied ("evict"), or `fn()` on "reset". */
  on(type, fn) {
    this.listeners[type].push(fn);
  }

  emit(type, chunk) {
    for (const fn of this.listeners[type]) fn(chunk);
  }

  /** Accept a chunk of request `id` for `text`; the first chunk of a new request clears the pane. */
  push(id, text, chunk) {
    if (id !== this.id) this.reset(id, text);
    const base = this.entities.length;
    for (const e of chunk.entities) this.entities.push(e);
    const slice = text.slice(chunk.start, chunk.end);
    const element = this.container.ownerDocument.createElement("span");
    element.className = "chunk";
    // A chunk that starts and ends a line is a block, which lets the browser lay out a long text
    // chunk by chunk; one that starts or ends mid-line stays inline, so cuts never show. Except
    // deep inside a very long line: laid out inline, each chunk would re-lay out the whole line
    // so far (a 100 KB line without a break took 500 ms a frame), so a cut there (after a space,
    // chunks.js) becomes a line break; the text, and everything but where that line wraps, stays.
    // Only a block can stand empty for its height, so only blocks are windowed.
    const endsLine = slice.endsWith("\n") || chunk.done;
    const longBefore = chunk.start >= LONG_LINE && !text.slice(chunk.start - LONG_LINE, chunk.start).includes("\n");
    const longAfter = !endsLine && !text.slice(chunk.end, chunk.end + LONG_LINE).includes("\n") && chunk.end + LONG_LINE <= text.length;
    const block = (this.previousEndsLine || longBefore) && (endsLine || longAfter);
    if (block) {
      element.classList.add("chunk-block");
      // Until it is first rendered, an off-screen block counts as this tall (content-visibility,
      // style.css): a guess near its real height (~60 characters a line) keeps the browser from
      // taking the next few chunks for on-screen and laying them all out in the first frame.
      element.style.containIntrinsicSize = `auto ${Math.max(2, Math.ceil(slice.length / 60)) * 2.4}em`;
    }
    this.previousEndsLine = slice.endsWith("\n");
    const record = {
      index: this.chunks.length,
      start: chunk.start,
      end: chunk.end,
      base,
      count: chunk.entities.length,
      element,
      block,
      state: "empty",
      walk: null,
      cursor: chunk.start,
      height: 0,
    };
    this.chunks.push(record);
    this.byElement.set(element, record);
    this.received = chunk.end;
    this.lastReceived = chunk.done;
    this.container.append(element);
    // Within the budget, or inline, a chunk is rendered as it comes; past it, a block waits
    // empty until it is near the viewport (updateNear).
    if (!block || this.liveNodes + chunkNodes(record.count) <= NODE_BUDGET) this.enqueue(record);
    else this.setEmpty(record);
    this.kick();
    this.nearSoon();
    // Progress follows what is received: past the budget most chunks are not rendered.
    this.throttledProgress();
  }

  /** Start working if idle: the first slice right away, so a short text is done in this task. */
  kick() {
    if (this.working) return;
    if (this.queue.length === 0) {
      this.finishIfDone();
      return;
    }
    this.working = true;
    this.work();
  }

  enqueue(record, first = false) {
    if (record.queued) return;
    record.queued = true;
    if (first) this.queue.unshift(record);
    else this.queue.push(record);
  }

  /** An empty block stands for its text: its measured height, else an estimate. */
  setEmpty(record) {
    const estimate = this.pxPerUnit > 0 ? `${Math.ceil((record.end - record.start) * this.pxPerUnit)}px` : null;
    record.element.style.height = record.height > 0 ? `${record.height}px` : estimate ?? record.element.style.containIntrinsicSize.replace("auto ", "");
    record.element.classList.add("chunk-empty");
  }

  /**
   * Empty the pane until the first chunk of the next request. Before a whole new view replaces
   * the text (a link): the old result is then not restyled for it, which for a long one took the
   * browser a task of 230 ms.
   */
  clear() {
    this.reset(-1, "");
  }

  /** Start request `id` for `text` afresh: nothing of the old one is kept, shown or scheduled. */
  reset(id, text) {
    this.id = id;
    this.text = text;
    this.entities = [];
    this.marks = [];
    this.chunks = [];
    this.queue = [];
    this.near = new Set();
    this.byElement = new WeakMap();
    this.liveNodes = 0;
    this.measuredPx = 0;
    this.measuredUnits = 0;
    this.pxPerUnit = 0;
    this.done = false;
    this.lastReceived = false;
    this.current = null;
    this.pinned = null;
    this.keepAll = false;
    this.received = 0;
    this.previousEndsLine = true;
    this.working = false; // a slice of the old text still scheduled sees the new id and stops
    this.container.replaceChildren();
    this.emit("reset");
  }

  /** Run `work` in a new task, or at the next frame once this frame's budget is spent. */
  schedule() {
    const id = this.id;
    const run = () => (this.id === id ? this.work() : undefined);
    if (this.frameSpent < FRAME_MS || document.hidden) nextTask(run);
    else this.afterFrame(run);
  }

  /** Call `fn` once the next frame has rendered (and start counting a new frame's budget). */
  afterFrame(fn) {
    this.frameWaiters = this.frameWaiters ?? [];
    this.frameWaiters.push(fn);
    if (this.frameWaiters.length > 1) return;
    requestAnimationFrame(() => {
      // rAF runs before the frame's style and layout: continue in the task after them.
      nextTask(() => {
        this.frameSpent = 0;
        const waiters = this.frameWaiters;
        this.frameWaiters = [];
        for (const w of waiters) w();
      });
    });
  }

  /** Whether a queued chunk is still wanted: inline, near the viewport, or within the budget. */
  wanted(record) {
    return !record.block || this.near.has(record) || record.state === "partial" || this.liveNodes + chunkNodes(record.count) <= NODE_BUDGET;
  }

  work() {
    if (this.frameSpent >= FRAME_MS && !document.hidden) {
      this.schedule();
      return;
    }
    const started = performance.now();
    const deadline = started + Math.min(SLICE_MS, FRAME_MS - this.frameSpent);
    while (this.queue.length > 0) {
      const record = this.queue[0];
      if (record.state === "rendered" || !this.wanted(record)) {
        this.queue.shift();
        record.queued = false;
        // Queued within the budget, which others spent first: it waits empty, at its height.
        if (record.state === "empty") this.setEmpty(record);
        continue;
      }
      const finished = this.renderChunk(record, deadline);
      if (finished) {
        this.queue.shift();
        record.queued = false;
      }
      if (performance.now() > deadline) break;
    }
    this.throttledProgress();
    this.repin();
    this.spend(started);
    if (this.queue.length > 0) this.schedule();
    else {
      this.working = false;
      this.finishIfDone();
    }
  }

  /** Once the last chunk is in and nothing wanted waits to be rendered: done. */
  finishIfDone() {
    if (this.done || !this.lastReceived || this.queue.length > 0) return;
    this.done = true;
    this.hooks.onProgress?.(this.received, this.text.length);
    this.hooks.onDone?.();
  }

  /** Progress at most every 100 ms: it restyles the bar and the legend's counts. */
  throttledProgress() {
    const now = performance.now();
    if (now - (this.progressAt ?? 0) < 100) return;
    this.progressAt = now;
    this.hooks.onProgress?.(this.received, this.text.length);
  }

  /**
   * Render `record`'s text and marks, span by span (spans.js skips what goes backwards or past
   * the chunk, whatever the worker sends), until it is done (true) or `deadline` passes (false;
   * the next call goes on from there).
   */
  renderChunk(record, deadline = Infinity) {
    const doc = this.container.ownerDocument;
    const { element } = record;
    if (record.state === "empty") {
      element.replaceChildren();
      element.style.height = "";
      element.classList.remove("chunk-empty");
      record.walk = spans(this.entities.slice(record.base, record.base + record.count), record.start, record.end);
      record.cursor = record.start;
      record.lastMark = null;
      record.state = "partial";
      this.liveNodes += chunkNodes(record.count);
    }
    const fragment = doc.createDocumentFragment();
    let n = 0;
    let finished = true;
    for (let step = record.walk.next(); !step.done; step = record.walk.next()) {
      const { start, end, entity, index } = step.value;
      record.cursor = end;
      if (!entity) {
        appendAfterMark(fragment, record.lastMark, this.text.slice(start, end));
        record.lastMark = null;
        continue;
      }
      const mark = entityElement(doc, this.text.slice(start, end), entity, record.base + index);
      record.lastMark = mark;
      this.marks[record.base + index] = mark;
      if (!this.current) this.setCurrent(mark);
      fragment.append(mark);
      if (++n % 64 === 0 && performance.now() > deadline) {
        finished = record.cursor >= record.end;
        break;
      }
    }
    element.append(fragment);
    if (!finished) return false;
    record.state = "rendered";
    record.walk = null;
    this.emit("render", record);
    this.nearSoon(); // its height changed: what is near may have too
    return true;
  }

  /** Empty a rendered block, keeping its height; its marks are dropped from `marks`. */
  evict(record, height) {
    if (record.state === "empty" || !record.block) return;
    record.height = height;
    if (!record.measured) {
      record.measured = true;
      this.measure(height, record);
    }
    for (let i = record.base; i < record.base + record.count; i++) this.marks[i] = undefined;
    if (this.current && record.element.contains(this.current)) this.current = null;
    this.liveNodes -= chunkNodes(record.count);
    record.state = "empty";
    record.walk = null;
    this.emit("evict", record);
    this.setEmpty(record);
    record.element.replaceChildren();
  }

  /** A running measure of height per text unit, for the estimates of chunks never rendered. */
  measure(height, record) {
    if (!(height > 0)) return;
    this.measuredPx += height;
    this.measuredUnits += record.end - record.start;
    this.pxPerUnit = this.measuredPx / this.measuredUnits;
  }

  /** Work out which chunks are near the viewport at the next frame (once, however many calls). */
  nearSoon() {
    if (this.nearPending || typeof requestAnimationFrame !== "function") return;
    this.nearPending = true;
    requestAnimationFrame(() => {
      this.nearPending = false;
      this.updateNear();
    });
  }

  /**
   * The chunks within one pane height of the viewport, by a binary search on their offsets (the
   * pane is their offsetParent): those not rendered are queued first; if the rendered ones are
   * over budget, the farthest are emptied (their heights read before anything changes).
   */
  updateNear() {
    const pane = this.container;
    const top = pane.scrollTop - pane.clientHeight;
    const bottom = pane.scrollTop + 2 * pane.clientHeight;
    const chunks = this.chunks;
    const near = new Set();
    const came = [];
    for (let i = firstEndingBelow(chunks, top); i < chunks.length; i++) {
      const record = chunks[i];
      const e = record.element;
      if (e.offsetTop >= bottom) break;
      near.add(record);
      if (record.state !== "rendered") came.push(record);
      else if (!record.measured && record.block) {
        record.measured = true;
        this.measure(e.offsetHeight, record);
      }
    }
    this.near = near;
    for (const record of came.reverse()) this.enqueue(record, true);
    this.trim();
    this.kick();
    this.repin();
  }

  /** Over budget: empty the rendered blocks farthest from the near ones (never the focused one). */
  trim() {
    // What the near chunks still waiting will add.
    let incoming = 0;
    for (const c of this.queue) if (c.state === "empty" && this.near.has(c)) incoming += chunkNodes(c.count);
    if (this.keepAll || this.liveNodes + incoming <= NODE_BUDGET) return;
    const near = [...this.near].map((c) => c.index);
    const lo = Math.min(...near);
    const hi = Math.max(...near);
    const distance = (c) => (near.length === 0 ? 0 : c.index < lo ? lo - c.index : c.index - hi);
    const focused = this.container.ownerDocument.activeElement;
    const far = this.chunks
      .filter((c) => c.block && c.state !== "empty" && !this.near.has(c) && !c.element.contains(focused))
      .sort((a, b) => distance(b) - distance(a));
    const heights = far.map((c) => c.element.getBoundingClientRect().height);
    for (let i = 0; i < far.length && this.liveNodes + incoming > NODE_BUDGET; i++) this.evict(far[i], heights[i]);
  }

  /** Count the time since `started` against this frame's budget. */
  spend(started) {
    if (this.frameSpent === 0) this.afterFrame(() => {});
    this.frameSpent += performance.now() - started;
  }

  /**
   * Scroll the pane, and only the pane, so that `mark` is in its middle. scrollIntoView lays out
   * what content-visibility skipped on the way (computing the offset by hand misses by the
   * difference between skipped chunks' estimated and real heights), but scrolls the window too:
   * the window's position is put back in the same task, before anything is painted.
   */
  scrollToMark(mark) {
    const win = this.container.ownerDocument.defaultView;
    const [x, y] = [win.scrollX, win.scrollY];
    mark.scrollIntoView({ block: "center", inline: "nearest", behavior: "instant" });
    if (win.scrollX !== x || win.scrollY !== y) win.scrollTo({ left: x, top: y, behavior: "instant" });
  }

  /** Make `mark` the one mark in the tab order (the others stay focusable by script). */
  setCurrent(mark) {
    if (this.current === mark) return;
    if (this.current) this.current.tabIndex = -1;
    this.current = mark;
    mark.tabIndex = 0;
  }

  /** The chunk holding entity `index`. */
  chunkOfEntity(index) {
    return findChunk(this.chunks, index, (c) => c.base, (c) => c.base + c.count);
  }

  /** The chunk holding text offset `offset`. */
  chunkAt(offset) {
    return findChunk(this.chunks, offset, (c) => c.start, (c) => c.end);
  }

  /**
   * Render `record` in full now, and the chunks on each side of it (to jump into it: the pane
   * then shows no empty chunk around the target, whose estimated height would move it once
   * rendered).
   */
  renderNow(record) {
    if (!record) return;
    for (let i = Math.max(0, record.index - 1); i <= record.index + 1 && i < this.chunks.length; i++) {
      const c = this.chunks[i];
      if (c.state !== "rendered") this.renderChunk(c);
      this.near.add(c); // until updateNear sees where the view went, so trim keeps it
    }
  }

  /**
   * The index of the shown entity after (dir 1) or before (dir -1) index `from`, or -1: every
   * entity counts, rendered or not (focusMark renders its chunk).
   */
  step(from, dir) {
    const isShown = this.hooks.isShown ?? (() => true);
    for (let i = from + dir; i >= 0 && i < this.entities.length; i += dir) {
      if (isShown(i) && this.renderable(i)) return i;
    }
    return -1;
  }

  /** Whether entity `i` has a mark once its chunk is rendered (spans.js skips bad entities). */
  renderable(i) {
    if (this.marks[i]) return true;
    const record = this.chunkOfEntity(i);
    return record !== null && record.state !== "rendered";
  }

  onKeydown(event) {
    const mark = event.target.closest?.("mark.entity");
    if (!mark) return;
    const i = Number(mark.dataset.i);
    let target = -1;
    if (event.key === "ArrowRight" || event.key === "ArrowDown") target = this.step(i, 1);
    else if (event.key === "ArrowLeft" || event.key === "ArrowUp") target = this.step(i, -1);
    else if (event.key === "Home") target = this.step(-1, 1);
    else if (event.key === "End") target = this.step(this.entities.length, -1);
    else return;
    event.preventDefault();
    if (target >= 0) this.focusMark(target, { flash: false });
  }

  /**
   * Scroll to entity `index`'s mark, rendering its chunk first if it is empty, make it the
   * current one (focused unless `focus` is false, as when the entity list keeps focus), and
   * flash it. Returns false if its chunk has not arrived yet.
   */
  focusMark(index, { flash = true, focus = true } = {}) {
    if (!this.marks[index]) this.renderNow(this.chunkOfEntity(index));
    const mark = this.marks[index];
    if (!mark) return false;
    this.setCurrent(mark);
    this.scrollToMark(mark);
    this.pin(mark);
    if (focus) mark.focus({ preventScroll: true });
    if (flash) {
      this.flashed?.classList.remove("flash");
      this.flashed = mark;
      mark.classList.remove("flash");
      void mark.offsetWidth; // restart the animation
      mark.classList.add("flash");
      setTimeout(() => mark.classList.remove("flash"), 1600);
    }
    return true;
  }

  /**
   * Keep `target` (a mark or a Range) where it now is in the pane for a while: as the chunks
   * around it are rendered, their real heights replace estimates, and the browser's scroll
   * anchoring does not always hold the view still (it picks its own anchor). Not only our own
   * rendering moves it: the browser lays out a `content-visibility: auto` chunk, whose height
   * was a placeholder, when it comes near the view, and no script runs then (a jump to the end
   * of a 2 MB text was left 2,400 px off the pane that way). So the pin is also checked every
   * frame while it holds. Any scrolling by the user lets go at once.
   */
  pin(target) {
    const offset = target.getBoundingClientRect().top - this.container.getBoundingClientRect().top;
    const pin = { target, offset, until: performance.now() + PIN_MS };
    this.pinned = pin;
    if (typeof requestAnimationFrame !== "function") return;
    const hold = () => {
      if (this.pinned !== pin) return;
      this.repin();
      requestAnimationFrame(hold);
    };
    requestAnimationFrame(hold);
  }

  /** Scroll the pinned target back to where it was pinned, if the layout moved it. */
  repin() {
    const pin = this.pinned;
    if (!pin) return;
    const node = pin.target.startContainer ?? pin.target;
    if (performance.now() > pin.until || !node.isConnected) {
      this.pinned = null;
      return;
    }
    const delta = pin.target.getBoundingClientRect().top - this.container.getBoundingClientRect().top - pin.offset;
    if (Math.abs(delta) >= 1) this.container.scrollTop += delta;
  }

  /** Render every chunk now (print of a short text); false, untouched, if the text is long. */
  renderAll(maxUnits) {
    if (this.text.length > maxUnits) return false;
    for (const record of this.chunks) if (record.state !== "rendered") this.renderChunk(record);
    this.keepAll = true; // until printAfter: nothing is emptied while the page is printed
    return true;
  }

  /** After printing: far chunks may be emptied again. */
  printAfter() {
    this.keepAll = false;
    this.nearSoon();
  }
}
