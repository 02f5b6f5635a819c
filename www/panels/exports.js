// The export buttons: JSON to the clipboard or a file, CSV, and a standalone HTML file of what is
// shown (export.js builds them).

import { isShown } from "../entities.js";
import { toCSV, toHTML, toJSON } from "../export.js";
import { $, copyText, download, showStatus } from "../ui.js";

/** Wires the export buttons. Reads page.view, page.resultView and page.labelInfo. */
export function setupExports(page) {
  const { view, resultView, labelInfo } = page;

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
}
