// nerlight/dom: highlight the entities in a live DOM without breaking it.
//
//   import { createHighlighter } from "nerlight/worker";
//   import { highlightElement } from "nerlight/dom";
//   const handle = highlightElement(document.querySelector("article"), { highlighter: createHighlighter() });
//   await handle.ready;
//
// Reading: the text nodes under the root are walked into one string with a map back to (node,
// UTF-16 offset). `script`, `style`, `noscript`, `template`, form fields, buttons, `svg`/`math`,
// `iframe`s, `hidden` elements and editable regions are skipped; open shadow roots are entered.
// Block elements add a "\n", so entities never join across paragraphs; an entity that would
// still cross a break is dropped. The string goes to the highlighter as one text (the worker
// client streams it in pieces with exactly one whole-text call's entities).
//
// Painting: with the CSS Custom Highlight API, one `Highlight` of `StaticRange`s per label,
// registered as PREFIX + LABEL and styled by `::highlight(PREFIX + LABEL)` rules (highlightStyles,
// adopted as a constructed stylesheet, once, before the first range): the page's DOM is left byte
// for byte as it was. Static, not live, ranges: the browser updates every live Range on every DOM
// change, which costs the page in proportion to their number; what a change touches is re-read
// instead (observe()). Without the API, each entity's text is wrapped in `<mark data-nerlight>`;
// clear() unwraps them and joins the split text nodes back. Colors: `--PREFIX + LABEL` custom
// properties, defaulting to the engine's.
//
// A window on the viewport: the browser re-validates every registered range in each frame after
// the registry changes, and that costs the page in proportion to their number (30,000 ranges:
// frames of 0.4-0.9 s). So past EAGER entities only the ranges near the viewport are registered.
// Entities are grouped in bands of BAND (in the order found); an IntersectionObserver with a
// screen of margin above and below watches the elements where each band starts and ends, and a
// band is registered while it overlaps that zone. A jump (a link, End) can skip the observer's
// notifications, so each scroll's end re-reads every position. Printing registers everything.
//
// Out of the page's way: reading the DOM and turning spans into ranges yield to the page every
// SLICE_MS (tasks.js); changes are read after a quiet DEBOUNCE_MS, but at least every MAX_WAIT_MS.
//
// Safety: page text only goes to the highlighter and comes back as offsets. Nothing here builds
// HTML from strings or evaluates anything.

import { HEX_COLOR, LABEL_NAME } from "./labelcheck.js";
import { spans } from "./spans.js";
import { slicer } from "./tasks.js";

/** Elements whose text is not page prose, or belongs to the user (forms, editors). */
const SKIP = new Set([
  "script", "style", "noscript", "template", "textarea", "input", "select", "option", "button",
  "iframe", "object", "embed", "canvas", "svg", "math", "video", "audio", "head", "title",
]);
/** Elements that end a run of text: entities never span one of these. */
const BLOCK = new Set([
  "address", "article", "aside", "blockquote", "body", "br", "caption", "dd", "details", "dialog",
  "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
  "h5", "h6", "header", "hgroup", "hr", "html", "legend", "li", "main", "nav", "ol", "p", "pre",
  "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
]);
const BREAK = "\n";
const DEBOUNCE_MS = 300;
/** A page that never stops changing (a ticking clock) is still re-read this often. */
const MAX_WAIT_MS = 1000;
/** Up to this many entities, all are registered; past it, those near the viewport. */
const EAGER = 512;
/** Entities per band: what enters and leaves the registry together. */
const BAND = 64;
/**
 * Longest first piece asked for (UTF-16 units): the text down to the viewport's bottom, unless
 * the page is scrolled far down, when the highlighter's own sizes serve as well.
 */
const MAX_FIRST_CHUNK = 32_000;
const MARK_ATTRIBUTE = "data-nerlight";
const OBSERVE = { childList: true, subtree: true, characterData: true };

/** Whether this document can paint with the CSS Custom Highlight API. */
export const hasHighlightApi = () => typeof CSS !== "undefined" && "highlights" in CSS && typeof Highlight === "function";

/**
 * The stylesheet for `labels`: one `::highlight(PREFIX + LABEL)` rule per label, its background
 * the custom property `--PREFIX + LABEL` (so a page can restyle a label), by default the
 * engine's color; text color `--PREFIX + text`, by default #111. Names and colors that do not
 * look like the engine's are left out: they end up in a stylesheet.
 *
 * @param {{name: string, color: string}[]} labels
 * @param {{prefix?: string}} [options]
 */
