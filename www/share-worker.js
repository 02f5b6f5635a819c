// Decodes a shared link off the page's thread (share.js openLink): inflating, parsing and
// checking a link, however large or deeply nested its content, never blocks the page.
//
//   page → worker  {hash}
//   worker → page  {ok: true, view} | {ok: false, message}

import { decodeView } from "./share.js";

onmessage = async ({ data }) => {
  try {
    postMessage({ ok: true, view: await decodeView(data.hash) });
  } catch (err) {
    postMessage({ ok: false, message: String(err?.message ?? err) });
  }
};
