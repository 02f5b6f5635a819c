// The export buttons: JSON to the clipboard or a file, CSV, and a standalone HTML file
// (export.js builds them piece by piece, gathered here in 8 ms slices, so that the file of a
// text of megabytes never blocks the page for long). They export what is shown (the types switched on, the threshold) unless
// the Export choice says all entities; the file's name and the file itself say which.

import { isShown, SCORE_STEPS } from "../entities.js";
import { csvParts, exportFileName, exportSelection, htmlParts, jsonParts, selectionNote } from "../export.js";
import { slicer } from "../pkg/tasks.js";
import { $, copyText, download, showStatus } from "../ui.js";

/**
 * The pieces of a part generator, gathered in slices of a few milliseconds and joined 256 at a
 * time: a Blob of a few hundred strings is made at once, one of a hundred thousand was not.
 */
async function collect(parts) {
  const pause = slicer();
  const out = [];
  let batch = [];
  for (const part of parts) {
    batch.push(part);
    if (batch.length === 256) {
      out.push(batch.join(""));
      batch = [];
      await pause();
    }
  }
  out.push(batch.join(""));
  return out;
}

/** Wires the export buttons. Reads page.view, page.resultView and page.labelInfo. */
export function setupExports(page) {
  const { view, resultView, labelInfo } = page;

  // --- exports ---------------------------------------------------------------------------
  const scope = () => ($("export-scope").value === "all" ? "all" : "shown");
  /** The entities to export, and what they are (exportSelection). */
  const chosen = () => {
    const all = resultView.entities;
    const entities = scope() === "all" ? all : all.filter((e) => isShown(e, view));
    return { entities, selection: exportSelection(scope(), view, entities.length, all.length, SCORE_STEPS) };
  };
  const ready = () => {
    if (resultView.done) return true;
    showStatus("Still highlighting: export when it is done.", "error");
    return false;
  };
  const json = () => {
    const { entities, selection } = chosen();
    return collect(jsonParts(resultView.text, entities, selection));
  };
  // One export at a time: a second press while a big file is gathered is ignored.
  let busy = false;
  const exporting = (make) => async () => {
    if (busy || !ready()) return;
    busy = true;
    try {
      await make();
    } finally {
      busy = false;
    }
  };
  $("copy-json").addEventListener(
    "click",
    exporting(async () => copyText((await json()).join(""), "JSON")),
  );
  $("download-json").addEventListener(
    "click",
    exporting(async () => download(exportFileName("json", scope()), "application/json", await json())),
  );
  $("download-csv").addEventListener(
    "click",
    exporting(async () =>
      download(exportFileName("csv", scope()), "text/csv;charset=utf-8", ["\ufeff", ...(await collect(csvParts(chosen().entities)))]),
    ),
  );
  $("download-html").addEventListener(
    "click",
    exporting(async () => {
      const { entities, selection } = chosen();
      const html = await collect(htmlParts(resultView.text, entities, labelInfo, { note: selectionNote(selection) }));
      download(exportFileName("html", scope()), "text/html;charset=utf-8", html);
    }),
  );
}