export function highlightStyles(labels, { prefix = "nerlight-" } = {}) {
  const rules = [];
  for (const { name, color } of labels) {
    if (!LABEL_NAME.test(name) || !HEX_COLOR.test(color)) continue;
    rules.push(`::highlight(${prefix}${name}) { background-color: var(--${prefix}${name}, ${color}); color: var(--${prefix}text, #111); }`);
  }
  return rules.join("\n");
}

/**
 * The text under `roots` as one string, with a map back to the DOM: `segments[i]` says that
 * text[start, start + node.data.length) is `node`'s text. Block boundaries (and the ends of
 * roots) add BREAK, which belongs to no node. Open shadow roots are entered. Walks with an
 * explicit stack, yielding to the page between slices.
 */
async function collect(roots) {
  const parts = [];
  const segments = [];
  let length = 0;
  let endsWithBreak = true;
  const shadowRoots = [];
  const pause = slicer();
  let visited = 0;

  const addBreak = () => {
    if (endsWithBreak) return;
    parts.push(BREAK);
    length += BREAK.length;
    endsWithBreak = true;
  };
  const visit = (node, pre, stack) => {
    if (node.nodeType === Node.TEXT_NODE) {
      const data = node.data;
      // Whitespace right after a break adds nothing but noise between blocks.
      if (!data || (endsWithBreak && !/\S/.test(data))) return;
      // Same length, so offsets stay exact: source newlines are spaces unless inside <pre>.
      parts.push(pre ? data : data.replace(/[\n\r\t\f]/g, " "));
      segments.push({ node, start: length });
      length += data.length;
      endsWithBreak = pre && data.endsWith("\n");
      return;
    }
    // The stack runs last-pushed first: push what comes after the children, then the
    // children in reverse.
    const pushChildren = (children, innerPre) => {
      for (let k = children.length - 1; k >= 0; k--) stack.push(children[k], innerPre);
    };
    if (node.nodeType === Node.ELEMENT_NODE) {
      const name = node.localName;
      if (SKIP.has(name) || node.hidden || node.isContentEditable || node.hasAttribute(MARK_ATTRIBUTE)) return;
      const block = BLOCK.has(name);
      if (block) addBreak();
      const innerPre = pre || name === "pre";
      if (block) stack.push(null, false);
      pushChildren(node.childNodes, innerPre);
      if (node.shadowRoot) {
        shadowRoots.push(node.shadowRoot);
        stack.push(null, false);
        pushChildren(node.shadowRoot.childNodes, innerPre);
      }
      return;
    }
    if (node.nodeType === Node.DOCUMENT_FRAGMENT_NODE || node.nodeType === Node.DOCUMENT_NODE) {
      pushChildren(node.childNodes, pre);
    }
  };
  for (const root of roots) {
    const startsPre = root.nodeType === Node.ELEMENT_NODE && !!root.closest("pre");
    // Pairs of (node, pre); a null node stands for a block's end.
    const stack = [root, startsPre];
    while (stack.length) {
      const pre = stack.pop();
      const node = stack.pop();
      if (node === null) addBreak();
      else visit(node, pre, stack);
      if ((++visited & 255) === 0) await pause();
    }
    addBreak();
  }
  return { text: parts.join(""), segments, shadowRoots };
}

