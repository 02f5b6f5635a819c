// A long text, held in memory and shown read-only, instead of in the text box.
//
// A browser's text box lays out its whole value in one task whenever it gets one: a 1 MB paste
// stalled a bare Chromium textarea ~650 ms, 5 MB took 40 s. So a paste, a drop or an opened file
// longer than HOLD_UNITS is never written into it (panels/input.js): its text is kept as a string
// and shown here, cut into blocks of whole lines of which only those near the viewport hold their
// text (within half a view height, found at each scroll by a binary search on their offsets, as
// render.js does); the others are empty boxes of their measured (or estimated) height. "Edit" puts the text into the text box (after a warning
// for a huge one), "Clear" empties it; Ctrl+Z here takes the paste back.

import { firstEndingBelow } from "./render.js";
import { nextTask, SLICE_MS } from "./pkg/tasks.js";

/** UTF-16 units over which a pasted, dropped or opened text is held here, not in the text box. */
export const HOLD_UNITS = 32_768;
/**
 * The longest text the page takes, in UTF-16 units (20 Mi): a longer one is refused with a
 * message pointing to the command line (`nerlight --jsonl`). At 20 MB the tab holds the text,
 * a million entities and their rendering in about 0.7 GB (README, "Long texts").
 */
export const MAX_TEXT_UNITS = 20 * 1024 * 1024;
/** Over this many units, "Edit" warns first: the text box then freezes the tab for seconds. */
export const EDIT_WARN_UNITS = 1024 * 1024;

/** Units per block, each running on to a line break if one comes within as many again. */
const BLOCK_UNITS = 8_000;
/** Blocks holding their text at most, beyond those near the viewport. */
const MAX_FILLED = 6;

/**
 * Cut `text` into [start, end) blocks of about `size` units, each ending after a line break when
 * one is within `size` more units, never between the halves of a surrogate pair.
 *
 * @returns {number[]} the blocks' ends, in order (the last is text.length)
 */
export function blockEnds(text, size = BLOCK_UNITS) {
  return [...blockCuts(text, size)];
}

/** blockEnds one at a time. */
export function* blockCuts(text, size = BLOCK_UNITS) {
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + size);
    if (end < text.length) {
      const nl = text.indexOf("\n", end - 1);
      if (nl >= 0 && nl < start + 2 * size) end = nl + 1;
      else if (/[\uD800-\uDBFF]/.test(text[end - 1])) end++;
    }
    yield end;
    start = end;
  }
}

/** How "1.2 MB" of text reads: UTF-16 units as characters, in M (2^20) or K (2^10). */
export function sizeText(units) {
  if (units >= 1024 * 1024) return `${(units / 1048576).toFixed(1)} M characters`;
  if (units >= 1024) return `${Math.round(units / 1024)} K characters`;
  return `${units} characters`;
}

export class TextView {
  /**
   * @param {HTMLElement} root the view's box (hidden while the text box is used)
   * @param {{onEdit: () => void, onClear: () => void, onUndo: () => void}} hooks
   */
  constructor(root, hooks) {
    this.root = root;
    this.hooks = hooks;
    this.scroller = root.querySelector(".textview-text");
    this.info = root.querySelector(".textview-info");
    this.warning = root.querySelector(".textview-warning");
    this.editButton = root.querySelector(".textview-edit");
    this.text = null;
    this.blocks = [];
    this.near = new Set();
    this.shows = 0; // counts show() and hide(): a slice of an older show() stops
    this.scroller.addEventListener("scroll", () => this.nearSoon(), { passive: true });
    globalThis.addEventListener("resize", () => this.nearSoon());
    this.editButton.addEventListener("click", () => this.edit());
    root.querySelector(".textview-clear").addEventListener("click", () => hooks.onClear());
    this.scroller.addEventListener("keydown", (event) => {
      if ((event.ctrlKey || event.metaKey) && !event.shiftKey && event.key.toLowerCase() === "z") {
        event.preventDefault();
        hooks.onUndo();
      }
    });
  }

