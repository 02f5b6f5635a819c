// The share button and opened links: "Copy link" puts the text, the view and the phrases in use
// in the URL hash (share.js encodes it, and refuses a link the page would refuse to open); a link,
// opened with the page or in this tab, is decoded in a worker with its size and fields bounded
// (share.js openLink) and applies its view, or nothing of it with a message saying why.

import { clampThreshold } from "./legend.js";
import { encodeView, isViewHash, openLink, TooLongError } from "../share.js";
import { LABEL_NAME } from "../labelcheck.js";
import { yieldToMessages } from "../pkg/tasks.js";
import { $, copyText, showStatus } from "../ui.js";

/**
 * Open the link in `hash` (share.js openLink), its types checked against `engine`'s labels once
 * it is ready. Resolves with {view}, or with {error}: the message for a refused link, of which
 * nothing is to be applied.
 *
 * @returns {Promise<{view: object, error?: undefined} | {view?: undefined, error: string}>}
 */
export async function readLink(engine, hash) {
  const labelNames = engine.ready.then((ls) => ls.map((l) => l.name).filter((n) => LABEL_NAME.test(n)));
  try {
    return { view: await openLink(hash, labelNames) };
  } catch (err) {
    return { error: `This link could not be opened: ${err.message}. Nothing of it was applied.` };
  }
}

/**
 * Wires the share button and opening a link in this tab. Reads page.view and the phrases in use;
 * a link's view goes through page.legend, its phrases through page.userLists (set up after this
 * panel, so reached when a link is opened), and its text is highlighted. A refused link sets
 * page.linkError, which the legend's summary shows until the text changes.
 */
export function setupShare(page) {
  const { view } = page;
  const { run } = page.input;

  // --- share -----------------------------------------------------------------------------
  const shareLink = $("share-link");
  $("share").addEventListener("click", async () => {
    let hash;
    try {
      hash = await encodeView({
        text: page.input.text(),
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
  let linkOpening = 0;
  window.addEventListener("hashchange", async () => {
    if (!isViewHash(location.hash)) return;
    const opening = ++linkOpening;
    const { view: state, error } = await readLink(page.engine, location.hash);
    // Receiving a link's view (10,000 phrases take a while to copy out of the worker), applying
    // it and handing its phrases to the engine each get a task: no one of them nears 100 ms.
    await yieldToMessages();
    if (opening !== linkOpening) return; // a newer link is being opened
    page.linkError = error ?? null;
    if (error) {
      showStatus(error, "error");
      return;
    }
    applyShared(state);
    await yieldToMessages();
    await page.userLists.useLinkPhrases(state.phrases.length ? state.phrases : null);
    run();
  });
  function applyShared(state) {
    // The old result goes first: restyling it for the link's view would be wasted work.
    page.resultView.clear();
    page.input.setText(state.text);
    // Its types were checked against the engine's labels (openLink).
    view.hidden = new Set(state.hidden);
    view.threshold = clampThreshold(state.threshold);
    page.legend.applyView();
  }
}
