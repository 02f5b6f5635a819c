// The page: wires the worker-backed engine (engine.js), the incremental renderer (render.js) and
// the panels around them. The pure parts live in their own modules: entities.js (counts,
// grouping, summary), export.js, share.js, files.js, userlists.js.

import { Engine } from "./engine.js";
import { ResultView } from "./render.js";
import { attachTooltip } from "./tooltip.js";
import {
  countByLabel,
  groupEntities,
  Grouper,
  isShown,
  passesThreshold,
  SCORE_STEPS,
  summarize,
} from "./entities.js";
import { toCSV, toHTML, toJSON } from "./export.js";
import { encodeView, isViewHash, openLink, TooLongError } from "./share.js";
import { readTextFile } from "./files.js";
import {
  addPhrase,
  loadPhrases,
  mergePhrases,
  phrasesToJSON,
  readPhrasesFile,
  savePhrases,
} from "./userlists.js";

/** Typing waits this long for a pause; a paste, a drop or an opened file highlight at once. */
const DEBOUNCE_MS = 120;
/** Groups listed per type before a "Show all" button. */
const LIST_LIMIT = 50;
/** Milliseconds of list building per task, as the result pane's rendering (render.js). */
const SLICE_MS = 8;
const THEME_KEY = "nerlight.theme";
const LABEL_NAME = /^[A-Z_]+$/;

// A made-up news story (the companies and people are fictional) with one of each kind of
// entity the engine knows: people, organisations, places, nationalities, dates, money,
// percentages, a URL, an email address and a phone number.
const SAMPLE = `Portugal's Marítima Energia agrees €2.4 billion deal for Norwegian wind developer

LISBON, 12 March 2025 — Marítima Energia, the Portuguese offshore wind company, said on Wednesday that it had agreed to buy Fjordkraft Vind from Solberg Holding for €2.4 billion ($2.6 billion), creating the largest floating-wind operator in Europe.

Chief executive Ana Ribeiro told reporters in Lisbon that the combined company would supply about 7% of Portugal's electricity by 2030. "Our engineers in Porto and Bergen have been working side by side for two years," she said. "This makes it official."

Shares of Marítima Energia rose 4.5% in early trading, while Solberg Holding gained 2.1% in Oslo. The deal still needs approval from the European Commission in Brussels, which is expected to rule before September. Analysts at Deutsche Bank called the price "full but fair", noting that Fjordkraft Vind earned NOK 410 million last year.

Norway's energy minister, Kari Haugen, welcomed the agreement, saying it would protect 1,200 jobs on the west coast. Spanish and French competitors had also shown interest, according to two people familiar with the talks.

Ribeiro, 52, joined Marítima Energia in 2016 from BP and became chief executive three years later. Under her leadership the company has grown from 40 employees to more than 900.

Offer documents are published at https://investors.maritima-energia.com/offer-2025 and questions can be sent to ir@maritima-energia.com or by phone on +351 21 555 0199. The transaction is expected to close on 30 June 2025.
`;

const $ = (id) => document.getElementById(id);

function debounce(fn, ms) {
  let timer;
  const debounced = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
  debounced.cancel = () => clearTimeout(timer);
  return debounced;
}

function showStatus(message, kind = "ok") {
  const status = $("status");
  status.textContent = message;
  status.dataset.kind = kind;
  status.setAttribute("role", kind === "error" ? "alert" : "status");
}

