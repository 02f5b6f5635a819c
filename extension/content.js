// The content script: reads the page's text, has the extension's engine find the entities, and
// paints them, all through the package's nerlight/dom (highlightElement): the CSS Custom
// Highlight API with StaticRanges, so the page's DOM is never touched (a `<mark>` fallback where
// the API is missing), following the page's changes with a MutationObserver. What stays here is
// the extension's part: the engine is in the service worker, and the popup asks questions.
//
// Runs in the extension's isolated world, injected either on demand (chrome.scripting, after a
// click on the action or the shortcut) or by the registered script for sites the user opted into.
// Injected files cannot be modules, so scripts/build-extension.sh bundles this file with the
// package into one classic script, guarded so that a second injection only wakes the first.
//
// The engine: a page's CSP may forbid WebAssembly in the page, so the engine runs in the service
// worker (background.js). The text goes there over a port and comes back piece by piece
// (the package's stream.js), offsets into the whole text: exactly one whole-text call's
// entities. Closing the port cancels.
//
// Safety: page text only ever goes to the extension's service worker and comes back as offsets.
// Nothing here builds HTML, evaluates strings, or fetches anything.

import { highlightElement } from "./engine/dom.js";
import { slicer } from "./engine/tasks.js";

if (!globalThis.__nerlightContent) {
  globalThis.__nerlightContent = true;

  const FOCUS = "nerlight-focus";

  const state = {
    /** The highlightElement handle while highlighting is on. */
    handle: null,
    /** Label infos from the engine: [{name, description, color}]. */
    labels: [],
    hidden: new Set(),
    attached: null,
    running: null,
  };

  // --- Messaging with the service worker ------------------------------------------------------

  async function ask(message) {
    const reply = await chrome.runtime.sendMessage(message);
    if (!reply?.ok) throw new Error(reply?.error ?? "no reply from the nerlight service worker");
    return reply.value;
  }

  function attach() {
    state.attached ??= ask({ type: "nerlight/attach" })
      .then(({ labels, settings }) => {
        state.labels = labels;
        if (settings) state.hidden = new Set(settings.hidden);
        return settings;
      })
      .catch((err) => {
        state.attached = null;
        throw err;
      });
    return state.attached;
  }

  /** The engine in the service worker, as nerlight/dom wants a highlighter. */
  const highlighter = {
    highlight(text, { signal, onChunk, firstChunk } = {}) {
      return new Promise((resolve, reject) => {
        if (signal?.aborted) {
          reject(signal.reason);
          return;
        }
        const port = chrome.runtime.connect({ name: "nerlight/highlight" });
        const entities = [];
        const onAbort = () => {
          port.disconnect();
          reject(signal.reason);
        };
        signal?.addEventListener("abort", onAbort, { once: true });
        const finish = () => signal?.removeEventListener("abort", onAbort);
        port.onMessage.addListener((message) => {
          if (message.error) {
            finish();
            port.disconnect();
            reject(new Error(message.error));
            return;
          }
          for (const e of message.entities) entities.push(e);
          onChunk?.(message);
          if (message.done) {
            finish();
            port.disconnect();
            resolve(entities);
          }
        });
        port.onDisconnect.addListener(() => {
          finish();
          reject(new Error("the nerlight service worker went away"));
        });
        port.postMessage({ text, first: firstChunk });
      });
    },
  };

  const visibleLabels = () => state.labels.map((l) => l.name).filter((name) => !state.hidden.has(name));

  // --- On and off -------------------------------------------------------------------------------

  /** Highlight the whole page from scratch; a call while one is under way joins it. */
  function run() {
    state.running ??= fullScan().finally(() => {
      state.running = null;
    });
    return state.running;
  }

  async function fullScan() {
    await attach();
    state.handle?.clear();
    state.handle = highlightElement(document, {
      highlighter,
      labels: state.labels,
      visibleLabels: visibleLabels(),
      styles: false, // the service worker inserts the ::highlight rules (chrome.scripting.insertCSS)
      observe: true,
    });
    // Every entity, so that the popup's counts are the page's (the viewport shows long before).
    await state.handle.done;
  }

  function stop() {
    state.handle?.clear();
    state.handle = null;
    if (globalThis.CSS?.highlights) CSS.highlights.delete(FOCUS);
  }

  // --- The popup's questions --------------------------------------------------------------------

  /**
   * What the popup shows: counts per label and the first 1,000 entities in reading order. In
   * 8 ms slices (the package's tasks.js), as the painter works: on a page of 30,000 entities,
   * ordering them in one go (a DOM comparison per pair, then a sort) blocked it for a long task.
   * Entities are grouped by text node, and the page's text nodes walked in reading order (a
   * shadow tree's text where its host is) until 1,000 are found: no sort of the whole list.
   */
  async function report() {
    const handle = state.handle;
    const entities = handle?.entities ?? [];
    const pause = slicer();
    const counts = {};
    const byNode = new Map();
    for (let i = 0; i < entities.length; i++) {
      const e = entities[i];
      counts[e.label] = (counts[e.label] ?? 0) + 1;
      const node = e.range.startContainer;
      const here = byNode.get(node);
      if (here) here.push(e);
      else byNode.set(node, [e]);
      if ((i & 1023) === 1023) await pause();
    }
    const first = [];
    const stack = [document.documentElement];
    let n = 0;
    while (stack.length && first.length < 1000) {
      const node = stack.pop();
      if ((++n & 1023) === 0) await pause();
      if (!node) continue;
      if (node.nodeType === Node.TEXT_NODE) {
        const here = byNode.get(node);
        if (here) first.push(...here.sort((a, b) => a.range.startOffset - b.range.startOffset || a.id - b.id));
        continue;
      }
      const children = node.childNodes;
      for (let k = children.length - 1; k >= 0; k--) stack.push(children[k]);
      if (node.shadowRoot) {
        const shadow = node.shadowRoot.childNodes;
        for (let k = shadow.length - 1; k >= 0; k--) stack.push(shadow[k]);
      }
    }
    return {
      active: handle !== null && state.handle === handle,
      /** A pass is under way: the counts will grow. */
      pending: state.running !== null,
      painter: handle?.painter ?? null,
      counts,
      hidden: [...state.hidden],
      entities: first.slice(0, 1000).map((e) => ({ id: e.id, label: e.label, text: e.text })),
    };
  }

  function scrollTo(id) {
    const entry = state.handle?.entities.find((e) => e.id === id);
    if (!entry) return false;
    const target = entry.range.startContainer.parentElement;
    target?.scrollIntoView({ block: "center", behavior: "smooth" });
    if (state.handle.painter === "highlight-api") {
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
        // At once (the popup shows what is found so far), or once the pass under way is done.
        if (!message.wait) return reply(report());
        return reply(Promise.resolve(state.running ?? state.handle?.done).then(() => report(), () => report()));
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
    state.handle?.setVisibleLabels(visibleLabels());
    // Only the switch going off stops: "highlight this page" runs with the site off.
    if (change.oldValue?.enabled && !next.enabled && state.handle) stop();
  });

  // Injected by the registered script on an opted-in site: start if the site is on.
  attach()
    .then((settings) => {
      if (settings?.enabled && !state.handle) return run();
    })
    .catch((err) => console.warn("nerlight:", err));
}
