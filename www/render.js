// Rendering entities as colored boxes, displaCy style, a chunk at a time.
//
// The engine's chunks arrive in order from the worker; ResultView turns each into a <span
// class="chunk"> of text nodes and <mark>s, in time slices of a few milliseconds, so a 1 MB
// result never blocks the page for long. Hiding labels and low scores is CSS on an ancestor
// (see panels/legend.js): nothing is re-rendered for it.
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

export class ResultView {
  /**
   * @param {HTMLElement} container
   * @param {{onProgress?: (rendered: number, length: number) => void,
   *          onDone?: () => void, isShown?: (index: number) => boolean}} hooks
   */
  constructor(container, hooks = {}) {
    this.container = container;
    this.hooks = hooks;
    this.text = "";
    /** Every entity of the current text, in order; marks[i] renders entities[i] once rendered. */
    this.entities = [];
    this.marks = [];
    this.done = false;
    this.id = 0;
    this.queue = []; // chunks received, not fully rendered: {chunk, element, next, cursor}
    this.working = false;
    this.frameSpent = 0; // ms of DOM building since the last frame
    this.current = null; // the mark in the tab order (roving tabindex)
    this.rendered = 0; // text units rendered so far
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

  /** Accept a chunk of request `id` for `text`; the first chunk of a new request clears the pane. */
  push(id, text, chunk) {
    if (id !== this.id) this.reset(id, text);
    for (const e of chunk.entities) this.entities.push(e);
    const slice = text.slice(chunk.start, chunk.end);
    const element = this.container.ownerDocument.createElement("span");
    element.className = "chunk";
    // A chunk that starts and ends a line is a block, which lets the browser lay out a long text
    // chunk by chunk; one that starts or ends mid-line stays inline, so cuts never show. Except
    // deep inside a very long line: laid out inline, each chunk would re-lay out the whole line
    // so far (a 100 KB line without a break took 500 ms a frame), so a cut there (after a space,
    // chunks.js) becomes a line break; the text, and everything but where that line wraps, stays.
    const endsLine = slice.endsWith("\n") || chunk.done;
    const longBefore = chunk.start >= LONG_LINE && !text.slice(chunk.start - LONG_LINE, chunk.start).includes("\n");
    const longAfter = !endsLine && !text.slice(chunk.end, chunk.end + LONG_LINE).includes("\n") && chunk.end + LONG_LINE <= text.length;
    if ((this.previousEndsLine || longBefore) && (endsLine || longAfter)) {
      element.classList.add("chunk-block");
      // Until it is first rendered, an off-screen block counts as this tall (content-visibility,
      // style.css): a guess near its real height (~60 characters a line) keeps the browser from
      // taking the next few chunks for on-screen and laying them all out in the first frame.
      element.style.containIntrinsicSize = `auto ${Math.max(2, Math.ceil(slice.length / 60)) * 2.4}em`;
    }
    this.previousEndsLine = slice.endsWith("\n");
    const base = this.entities.length - chunk.entities.length;
    this.queue.push({ chunk, element, walk: spans(chunk.entities, chunk.start, chunk.end), cursor: chunk.start, base });
    if (!this.working) {
      this.working = true;
      this.work(); // the first slice right away: a short text is highlighted in this task
    }
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
    this.queue = [];
    this.done = false;
    this.current = null;
    this.rendered = 0;
    this.previousEndsLine = true;
    this.working = false; // a slice of the old text still scheduled sees the new id and stops
    this.container.replaceChildren();
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

  work() {
    if (this.frameSpent >= FRAME_MS && !document.hidden) {
      this.schedule();
      return;
    }
    const started = performance.now();
    const deadline = started + Math.min(SLICE_MS, FRAME_MS - this.frameSpent);
    const doc = this.container.ownerDocument;
    while (this.queue.length > 0) {
      const job = this.queue[0];
      const { chunk, element } = job;
      if (!element.isConnected) this.container.append(element);
      const fragment = doc.createDocumentFragment();
      let n = 0;
      // The chunk's text and marks, span by span (spans.js skips what goes backwards or past
      // the chunk, whatever the worker sends).
      for (let step = job.walk.next(); !step.done; step = job.walk.next()) {
        const { start, end, entity, index } = step.value;
        job.cursor = end;
        if (!entity) {
          appendAfterMark(fragment, job.lastMark, this.text.slice(start, end));
          job.lastMark = null;
          continue;
        }
        const mark = entityElement(doc, this.text.slice(start, end), entity, job.base + index);
        job.lastMark = mark;
        this.marks[job.base + index] = mark;
        if (!this.current) this.setCurrent(mark);
        fragment.append(mark);
        if (++n % 64 === 0 && performance.now() > deadline) break;
      }
      element.append(fragment);
      this.rendered = job.cursor;
      if (job.cursor >= chunk.end) {
        this.queue.shift();
        if (chunk.done) {
          this.done = true;
          this.working = false;
          this.spend(started);
          this.hooks.onProgress?.(chunk.end, chunk.length);
          this.hooks.onDone?.();
          return;
        }
      }
      if (performance.now() > deadline) break;
    }
    this.hooks.onProgress?.(this.rendered, this.text.length);
    this.spend(started);
    if (this.queue.length > 0) this.schedule();
    else this.working = false;
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

  /** The index of the shown mark after (dir 1) or before (dir -1) index `from`, or -1. */
  step(from, dir) {
    const isShown = this.hooks.isShown ?? (() => true);
    for (let i = from + dir; i >= 0 && i < this.marks.length; i += dir) {
      if (this.marks[i] && isShown(i)) return i;
    }
    return -1;
  }

  onKeydown(event) {
    const mark = event.target.closest?.("mark.entity");
    if (!mark) return;
    const i = Number(mark.dataset.i);
    let target = -1;
    if (event.key === "ArrowRight" || event.key === "ArrowDown") target = this.step(i, 1);
    else if (event.key === "ArrowLeft" || event.key === "ArrowUp") target = this.step(i, -1);
    else if (event.key === "Home") target = this.step(-1, 1);
    else if (event.key === "End") target = this.step(this.marks.length, -1);
    else return;
    event.preventDefault();
    if (target >= 0) this.focusMark(target, { flash: false });
  }

  /**
   * Scroll to entity `index`'s mark, make it the current one (focused unless `focus` is false,
   * as when the entity list keeps focus), and flash it. Returns false if it is not rendered yet.
   */
  focusMark(index, { flash = true, focus = true } = {}) {
    const mark = this.marks[index];
    if (!mark) return false;
    this.setCurrent(mark);
    this.scrollToMark(mark);
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
}
