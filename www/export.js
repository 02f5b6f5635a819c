// Exports of a result: JSON, CSV and a standalone HTML document. Pure string builders (no DOM),
// tested in Node; panels/exports.js turns them into downloads and clipboard copies.

import { HEX_COLOR } from "./labelcheck.js";
import { spans } from "./pkg/spans.js";

/** The entity fields every export carries, in order. */
const FIELDS = ["start", "end", "label", "text", "score", "source"];

/**
 * What an export holds, said in the file: every entity, or those shown (the types switched on,
 * and the model's entities reaching the threshold; rules and your lists always pass it).
 *
 * @param {"shown" | "all"} scope
 * @param {{hidden: Set<string>, threshold: number}} view threshold in buckets of 1/steps
 * @param {number} count entities exported
 * @param {number} total entities found
 * @param {number} steps score buckets per 1.0 (entities.js SCORE_STEPS)
 */
export function exportSelection(scope, view, count, total, steps) {
  if (scope === "all") return { entities: "all", count, total };
  return {
    entities: "shown",
    hiddenLabels: [...view.hidden].sort(),
    minModelScore: view.threshold / steps,
    count,
    total,
  };
}

/** The file name of an export: "entities-shown.json", "entities-all.csv", "highlighted-shown.html". */
export function exportFileName(kind, scope) {
  const base = kind === "html" ? "highlighted" : "entities";
  return `${base}-${scope === "all" ? "all" : "shown"}.${kind}`;
}

/** One sentence saying what an export holds (the HTML file's footer). */
export function selectionNote(selection) {
  const { count, total } = selection;
  const noun = total === 1 ? "entity" : "entities";
  if (selection.entities === "all") return `All ${total.toLocaleString("en-US")} ${noun}.`;
  const of = `${count.toLocaleString("en-US")} of ${total.toLocaleString("en-US")} ${noun}`;
  const why = [];
  if (selection.hiddenLabels.length) why.push(`types hidden: ${selection.hiddenLabels.join(", ")}`);
  if (selection.minModelScore > 0) why.push(`model confidence ≥ ${selection.minModelScore.toFixed(2)}`);
  return `The ${of} shown${why.length ? ` (${why.join("; ")})` : ""}.`;
}

/**
 * JSON with the offset unit stated: offsets are UTF-16 code units, so in JavaScript
 * `text.slice(start, end) === entity.text`. With a `selection` (exportSelection), it says which
 * entities it holds.
 */
export function toJSON(text, entities, selection) {
  return [...jsonParts(text, entities, selection)].join("");
}

/** An entity's exported fields, in their order. */
const exported = (e) => Object.fromEntries(FIELDS.map((f) => [f, e[f]]));

/**
 * toJSON's text in pieces, one an entity, so that a caller can build a big file in slices
 * (collect): the same bytes as `JSON.stringify(…, null, 2)` of the whole, tested against it.
 */
export function* jsonParts(text, entities, selection) {
  const head = JSON.stringify({ offsetUnit: "utf16", ...(selection ? { selection } : {}), text }, null, 2);
  yield `${head.slice(0, -2)},\n  "entities": [`;
  if (entities.length === 0) {
    yield "]\n}\n";
    return;
  }
  for (let i = 0; i < entities.length; i++) {
    yield `${i ? "," : ""}\n    ${JSON.stringify(exported(entities[i]), null, 2).replace(/\n/g, "\n    ")}`;
  }
  yield "\n  ]\n}\n";
}

/**
 * One CSV cell: RFC 4180 quoting (a cell with a comma, quote, CR or LF is quoted, quotes
 * doubled), and a cell a spreadsheet would run as a formula (=, +, -, @, or a tab or CR first)
 * is prefixed with ' so it stays text.
 */
export function csvCell(value) {
  let s = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV, CRLF line ends as RFC 4180 says, a header row, offsets in UTF-16 code units. */
export function toCSV(entities) {
  return [...csvParts(entities)].join("");
}

/** toCSV's text in pieces, a row each (see jsonParts). */
export function* csvParts(entities) {
  yield "start_utf16,end_utf16,label,text,score,source\r\n";
  for (const e of entities) yield `${FIELDS.map((f) => csvCell(e[f])).join(",")}\r\n`;
}

/** Text escaped for HTML element content and double-quoted attribute values. */
export function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

/**
 * The highlighted document as a standalone HTML file: inline CSS, no scripts, every piece of
 * text escaped. Only the entities given are highlighted; `note` (selectionNote) says which.
 *
 * @param {string} text
 * @param {{start: number, end: number, label: string, score: number, source: string}[]} entities
 * @param {Map<string, {color: string, description: string}>} labelInfo
 * @param {{title?: string, note?: string}} [options]
 */
export function toHTML(text, entities, labelInfo, options = {}) {
  return [...htmlParts(text, entities, labelInfo, options)].join("");
}

/** toHTML's text in pieces, a span of text or an entity each (see jsonParts). */
export function* htmlParts(text, entities, labelInfo, { title = "nerlight: highlighted text", note = "" } = {}) {
  yield `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escapeHtml(title)}</title>
<style>
body { font: 1rem/2.4 system-ui, sans-serif; max-width: 50rem; margin: 2rem auto; padding: 0 1rem; color: #1b1b1f; background: #fff; }
main { white-space: pre-wrap; overflow-wrap: anywhere; }
mark { color: #1b1b1f; padding: 0.25em 0.45em; margin: 0 0.1em; border-radius: 0.35em; line-height: 1; -webkit-box-decoration-break: clone; box-decoration-break: clone; print-color-adjust: exact; -webkit-print-color-adjust: exact; }
.tag { margin-left: 0.45em; font-size: 0.8em; font-weight: 700; font-variant-caps: all-small-caps; vertical-align: middle; }
footer { margin-top: 2rem; color: #5d5d66; font-size: 0.85rem; }
</style>
</head>
<body>
<main>`;
  for (const { start, end, entity: e } of spans(entities, 0, text.length)) {
    if (!e) {
      yield escapeHtml(text.slice(start, end));
      continue;
    }
    const info = labelInfo.get(e.label);
    const color = info && HEX_COLOR.test(info.color) ? info.color : "#dddddd";
    const tip = `${e.label}${info ? ` — ${info.description}` : ""} (${e.source}, score ${Number(e.score).toFixed(2)})`;
    yield `<mark style="background:${color}" title="${escapeHtml(tip)}">${escapeHtml(text.slice(e.start, e.end))}` +
      `<span class="tag">${escapeHtml(e.label)}</span></mark>`;
  }
  yield `</main>
<footer>Highlighted by nerlight in the browser; ${escapeHtml(note || `${entities.length} entities.`)}</footer>
</body>
</html>
`;
}
