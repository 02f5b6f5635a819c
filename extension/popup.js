// The popup: the site switch, automatic highlighting, per-type toggles with counts (the types
// found, most frequent first; the others behind "All types"), and the entities found grouped by
// entity as the page lists them (click one to scroll to its next mention). entities.js and
// colors.js are the page's (www/), copied in by scripts/build-extension.sh.
//
// Safety: entity text comes from the page, so it only ever goes in through textContent.
// Opening the popup is a click on the action, which grants activeTab for the current tab.

import { darkFill } from "./colors.js";
import { groupEntities, legendOrder, plural } from "./entities.js";
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
  if (info) {
    el.style.setProperty("--entity-color", info.color);
    el.style.setProperty("--entity-dark", darkFill(info.color));
  }
  return el;
}

/** Whether the types not found on the page are shown (the "All types" control). */
let allTypes = false;

function renderTypes(labels, report, settings, onToggle) {
  const counts = new Map(Object.entries(report?.counts ?? {}));
  const hidden = new Set(settings.hidden);
  const byName = new Map(labels.map((l) => [l.name, l]));
  const { present, rest } = legendOrder(counts, labels.map((l) => l.name));
  const item = (name) => {
    const info = byName.get(name);
    const li = document.createElement("li");
    const label = document.createElement("label");
    const box = document.createElement("input");
    box.type = "checkbox";
    box.checked = !hidden.has(name);
    box.dataset.label = name;
    box.addEventListener("change", () => onToggle(name, box.checked));
    const count = document.createElement("span");
    count.className = "count";
    count.textContent = (counts.get(name) ?? 0).toLocaleString("en-US");
    label.title = info.description;
    label.append(box, swatch(info, name), count);
    li.append(label);
    return li;
  };
  const items = [...present, ...(allTypes ? rest : [])].map(item);
  if (rest.length > 0) {
    const li = document.createElement("li");
    const more = document.createElement("button");
    more.type = "button";
    more.id = "types-more";
    more.className = "more";
    more.setAttribute("aria-expanded", String(allTypes));
    more.textContent = allTypes ? "Fewer types" : `All types (${rest.length} more)`;
    more.addEventListener("click", () => {
      allTypes = !allTypes;
      renderTypes(labels, report, settings, onToggle);
      document.getElementById("types-more")?.focus();
    });
    li.append(more);
    items.push(li);
  }
  $("types").replaceChildren(...items);
}

/**
 * The entities by type (most frequent type first), each entity once with its number of mentions,
 * grouped as the page groups them (entities.js groupEntities). `onPick(ids, group)` gets the
 * group's mention ids in page order.
 */
function renderEntities(labels, report, onPick) {
  const byName = new Map(labels.map((l) => [l.name, l]));
  const entities = report?.entities ?? [];
  const groups = groupEntities(entities);
  const counts = new Map([...groups].map(([name, list]) => [name, list.reduce((n, g) => n + g.mentions.length, 0)]));
  const { present } = legendOrder(counts, labels.map((l) => l.name));
  const total = [...groups.values()].reduce((n, list) => n + list.length, 0);
  $("entity-count").textContent = report ? `(${plural(total, "entity", "entities")}, ${plural(entities.length, "mention")})` : "";
  const items = present.map((name) => {
    const type = document.createElement("li");
    type.className = "entity-type";
    type.dataset.label = name;
    const heading = document.createElement("h3");
    const n = document.createElement("span");
    n.className = "count";
    n.textContent = plural(groups.get(name).length, "entity", "entities");
    heading.append(swatch(byName.get(name), name), n);
    const list = document.createElement("ul");
    for (const group of groups.get(name)) {
      const li = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      const ids = group.mentions.map((i) => entities[i].id);
      button.dataset.id = String(ids[0]);
      const text = document.createElement("span");
      text.className = "text";
      text.textContent = group.name;
      const times = document.createElement("span");
      times.className = "times";
      times.textContent = `×${group.mentions.length.toLocaleString("en-US")}`;
      button.setAttribute("aria-label", `${group.name}, ${name}, ${plural(group.mentions.length, "mention")}`);
      if (group.variants.length > 1) button.title = `Also written: ${group.variants.filter((v) => v !== group.name).join(", ")}`;
      let at = -1;
      button.addEventListener("click", () => {
        at = (at + 1) % ids.length; // each click goes to the next mention
        onPick(ids[at]);
      });
      button.append(text, times);
      li.append(button);
      list.append(li);
    }
    type.append(heading, list);
    return type;
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
      showStatus(`Highlighting… ${plural(n, "highlight")} so far.`);
      if (!wait) await refresh(true);
      return;
    }
    showStatus(report?.active ? `${plural(n, "highlight")} on this page.` : "Not highlighting this page.");
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
