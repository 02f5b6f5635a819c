// The page: wires the worker-backed engine (engine.js), the incremental renderer (render.js) and
// the panels around them. The pure parts live in their own modules: entities.js (counts,
// grouping, summary), export.js, share.js, files.js, userlists.js.

import { Engine } from "./engine.js";
import { ResultView } from "./render.js";
import { attachTooltip } from "./tooltip.js";
import {
  Grouper,
  isShown,
  passesThreshold,
} from "./entities.js";
import { decodeView, isViewHash } from "./share.js";
import { LABEL_NAME } from "./labelcheck.js";
import { loadPhrases } from "./userlists.js";
import { $, debounce, showStatus } from "./ui.js";
import { setupTheme } from "./panels/theme.js";
import { clampThreshold, installLabelRules, setupLegend } from "./panels/legend.js";
import { setupList } from "./panels/list.js";
import { setupExports } from "./panels/exports.js";
import { setupShare } from "./panels/share.js";
import { setupFiles } from "./panels/files.js";
import { setupUserLists } from "./panels/userlists.js";

/** Typing waits this long for a pause; a paste, a drop or an opened file highlight at once. */
const DEBOUNCE_MS = 120;

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

async function main() {
  setupTheme();
  const input = $("input");
  const result = $("result");

  // The worker and its wasm load while the rest of the page is set up; the saved phrases and the
  // first text are queued in the worker until the engine is ready.
  const engine = new Engine();
  /**
   * What the panels share, passed to each one: the page's state, the parts every panel uses, and
   * the functions a panel offers the others. Nothing else is shared between panels.
   */
  const page = {
    engine,
    /** What is shown: labels switched off, and the threshold in score buckets. */
    view: { hidden: new Set(), threshold: 0 },
    /** Your saved phrases. */
    phrases: [],
    /** A shared link's phrases, used instead of yours in this view; null when yours are. */
    linkPhrases: null,
    /** The entity list's groups gathered while highlighting, or null once they are stale. */
    listSource: () => null,
    /** The result pane (render.js). */
    resultView: null,
    /** Once the engine is ready: its labels, by name, and in the order they are listed. */
    labels: [],
    labelInfo: new Map(),
    order: [],
  };
  const { view } = page;
  let shared = null;
  if (isViewHash(location.hash)) {
    try {
      shared = await decodeView(location.hash);
    } catch (err) {
      showStatus(`This link could not be opened: ${err.message}.`, "error");
    }
  }
  // Your saved phrases, unless a shared link brings its own: those apply to this view only.
  page.phrases = loadPhrases();
  page.linkPhrases = shared?.phrases.length ? shared.phrases : null;
  const active = page.linkPhrases ?? page.phrases;
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
  page.resultView = resultView;
  const progressBox = $("progress-box");
  function progress(rendered, length) {
    // Only long texts show progress: a short one is done before a bar could be read.
    if (resultView.done || performance.now() - startedAt < 150) return;
    progressBox.hidden = false;
    $("progress").value = length ? rendered / length : 1;
    $("progress-text").textContent = `Highlighting… ${Math.floor((100 * rendered) / Math.max(1, length))}%`;
    page.legend.throttledCounts();
  }

  function finished() {
    progressBox.hidden = true;
    result.removeAttribute("aria-busy");
    // Counts and the list in a task of their own, so the last highlights paint first.
    const id = resultView.id;
    setTimeout(async () => {
      if (resultView.id !== id) return;
      page.legend.updateCounts();
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (resultView.id !== id || !(await page.list.buildList())) return;
      // For tests and tools: every highlight, the counts and the list are in place.
      if (resultView.id === id) result.dataset.state = "ready";
    }, 0);
  }

  function run() {
    const text = input.value;
    startedAt = performance.now();
    result.dataset.state = "working";
    result.setAttribute("aria-busy", "true");
    // The list's groups are gathered as chunks arrive, so finishing a long text stays cheap.
    const grouper = new Grouper((e) => passesThreshold(e, view.threshold));
    const threshold = view.threshold;
    page.listSource = () => (view.threshold === threshold ? grouper.groups() : null);
    engine.highlight(text, (chunk) => {
      grouper.add(chunk.entities, chunk.id === resultView.id ? resultView.entities.length : 0);
      resultView.push(chunk.id, text, chunk);
    });
  }
  const runSoon = debounce(run, DEBOUNCE_MS);
  page.input = { run, runSoon };

  let pasted = false;
  input.addEventListener("paste", () => (pasted = true));
  input.addEventListener("input", (event) => {
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
  page.labels = labels;
  page.labelInfo = new Map(labels.map((info) => [info.name, info]));
  page.order = labels.map((l) => l.name);
  const { labelInfo, order } = page;
  for (const name of view.hidden) if (!labelInfo.has(name)) view.hidden.delete(name);

  installLabelRules(labels);
  attachTooltip(result, $("tooltip"), (i) => resultView.entities[i], labelInfo);

  page.legend = setupLegend(page);
  page.list = setupList(page);

  setupExports(page);

  setupShare(page);

  setupFiles(page);

  page.userLists = setupUserLists(page);
  page.legend.applyView();
  await page.userLists.reportSaved(savedPhrases);
}

main().catch((err) => {
  console.error(err);
  showStatus(`Something went wrong: ${err?.message ?? err}`, "error");
});
