// Your lists: words or phrases with a type, highlighted at once and winning over everything
// else, kept in localStorage, exported and imported as JSON (userlists.js). A shared link's
// phrases apply to its view only, until you add them to your list.

import { addPhrase, mergePhrases, phrasesToJSON, readPhrasesFile, savePhrases } from "../userlists.js";
import { plural } from "../entities.js";
import { $, download, setEntityColor } from "../ui.js";

/**
 * Wires your lists, once the labels are known. Keeps page.phrases and page.linkPhrases, gives
 * them to page.engine, and re-highlights with page.input.
 *
 * @returns {{useLinkPhrases: (list: object[] | null) => Promise<void>,
 *            reportSaved: (saved: Promise<Error | null> | null) => Promise<void>}}
 */
export function setupUserLists(page) {
  const { engine, labels, labelInfo, order } = page;
  const { run } = page.input;

  // --- your lists --------------------------------------------------------------------------
  const phraseStatus = $("phrase-status");
  const labelSelect = $("phrase-label");
  labelSelect.replaceChildren(
    ...labels.map((l) => {
      const option = document.createElement("option");
      option.value = l.name;
      option.textContent = `${l.name} — ${l.description}`;
      return option;
    }),
  );
  labelSelect.value = labelInfo.has("PRODUCT") ? "PRODUCT" : order[0];
  // The chosen type's description in full, wrapped, whatever width the select has.
  const describeType = () => ($("phrase-label-hint").textContent = labelInfo.get(labelSelect.value)?.description ?? "");
  labelSelect.addEventListener("change", describeType);
  describeType();

  function renderPhrases() {
    const items = page.phrases.map((p, i) => {
      const li = document.createElement("li");
      const swatch = document.createElement("span");
      swatch.className = "legend-swatch";
      setEntityColor(swatch, labelInfo.get(p.label)?.color ?? "#dddddd");
      swatch.textContent = p.label;
      const text = document.createElement("span");
      text.className = "phrase-text";
      text.textContent = p.text;
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "phrase-remove";
      remove.textContent = "Remove";
      remove.setAttribute("aria-label", `Remove ${p.text}`);
      remove.addEventListener("click", () => setPhrases(page.phrases.filter((_, j) => j !== i), `Removed “${p.text}”.`));
      li.append(text, " ", swatch, " ", remove);
      return li;
    });
    $("phrase-list").replaceChildren(...items);
  }

  /**
   * Use a shared link's phrases for this view (or, given null, go back to your own), and say so
   * with a button that adds them to your list.
   */
  async function useLinkPhrases(list) {
    try {
      await engine.setUserPhrases(list ?? page.phrases);
    } catch (err) {
      phraseStatus.textContent = `The link's phrases were not applied: ${err.message}`;
      list = null;
    }
    page.linkPhrases = list;
    showLinkNote();
  }

  function showLinkNote() {
    if (!page.linkPhrases) return;
    const n = page.linkPhrases.length;
    const keep = document.createElement("button");
    keep.type = "button";
    keep.id = "keep-link-phrases";
    keep.textContent = "Add them to your list";
    keep.addEventListener("click", async () => {
      try {
        const merged = mergePhrases(page.phrases, page.linkPhrases);
        await setPhrases(merged, `Added the link's ${n === 1 ? "phrase" : plural(n, "phrase")} to your list.`);
      } catch (err) {
        phraseStatus.textContent = `Not added: ${err.message}`;
      }
    });
    phraseStatus.replaceChildren(
      `This view uses the ${n === 1 ? "phrase" : plural(n, "phrase")} that came with the link (your list is unchanged). `,
      keep,
    );
  }

  /** Give the engine `next`; on success keep it, save it and re-highlight. */
  async function setPhrases(next, message) {
    try {
      await engine.setUserPhrases(next);
    } catch (err) {
      phraseStatus.textContent = `Not saved: ${err.message}`;
      return false;
    }
    page.linkPhrases = null; // your own list is in use again
    page.phrases = next;
    try {
      savePhrases(page.phrases);
    } catch (err) {
      phraseStatus.textContent = `Applied, but not saved in this browser: ${err.message}`;
    }
    renderPhrases();
    phraseStatus.textContent = message;
    run();
    return true;
  }

  $("phrase-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const field = $("phrase-text");
    let next;
    try {
      next = addPhrase(page.phrases, { text: field.value, label: labelSelect.value });
    } catch (err) {
      phraseStatus.textContent = err.message;
      return;
    }
    const added = next[next.length - 1];
    if (await setPhrases(next, `Added “${added.text}” as ${added.label}.`)) field.value = "";
  });
  $("phrases-export").addEventListener("click", () =>
    download("nerlight-phrases.json", "application/json", phrasesToJSON(page.phrases)),
  );
  $("phrases-import").addEventListener("click", () => $("phrases-file").click());
  $("phrases-file").addEventListener("change", async (event) => {
    const file = event.target.files?.[0];
    event.target.value = "";
    if (!file) return;
    try {
      const imported = await readPhrasesFile(file, new Set(order));
      await setPhrases(mergePhrases(page.phrases, imported), `Imported ${plural(imported.length, "phrase")} from ${file.name}.`);
    } catch (err) {
      phraseStatus.textContent = `Not imported: ${err.message}`;
    }
  });

  /**
   * Say what became of the phrases given to the engine at start (`savedPhrases` resolves with
   * their error, or null); a link's phrases that failed give way to your own list.
   */
  async function reportSaved(savedPhrases) {
    const phraseError = await savedPhrases;
    if (phraseError && page.linkPhrases) {
      phraseStatus.textContent = `The link's phrases were not applied: ${phraseError.message}`;
      page.linkPhrases = null;
      if (page.phrases.length) await engine.setUserPhrases(page.phrases).catch(() => {});
      run();
    } else if (phraseError) {
      phraseStatus.textContent = `Your saved list was not applied: ${phraseError.message}`;
    } else {
      showLinkNote();
    }
  }

  renderPhrases();
  return { useLinkPhrases, reportSaved };
}
