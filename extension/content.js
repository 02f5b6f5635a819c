// The content script: reads the page's text, asks the extension's engine for entities, and paints
// them with the CSS Custom Highlight API, so the page's DOM is never touched.
//
// Runs in the extension's isolated world, injected either on demand (chrome.scripting, after a
// click on the action or the shortcut) or by the registered script for sites the user opted into.
// A classic script (injected files cannot be modules), wrapped so that a second injection into the
// same page only wakes the first.
//
// Load: the page must not pay for being highlighted. Entities are StaticRanges, which the browser
// never updates when the DOM changes (live Ranges cost every later DOM change of the page time in
// proportion to their number, and kept costing it after switching off, until a garbage
// collection); what a change touches is re-read through the MutationObserver instead. The
// highlight registry is changed at most twice per pass (each change makes the next frame
// re-validate every range), reading and painting yield to the page at least every
// SLICE_MS, and changes are read after a quiet DEBOUNCE_MS but at least every MAX_WAIT_MS.
//
// Safety: page text only ever goes to the extension's service worker (chrome.runtime.sendMessage)
// and comes back as offsets. Nothing here builds HTML, evaluates strings, or fetches anything.

(() => {
  if (globalThis.__nerlightContent) return;
  globalThis.__nerlightContent = true;

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
  /** Text per message to the engine; a chunk ends at a block boundary when one is near. */
  const CHUNK = 20_000;
  const DEBOUNCE_MS = 300;
  /** A page that never stops changing (a ticking clock) is still re-read this often. */
  const MAX_WAIT_MS = 1000;
  /** Longest stretch of main-thread work before yielding to the page. */
  const SLICE_MS = 8;
  const PREFIX = "nerlight-";
  const FOCUS = `${PREFIX}focus`;

  const useHighlightApi = typeof CSS !== "undefined" && "highlights" in CSS && typeof Highlight === "function";

  const state = {
    active: false,
    /** Label infos from the engine: [{name, description, color}]. */
    labels: [],
    colors: new Map(),
    hidden: new Set(),
    /** Every entity painted: {id, label, text, range: StaticRange, marks?}. */
    entries: [],
    nextId: 1,
    /** label -> Highlight (Highlight API mode). */
    highlights: new Map(),
    /** Entries to add to / remove from the highlights at the next commit. */
    toAdd: [],
    toRemove: [],
    /** Bumped by stop() and full rescans: work started under an older epoch is dropped. */
    epoch: 0,
    queue: Promise.resolve(),
    href: location.href,
    attached: null,
    running: null,
  };

  // --- Messaging with the service worker ----------------------------------------------------------

  async function ask(message) {
    const reply = await chrome.runtime.sendMessage(message);
    if (!reply?.ok) throw new Error(reply?.error ?? "no reply from the nerlight service worker");
    return reply.value;
  }

  function attach() {
    state.attached ??= ask({ type: "nerlight/attach" })
      .then(({ labels, settings }) => {
        state.labels = labels;
        state.colors = new Map(labels.map((l) => [l.name, l.color]));
        if (settings) state.hidden = new Set(settings.hidden);
        return settings;
      })
      .catch((err) => {
        state.attached = null;
        throw err;
      });
    return state.attached;
  }

  // --- Reading the page -----------------------------------------------------------------------------

  /** Let the page run (input, rendering, its own tasks) before going on. */
  function yieldToPage() {
    if (globalThis.scheduler?.yield) return scheduler.yield();
    return new Promise((resolve) => setTimeout(resolve, 0));
  }

  /** Calls yieldToPage when the current slice of work is used up. */
  function slicer() {
    let deadline = performance.now() + SLICE_MS;
    return async () => {
      if (performance.now() < deadline) return;
      await yieldToPage();
      deadline = performance.now() + SLICE_MS;
    };
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
        if (SKIP.has(name) || node.hidden || node.isContentEditable || node.hasAttribute("data-nerlight")) return;
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

  /** Split the collected text into chunks that end at breaks, visible part first. */
  function chunks({ text, segments }) {
    const out = [];
    let start = 0;
    while (start < text.length) {
      let end = Math.min(text.length, start + CHUNK);
      if (end < text.length) {
        const br = text.lastIndexOf(BREAK, end);
        if (br > start + CHUNK / 2) end = br + 1;
        else {
          const space = text.lastIndexOf(" ", end);
          if (space > start + CHUNK / 2) end = space + 1;
        }
      }
      out.push({ start, end });
      start = end;
    }
    if (out.length < 2) return out;
    // The first chunk that reaches the viewport goes first, then the rest below it, then above.
    const firstVisible = out.findIndex((c) => {
      const seg = segments[lastSegmentBefore(segments, c.end)];
      const rect = seg?.node.parentElement?.getBoundingClientRect();
      return rect && rect.bottom >= 0;
    });
    if (firstVisible <= 0) return out;
    return [...out.slice(firstVisible), ...out.slice(0, firstVisible).reverse()];
  }

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
   * A StaticRange for text[start, end), or null when the span touches a break (which belongs to no node)
   * or would cross from one text run into another.
   */
  function rangeFor(segments, start, end) {
    const first = lastSegmentBefore(segments, start + 1);
    const last = lastSegmentBefore(segments, end);
    if (first < 0 || last < first) return null;
    const a = segments[first];
    const b = segments[last];
    if (start >= a.start + a.node.data.length || end > b.start + b.node.data.length) return null;
    for (let i = first; i < last; i++) {
      if (segments[i].start + segments[i].node.data.length !== segments[i + 1].start) return null;
    }
    return new StaticRange({
      startContainer: a.node,
      startOffset: start - a.start,
      endContainer: b.node,
      endOffset: end - b.start,
    });
  }

  /** A live Range with the bounds of `range`, for what only live ranges do. */
  function liveRange(range) {
    const live = new Range();
    live.setStart(range.startContainer, range.startOffset);
    live.setEnd(range.endContainer, range.endOffset);
    return live;
  }

  // --- Scanning -------------------------------------------------------------------------------------

  /**
   * Find and paint the entities under `roots`, chunk by chunk. The registry changes at most twice
   * per pass, whatever its size: when the first chunk with entities (the one in view) is done,
   * and at the end.
   */
  async function scan(roots, epoch) {
    const collected = await collect(roots);
    if (epoch !== state.epoch) return;
    for (const shadow of collected.shadowRoots) observe(shadow);
    let shown = false;
    for (const { start, end } of chunks(collected)) {
      const piece = collected.text.slice(start, end);
      if (!/\S/.test(piece)) continue;
      const { entities } = await ask({ type: "nerlight/highlight", text: piece });
      if (epoch !== state.epoch) return;
      const pause = slicer();
      const added = [];
      for (const e of entities) {
        const range = rangeFor(collected.segments, start + e.start, start + e.end);
        if (range) added.push({ id: state.nextId++, label: e.label, text: e.text, range });
        if ((added.length & 255) === 0) await pause();
      }
      if (epoch !== state.epoch) return;
      paint(added);
      if (!shown && added.length) {
        shown = true;
        await commit();
      }
    }
    await commit();
  }

  function enqueue(work) {
    const epoch = state.epoch;
    state.queue = state.queue
      .then(() => (epoch === state.epoch ? work(epoch) : undefined))
      .catch((err) => console.warn("nerlight:", err));
    return state.queue;
  }

  /** Highlight the whole page from scratch; a call while one is under way joins it. */
  function run() {
    state.running ??= fullScan().finally(() => {
      state.running = null;
    });
    return state.running;
  }

  async function fullScan() {
    await attach();
    state.active = true;
    state.epoch++;
    clearAll();
    state.href = location.href;
    observe(document);
    await enqueue((epoch) => scan([document.body ?? document.documentElement], epoch));
  }

  function stop() {
    state.active = false;
    state.epoch++;
    observer.disconnect();
    observed = new WeakSet();
    clearTimeout(debounceTimer);
    debounceTimer = undefined;
    dirty.clear();
    clearAll();
  }

  // --- Painting -------------------------------------------------------------------------------------

  /** Adds `entries`; with the Highlight API they show at the next commit(). */
  function paint(entries) {
    for (const entry of entries) state.entries.push(entry);
    if (useHighlightApi) {
      for (const entry of entries) state.toAdd.push(entry);
    } else {
      withoutObserving(() => wrap(entries));
    }
  }

  /**
   * Applies the additions and removals gathered since the last commit to each type's Highlight,
   * all in one task: the browser re-validates the registry's ranges once per frame in which it
   * changed, so changing it once per commit (not once per chunk or per entity) keeps that cost
   * bounded. O(changes): a Highlight is a set.
   */
  async function commit() {
    if (!useHighlightApi || (!state.toAdd.length && !state.toRemove.length)) return;
    for (const e of state.toRemove) state.highlights.get(e.label)?.delete(e.range);
    for (const e of state.toAdd) highlightFor(e.label).add(e.range);
    state.toAdd = [];
    state.toRemove = [];
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

  /** Register exactly the highlights of visible labels. */
  function applyVisibility() {
    if (useHighlightApi) {
      for (const [label, h] of state.highlights) {
        const name = PREFIX + label;
        if (state.hidden.has(label) || h.size === 0) CSS.highlights.delete(name);
        else if (CSS.highlights.get(name) !== h) CSS.highlights.set(name, h);
      }
    } else {
      for (const entry of state.entries) {
        for (const mark of entry.marks ?? []) styleMark(mark, entry.label);
      }
    }
  }

  /** Removes `gone` (a Set of entries); with the Highlight API they go at the next commit(). */
  function forget(gone) {
    if (!gone.size) return;
    state.entries = state.entries.filter((e) => !gone.has(e));
    if (useHighlightApi) {
      for (const e of gone) state.toRemove.push(e);
      // Not yet shown: never add it.
      if (state.toAdd.length) state.toAdd = state.toAdd.filter((e) => !gone.has(e));
    } else {
      withoutObserving(() => unwrap([...gone]));
    }
  }

  function clearAll() {
    if (useHighlightApi) {
      for (const label of state.highlights.keys()) CSS.highlights.delete(PREFIX + label);
      CSS.highlights.delete(FOCUS);
      state.highlights.clear();
      state.entries = [];
      state.toAdd = [];
      state.toRemove = [];
    } else {
      forget(new Set(state.entries));
    }
  }

  // Fallback for browsers without CSS.highlights: wrap each entity's text in <mark data-nerlight>,
  // remembering every split so that turning off restores the original text nodes.

  /** text node -> the nodes split off it, so unwrap can join them back. */
  const splits = new Map();

  function wrap(entries) {
    // Work out every (text node, start, end) piece first: splitting moves live Range boundaries.
    const pieces = [];
    for (const entry of entries) {
      entry.marks = [];
      const { startContainer, startOffset, endContainer, endOffset } = entry.range;
      const walker = document.createTreeWalker(liveRange(entry.range).commonAncestorContainer, NodeFilter.SHOW_TEXT);
      let node = startContainer.nodeType === Node.TEXT_NODE ? startContainer : walker.nextNode();
      walker.currentNode = node;
      while (node) {
        const s = node === startContainer ? startOffset : 0;
        const e = node === endContainer ? endOffset : node.data.length;
        if (e > s) pieces.push({ node, s, e, entry });
        if (node === endContainer) break;
        node = walker.nextNode();
      }
    }
    // Within a node, split from the end backwards so earlier offsets stay valid.
    const byNode = new Map();
    for (const piece of pieces) {
      if (!byNode.has(piece.node)) byNode.set(piece.node, []);
      byNode.get(piece.node).push(piece);
    }
    const ordered = [...byNode.values()].flatMap((list) => list.sort((x, y) => y.s - x.s));
    for (const { node, s, e, entry } of ordered) {
      const created = splits.get(node) ?? [];
      if (e < node.data.length) created.push(node.splitText(e));
      const target = s > 0 ? node.splitText(s) : node;
      if (target !== node) created.push(target);
      splits.set(node, created);
      const mark = document.createElement("mark");
      mark.setAttribute("data-nerlight", entry.label);
      target.replaceWith(mark);
      mark.append(target);
      styleMark(mark, entry.label);
      entry.marks.push(mark);
    }
  }

  function styleMark(mark, label) {
    const hidden = state.hidden.has(label);
    mark.style.setProperty("background-color", hidden ? "transparent" : state.colors.get(label) ?? "#ddd", "important");
    mark.style.setProperty("color", hidden ? "inherit" : "#111", "important");
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

  // --- Live pages -----------------------------------------------------------------------------------

  const observer = new MutationObserver((records) => onMutations(records));
  let observed = new WeakSet();
  const OBSERVE = { childList: true, subtree: true, characterData: true };
  const observedRoots = [];

  function observe(root) {
    if (observed.has(root)) return;
    observed.add(root);
    observedRoots.push(root);
    observer.observe(root, OBSERVE);
  }

  /** Run `fn` (which changes the DOM) so that its mutations never reach onMutations. */
  function withoutObserving(fn) {
    const pending = observer.takeRecords();
    observer.disconnect();
    try {
      fn();
    } finally {
      for (const root of observedRoots) if (state.active) observer.observe(root, OBSERVE);
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

  function isBlock(node) {
    return node.nodeType === Node.ELEMENT_NODE && BLOCK.has(node.localName);
  }

  function flush() {
    debounceTimer = undefined;
    if (!state.active) return;
    if (location.href !== state.href) {
      // SPA navigation: the page is a new document in all but name. Start over.
      dirty.clear();
      prune = false;
      run().catch((err) => console.warn("nerlight:", err));
      return;
    }
    // Re-read each changed block, skipping blocks inside other ones, all in one pass.
    const blocks = new Set();
    for (const node of dirty) {
      if (!node.isConnected || ignored(node)) continue;
      blocks.add(node);
    }
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
      if (live.length) await scan(live, epoch);
      else await commit();
    });
  }

  /** Whether a proper ancestor of `node` (through shadow hosts) is in `set`. */
  function hasAncestorIn(node, set) {
    for (let n = node.parentNode ?? node.host; n; n = n.parentNode ?? n.host) if (set.has(n)) return true;
    return false;
  }

  /** Inside a subtree we never read (forms, editors, scripts) or our own marks. */
  function ignored(node) {
    for (let n = node; n; n = n.parentNode ?? n.host) {
      if (n.nodeType !== Node.ELEMENT_NODE) continue;
      if (SKIP.has(n.localName) || n.isContentEditable || n.hasAttribute("data-nerlight")) return true;
    }
    return false;
  }

  function enclosingBlock(node) {
    for (let n = node; n; n = n.parentNode) {
      if (n.nodeType === Node.DOCUMENT_FRAGMENT_NODE) return n; // a shadow root
      if (n.nodeType === Node.ELEMENT_NODE && BLOCK.has(n.localName)) return n;
    }
    return document.body ?? document.documentElement;
  }

  addEventListener("popstate", () => onMutations([]));
  if (globalThis.navigation) navigation.addEventListener("navigatesuccess", () => onMutations([]));

  // --- The popup's questions ------------------------------------------------------------------------

  function report() {
    const counts = {};
    for (const e of state.entries) counts[e.label] = (counts[e.label] ?? 0) + 1;
    const order = textNodeOrder();
    const rank = (e) => order.get(e.range.startContainer);
    const ordered = state.entries
      .filter((e) => rank(e) !== undefined)
      .sort((a, b) => rank(a) - rank(b) || a.range.startOffset - b.range.startOffset || a.id - b.id);
    return {
      active: state.active,
      painter: useHighlightApi ? "highlight-api" : "mark",
      counts,
      hidden: [...state.hidden],
      entities: ordered.slice(0, 1000).map((e) => ({ id: e.id, label: e.label, text: e.text })),
    };
  }

  /**
   * Each connected text node's position as the page reads, a shadow tree's text where its host
   * is: one walk, so that ordering entries costs no DOM comparisons (30k entries sorted with
   * compareBoundaryPoints blocked the page for a long task).
   */
  function textNodeOrder() {
    const order = new Map();
    const stack = [document.documentElement];
    while (stack.length) {
      const node = stack.pop();
      if (!node) continue;
      if (node.nodeType === Node.TEXT_NODE) {
        order.set(node, order.size);
        continue;
      }
      const children = node.childNodes;
      for (let k = children.length - 1; k >= 0; k--) stack.push(children[k]);
      if (node.shadowRoot) {
        const shadow = node.shadowRoot.childNodes;
        for (let k = shadow.length - 1; k >= 0; k--) stack.push(shadow[k]);
      }
    }
    return order;
  }

  function scrollTo(id) {
    const entry = state.entries.find((e) => e.id === id);
    if (!entry) return false;
    const target = entry.range.startContainer.parentElement;
    target?.scrollIntoView({ block: "center", behavior: "smooth" });
    if (useHighlightApi) {
      const focus = new Highlight(entry.range);
      focus.priority = 1;
      CSS.highlights.set(FOCUS, focus);
    }
    return true;
  }

  chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
    if (sender.id !== chrome.runtime.id) return false;
    const reply = (p) => {
      Promise.resolve(p).then(
        (value) => sendResponse({ ok: true, value }),
        (err) => sendResponse({ ok: false, error: String(err?.message ?? err) }),
      );
      return true;
    };
    switch (message?.type) {
      case "nerlight/run":
        return reply(run().then(() => report()));
      case "nerlight/stop":
        stop();
        return reply(report());
      case "nerlight/report":
        return reply(state.queue.then(() => report()));
      case "nerlight/scroll-to":
        return reply(scrollTo(message.id));
      default:
        return false;
    }
  });

  // Per-type toggles and the site switch are stored settings; follow them as they change.
  chrome.storage.onChanged.addListener((changes, area) => {
    const change = changes[`site:${location.origin}`];
    if (area !== "local" || !change) return;
    const next = change.newValue ?? {};
    state.hidden = new Set(next.hidden ?? []);
    applyVisibility();
    // Only the switch going off stops: "highlight this page" runs with the site off.
    if (change.oldValue?.enabled && !next.enabled && state.active) stop();
  });

  // Injected by the registered script on an opted-in site: start if the site is on.
  attach()
    .then((settings) => {
      if (settings?.enabled && !state.active) return run();
    })
    .catch((err) => console.warn("nerlight:", err));
})();
