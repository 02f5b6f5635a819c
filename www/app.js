// The page: starts the engine in a worker (the package's nerlight/worker, built into pkg/) and sets up the panels around it, one
// module each in panels/: the input and result panes, the legend and threshold, the entity list,
// exports, sharing, files, your lists, the theme. What they share is the `page` object made here
// and passed to each; a panel's own state stays inside it. The pure parts live in their own
// modules: entities.js (counts, grouping, summary), export.js, share.js, files.js, userlists.js.

import { createHighlighter } from "./pkg/worker.js";
import { attachTooltip } from "./tooltip.js";
import { isViewHash } from "./share.js";
import { LABEL_NAME } from "./labelcheck.js";
import { loadPhrases } from "./userlists.js";
import { $, showStatus } from "./ui.js";
import { setupTheme } from "./panels/theme.js";
import { setupDensity } from "./panels/density.js";
import { SAMPLE, setupInput } from "./panels/input.js";
import { clampThreshold, installLabelRules, setupLegend } from "./panels/legend.js";
import { setupList } from "./panels/list.js";
import { setupExports } from "./panels/exports.js";
import { readLink, setupShare } from "./panels/share.js";
import { setupFiles } from "./panels/files.js";
import { setupFind } from "./panels/find.js";
import { setupUserLists } from "./panels/userlists.js";

/** Texts up to this many UTF-16 units are rendered in full to be printed. */
const PRINT_ALL_UNITS = 300_000;

async function main() {
  setupTheme();
  setupDensity();
  const input = $("input");
  const result = $("result");

  // The worker and its wasm load while the rest of the page is set up; the saved phrases and the
  // first text are queued in the worker until the engine is ready.
  const engine = createHighlighter();
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
    /** Why a link was refused: shown instead of the summary until the text changes; else null. */
    linkError: null,
    /** The entity list's Grouper (entities.js), fed while highlighting, or null once it is stale. */
    listSource: () => null,
    /** The result pane (render.js). */
    resultView: null,
    /** Counts per label at a threshold, kept up as chunks arrive (panels/input.js). */
    counts: null,
    /** Once the engine is ready: its labels, by name, and in the order they are listed. */
    labels: [],
    labelInfo: new Map(),
    order: [],
    // What the panels offer each other, set as each is set up: input {resultView, run, runSoon,
    // collapseInput},
    // legend {applyView, updateCounts, throttledCounts}, list {buildList},
    // userLists {useLinkPhrases, reportSaved}.
    input: null,
    legend: null,
    list: null,
    userLists: null,
  };
  const { view } = page;
  let shared = null;
  if (isViewHash(location.hash)) {
    const link = await readLink(engine, location.hash);
    shared = link.view ?? null;
    if (link.error) {
      page.linkError = link.error;
      showStatus(link.error, "error");
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

  page.input = setupInput(page);
  page.resultView = page.input.resultView;
  page.input.run();
  setupFind(page);
  // Print what is rendered: all of a text up to PRINT_ALL_UNITS, else the part on screen, and
  // a note saying so (style.css hides the empty chunks in print).
  window.addEventListener("beforeprint", () => {
    const all = page.resultView.renderAll(PRINT_ALL_UNITS);
    $("print-note").textContent = all
      ? ""
      : "Only the part of this long text shown on screen is printed. Save HTML for the whole text.";
  });
  window.addEventListener("afterprint", () => page.resultView.printAfter());
  // For tests and tools: the page's state (its text is page.input.text(), whatever the pane shows).
  window.nerlightPage = page;

  let labels;
  try {
    labels = await engine.ready;
  } catch (err) {
    console.error(err);
    showStatus(`The highlighting engine failed to load: ${err?.message ?? err}`, "error");
    result.dataset.state = "error";
    return;
  }
  labels = labels.filter((l) => LABEL_NAME.test(l.name));
  page.labels = labels;
  page.labelInfo = new Map(labels.map((info) => [info.name, info]));
  page.order = labels.map((l) => l.name);
  const { labelInfo } = page;
  for (const name of view.hidden) if (!labelInfo.has(name)) view.hidden.delete(name);

  installLabelRules(labels);
  attachTooltip(result, $("tooltip"), (i) => page.resultView.entities[i], labelInfo);

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