/** Save `content` as a file called `name` (an object URL, revoked once used). */
function download(name, type, content) {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

async function copyText(text, what) {
  try {
    await navigator.clipboard.writeText(text);
    showStatus(`${what} copied to the clipboard.`);
    return true;
  } catch (err) {
    showStatus(`Could not copy ${what.toLowerCase()}: ${err?.message ?? err}`, "error");
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Theme: follows prefers-color-scheme unless the switch says otherwise (kept in localStorage).

function setupTheme() {
  const select = $("theme");
  const apply = (value) => {
    if (value === "light" || value === "dark") document.documentElement.dataset.theme = value;
    else delete document.documentElement.dataset.theme;
  };
  let saved = "auto";
  try {
    saved = localStorage.getItem(THEME_KEY) ?? "auto";
  } catch {
    // storage blocked: the switch still works for this visit
  }
  select.value = ["light", "dark"].includes(saved) ? saved : "auto";
  apply(select.value);
  select.addEventListener("change", () => {
    apply(select.value);
    try {
      localStorage.setItem(THEME_KEY, select.value);
    } catch {
      // as above
    }
  });
}

// ---------------------------------------------------------------------------------------------

async function main() {
  setupTheme();
  const input = $("input");
  const result = $("result");
  const app = $("app");

  // The worker and its wasm load while the rest of the page is set up; the saved phrases and the
  // first text are queued in the worker until the engine is ready.
  const engine = new Engine();
  /** What is shown: labels switched off, and the threshold in score buckets. */
  const view = { hidden: new Set(), threshold: 0 };
  let shared = null;
  /** Why a link was refused: shown instead of the summary until the text changes. */
  let linkError = null;
  const labelNames = () => engine.ready.then((ls) => ls.map((l) => l.name).filter((n) => LABEL_NAME.test(n)));
  if (isViewHash(location.hash)) {
    try {
      shared = await openLink(location.hash, labelNames());
    } catch (err) {
      linkError = `This link could not be opened: ${err.message}. Nothing of it was applied.`;
      showStatus(linkError, "error");
    }
  }
  // Your saved phrases, unless a shared link brings its own: those apply to this view only.
  let phrases = loadPhrases();
  let linkPhrases = shared?.phrases.length ? shared.phrases : null;
  const active = linkPhrases ?? phrases;
  const savedPhrases = active.length > 0 ? engine.setUserPhrases(active).then(() => null, (err) => err) : null;
  input.value = shared ? shared.text : SAMPLE;
  if (shared) {
    view.hidden = new Set(shared.hidden);
    view.threshold = clampThreshold(shared.threshold);
  }

  // --- rendering -------------------------------------------------------------------------
  let startedAt = 0;
  const shown = (i) => {
    const e = resultView.entities[i];
    return e !== undefined && isShown(e, view);
  };
  const resultView = new ResultView(result, {
    isShown: shown,
    onProgress: (rendered, length) => progress(rendered, length),
    onDone: () => finished(),
  });
  const progressBox = $("progress-box");
  function progress(rendered, length) {
    // Only long texts show progress: a short one is done before a bar could be read.
    if (resultView.done || performance.now() - startedAt < 150) return;
    progressBox.hidden = false;
    $("progress").value = length ? rendered / length : 1;
    $("progress-text").textContent = `Highlighting… ${Math.floor((100 * rendered) / Math.max(1, length))}%`;
    throttledCounts();
  }

  function finished() {
    progressBox.hidden = true;
    result.removeAttribute("aria-busy");
    // Counts and the list in a task of their own, so the last highlights paint first.
    const id = resultView.id;
    setTimeout(async () => {
      if (resultView.id !== id) return;
      updateCounts();
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (resultView.id !== id || !(await buildList())) return;
      // For tests and tools: every highlight, the counts and the list are in place.
      if (resultView.id === id) result.dataset.state = "ready";
    }, 0);
  }

  let listSource = () => null;
  function run() {
    const text = input.value;
    startedAt = performance.now();
    result.dataset.state = "working";
    result.setAttribute("aria-busy", "true");
    // The list's groups are gathered as chunks arrive, so finishing a long text stays cheap.
    const grouper = new Grouper((e) => passesThreshold(e, view.threshold));
    const threshold = view.threshold;
    listSource = () => (view.threshold === threshold ? grouper.groups() : null);
    engine.highlight(text, (chunk) => {
      grouper.add(chunk.entities, chunk.id === resultView.id ? resultView.entities.length : 0);
      resultView.push(chunk.id, text, chunk);
    });
  }
  const runSoon = debounce(run, DEBOUNCE_MS);

  let pasted = false;
  input.addEventListener("paste", () => (pasted = true));
  input.addEventListener("input", (event) => {
    linkError = null;
    if (pasted || event.inputType === "insertFromPaste" || event.inputType === "insertFromDrop") {
      pasted = false;
      runSoon.cancel();
      run();
    } else {
      runSoon();
    }
  });

  run();

  let labels;
  try {
    labels = await engine.ready;
  } catch (err) {
    console.error(err);
    showStatus(`The highlighting engine failed to load: ${err?.message ?? err}`, "error");
    result.dataset.state = "error";
    return;
  }
  engine.onFailure = (err) => showStatus(err.message, "error");
  labels = labels.filter((l) => LABEL_NAME.test(l.name));
  const labelInfo = new Map(labels.map((info) => [info.name, info]));
  const order = labels.map((l) => l.name);
  for (const name of view.hidden) if (!labelInfo.has(name)) view.hidden.delete(name);

  installLabelRules(labels);
  attachTooltip(result, $("tooltip"), (i) => resultView.entities[i], labelInfo);

  // --- legend: one toggle per label, with live counts ---------------------------------------
  const legend = $("legend");
  const toggles = new Map();
  for (const info of labels) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "legend-toggle";
    button.dataset.label = info.name;
    button.setAttribute("aria-pressed", "true");
    button.title = info.description;
    const swatch = document.createElement("span");
    swatch.className = "legend-swatch";
    swatch.style.setProperty("--entity-color", info.color);
    swatch.textContent = info.name;
    const count = document.createElement("span");
    count.className = "legend-count";
    count.textContent = "0";
    button.append(swatch, count);
    button.addEventListener("click", () => {
      if (view.hidden.has(info.name)) view.hidden.delete(info.name);
      else view.hidden.add(info.name);
      applyView();
    });
    toggles.set(info.name, { button, count });
  }
  legend.replaceChildren(...[...toggles.values()].map((t) => t.button));

  // --- threshold -------------------------------------------------------------------------
  const threshold = $("threshold");
  threshold.max = String(SCORE_STEPS);
  threshold.addEventListener("input", () => {
    view.threshold = Number(threshold.value);
    applyView();
    rebuildListSoon();
  });
  const rebuildListSoon = debounce(() => resultView.done && buildList(), 150);

  /** Apply `view` to the page: classes for CSS, toggles' state, counts and the summary. */
  function applyView() {
    for (const name of order) {
      app.classList.toggle(`hide-${name}`, view.hidden.has(name));
      toggles.get(name).button.setAttribute("aria-pressed", String(!view.hidden.has(name)));
    }
    app.dataset.minB = String(view.threshold);
    threshold.value = String(view.threshold);
    $("threshold-value").textContent = (view.threshold / SCORE_STEPS).toFixed(2);
    threshold.setAttribute("aria-valuetext", (view.threshold / SCORE_STEPS).toFixed(2));
    if (resultView.done) updateCounts();
  }

  function updateCounts() {
    const counts = countByLabel(resultView.entities, view.threshold);
    for (const [name, { button, count }] of toggles) {
      const n = counts.get(name) ?? 0;
      count.textContent = n.toLocaleString("en-US");
      button.toggleAttribute("data-empty", n === 0);
      button.setAttribute("aria-label", `${name}: ${n} found${view.hidden.has(name) ? ", hidden" : ""}`);
    }
    if (resultView.done) showStatus(linkError ?? summarize(counts, order, view.hidden), linkError ? "error" : "ok");
  }
  let countsAt = 0;
  function throttledCounts() {
    if (performance.now() - countsAt < 500) return;
    countsAt = performance.now();
    updateCounts();
  }

  // --- entity list -----------------------------------------------------------------------
  const list = $("entity-list");
  let listButtons = [];
  /**
   * Rebuild the entity list; resolves when it is complete. Built a type at a time in tasks of a
   * few milliseconds, so the list of a 1 MB text never blocks the page; a newer build stops an
   * older one.
   */
  let listBuild = 0;
  async function buildList() {
    const build = ++listBuild;
    // Hidden types stay in the list (CSS hides them), so switching one back needs no rebuild.
    const groups =
      listSource() ?? groupEntities(resultView.entities, (e) => passesThreshold(e, view.threshold));
    list.replaceChildren();
    listButtons = [];
    let deadline = performance.now() + SLICE_MS;
    const pause = async () => {
      if (performance.now() < deadline) return true;
      await new Promise((resolve) => setTimeout(resolve, 0));
      deadline = performance.now() + SLICE_MS;
      return build === listBuild;
    };
    for (const name of order) {
      const items = groups.get(name);
      if (!items?.length) continue;
      const section = document.createElement("section");
      section.className = "entity-type";
      section.dataset.label = name;
      const heading = document.createElement("h3");
      const swatch = document.createElement("span");
      swatch.className = "legend-swatch";
      swatch.style.setProperty("--entity-color", labelInfo.get(name).color);
      swatch.textContent = name;
      const count = document.createElement("span");
      count.className = "legend-count";
      count.textContent = `${items.length.toLocaleString("en-US")} ${items.length === 1 ? "entity" : "entities"}`;
      heading.append(swatch, " ", count);
      const ul = document.createElement("ul");
      section.append(heading, ul);
      for (const group of items.slice(0, LIST_LIMIT)) ul.append(listItem(name, group));
      if (items.length > LIST_LIMIT) {
        const more = document.createElement("button");
        more.type = "button";
        more.className = "show-all";
        more.textContent = `Show all ${items.length.toLocaleString("en-US")}`;
        more.addEventListener("click", async () => {
          more.disabled = true;
          for (let i = LIST_LIMIT; i < items.length; i += LIST_LIMIT) {
            ul.append(...items.slice(i, i + LIST_LIMIT).map((group) => listItem(name, group)));
            if (!(await pause())) return;
          }
          more.remove();
          refreshListButtons();
        });
        section.append(more);
      }
      list.append(section);
      if (!(await pause())) return false;
    }
    if (!list.firstChild) {
      const empty = document.createElement("p");
      empty.className = "hint";
      empty.textContent = "No entities in this text.";
      list.append(empty);
    }
    refreshListButtons();
    return true;
  }

  function refreshListButtons() {
    listButtons = [...list.querySelectorAll("button.group-jump")];
    const focused = listButtons.find((b) => b.tabIndex === 0) ?? listButtons[0];
    for (const b of listButtons) b.tabIndex = b === focused ? 0 : -1;
  }

  function listItem(label, group) {
    const li = document.createElement("li");
    li.className = "entity-group";
    const jump = document.createElement("button");
    jump.type = "button";
    jump.className = "group-jump";
    jump.tabIndex = -1;
    const name = document.createElement("span");
    name.className = "group-name";
    name.textContent = group.name;
    const n = group.mentions.length;
    const count = document.createElement("span");
    count.className = "group-count";
    count.textContent = `×${n}`;
    jump.append(name, count);
    jump.setAttribute("aria-label", `${group.name}, ${label}, ${n} ${n === 1 ? "mention" : "mentions"}`);
    if (group.variants.length > 1) jump.title = `Also written: ${group.variants.filter((v) => v !== group.name).join(", ")}`;
    const position = document.createElement("span");
    position.className = "group-position";
    position.setAttribute("aria-live", "polite");
    const step = (symbol, which) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "group-step";
      button.tabIndex = -1;
      button.textContent = symbol;
      button.setAttribute("aria-label", `${which} mention of ${group.name}`);
      return button;
    };
    const prev = step("‹", "Previous");
    const next = step("›", "Next");
    let at = -1;
    const go = (dir) => {
      at = at < 0 ? (dir > 0 ? 0 : n - 1) : (at + dir + n) % n;
      position.textContent = `${at + 1}/${n}`;
      resultView.focusMark(group.mentions[at], { focus: false });
      for (const b of listButtons) b.tabIndex = b === jump ? 0 : -1;
    };
    jump.addEventListener("click", (event) => go(event.shiftKey ? -1 : 1));
    prev.addEventListener("click", () => go(-1));
    next.addEventListener("click", () => go(1));
    jump.addEventListener("keydown", (event) => {
      const i = listButtons.indexOf(jump);
      let target = null;
      if (event.key === "ArrowDown") target = nextVisible(i, 1);
      else if (event.key === "ArrowUp") target = nextVisible(i, -1);
      else if (event.key === "Home") target = nextVisible(-1, 1);
      else if (event.key === "End") target = nextVisible(listButtons.length, -1);
      else if (event.key === "n" || event.key === "ArrowRight") return void (event.preventDefault(), go(1));
      else if (event.key === "p" || event.key === "ArrowLeft") return void (event.preventDefault(), go(-1));
      else return;
      event.preventDefault();
      if (target) {
        for (const b of listButtons) b.tabIndex = b === target ? 0 : -1;
        target.focus();
      }
    });
    li.append(jump, position, prev, next);
    return li;
  }

  /** The list button after (dir 1) or before (dir -1) index i whose type is shown. */
  function nextVisible(i, dir) {
    for (let j = i + dir; j >= 0 && j < listButtons.length; j += dir) {
      if (listButtons[j].offsetParent !== null) return listButtons[j];
    }
    return null;
  }

  // --- exports ---------------------------------------------------------------------------
  const shownEntities = () => resultView.entities.filter((e) => isShown(e, view));
  const ready = () => {
    if (resultView.done) return true;
    showStatus("Still highlighting: export when it is done.", "error");
    return false;
  };
  $("copy-json").addEventListener("click", () => ready() && copyText(toJSON(resultView.text, resultView.entities), "JSON"));
  $("download-json").addEventListener(
    "click",
    () => ready() && download("entities.json", "application/json", toJSON(resultView.text, resultView.entities)),
  );
  $("download-csv").addEventListener(
    "click",
    () => ready() && download("entities.csv", "text/csv;charset=utf-8", `\ufeff${toCSV(resultView.entities)}`),
  );
  $("download-html").addEventListener(
    "click",
    () => ready() && download("highlighted.html", "text/html;charset=utf-8", toHTML(resultView.text, shownEntities(), labelInfo)),
  );

  // --- share -----------------------------------------------------------------------------
  const shareLink = $("share-link");
  $("share").addEventListener("click", async () => {
    let hash;
    try {
      hash = await encodeView({
        text: input.value,
        hidden: [...view.hidden],
        threshold: view.threshold,
        phrases: linkPhrases ?? phrases,
      });
    } catch (err) {
      showStatus(err instanceof TooLongError ? err.message : `Could not make a link: ${err.message}`, "error");
      shareLink.hidden = true;
      return;
    }
    const url = `${location.origin}${location.pathname}${hash}`;
    history.replaceState(null, "", hash);
    shareLink.value = url;
    shareLink.hidden = false;
    if (await copyText(url, "Link")) showStatus(`Link copied to the clipboard (${Math.ceil(url.length / 1024)} KB).`);
  });
  let linkOpening = 0;
  window.addEventListener("hashchange", async () => {
    if (!isViewHash(location.hash)) return;
    const opening = ++linkOpening;
    let state;
    try {
      state = await openLink(location.hash, labelNames());
    } catch (err) {
      if (opening !== linkOpening) return; // a newer link is being opened
      linkError = `This link could not be opened: ${err.message}. Nothing of it was applied.`;
      showStatus(linkError, "error");
      return;
    }
    if (opening !== linkOpening) return;
    linkError = null;
    applyShared(state);
    await useLinkPhrases(state.phrases.length ? state.phrases : null);
    run();
  });
  function applyShared(state) {
    input.value = state.text;
    view.hidden = new Set(state.hidden);
    view.threshold = clampThreshold(state.threshold);
    applyView();
  }

  // --- files -----------------------------------------------------------------------------
  async function openFile(file) {
    try {
      input.value = await readTextFile(file);
    } catch (err) {
      showStatus(`Could not open the file: ${err.message}`, "error");
      return;
    }
    runSoon.cancel();
    run();
  }
  $("open-file").addEventListener("click", () => $("file").click());
  $("file").addEventListener("change", (event) => {
    const file = event.target.files?.[0];
    event.target.value = "";
    if (file) openFile(file);
  });
  const overlay = $("drop-overlay");
  const hasFiles = (event) => [...(event.dataTransfer?.types ?? [])].includes("Files");
  document.addEventListener("dragover", (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    overlay.hidden = false;
  });
  document.addEventListener("dragleave", (event) => {
    if (event.relatedTarget === null) overlay.hidden = true;
  });
  document.addEventListener("drop", (event) => {
    overlay.hidden = true;
    if (!hasFiles(event)) return;
    event.preventDefault();
    const file = event.dataTransfer.files[0];
    if (file) openFile(file);
  });

  // --- your lists --------------------------------------------------------------------------
  const phraseStatus = $("phrase-status");
  const labelSelect = $("phrase-label");
  labelSelect.replaceChildren(
    ...labels.map((l) => {
      const option = document.createElement("option");
      option.value = l.name;
      option.textContent = `${l.name} — ${l.description}`;
      return option;
    }),
  );
  labelSelect.value = labelInfo.has("PRODUCT") ? "PRODUCT" : order[0];

  function renderPhrases() {
    const items = phrases.map((p, i) => {
      const li = document.createElement("li");
      const swatch = document.createElement("span");
      swatch.className = "legend-swatch";
      swatch.style.setProperty("--entity-color", labelInfo.get(p.label)?.color ?? "#dddddd");
      swatch.textContent = p.label;
      const text = document.createElement("span");
      text.className = "phrase-text";
      text.textContent = p.text;
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "phrase-remove";
      remove.textContent = "Remove";
      remove.setAttribute("aria-label", `Remove ${p.text}`);
      remove.addEventListener("click", () => setPhrases(phrases.filter((_, j) => j !== i), `Removed “${p.text}”.`));
      li.append(text, " ", swatch, " ", remove);
      return li;
    });
    $("phrase-list").replaceChildren(...items);
  }

  /**
   * Use a shared link's phrases for this view (or, given null, go back to your own), and say so
   * with a button that adds them to your list.
   */
  async function useLinkPhrases(list) {
    try {
      await engine.setUserPhrases(list ?? phrases);
    } catch (err) {
      phraseStatus.textContent = `The link's phrases were not applied: ${err.message}`;
      list = null;
    }
    linkPhrases = list;
    showLinkNote();
  }

  function showLinkNote() {
    if (!linkPhrases) return;
    const n = linkPhrases.length;
    const keep = document.createElement("button");
    keep.type = "button";
    keep.id = "keep-link-phrases";
    keep.textContent = "Add them to your list";
    keep.addEventListener("click", async () => {
      try {
        const merged = mergePhrases(phrases, linkPhrases);
        await setPhrases(merged, `Added the link's ${n === 1 ? "phrase" : `${n} phrases`} to your list.`);
      } catch (err) {
        phraseStatus.textContent = `Not added: ${err.message}`;
      }
    });
    phraseStatus.replaceChildren(
      `This view uses the ${n === 1 ? "phrase" : `${n} phrases`} that came with the link (your list is unchanged). `,
      keep,
    );
  }

  /** Give the engine `next`; on success keep it, save it and re-highlight. */
  async function setPhrases(next, message) {
    try {
      await engine.setUserPhrases(next);
    } catch (err) {
      phraseStatus.textContent = `Not saved: ${err.message}`;
      return false;
    }
    linkPhrases = null; // your own list is in use again
    phrases = next;
    try {
      savePhrases(phrases);
    } catch (err) {
      phraseStatus.textContent = `Applied, but not saved in this browser: ${err.message}`;
    }
    renderPhrases();
    phraseStatus.textContent = message;
    run();
    return true;
  }

  $("phrase-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const field = $("phrase-text");
    let next;
    try {
      next = addPhrase(phrases, { text: field.value, label: labelSelect.value });
    } catch (err) {
      phraseStatus.textContent = err.message;
      return;
    }
    const added = next[next.length - 1];
    if (await setPhrases(next, `Added “${added.text}” as ${added.label}.`)) field.value = "";
  });
  $("phrases-export").addEventListener("click", () =>
    download("nerlight-phrases.json", "application/json", phrasesToJSON(phrases)),
  );
  $("phrases-import").addEventListener("click", () => $("phrases-file").click());
  $("phrases-file").addEventListener("change", async (event) => {
    const file = event.target.files?.[0];
    event.target.value = "";
    if (!file) return;
    try {
      const imported = await readPhrasesFile(file, new Set(order));
      await setPhrases(mergePhrases(phrases, imported), `Imported ${imported.length} phrases from ${file.name}.`);
    } catch (err) {
      phraseStatus.textContent = `Not imported: ${err.message}`;
    }
  });

  renderPhrases();
  applyView();
  const phraseError = await savedPhrases;
  if (phraseError && linkPhrases) {
    phraseStatus.textContent = `The link's phrases were not applied: ${phraseError.message}`;
    linkPhrases = null;
    if (phrases.length) await engine.setUserPhrases(phrases).catch(() => {});
    run();
  } else if (phraseError) {
    phraseStatus.textContent = `Your saved list was not applied: ${phraseError.message}`;
  } else {
    showLinkNote();
  }
}

