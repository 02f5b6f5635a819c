// The engine's thread: a module worker that owns the wasm Highlighter, so highlighting a long
// text never freezes the page.
//
// Protocol (every message is a plain object with a `type`):
//   page → worker  {type: "highlight", id, text, stripe, stripes}
//                                                     highlight chunks stripe, stripe + stripes, …
//                                                     of `text`; any newer request cancels it
//                  {type: "phrases", id, phrases}     set the user's phrases ({text, label}[])
//   worker → page  {type: "ready", labels}            the engine is loaded
//                  {type: "failed", message}          it could not load
//                  {type: "chunk", id, index, start, end, entities, done, length}
//                  {type: "phrases", id, ok, message}
//
// A text is highlighted in chunks cut on paragraph, then sentence, then word boundaries
// (chunks.js). Each chunk's entities come back with offsets shifted by the chunk's UTF-16 start,
// so they index the whole text; together the chunks cover the text exactly, and the last has
// `done: true`. When the page runs several workers, each is sent the whole text and a stripe:
// every worker cuts the same chunks and highlights every `stripes`-th one from `stripe`; the page
// puts them back in order. Between chunks the worker yields, so a newer request (a keystroke, a
// paste) is seen and the older one is dropped instead of finished.

import init, { Highlighter, labels } from "./pkg/nerlight.js";
import { CHUNK, chunkEnd, FIRST_CHUNK } from "./chunks.js";
import { yieldToMessages } from "./tasks.js";

let highlighter = null;
let latest = 0; // id of the newest highlight request; an older one stops at its next chunk
const queue = []; // messages that arrived before the engine was ready

async function highlight(id, text, stripe = 0, stripes = 1) {
  latest = id;
  let start = 0;
  let index = 0;
  do {
    const end = chunkEnd(text, start, index === 0 ? FIRST_CHUNK : CHUNK);
    if (index % stripes !== stripe) {
      start = end;
      index += 1;
      continue; // another worker's chunk
    }
    // Yield before every chunk, the first too: requests queued behind this one are seen first.
    await yieldToMessages();
    if (latest !== id) return; // cancelled by a newer request
    const entities = highlighter.highlight(text.slice(start, end));
    if (start > 0) {
      for (const e of entities) {
        e.start += start;
        e.end += start;
      }
    }
    postMessage({ type: "chunk", id, index, start, end, entities, done: end >= text.length, length: text.length });
    start = end;
    index += 1;
  } while (start < text.length);
}

function setPhrases(id, phrases) {
  try {
    highlighter.setUserPhrases(phrases);
    postMessage({ type: "phrases", id, ok: true });
  } catch (err) {
    postMessage({ type: "phrases", id, ok: false, message: String(err?.message ?? err) });
  }
}

function handle(message) {
  if (message.type === "highlight") {
    // A newer request supersedes this one while it waits for its turn, too.
    latest = message.id;
    highlight(message.id, message.text, message.stripe, message.stripes).catch((err) => {
      postMessage({ type: "failed", message: `highlighting failed: ${err?.message ?? err}` });
    });
  } else if (message.type === "phrases") {
    setPhrases(message.id, message.phrases);
  }
}

onmessage = (event) => {
  if (highlighter) handle(event.data);
  else queue.push(event.data);
};

try {
  await init();
  highlighter = new Highlighter();
  postMessage({ type: "ready", labels: labels() });
  // Only the newest highlight request matters; phrases are applied in order before it.
  const lastHighlight = queue.findLastIndex((m) => m.type === "highlight");
  queue.forEach((m, i) => {
    if (m.type !== "highlight" || i === lastHighlight) handle(m);
  });
  queue.length = 0;
} catch (err) {
  postMessage({ type: "failed", message: String(err?.message ?? err) });
}
