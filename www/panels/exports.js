// The export buttons: JSON to the clipboard or a file, CSV, and a standalone HTML file
// (export.js builds them). They export what is shown (the types switched on, the threshold) unless
// the Export choice says all entities; the file's name and the file itself say which.

import { isShown, SCORE_STEPS } from "../entities.js";
import { exportFileName, exportSelection, selectionNote, toCSV, toHTML, toJSON } from "../export.js";
import { $, copyText, download, showStatus } from "../ui.js";

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
    return toJSON(resultView.text, entities, selection);
  };
  $("copy-json").addEventListener("click", () => ready() && copyText(json(), "JSON"));
  $("download-json").addEventListener(
    "click",
    () => ready() && download(exportFileName("json", scope()), "application/json", json()),
  );
  $("download-csv").addEventListener(
    "click",
    () => ready() && download(exportFileName("csv", scope()), "text/csv;charset=utf-8", `\ufeff${toCSV(chosen().entities)}`),
  );
  $("download-html").addEventListener("click", () => {
    if (!ready()) return;
    const { entities, selection } = chosen();
    const html = toHTML(resultView.text, entities, labelInfo, { note: selectionNote(selection) });
    download(exportFileName("html", scope()), "text/html;charset=utf-8", html);
  });
}