/** The index of the last segment that starts before `pos`, or -1. */
function lastSegmentBefore(segments, pos) {
  let lo = 0;
  let hi = segments.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (segments[mid].start < pos) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/**
 * The text nodes under text[start, end), as [{node, s, e}] (offsets into each node), or null
 * when the span touches a break (which belongs to no node) or would cross from one run of text
 * into another.
 */
function locate(segments, start, end) {
  const first = lastSegmentBefore(segments, start + 1);
  const last = lastSegmentBefore(segments, end);
  if (first < 0 || last < first) return null;
  const a = segments[first];
  const b = segments[last];
  if (start >= a.start + a.node.data.length || end > b.start + b.node.data.length) return null;
  const pieces = [];
  for (let i = first; i <= last; i++) {
    const { node, start: at } = segments[i];
    if (i < last && at + node.data.length !== segments[i + 1].start) return null;
    pieces.push({ node, s: Math.max(0, start - at), e: Math.min(node.data.length, end - at) });
  }
  return pieces;
}

/** Whether a proper ancestor of `node` (through shadow hosts) is in `set`. */
function hasAncestorIn(node, set) {
  for (let n = node.parentNode ?? node.host; n; n = n.parentNode ?? n.host) if (set.has(n)) return true;
  return false;
}

/** Inside a subtree that is never read (forms, editors, scripts) or a mark of ours. */
function ignored(node) {
  for (let n = node; n; n = n.parentNode ?? n.host) {
    if (n.nodeType !== Node.ELEMENT_NODE) continue;
    if (SKIP.has(n.localName) || n.isContentEditable || n.hasAttribute(MARK_ATTRIBUTE)) return true;
  }
  return false;
}

function isBlock(node) {
  return node.nodeType === Node.ELEMENT_NODE && BLOCK.has(node.localName);
}

/**
 * @typedef {{start: number, end: number, label: string, text: string, score?: number, source?: string}} Entity
 * @typedef {{name: string, description?: string, color: string}} LabelInfo
 * @typedef {{highlight(text: string, options?: {signal?: AbortSignal, onChunk?: (chunk: {start: number,
 *            end: number, entities: Entity[], done: boolean}) => void}): Promise<Entity[]>,
 *            labels?: () => Promise<LabelInfo[]>}} TextHighlighter
 * @typedef {{id: number, label: string, text: string, score?: number, source?: string,
 *            range: StaticRange}} PaintedEntity
 */

/**
 * Highlight the entities in `root` (an element, a document or a shadow root) and return a handle.
 *
 * @param {Node} root
 * @param {{highlighter: TextHighlighter, labels?: LabelInfo[], visibleLabels?: Iterable<string> | null,
 *          prefix?: string, painter?: "auto" | "highlight-api" | "mark", styles?: boolean,
 *          observe?: boolean}} options
 */
export function highlightElement(root, options) {
  const { highlighter } = options ?? {};
  if (typeof highlighter?.highlight !== "function") throw new TypeError("highlightElement: options.highlighter is required");
  const doc = root.ownerDocument ?? root;
  const win = doc.defaultView ?? globalThis;
  const prefix = options.prefix ?? "nerlight-";
  const useHighlightApi = (options.painter ?? "auto") === "mark" ? false : hasHighlightApi();
  if (options.painter === "highlight-api" && !useHighlightApi) throw new Error("the CSS Custom Highlight API is not available");

  const state = {
    active: true,
    colors: new Map(),
    /** null: every label shown; else the shown ones. */
    visible: options.visibleLabels ? new Set(options.visibleLabels) : null,
    /** Every entity painted, in the order found. */
    entries: [],
    nextId: 1,
    /** label → Highlight of the registered entities' ranges (Highlight API mode). */
    highlights: new Map(),
    /** Entries to wrap in marks at the end of the pass (mark mode). */
    toAdd: [],
    /** The bands of entries (Highlight API mode); see the header comment. */
    bands: new Set(),
    /** More than EAGER entries: only the bands near the viewport are registered. */
    windowed: false,
    /** Between beforeprint and afterprint: every band is registered. */
    printing: false,
    /** Bumped by clear() and full rescans: work started under an older epoch is dropped. */
    epoch: 0,
    controller: new AbortController(),
    queue: Promise.resolve(),
    href: win.location?.href,
    sheet: null,
  };
  const isHidden = (label) => state.visible !== null && !state.visible.has(label);

  // The stylesheet goes in before the first range is painted: inserting it makes the browser
  // recompute the style of the whole page, which is cheaper once than after each change. (Not
  // after the text is sent, to overlap the engine's work: on a 20,000-paragraph page that made
  // the recompute land in a frame that then kept the first piece from being painted.)
  const labelsReady = Promise.resolve(options.labels ?? highlighter.labels?.() ?? []).then((labels) => {
    state.colors = new Map(labels.map((l) => [l.name, l.color]));
    if (useHighlightApi && options.styles !== false && typeof CSSStyleSheet === "function" && doc.adoptedStyleSheets) {
      state.sheet = new CSSStyleSheet();
      state.sheet.replaceSync(highlightStyles(labels, { prefix }));
      if (state.active) doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, state.sheet];
    }
  });
  labelsReady.catch(() => {}); // reported by the pass that awaits it

  // --- Scanning ------------------------------------------------------------------------------

  /**
   * Find and paint the entities under `roots`, each piece of the highlighter's answer as it
   * comes; `pass` learns of the bands made, so that `ready` can tell when the viewport is done.
   */
  async function scan(roots, epoch, pass, first = false) {
    // The page is read while the labels are on their way; they (and the stylesheet) are in
    // before the first range is made.
    const collected = await collect(roots);
    if (epoch !== state.epoch) return;
    for (const shadow of collected.shadowRoots) watch(shadow);
    if (!/\S/.test(collected.text)) return;
    // The pass's own text (not a re-read of changed blocks): the highlighter is asked to make
    // its first piece the text down to the viewport's bottom, and `ready` comes once the pieces
    // painted cover it.
    let firstChunk;
    if (first && !pass.seen) {
      pass.viewEnd = viewportEnd(collected);
      // Pieces end after a line break: the first one at the break that ends the viewport's text.
      const br = collected.text.indexOf(BREAK, Math.max(0, pass.viewEnd - 1));
      const end = br < 0 ? collected.text.length : br + 1;
      if (end <= MAX_FIRST_CHUNK) firstChunk = end;
    }
    let streamed = false;
    // Pieces are turned into ranges as they come, one after the other, each in slices.
    let painting = Promise.resolve();
    const paintChunk = async (chunk) => {
      await labelsReady;
      const pause = slicer();
      const added = [];
      let n = 0;
      for (const { entity: e } of spans(chunk.entities, chunk.start, chunk.end)) {
        if (!e) continue;
        const pieces = locate(collected.segments, e.start, e.end);
        if (pieces) {
          const first = pieces[0];
          const last = pieces[pieces.length - 1];
          const range = new StaticRange({ startContainer: first.node, startOffset: first.s, endContainer: last.node, endOffset: last.e });
          added.push({ id: state.nextId++, label: e.label, text: e.text, score: e.score, source: e.source, range, pieces });
        }
        if ((++n & 255) === 0) {
          await pause();
          if (epoch !== state.epoch) return;
        }
      }
      paint(added, pass);
      if (first) pass.covered = chunk.end;
      checkVisible(pass);
    };
    const queuePaint = (chunk) => {
      painting = painting.then(() => (epoch === state.epoch ? paintChunk(chunk) : undefined));
    };
    const all = await highlighter.highlight(collected.text, {
      signal: state.controller.signal,
      firstChunk,
      onChunk: (chunk) => {
        streamed = true;
        queuePaint(chunk);
      },
    });
    // A highlighter that does not stream: its entities, as one piece.
    if (!streamed) queuePaint({ start: 0, end: collected.text.length, entities: all });
    await painting;
    // Marks are only made at the end of the pass: wrapping splits the text nodes that later
    // pieces' offsets refer to.
    if (epoch === state.epoch && !useHighlightApi) wrapPending();
  }

  /**
   * Run `work` after the passes before it, unless clear() or a rescan comes first. The queue
   * itself never fails (a failed pass must not stop the next); the promise returned rejects
   * with the pass's error, unless it was cancelled.
   */
  function enqueue(work) {
    const epoch = state.epoch;
    const pass = state.queue.then(() => (epoch === state.epoch ? work(epoch) : undefined));
    state.queue = pass.catch(() => {});
    return pass.catch((err) => {
      if (err?.name !== "AbortError" && epoch === state.epoch) throw err;
    });
  }

  /**
   * A pass over `roots`: `done` when every entity is painted; `ready` as soon as the viewport is
   * (the bands registered in order down to one that runs below it), or when done.
   */
  function start(roots) {
    // viewEnd: where the text below the viewport starts; covered: how far the pieces painted reach.
    const pass = { bands: [], checked: 0, ended: false, seen: false, viewEnd: Infinity, covered: 0 };
    const ready = new Promise((resolve, reject) => {
      pass.onVisible = resolve;
      pass.onFail = reject;
    });
    state.pass = pass;
    const done = enqueue((epoch) => scan(roots, epoch, pass, true));
    done.then(() => {
      pass.ended = true;
      checkVisible(pass);
    }, pass.onFail);
    done.catch(() => {}); // its failure is ready's too: reported once, by whoever awaits
    handle.ready = ready;
    handle.done = done;
    return ready;
  }

  /**
   * Until the viewport is painted, the pass's new bands are placed at once from their boxes (the
   * observer would report them a frame later, and frames are slow on a busy page). The viewport
   * is painted once a band runs below it, or once the pieces painted cover its text (ranges are
   * registered as soon as they are made; marks only at the end of the pass).
   */
  function checkVisible(pass) {
    if (pass.seen) return;
    const { bands } = pass;
    const placed = [];
    for (; pass.checked < bands.length; pass.checked++) {
      const band = bands[pass.checked];
      if (!band.entries.length || !band.last) continue;
      if (band.near === null) {
        for (const el of [band.first, band.last]) if (!place.has(el)) place.set(el, where(el.getBoundingClientRect(), null));
        band.near = nearOf(band);
        placed.push(band);
      }
      if (band.last.getBoundingClientRect().top > win.innerHeight) break;
    }
    sync(placed);
    if (pass.checked < bands.length || pass.ended || (useHighlightApi && pass.covered >= pass.viewEnd)) {
      pass.seen = true;
      pass.onVisible();
    }
  }

  /**
   * Where the text below the viewport starts in `text`: the start of the first segment whose
   * element's box starts below the viewport's bottom, found by a binary search (a page's text
   * runs down the page in document order; where it does not, this is only a worse guess), or
   * the text's length. A handful of box reads (they bring the page's style and layout up to
   * date, which painting needs anyway).
   */
  function viewportEnd({ text, segments }) {
    const bottom = win.innerHeight;
    let lo = 0;
    let hi = segments.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const box = elementOf(segments[mid].node)?.getBoundingClientRect();
      if (box && box.top > bottom) hi = mid;
      else lo = mid + 1;
    }
    return lo < segments.length ? segments[lo].start : text.length;
  }

  // --- Painting ------------------------------------------------------------------------------

  /** Adds `entries` (found in one piece, in order) to the page. */
  function paint(entries, pass) {
    if (!entries.length) return;
    for (const entry of entries) state.entries.push(entry);
    if (!useHighlightApi) {
      for (const entry of entries) state.toAdd.push(entry);
      return;
    }
    const made = [];
    const before = state.entries.length - entries.length;
    for (let i = 0; i < entries.length; i += BAND) {
      // The first EAGER entities show at once, before the observer has placed them.
      const band = { entries: entries.slice(i, i + BAND), near: null, shown: false, eager: before + i < EAGER };
      for (const entry of band.entries) entry.band = band;
      state.bands.add(band);
      pass.bands.push(band);
      made.push(band);
      track(band);
    }
    sync(windowChanged() ? state.bands : made);
  }

  /** Whether the number of entries crossed EAGER, so that every band must be looked at. */
  function windowChanged() {
    const windowed = state.entries.length > EAGER;
    if (windowed === state.windowed) return false;
    state.windowed = windowed;
    return true;
  }

  /** Registers the ranges of those of `bands` that should be, unregisters the others. */
  function sync(bands) {
    for (const band of bands) {
      const want = state.printing || !state.windowed || (band.near ?? band.eager);
      if (want === band.shown) continue;
      band.shown = want;
      for (const e of band.entries) {
        const h = highlightFor(e.label);
        if (want) h.add(e.range);
        else h.delete(e.range);
      }
    }
    applyVisibility();
  }

  function highlightFor(label) {
    let h = state.highlights.get(label);
    if (!h) {
      h = new Highlight();
      state.highlights.set(label, h);
    }
    return h;
  }

  /** Register exactly the highlights of visible labels; style the marks. */
  function applyVisibility() {
    if (useHighlightApi) {
      for (const [label, h] of state.highlights) {
        const name = prefix + label;
        if (!state.active || isHidden(label) || h.size === 0) CSS.highlights.delete(name);
        else if (CSS.highlights.get(name) !== h) CSS.highlights.set(name, h);
      }
    } else {
      for (const entry of state.entries) for (const mark of entry.marks ?? []) styleMark(mark, entry.label);
    }
  }

  /** Wraps the entries found since the last call in marks (mark mode). */
  function wrapPending() {
    const added = state.toAdd;
    state.toAdd = [];
    if (added.length) withoutObserving(() => wrap(added));
  }

  /** Removes `gone` (a Set of entries) from the page. */
  function forget(gone) {
    if (!gone.size) return;
    state.entries = state.entries.filter((e) => !gone.has(e));
    // Not yet wrapped: never wrap it.
    if (state.toAdd.length) state.toAdd = state.toAdd.filter((e) => !gone.has(e));
    if (!useHighlightApi) {
      withoutObserving(() => unwrap([...gone]));
      return;
    }
    const touched = new Set();
    for (const e of gone) {
      if (e.band.shown) state.highlights.get(e.label)?.delete(e.range);
      touched.add(e.band);
    }
    for (const band of touched) {
      untrack(band);
      band.entries = band.entries.filter((e) => !gone.has(e));
      if (band.entries.length) track(band);
      else state.bands.delete(band);
    }
    sync(windowChanged() ? state.bands : []);
  }

  function clearAll() {
    if (useHighlightApi) {
      for (const [label, h] of state.highlights) {
        CSS.highlights.delete(prefix + label);
        h.clear();
      }
      state.highlights.clear();
      state.entries = [];
      state.bands.clear();
      state.windowed = false;
      bandsAt.clear();
      intersections?.disconnect();
    } else {
      forget(new Set(state.entries));
      state.toAdd = [];
    }
  }

  // --- The window on the viewport -------------------------------------------------------------

  /** Where each watched element is: -1 above the zone, 0 in it, 1 below (as last reported). */
  const place = new WeakMap();
  /** Watched element → the bands that start or end there. */
  const bandsAt = new Map();
  let intersections = null;

  /** The element whose box holds `node`'s text. */
  const elementOf = (node) => node.parentElement ?? node.parentNode?.host ?? null;

  /** Watch where `band` starts and ends. */
  function track(band) {
    band.first = elementOf(band.entries[0].range.startContainer);
    band.last = elementOf(band.entries[band.entries.length - 1].range.endContainer);
    band.near = null;
    if (!band.first || !band.last || typeof IntersectionObserver !== "function") {
      band.near = true;
      return;
    }
    if (!intersections) {
      intersections = new IntersectionObserver(onIntersect, { rootMargin: "100% 0px" });
      doc.addEventListener("scroll", onScroll, { capture: true, passive: true });
      win.addEventListener("resize", onScroll);
      win.addEventListener("beforeprint", onPrint);
      win.addEventListener("afterprint", onPrint);
    }
    for (const el of [band.first, band.last]) {
      let set = bandsAt.get(el);
      if (!set) {
        bandsAt.set(el, (set = new Set()));
        intersections.observe(el);
      }
      set.add(band);
    }
    band.near = nearOf(band); // both ends may be watched already, and will not be reported again
  }

  /** -1, 0 or 1: a box above, in or below the zone (the viewport and a screen each way). */
  function where(box, zone) {
    const { top, bottom } = zone ?? { top: -win.innerHeight, bottom: 2 * win.innerHeight };
    return box.bottom < top ? -1 : box.top > bottom ? 1 : 0;
  }

  /** Whether `band` overlaps the zone; null until both its ends were placed. */
  function nearOf(band) {
    const a = place.get(band.first);
    const z = place.get(band.last);
    return a === undefined || z === undefined ? null : a <= 0 && z >= 0;
  }

  function untrack(band) {
    for (const el of [band.first, band.last]) {
      const set = bandsAt.get(el);
      if (!set?.delete(band) || set.size) continue;
      bandsAt.delete(el);
      intersections.unobserve(el);
    }
  }

  function onIntersect(records) {
    if (!state.active) return;
    const touched = new Set();
    for (const r of records) {
      place.set(r.target, r.isIntersecting ? 0 : where(r.boundingClientRect, r.rootBounds));
      for (const band of bandsAt.get(r.target) ?? []) touched.add(band);
    }
    for (const band of touched) band.near = nearOf(band);
    sync(touched);
    if (state.pass) checkVisible(state.pass);
  }

  // A jump (a link, End, scrollIntoView) can carry an element from below the zone to above it
  // without a notification: once scrolling stops, every position is read again.
  let replaceTimer;
  function onScroll() {
    clearTimeout(replaceTimer);
    replaceTimer = setTimeout(() => {
      if (!intersections || !state.active) return;
      intersections.disconnect();
      for (const el of bandsAt.keys()) intersections.observe(el);
    }, 150);
  }

  function onPrint(event) {
    state.printing = event.type === "beforeprint";
    if (state.active) sync(state.bands);
  }

  // Fallback without CSS.highlights: each entity's text wrapped in <mark data-nerlight=LABEL>,
  // every split remembered so that unwrapping restores the original text nodes.

  /** text node → the nodes split off it, so unwrap can join them back. */
  const splits = new Map();

  function wrap(entries) {
    // Within a node, split from the end backwards so that earlier offsets stay valid.
    const byNode = new Map();
    for (const entry of entries) {
      entry.marks = [];
      for (const piece of entry.pieces) {
        if (piece.e <= piece.s) continue;
        if (!byNode.has(piece.node)) byNode.set(piece.node, []);
        byNode.get(piece.node).push({ ...piece, entry });
      }
    }
    const ordered = [...byNode.values()].flatMap((list) => list.sort((x, y) => y.s - x.s));
    for (const { node, s, e, entry } of ordered) {
      const created = splits.get(node) ?? [];
      if (e < node.data.length) created.push(node.splitText(e));
      const target = s > 0 ? node.splitText(s) : node;
      if (target !== node) created.push(target);
      splits.set(node, created);
      const mark = doc.createElement("mark");
      mark.setAttribute(MARK_ATTRIBUTE, entry.label);
      target.replaceWith(mark);
      mark.append(target);
      styleMark(mark, entry.label);
      entry.marks.push(mark);
    }
  }

  function styleMark(mark, label) {
    const hidden = isHidden(label);
    const color = state.colors.get(label);
    const background = HEX_COLOR.test(color ?? "") ? color : "#ddd";
    const variable = LABEL_NAME.test(label) ? `var(--${prefix}${label}, ${background})` : background;
    mark.style.setProperty("background-color", hidden ? "transparent" : variable, "important");
    mark.style.setProperty("color", hidden ? "inherit" : `var(--${prefix}text, #111)`, "important");
  }

  function unwrap(entries) {
    for (const entry of entries) {
      for (const mark of entry.marks ?? []) mark.replaceWith(...mark.childNodes);
      entry.marks = [];
    }
    if (state.entries.some((e) => e.marks?.length)) return; // joins happen when the last mark goes
    // Latest splits first: a node split off earlier may itself have been split later.
    for (const [head, created] of [...splits].reverse()) {
      const parts = created.filter((n) => n.isConnected && n.parentNode === head.parentNode);
      parts.sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
      if (head.isConnected) {
        head.data += parts.map((p) => p.data).join("");
        for (const p of parts) p.remove();
      }
    }
    splits.clear();
  }

  // --- Live pages ----------------------------------------------------------------------------

  const observer = new MutationObserver((records) => onMutations(records));
  let observing = false;
  let watched = new WeakSet();
  const watchedRoots = [];

  /** Shadow roots found under the root, to follow too once observe() is called. */
  const shadowRoots = new Set();

  /** Follow `target`'s changes (the root, and shadow roots found under it) once observe() was called. */
  function watch(target) {
    if (target !== root) shadowRoots.add(target);
    if (!observing || watched.has(target)) return;
    watched.add(target);
    watchedRoots.push(target);
    observer.observe(target, OBSERVE);
  }

  /** Run `fn` (which changes the DOM) so that its mutations never reach onMutations. */
  function withoutObserving(fn) {
    const pending = observer.takeRecords();
    observer.disconnect();
    try {
      fn();
    } finally {
      if (state.active && observing) for (const target of watchedRoots) observer.observe(target, OBSERVE);
      if (pending.length) onMutations(pending);
    }
  }

  /** Blocks to re-read; `prune` asks for a sweep of entries whose text left the page. */
  const dirty = new Set();
  let prune = false;
  let debounceTimer;
  /** When the oldest change not yet read happened. */
  let firstDirtyAt = 0;

  function onMutations(records) {
    if (!state.active) return;
    for (const r of records) {
      if (r.type === "characterData") {
        if (r.target.parentNode) dirty.add(enclosingBlock(r.target.parentNode));
        continue;
      }
      // childList: what was added is read; what was removed only takes its entities along,
      // unless it was part of a block's text (a word, a <b>), whose block is then read again.
      for (const node of r.addedNodes) dirty.add(isBlock(node) ? node : enclosingBlock(r.target));
      for (const node of r.removedNodes) {
        prune = true;
        if (!isBlock(node) && !(node.nodeType === Node.TEXT_NODE && !/\S/.test(node.data))) {
          dirty.add(enclosingBlock(r.target));
        }
      }
    }
    const now = performance.now();
    if (debounceTimer === undefined) firstDirtyAt = now;
    clearTimeout(debounceTimer);
    debounceTimer = setTimeout(flush, Math.max(0, Math.min(DEBOUNCE_MS, firstDirtyAt + MAX_WAIT_MS - now)));
  }

  /** The nearest block around `node` inside the root (or the root, or a shadow root). */
  function enclosingBlock(node) {
    for (let n = node; n; n = n.parentNode) {
      if (n === root || n.nodeType === Node.DOCUMENT_FRAGMENT_NODE) return n;
      if (n.nodeType === Node.ELEMENT_NODE && BLOCK.has(n.localName)) return n;
    }
    return root;
  }

  function flush() {
    debounceTimer = undefined;
    if (!state.active) return;
    if (win.location && win.location.href !== state.href) {
      // SPA navigation: the page is a new document in all but name. Start over.
      dirty.clear();
      prune = false;
      rescan();
      return;
    }
    // Re-read each changed block, skipping blocks inside other ones, all in one pass.
    const blocks = new Set();
    for (const node of dirty) if (node.isConnected && !ignored(node)) blocks.add(node);
    dirty.clear();
    const roots = [...blocks].filter((b) => !hasAncestorIn(b, blocks));
    const sweep = prune;
    prune = false;
    if (!roots.length && !sweep) return;
    enqueue(async (epoch) => {
      const within = new Set(roots);
      const gone = new Set();
      const pause = slicer();
      let n = 0;
      for (const e of state.entries) {
        const node = e.range.startContainer;
        if (!node.isConnected || (within.size && (within.has(node) || hasAncestorIn(node, within)))) gone.add(e);
        if ((++n & 1023) === 0) await pause();
      }
      if (epoch !== state.epoch) return;
      forget(gone);
      const live = roots.filter((r) => r.isConnected);
      if (live.length) await scan(live, epoch, state.pass);
    }).catch(report);
  }

  const onNavigation = () => onMutations([]);

  function report(err) {
    if (options.onError) options.onError(err);
    else console.warn("nerlight:", err);
  }

  /** Highlight the root from scratch (after a navigation): drops what was painted. */
  function rescan() {
    state.epoch++;
    state.controller.abort();
    state.controller = new AbortController();
    clearAll();
    state.href = win.location?.href;
    return start([root]).catch(report);
  }

  const handle = {
    /**
     * Resolves when the part of the current pass near the viewport is painted (rejects if the
     * highlighter failed); the rest goes on in the background.
     */
    ready: null,
    /** Resolves when the current pass has found and painted every entity. */
    done: null,
    /** How entities are painted: "highlight-api" or "mark". */
    painter: useHighlightApi ? "highlight-api" : "mark",
    /** The entities painted, in the order found: {id, label, text, score, source, range}. */
    get entities() {
      return state.entries.map(({ id, label, text, score, source, range }) => ({ id, label, text, score, source, range }));
    },
    /** Show only these labels (null: all of them). */
    setVisibleLabels(labels) {
      state.visible = labels == null ? null : new Set(labels);
      applyVisibility();
    },
    /** Follow the root's changes (and SPA navigation) from now on, re-reading what changed. */
    observe() {
      if (observing || !state.active) return handle;
      observing = true;
      watch(root);
      for (const shadow of shadowRoots) if (shadow.isConnected) watch(shadow);
      win.addEventListener?.("popstate", onNavigation);
      win.navigation?.addEventListener("navigatesuccess", onNavigation);
      return handle;
    },
    /** Remove every highlight (and mark), stop following changes, cancel work under way. */
    clear() {
      state.active = false;
      state.epoch++;
      state.controller.abort();
      observer.disconnect();
      observing = false;
      watched = new WeakSet();
      watchedRoots.length = 0;
      clearTimeout(debounceTimer);
      debounceTimer = undefined;
      dirty.clear();
      win.removeEventListener?.("popstate", onNavigation);
      win.navigation?.removeEventListener("navigatesuccess", onNavigation);
      clearTimeout(replaceTimer);
      doc.removeEventListener("scroll", onScroll, { capture: true });
      win.removeEventListener("resize", onScroll);
      win.removeEventListener("beforeprint", onPrint);
      win.removeEventListener("afterprint", onPrint);
      clearAll();
      if (state.sheet) doc.adoptedStyleSheets = doc.adoptedStyleSheets.filter((s) => s !== state.sheet);
    },
  };
  start([root]);
  if (options.observe) handle.observe();
  return handle;
}
