// The text and its highlights: the input box, highlighted after a pause in typing or at once on a
// paste, and the result pane that the engine's chunks are rendered into (render.js), with a
// progress bar for long texts. When a text is done, the legend's counts and the entity list follow.
// A paste, a drop or an opened file over HOLD_UNITS is held in memory and shown read-only
// (textview.js) instead of being written into the text box, which would freeze the tab.

import { Grouper, isShown, LabelCounter, passesThreshold, plural } from "../entities.js";
import { ResultView } from "../render.js";
import { HOLD_UNITS, MAX_TEXT_UNITS, sizeText, TextView } from "../textview.js";
import { nextTask } from "../pkg/tasks.js";
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
 *            text: () => string, setText: (text: string, how?: string) => boolean,
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
  function progress(received, length) {
    // Only long texts show progress: a short one is done before a bar could be read.
    if (resultView.done || performance.now() - startedAt < 150) return;
    progressBox.hidden = false;
    $("progress").value = length ? received / length : 1;
    $("progress-text").textContent = `Highlighting… ${Math.floor((100 * received) / Math.max(1, length))}%`;
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
    const text = currentText();
    startedAt = performance.now();
    result.dataset.state = "working";
    result.setAttribute("aria-busy", "true");
    // The list's groups are gathered as chunks arrive, so finishing a long text stays cheap.
    const grouper = new Grouper((e) => passesThreshold(e, view.threshold));
    const threshold = view.threshold;
    page.listSource = () => (view.threshold === threshold ? grouper : null);
    // The legend's counts, kept up per chunk: a count is then never a pass over every entity.
    // They replace the old text's with its first chunk, as the pane does.
    const counter = new LabelCounter();
    const counts = (t) => counter.counts(t);
    // A newer text cancels the older one: its remaining chunks are never delivered.
    controller?.abort();
    controller = new AbortController();
    const id = ++runs;
    engine
      .highlight(text, {
        signal: controller.signal,
        onChunk: (chunk) => {
          // One string per label and per source for every entity: the worker's message brings a
          // fresh copy of each per entity, which at 20 MB (765,000 entities) is 1.5 million
          // strings kept alive for the garbage collector to trace.
          for (const e of chunk.entities) {
            e.label = interned(e.label);
            e.source = interned(e.source);
          }
          grouper.add(chunk.entities, id === resultView.id ? resultView.entities.length : 0);
          counter.add(chunk.entities);
          page.counts = counts;
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
  const strings = new Map();
  const interned = (s) => strings.get(s) ?? (strings.set(s, s), s);
  const runSoon = debounce(run, DEBOUNCE_MS);

  // --- long texts: held in memory, shown read-only --------------------------------------------
  let held = null; // the text when it is held (textview.js), else null: the text box's is used
  const textView = new TextView($("textview"), {
    onEdit: () => {
      input.value = held;
      release();
      input.focus();
    },
    onClear: () => {
      input.value = "";
      release();
      run();
      input.focus();
    },
    // The paste never reached the text box, so its text before the paste is still there.
    onUndo: () => {
      release();
      run();
      input.focus();
    },
  });
  function release() {
    held = null;
    textView.hide();
    input.hidden = false;
  }
  function currentText() {
    return held ?? input.value;
  }

  /**
   * Make `text` the page's text (not highlighted yet: call run): into the text box if it is
   * short, else held and shown read-only. A text over MAX_TEXT_UNITS is refused with a message
   * and false, and the page's text stays.
   */
  function setText(text, how = "Pasted") {
    if (text.length > MAX_TEXT_UNITS) {
      showStatus(
        `Not taken: this text is ${sizeText(text.length)}; the page takes up to ${sizeText(MAX_TEXT_UNITS)} ` +
          `(${MAX_TEXT_UNITS.toLocaleString("en-US")} UTF-16 units). For longer texts use the command line: nerlight --jsonl.`,
        "error",
      );
      return false;
    }
    page.linkError = null; // the text changed: a refused link's message gives way
    if (text.length <= HOLD_UNITS) {
      release();
      input.value = text;
      return true;
    }
    held = text;
    // Hidden, the text box is not laid out; its own text stays for Ctrl+Z (onUndo).
    input.hidden = true;
    textView.show(text, how);
    return true;
  }

  /**
   * A long text replaces what the paste or drop would have replaced in the text box. The event's
   * task only reads the text (clipboardData.getData: a synchronous read from the browser process,
   * ~70 ms for 5 MB, which no script can split) and keeps it; the next task makes it the page's
   * text, starts highlighting it (worker.js posts it in parts, one a task) and shows its first
   * blocks (textview.js makes the rest a slice at a time), so no task of ours nears 50 ms.
   */
  function takeLong(event, text, how) {
    event.preventDefault();
    const value = input.value;
    const { selectionStart: from, selectionEnd: to } = input;
    const taking = ++takes;
    nextTask(() => {
      if (taking !== takes) return;
      // Usually the paste replaces all of the box's text, or the box is empty: nothing to join.
      const whole = from === 0 && to === value.length ? text : value.slice(0, from) + text + value.slice(to);
      if (!setText(whole, how)) return;
      runSoon.cancel();
      run();
      collapseInput(); // on a phone, the highlights come first
    });
  }
  let takes = 0;
  // --- the input as a bar, on phones ----------------------------------------------------------
  // Stacked on a narrow screen, a full-height text box pushes the highlights below the fold. After
  // a paste, a drop or an opened file the box gives way to a bar that says what it holds; a tap on
  // the bar brings the box back, focused.
  const pane = input.closest(".pane-input");
  const bar = $("input-bar");
  /** Collapse the input to its bar if the screen is narrow; returns whether it did. */
  function collapseInput() {
    if (!matchMedia(NARROW).matches) return false;
    const text = currentText(); // a held text is megabytes: read only its start
    const firstLine = text.slice(0, 400).trim().split("\n", 1)[0] ?? "";
    $("input-bar-text").textContent = `${plural(text.length, "character")}: ${firstLine.slice(0, 80)}`;
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
  input.addEventListener("paste", (event) => {
    const text = event.clipboardData?.getData("text/plain") ?? "";
    if (text.length > HOLD_UNITS) takeLong(event, text, "Pasted");
    else pasted = true;
  });
  // A paste into the read-only view replaces its text.
  $("textview").addEventListener("paste", (event) => {
    const text = event.clipboardData?.getData("text/plain") ?? "";
    event.preventDefault();
    // As takeLong: the paste's task only reads the text.
    const taking = ++takes;
    nextTask(() => {
      if (taking !== takes || !setText(text, "Pasted")) return;
      runSoon.cancel();
      run();
      collapseInput();
    });
  });
  input.addEventListener("drop", (event) => {
    if (event.dataTransfer?.types.includes("Files")) return; // files: panels/files.js
    const text = event.dataTransfer?.getData("text/plain") ?? "";
    if (text.length > HOLD_UNITS) takeLong(event, text, "Dropped");
  });
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

  return { resultView, run, runSoon, text: currentText, setText, collapseInput };
}
