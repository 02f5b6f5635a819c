// The page: load the engine, highlight the textarea's text as it changes, render the result.
//
// Three parts kept apart on purpose: loadEngine() is the only code that talks to the wasm module
// (a later version can move it into a worker behind the same two functions), render.js only
// turns (text, entities) into DOM, and main() wires them to the page.

import init, { Highlighter, labels } from "./pkg/nerlight.js";
import { render, renderLegend } from "./render.js";

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

/**
 * Load the wasm module and build a highlighter. Everything the page needs from the engine goes
 * through the object returned here.
 *
 * @returns {Promise<{highlight: (text: string) => import("./pkg/nerlight.js").Entity[],
 *                    labels: () => import("./pkg/nerlight.js").LabelInfo[]}>}
 */
export async function loadEngine() {
  await init();
  const highlighter = new Highlighter();
  return {
    highlight: (text) => highlighter.highlight(text),
    labels: () => labels(),
  };
}

function debounce(fn, ms) {
  let timer;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

function showStatus(el, message, kind) {
  el.textContent = message;
  el.dataset.kind = kind;
  el.setAttribute("role", kind === "error" ? "alert" : "status");
}

async function main() {
  const input = document.getElementById("input");
  const result = document.getElementById("result");
  const legend = document.getElementById("legend");
  const status = document.getElementById("status");

  input.value = SAMPLE;

  let engine;
  try {
    engine = await loadEngine();
  } catch (err) {
    console.error(err);
    showStatus(status, `The highlighting engine failed to load: ${err?.message ?? err}`, "error");
    result.dataset.state = "error";
    return;
  }

  const infos = engine.labels();
  const labelInfo = new Map(infos.map((info) => [info.name, info]));
  renderLegend(legend, infos);

  const update = () => {
    const text = input.value;
    let entities;
    try {
      entities = engine.highlight(text);
    } catch (err) {
      console.error(err);
      showStatus(status, `Highlighting failed: ${err?.message ?? err}`, "error");
      return;
    }
    render(result, text, entities, labelInfo);
    const n = entities.length;
    showStatus(status, `${n} ${n === 1 ? "entity" : "entities"} found.`, "ok");
    // For tests and tools: the pane has been rendered at least once.
    result.dataset.state = "ready";
  };

  update();
  input.addEventListener("input", debounce(update, DEBOUNCE_MS));
}

main();
