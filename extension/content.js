// The content script: reads the page's text, asks the extension's engine for entities, and paints
// them with the CSS Custom Highlight API, so the page's DOM is never touched.
//
// Runs in the extension's isolated world, injected either on demand (chrome.scripting, after a
// click on the action or the shortcut) or by the registered script for sites the user opted into.
// A classic script (injected files cannot be modules), wrapped so that a second injection into the
// same page only wakes the first.
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
  const PREFIX = "nerlight-";
  const FOCUS = `${PREFIX}focus`;

  const useHighlightApi = typeof CSS !== "undefined" && "highlights" in CSS && typeof Highlight === "function";

  const state = {
    active: false,
    /** Label infos from the engine: [{name, description, color}]. */
    labels: [],
    colors: new Map(),
    hidden: new Set(),
    /** Every entity painted: {id, label, text, range, marks?}. */
    entries: [],
    nextId: 1,
    /** label -> Highlight (Highlight API mode). */
    highlights: new Map(),
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

  /**
   * The text under `root` as one string, with a map back to the DOM: `segments[i]` says that
   * text[start, start + node.data.length) is `node`'s text. Block boundaries add BREAK, which
   * belongs to no node. Open shadow roots are entered.
   */
  function collect(root) {
    const parts = [];
    const segments = [];
    let length = 0;
    let endsWithBreak = true;
    const shadowRoots = [];

    const addBreak = () => {
      if (endsWithBreak) return;
      parts.push(BREAK);
      length += BREAK.length;
      endsWithBreak = true;
    };
    const visit = (node, pre) => {
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
      if (node.nodeType === Node.ELEMENT_NODE) {
        const name = node.localName;
        if (SKIP.has(name) || node.hidden || node.isContentEditable || node.hasAttribute("data-nerlight")) return;
        const block = BLOCK.has(name);
        if (block) addBreak();
        const innerPre = pre || name === "pre";
        if (node.shadowRoot) {
          shadowRoots.push(node.shadowRoot);
          for (const child of node.shadowRoot.childNodes) visit(child, innerPre);
          addBreak();
        }
        for (const child of node.childNodes) visit(child, innerPre);
        if (block) addBreak();
        return;
      }
      if (node.nodeType === Node.DOCUMENT_FRAGMENT_NODE || node.nodeType === Node.DOCUMENT_NODE) {
        for (const child of node.childNodes) visit(child, pre);
      }
    };
    const startsPre = root.nodeType === Node.ELEMENT_NODE && !!root.closest("pre");
    visit(root, startsPre);
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
   * A Range for text[start, end), or null when the span touches a break (which belongs to no node)
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
    const range = new Range();
    range.setStart(a.node, start - a.start);
    range.setEnd(b.node, end - b.start);
    return range;
  }

  // --- Scanning -------------------------------------------------------------------------------------

  /** Find and paint the entities under `root`, chunk by chunk. */
  async function scan(root, epoch) {
    const collected = collect(root);
    for (const shadow of collected.shadowRoots) observe(shadow);
    for (const { start, end } of chunks(collected)) {
      const piece = collected.text.slice(start, end);
      if (!/\S/.test(piece)) continue;
      const { entities } = await ask({ type: "nerlight/highlight", text: piece });
      if (epoch !== state.epoch) return;
      const added = [];
      for (const e of entities) {
        const range = rangeFor(collected.segments, start + e.start, start + e.end);
        if (!range) continue;
        added.push({ id: state.nextId++, label: e.label, text: e.text, range });
      }
      paint(added);
    }
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
    await enqueue((epoch) => scan(document.body ?? document.documentElement, epoch));
  }

  function stop() {
    state.active = false;
    state.epoch++;
    observer.disconnect();
    observed = new WeakSet();
    clearTimeout(debounceTimer);
    dirty.clear();
    clearAll();
  }

  // --- Painting -------------------------------------------------------------------------------------

  function paint(entries) {
    state.entries.push(...entries);
    if (useHighlightApi) {
      for (const entry of entries) highlightFor(entry.label).add(entry.range);
      applyVisibility();
    } else {
      withoutObserving(() => wrap(entries));
    }
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

  function forget(entries) {
    const gone = new Set(entries);
    state.entries = state.entries.filter((e) => !gone.has(e));
    if (useHighlightApi) {
      for (const e of entries) state.highlights.get(e.label)?.delete(e.range);
      applyVisibility();
    } else {
      withoutObserving(() => unwrap(entries));
    }
  }

  function clearAll() {
    if (useHighlightApi) {
      for (const label of state.highlights.keys()) CSS.highlights.delete(PREFIX + label);
      CSS.highlights.delete(FOCUS);
      state.highlights.clear();
      state.entries = [];
    } else {
      forget(state.entries);
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
      const walker = document.createTreeWalker(entry.range.commonAncestorContainer, NodeFilter.SHOW_TEXT);
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

  const dirty = new Set();
  let debounceTimer;

  function onMutations(records) {
    if (!state.active) return;
    for (const r of records) {
      const node = r.type === "characterData" ? r.target.parentNode : r.target;
      if (node) dirty.add(node);
    }
    clearTimeout(debounceTimer);
    debounceTimer = setTimeout(flush, DEBOUNCE_MS);
  }

  function flush() {
    if (!state.active) return;
    if (location.href !== state.href) {
      // SPA navigation: the page is a new document in all but name. Start over.
      dirty.clear();
      run().catch((err) => console.warn("nerlight:", err));
      return;
    }
    // Re-scan the smallest enclosing block of each change, skipping blocks inside other ones.
    const blocks = new Set();
    for (const node of dirty) {
      if (!node.isConnected || ignored(node)) continue;
      blocks.add(enclosingBlock(node));
    }
    dirty.clear();
    const roots = [...blocks].filter((b) => ![...blocks].some((o) => o !== b && contains(o, b)));
    for (const root of roots) {
      enqueue(async (epoch) => {
        forget(state.entries.filter((e) => !e.range.startContainer.isConnected || contains(root, e.range.startContainer)));
        if (root.isConnected) await scan(root, epoch);
      });
    }
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

  /** `ancestor` contains `node`, looking through shadow roots to their hosts. */
  function contains(ancestor, node) {
    for (let n = node; n; n = n.parentNode ?? n.host) if (n === ancestor) return true;
    return false;
  }

  addEventListener("popstate", () => onMutations([]));
  if (globalThis.navigation) navigation.addEventListener("navigatesuccess", () => onMutations([]));

  // --- The popup's questions ------------------------------------------------------------------------

  function report() {
    const counts = {};
    for (const e of state.entries) counts[e.label] = (counts[e.label] ?? 0) + 1;
    const connected = state.entries.filter((e) => e.range.startContainer.isConnected);
    const ordered = connected.sort(documentOrder);
    return {
      active: state.active,
      painter: useHighlightApi ? "highlight-api" : "mark",
      counts,
      hidden: [...state.hidden],
      entities: ordered.slice(0, 1000).map((e) => ({ id: e.id, label: e.label, text: e.text })),
    };
  }

  /** Order entries as they read on the page; a shadow tree's text goes where its host is. */
  function documentOrder(a, b) {
    const x = a.range.startContainer;
    const y = b.range.startContainer;
    if (x.getRootNode() === y.getRootNode()) return a.range.compareBoundaryPoints(Range.START_TO_START, b.range);
    const hx = outermost(x);
    const hy = outermost(y);
    if (hx === hy) return a.id - b.id;
    return hx.compareDocumentPosition(hy) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
  }

  /** The node itself, or the host of its outermost shadow tree. */
  function outermost(node) {
    let n = node;
    for (let root = n.getRootNode(); root instanceof ShadowRoot; root = n.getRootNode()) n = root.host;
    return n;
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
