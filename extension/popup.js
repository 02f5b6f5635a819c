// The popup: the site switch, automatic highlighting, per-type toggles with counts, and the list
// of entities found (click one to scroll to it).
//
// Safety: entity text comes from the page, so it only ever goes in through textContent.
// Opening the popup is a click on the action, which grants activeTab for the current tab.

import { saveSiteSettings, siteSettings, webOrigin } from "./sites.js";

const $ = (id) => document.getElementById(id);

/** Ask the service worker; throws its error message if it fails. */
async function ask(message) {
  const reply = await chrome.runtime.sendMessage(message);
  if (!reply?.ok) throw new Error(reply?.error ?? "no reply from the service worker");
  return reply.value;
}

/** Ask the tab's content script; null when there is none yet. */
async function askTab(tabId, message) {
  try {
    const reply = await chrome.tabs.sendMessage(tabId, message, { frameId: 0 });
    return reply?.ok ? reply.value : null;
  } catch {
    return null;
  }
}

function showStatus(message, kind = "ok") {
  $("status").textContent = message;
  $("status").dataset.kind = kind;
}

/** The tab the popup is about: the active one, or ?tab=ID when the popup is opened as a page. */
async function targetTab() {
  const id = Number(new URLSearchParams(location.search).get("tab"));
  if (Number.isInteger(id) && id > 0) return chrome.tabs.get(id);
  const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
  return tab;
}

function swatch(info, name) {
  const el = document.createElement("span");
  el.className = "swatch";
  el.textContent = name;
  if (info) el.style.setProperty("--entity-color", info.color);
  return el;
}

function renderTypes(labels, report, settings, onToggle) {
  const counts = report?.counts ?? {};
  const hidden = new Set(settings.hidden);
  const items = labels.map((info) => {
    const item = document.createElement("li");
    const label = document.createElement("label");
    const box = document.createElement("input");
    box.type = "checkbox";
    box.checked = !hidden.has(info.name);
    box.dataset.label = info.name;
    box.addEventListener("change", () => onToggle(info.name, box.checked));
    const count = document.createElement("span");
    count.className = "count";
    count.textContent = String(counts[info.name] ?? 0);
    label.title = info.description;
    label.append(box, swatch(info, info.name), count);
    item.append(label);
    return item;
  });
  $("types").replaceChildren(...items);
}

function renderEntities(labels, report, onPick) {
  const byName = new Map(labels.map((l) => [l.name, l]));
  const entities = report?.entities ?? [];
  $("entity-count").textContent = report ? `(${entities.length})` : "";
  const items = entities.map((entity) => {
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.dataset.id = String(entity.id);
    const text = document.createElement("span");
    text.className = "text";
    text.textContent = entity.text;
    button.append(swatch(byName.get(entity.label), entity.label), text);
    button.addEventListener("click", () => onPick(entity.id));
    item.append(button);
    return item;
  });
  $("entities").replaceChildren(...items);
}

async function main() {
  const tab = await targetTab();
  const origin = webOrigin(tab?.url ?? "");
  if (!tab || !origin) {
    showStatus("nerlight works on http and https pages.");
    return;
  }
  $("site").textContent = origin;
  $("controls").hidden = false;

  const { labels } = await ask({ type: "nerlight/labels" });
  let settings = await siteSettings(origin);
  let report = await askTab(tab.id, { type: "nerlight/report" });

  // What the page has so far, at once; while a pass is under way (a long page), once more when
  // it is done, so that opening the popup never waits for a whole page.
  const refresh = async (wait = false) => {
    report = await askTab(tab.id, { type: "nerlight/report", wait });
    $("site-enabled").checked = settings.enabled;
    $("site-auto").checked = settings.auto;
    renderTypes(labels, report, settings, async (name, visible) => {
      const hidden = new Set(settings.hidden);
      if (visible) hidden.delete(name);
      else hidden.add(name);
      settings = await saveSiteSettings(origin, { hidden: [...hidden] }); // content.js follows storage
    });
    renderEntities(labels, report, (id) => askTab(tab.id, { type: "nerlight/scroll-to", id }));
    const n = report?.entities.length ?? 0;
    if (report?.active && report.pending) {
      showStatus(`Highlighting… ${n} ${n === 1 ? "entity" : "entities"} so far.`);
      if (!wait) await refresh(true);
      return;
    }
    showStatus(report?.active ? `${n} ${n === 1 ? "entity" : "entities"} on this page.` : "Not highlighting this page.");
  };

  const activate = async (persist) => {
    showStatus("Highlighting…");
    try {
      await ask({ type: "nerlight/activate", tabId: tab.id, persist });
      settings = await siteSettings(origin);
    } catch (err) {
      showStatus(`Cannot highlight this page: ${err.message}`, "error");
      return;
    }
    await refresh();
  };

  $("site-enabled").addEventListener("change", async (event) => {
    if (event.target.checked) await activate(true);
    else {
      await ask({ type: "nerlight/deactivate", tabId: tab.id });
      settings = await siteSettings(origin);
      await refresh();
    }
  });

  $("site-auto").addEventListener("change", async (event) => {
    const pattern = `${origin}/*`;
    if (event.target.checked) {
      // Must run in the click's gesture: the browser shows its permission prompt.
      const granted = await chrome.permissions.request({ origins: [pattern] });
      if (!granted) {
        event.target.checked = false;
        return;
      }
      settings = await saveSiteSettings(origin, { auto: true, enabled: true });
    } else {
      settings = await saveSiteSettings(origin, { auto: false });
      await chrome.permissions.remove({ origins: [pattern] });
    }
    await ask({ type: "nerlight/sync-auto" });
    if (settings.enabled && !report?.active) await activate(true);
    else await refresh();
  });

  $("highlight-now").addEventListener("click", () => activate(false));

  // A site that is on gets highlighted as soon as the popup opens (the click granted access).
  if (settings.enabled && !report?.active) await activate(true);
  else await refresh();
}

main().catch((err) => showStatus(String(err?.message ?? err), "error"));
