// The text and its highlights: the input box, highlighted after a pause in typing or at once on a
// paste, and the result pane that the engine's chunks are rendered into (render.js), with a
// progress bar for long texts. When a text is done, the legend's counts and the entity list follow.

import { Grouper, isShown, passesThreshold, plural } from "../entities.js";
import { ResultView } from "../render.js";
import { $, debounce, showStatus } from "../ui.js";

/** Typing waits this long for a pause; a paste, a drop or an opened file highlight at once. */
const DEBOUNCE_MS = 120;

/** Screens this narrow stack the panes: there a pasted or opened text gives way to its highlights. */
const NARROW = "(max-width: 49.99rem)";

// A made-up news story (the companies and people are fictional) with one of each kind of
// entity the engine knows: people, organisations, places, nationalities, dates, money,
// percentages, a URL, an email address and a phone number.
export const SAMPLE = `Portugal's Marítima Energia agrees €2.4 billion deal for Norwegian wind developer

LISBON, 12 March 2025 — Marítima Energia, the Portuguese offshore wind company, said on Wednesday that it had agreed to buy Fjordkraft Vind from Solberg Holding for €2.4 billion ($2.6 billion), creating the largest floating-wind operator in Europe.

Chief executive Ana Ribeiro told reporters in Lisbon that the combined company would supply about 7% of Portugal's electricity by 2030. "Our engineers in Porto and Bergen have been working side by side for two years," she said. "This makes it official."

Shares of Marítima Energia rose 4.5% in early trading, while Solberg Holding gained 2.1% in Oslo. The deal still needs approval from the European Commission in Brussels, which is expected to rule before September. Analysts at Deutsche Bank called the price "full but fair", noting that Fjordkraft Vind earned NOK 410 million last year.

Norway's energy minister, Kari Haugen, welcomed the agreement, saying it would protect 1,200 jobs on the west coast. Spanish and French competitors had also shown interest, according to two people familiar with the talks.

Ribeiro, 52, joined Marítima Energia in 2016 from BP and became chief executive three years later. Under her leadership the company has grown from 40 employees to more than 900.

Offer documents are published at https://investors.maritima-energia.com/offer-2025 and questions can be sent to ir@maritima-energia.com or by phone on +351 21 555 0199. The transaction is expected to close on 30 June 2025.
`;

/**
 * Wires the input and the result pane; highlighting starts with the first `run()`. Reads
 * page.engine and page.view, keeps page.listSource for the list; progress and the end of a text
 * go to page.legend and page.list, which exist by then (the engine's labels come first).
 *
 * @returns {{resultView: ResultView, run: () => void, runSoon: (() => void) & {cancel: () => void},
 *            collapseInput: () => boolean}}
 */
export function setupInput(page) {
  const { engine, view } = page;
  const input = $("input");
  const result = $("result");

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
    // A newer text cancels the older one: its remaining chunks are never delivered.
    controller?.abort();
    controller = new AbortController();
    const id = ++runs;
    engine
      .highlight(text, {
        signal: controller.signal,
        onChunk: (chunk) => {
          grouper.add(chunk.entities, id === resultView.id ? resultView.entities.length : 0);
          resultView.push(id, text, chunk);
        },
      })
      .catch(async (err) => {
        if (err?.name === "AbortError") return;
        // An engine that failed to load is reported by app.js; this is highlighting failing
        // after it loaded (it never should).
        if (await engine.ready.then(() => true, () => false)) showStatus(err.message, "error");
      });
  }
  let controller = null;
  let runs = 0;
  const runSoon = debounce(run, DEBOUNCE_MS);

  // --- the input as a bar, on phones ----------------------------------------------------------
  // Stacked on a narrow screen, a full-height text box pushes the highlights below the fold. After
  // a paste, a drop or an opened file the box gives way to a bar that says what it holds; a tap on
  // the bar brings the box back, focused.
  const pane = input.closest(".pane-input");
  const bar = $("input-bar");
  /** Collapse the input to its bar if the screen is narrow; returns whether it did. */
  function collapseInput() {
    if (!matchMedia(NARROW).matches) return false;
    const firstLine = input.value.trim().split("\n", 1)[0] ?? "";
    $("input-bar-text").textContent = `${plural(input.value.length, "character")}: ${firstLine.slice(0, 80)}`;
    bar.hidden = false;
    bar.setAttribute("aria-expanded", "false");
    pane.classList.add("collapsed");
    if (document.activeElement === input) bar.focus({ preventScroll: true });
    // The bar at the top of the screen, the highlights right under it.
    requestAnimationFrame(() => pane.scrollIntoView({ block: "start", behavior: "instant" }));
    return true;
  }
  function expandInput() {
    pane.classList.remove("collapsed");
    bar.hidden = true;
    bar.setAttribute("aria-expanded", "true");
    input.focus();
  }
  bar.addEventListener("click", expandInput);
  // Back to two panes side by side: the text box is shown again.
  matchMedia(NARROW).addEventListener("change", (event) => {
    if (!event.matches && pane.classList.contains("collapsed")) {
      pane.classList.remove("collapsed");
      bar.hidden = true;
    }
  });

  let pasted = false;
  input.addEventListener("paste", () => (pasted = true));
  input.addEventListener("input", (event) => {
    page.linkError = null; // a refused link's message gives way once the text changes
    if (pasted || event.inputType === "insertFromPaste" || event.inputType === "insertFromDrop") {
      pasted = false;
      runSoon.cancel();
      run();
      collapseInput();
    } else {
      runSoon();
    }
  });

  return { resultView, run, runSoon, collapseInput };
}
