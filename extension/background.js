// The extension's service worker: it owns the engine and decides where highlighting runs.
//
// Why the engine lives here and not in the page: a page's Content-Security-Policy governs what
// its documents may compile, and a strict one (`script-src 'self'`, no 'wasm-unsafe-eval')
// forbids WebAssembly there. This worker is an extension context with the extension's own CSP
// (manifest.json: 'wasm-unsafe-eval', connect-src 'self'), so the engine runs the same on every
// page. Content scripts send it text by messaging and get spans back; the page never sees either.
//
// The engine is the npm package's (www/pkg, copied into engine/ by the build): its `nerlight`
// entry, stream.js to answer content scripts piece by piece, and nerlight/dom's stylesheet. MV3
// service workers cannot use dynamic import(), so it is imported statically; the .wasm is
// fetched lazily, on the first text to highlight, from the extension's own URL.

import { Highlighter, init, labels as engineLabels } from "./engine/index.js";
import { highlightStyles } from "./engine/dom.js";
import { streamText } from "./engine/stream.js";
import { SITE_PREFIX, saveSiteSettings, siteSettings, webOrigin } from "./sites.js";

const CONTENT_SCRIPT = "content.js";
const AUTO_SCRIPT_ID = "nerlight-auto";
/** Longest text a content script may send: the engine's own limit (src/wasm.rs MAX_TEXT_UNITS). */
const MAX_TEXT = 1 << 26;

// --- The engine ----------------------------------------------------------------------------------

let enginePromise = null;

/** The engine, loaded on first use. A failed load is retried on the next call. */
function engine() {
  if (!enginePromise) {
    enginePromise = init(chrome.runtime.getURL("engine/nerlight_bg.wasm"))
      .then(() => {
        const highlighter = new Highlighter();
        const infos = engineLabels();
        return { highlighter, infos, css: highlightCss(infos) };
      })
      .catch((err) => {
        enginePromise = null;
        throw err;
      });
  }
  return enginePromise;
}

/** nerlight/dom's `::highlight(nerlight-LABEL)` rules, plus the entity the popup scrolled to. */
function highlightCss(infos) {
  // The entity the popup scrolled to: underlined on top of its label color.
  const focus = "::highlight(nerlight-focus) { text-decoration: underline 3px #d00; text-underline-offset: 2px; }";
  return `${highlightStyles(infos)}\n${focus}`;
}

// --- Driving a tab -------------------------------------------------------------------------------

/** Make sure content.js runs in the tab's top frame (it ignores a second injection). */
async function ensureInjected(tabId) {
  await chrome.scripting.executeScript({ target: { tabId }, files: [CONTENT_SCRIPT] });
}

/**
 * Highlight the tab now. With `persist`, also remember that the site is on. Needs access to the
 * tab: the activeTab grant from a click on the action or the shortcut, or an opted-in host.
 */
async function activateTab(tabId, { persist = true } = {}) {
  const tab = await chrome.tabs.get(tabId);
  const origin = webOrigin(tab.url ?? "");
  if (!origin) throw new Error("nerlight only runs on http and https pages");
  if (persist) await saveSiteSettings(origin, { enabled: true });
  await ensureInjected(tabId);
  return chrome.tabs.sendMessage(tabId, { type: "nerlight/run" }, { frameId: 0 });
}

/** Remove every highlight from the tab and remember that the site is off. */
async function deactivateTab(tabId) {
  const tab = await chrome.tabs.get(tabId);
  const origin = webOrigin(tab.url ?? "");
  if (origin) await saveSiteSettings(origin, { enabled: false });
  try {
    await chrome.tabs.sendMessage(tabId, { type: "nerlight/stop" }, { frameId: 0 });
  } catch {
    // No content script in the tab: nothing is highlighted.
  }
}

async function toggleTab(tabId) {
  const tab = await chrome.tabs.get(tabId);
  const origin = webOrigin(tab.url ?? "");
  if (!origin) return;
  const { enabled } = await siteSettings(origin);
  if (enabled) await deactivateTab(tabId);
  else await activateTab(tabId);
}

