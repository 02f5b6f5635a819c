// The share button and opened links: "Copy link" puts the text, the view and the phrases in use
// in the URL hash (share.js encodes it); a link opened in this tab applies its view.

import { clampThreshold } from "./legend.js";
import { decodeView, encodeView, isViewHash, TooLongError } from "../share.js";
import { $, copyText, showStatus } from "../ui.js";

/**
 * Wires the share button and opening a link in this tab. Reads page.view, page.labelInfo and the
 * phrases in use; a link's view goes through page.legend, its phrases through page.userLists
 * (set up after this panel, so reached when a link is opened), and its text is highlighted.
 */
export function setupShare(page) {
  const { view, labelInfo } = page;
  const { run } = page.input;
  const input = $("input");

  // --- share -----------------------------------------------------------------------------
  const shareLink = $("share-link");
  $("share").addEventListener("click", async () => {
    let hash;
    try {
      hash = await encodeView({
        text: input.value,
        hidden: [...view.hidden],
        threshold: view.threshold,
        phrases: page.linkPhrases ?? page.phrases,
      });
    } catch (err) {
      showStatus(err instanceof TooLongError ? err.message : `Could not make a link: ${err.message}`, "error");
      shareLink.hidden = true;
      return;
    }
    const url = `${location.origin}${location.pathname}${hash}`;
    history.replaceState(null, "", hash);
    shareLink.value = url;
    shareLink.hidden = false;
    if (await copyText(url, "Link")) showStatus(`Link copied to the clipboard (${Math.ceil(url.length / 1024)} KB).`);
  });
  window.addEventListener("hashchange", async () => {
    if (!isViewHash(location.hash)) return;
    try {
      const state = await decodeView(location.hash);
      applyShared(state);
      await page.userLists.useLinkPhrases(state.phrases.length ? state.phrases : null);
      run();
    } catch (err) {
      showStatus(`This link could not be opened: ${err.message}.`, "error");
    }
  });
  function applyShared(state) {
    input.value = state.text;
    view.hidden = new Set(state.hidden.filter((l) => labelInfo.has(l)));
    view.threshold = clampThreshold(state.threshold);
    page.legend.applyView();
  }
}