function clampThreshold(t) {
  return Math.max(0, Math.min(SCORE_STEPS, Math.round(Number(t) || 0)));
}

/**
 * CSS made once from the labels: each label's color, and the view's switches: `#app.hide-PERSON`
 * hides PERSON highlights and list entries, `#app[data-min-b="14"]` hides model entities whose
 * score bucket is below 14. Toggling is then a class change, with no re-render.
 */
function installLabelRules(labels) {
  const hide = [];
  const lists = [];
  const colors = [];
  for (const { name, color } of labels) {
    if (/^#[0-9a-fA-F]{3,8}$/.test(color)) colors.push(`mark.entity[data-label="${name}"] { --entity-color: ${color}; }`);
    hide.push(`#app.hide-${name} mark.entity[data-label="${name}"]`);
    lists.push(`#app.hide-${name} .entity-type[data-label="${name}"]`);
  }
  for (let t = 1; t <= SCORE_STEPS; t++) {
    for (let b = 0; b < t; b++) hide.push(`#app[data-min-b="${t}"] mark.entity[data-b="${b}"]`);
  }
  const style = document.createElement("style");
  style.textContent =
    `${colors.join("\n")}\n` +
    `${hide.join(",\n")} { background: none; padding: 0; margin: 0; border-radius: 0; color: inherit; box-shadow: none; outline-offset: 0; }\n` +
    `${hide.map((s) => `${s}::after`).join(",\n")} { content: none; }\n` +
    `${lists.join(",\n")} { display: none; }\n`;
  document.head.append(style);
}

main().catch((err) => {
  console.error(err);
  showStatus(`Something went wrong: ${err?.message ?? err}`, "error");
});
