// Opening a file: the Open button or a file dropped anywhere on the page replaces the text (a
// .txt as it is, an .html file's text only: files.js) and highlights it at once. A long one is
// held and shown read-only, not written into the text box (panels/input.js, textview.js).

import { readTextFile } from "../files.js";
import { nextTask } from "../pkg/tasks.js";
import { $, showStatus } from "../ui.js";

/** Wires the Open button and dropping a file; an opened file is highlighted with page.input. */
export function setupFiles(page) {
  const { run, runSoon, setText } = page.input;

  // --- files -----------------------------------------------------------------------------
  async function openFile(file) {
    let text;
    try {
      text = await readTextFile(file);
    } catch (err) {
      showStatus(`Could not open the file: ${err.message}`, "error");
      return;
    }
    if (!setText(text, `Opened ${file.name}`)) return;
    runSoon.cancel();
    // Sending a long text to the engine gets a task of its own, after showing it.
    nextTask(run);
    page.input.collapseInput(); // on a phone, the highlights come first
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
}