/**
 * Keep the registered content script (automatic highlighting) in step with the sites the user
 * opted into: every origin with `auto` set whose host permission is still granted.
 */
async function syncAutoScript() {
  const all = await chrome.storage.local.get(null);
  const origins = [];
  for (const [key, value] of Object.entries(all)) {
    if (!key.startsWith(SITE_PREFIX) || !value?.auto) continue;
    const pattern = `${key.slice(SITE_PREFIX.length)}/*`;
    if (await chrome.permissions.contains({ origins: [pattern] })) origins.push(pattern);
  }
  const existing = await chrome.scripting.getRegisteredContentScripts({ ids: [AUTO_SCRIPT_ID] });
  if (existing.length) await chrome.scripting.unregisterContentScripts({ ids: [AUTO_SCRIPT_ID] });
  if (origins.length) {
    await chrome.scripting.registerContentScripts([
      { id: AUTO_SCRIPT_ID, matches: origins, js: [CONTENT_SCRIPT], runAt: "document_idle", persistAcrossSessions: true },
    ]);
  }
}

// --- Messages ------------------------------------------------------------------------------------
// Only this extension's own contexts can send these: there is no `externally_connectable`, so web
// pages cannot reach onMessage. Every message is still checked before use.

async function handle(message, sender) {
  const fromTab = sender.tab?.id;
  switch (message?.type) {
    // From content.js.
    case "nerlight/attach": {
      if (fromTab === undefined) throw new Error("attach must come from a tab");
      const { infos, css } = await engine();
      await chrome.scripting.insertCSS({ target: { tabId: fromTab, frameIds: [sender.frameId ?? 0] }, css });
      const origin = webOrigin(sender.url ?? sender.tab.url ?? "");
      return { labels: infos, settings: origin ? await siteSettings(origin) : null };
    }
    // From the popup.
    case "nerlight/labels":
      return { labels: (await engine()).infos };
    case "nerlight/activate":
      return activateTab(message.tabId, { persist: message.persist !== false });
    case "nerlight/deactivate":
      return deactivateTab(message.tabId);
    case "nerlight/sync-auto":
      return syncAutoScript();
    default:
      throw new Error(`unknown message ${JSON.stringify(message?.type)}`);
  }
}

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if (sender.id !== chrome.runtime.id) return false;
  handle(message, sender).then(
    (value) => sendResponse({ ok: true, value }),
    (err) => sendResponse({ ok: false, error: String(err?.message ?? err) }),
  );
  return true; // the response is sent asynchronously
});

// A content script's text, streamed back piece by piece (the package's stream.js) over a port:
// exactly one whole-text call's entities, the first ones at once (the first piece of the size
// nerlight/dom asks for: the text on screen); the port closing cancels.
chrome.runtime.onConnect.addListener((port) => {
  if (port.name !== "nerlight/highlight" || port.sender?.id !== chrome.runtime.id) return;
  const controller = new AbortController();
  port.onDisconnect.addListener(() => controller.abort());
  port.onMessage.addListener(async (message) => {
    try {
      if (typeof message?.text !== "string" || message.text.length > MAX_TEXT) throw new Error("bad text");
      const { highlighter } = await engine();
      for await (const piece of streamText(highlighter, message.text, { signal: controller.signal, first: message.first })) {
        port.postMessage(piece);
      }
    } catch (err) {
      if (!controller.signal.aborted) port.postMessage({ error: String(err?.message ?? err) });
    }
  });
});

chrome.commands.onCommand.addListener((command, tab) => {
  if (command !== "toggle-highlighting" || tab?.id === undefined) return;
  toggleTab(tab.id).catch((err) => console.warn("nerlight:", err));
});

chrome.permissions.onRemoved.addListener(() => {
  syncAutoScript().catch((err) => console.warn("nerlight:", err));
});

// For the keyboard shortcut above and for tests driving the worker (`serviceWorker.evaluate`):
// reachable only from this extension's own contexts.
globalThis.nerlight = { activateTab, deactivateTab, toggleTab, siteSettings, saveSiteSettings, syncAutoScript, engine };