  /**
   * Show `text` (how it came: "Pasted", "Dropped", "Opened name.txt"). Its blocks are made
   * SLICE_MS at a time, the first slice now and the rest in tasks of their own (20 MB is 2,500
   * blocks, ~35 ms of cutting, counting and creating), so the view shows its start at once and
   * its scroll bar grows to the whole text within a few tasks.
   */
  show(text, how) {
    const shown = ++this.shows;
    this.text = text;
    this.near = new Set();
    this.confirmEdit = false;
    this.warning.hidden = true;
    this.editButton.textContent = "Edit";
    this.blocks = [];
    this.scroller.replaceChildren();
    this.scroller.scrollTop = 0;
    this.info.textContent = `${how}: ${sizeText(text.length)}, shown read-only (too long for the text box).`;
    this.root.hidden = false;
    const doc = this.root.ownerDocument;
    const cuts = blockCuts(text);
    let start = 0;
    const more = () => {
      if (shown !== this.shows) return; // hidden, or another text shown
      const deadline = performance.now() + SLICE_MS;
      const made = [];
      for (let step = cuts.next(); !step.done; step = cuts.next()) {
        const end = step.value;
        const element = doc.createElement("div");
        element.className = "textview-block";
        // About 70 characters a line, and every line break, at the text box's line height.
        let breaks = 0;
        for (let i = text.indexOf("\n", start); i >= 0 && i < end; i = text.indexOf("\n", i + 1)) breaks++;
        element.style.height = `${(breaks + Math.ceil((end - start) / 70)) * 1.6}em`;
        made.push({ index: this.blocks.length + made.length, start, end, element, filled: false });
        start = end;
        if (made.length % 16 === 0 && performance.now() > deadline) break;
      }
      for (const b of made) this.blocks.push(b);
      this.scroller.append(...made.map((b) => b.element));
      this.nearSoon();
      if (start < text.length) nextTask(more);
    };
    more();
  }

  hide() {
    this.shows++;
    this.text = null;
    this.blocks = [];
    this.scroller.replaceChildren();
    this.root.hidden = true;
  }

  nearSoon() {
    if (this.nearPending) return;
    this.nearPending = true;
    requestAnimationFrame(() => {
      this.nearPending = false;
      if (this.text !== null) this.updateNear();
    });
  }

  /**
   * Fill the blocks within half a view of the viewport (a binary search on their offsets); empty
   * far ones past MAX_FILLED, their heights read before anything changes.
   */
  updateNear() {
    const view = this.scroller;
    const top = view.scrollTop - view.clientHeight / 2;
    const bottom = view.scrollTop + 1.5 * view.clientHeight;
    const blocks = this.blocks;
    const at = firstEndingBelow(blocks, top);
    this.near = new Set();
    for (let i = at; i < blocks.length && blocks[i].element.offsetTop < bottom; i++) this.near.add(blocks[i]);
    const far = blocks
      .filter((b) => b.filled && !this.near.has(b))
      .sort((a, b) => Math.abs(b.index - at) - Math.abs(a.index - at));
    const excess = far.length + this.near.size - MAX_FILLED;
    const heights = far.map((b) => b.element.offsetHeight);
    for (let i = 0; i < far.length && i < excess; i++) {
      far[i].element.style.height = `${heights[i]}px`;
      far[i].element.textContent = "";
      far[i].filled = false;
    }
    for (const b of this.near) {
      if (b.filled) continue;
      b.element.textContent = this.text.slice(b.start, b.end);
      b.element.style.height = "";
      b.filled = true;
    }
  }

  /** Into the text box: at once when it is not huge, else after a warning and a second press. */
  edit() {
    if (this.text.length > EDIT_WARN_UNITS && !this.confirmEdit) {
      this.confirmEdit = true;
      this.warning.textContent =
        `The text box takes ${sizeText(this.text.length)} in one go: this tab may freeze for ` +
        "seconds (a minute or more for 5 M). Press “Edit anyway” to go on.";
      this.warning.hidden = false;
      this.editButton.textContent = "Edit anyway";
      return;
    }
    this.hooks.onEdit();
  }
}
