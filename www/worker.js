// The engine's thread: a module worker that owns the wasm Highlighter, so highlighting a long
// text never freezes the page.
//
// Protocol (every message is a plain object with a `type`):
//   page → worker  {type: "highlight", id, text}     highlight `text` chunk by chunk; any newer
//                                                     request cancels it
//                  {type: "phrases", id, phrases}     set the user's phrases ({text, label}[])
//   worker → page  {type: "ready", labels}            the engine is loaded
//                  {type: "failed", message}          it could not load
//                  {type: "chunk", id, index, start, end, entities, done, length}
//                  {type: "phrases", id, ok, message}
//
// A text is streamed through the engine's `Highlighter.document(text)`: each `next()` analyses
// the next piece (about FIRST_CHUNK UTF-16 units first, then CHUNK, running on to a line break)
// and returns its entities with offsets into the whole text. The engine carries what the model
// reads about the whole text and about earlier sentences from piece to piece, so the chunks'
// entities together are exactly one `highlight(text)` call's. That history is sequential, so one
// worker takes a text's chunks in order (striping them over two workers, as before, gave each
// chunk a fresh history). Between chunks the worker yields, so a newer request (a keystroke, a
// paste) is seen and the older one is dropped instead of finished.

import init, { Highlighter, labels } from "./pkg/nerlight.js";
import { CHUNK, FIRST_CHUNK } from "./chunks.js";
import { yieldToMessages } from "./tasks.js";

let highlighter = null;
let latest = 0; // id of the newest highlight request; an older one stops at its next chunk
const queue = []; // messages that arrived before the engine was ready

async function highlight(id, text) {
  latest = id;
  const doc = highlighter.document(text);
  try {
    let index = 0;
    for (;;) {
      // Yield before every chunk, the first too: requests queued behind this one are seen first.
      await yieldToMessages();
      if (latest !== id) return; // cancelled by a newer request
      const { start, end, entities, done } = doc.next(index === 0 ? FIRST_CHUNK : CHUNK);
      postMessage({ type: "chunk", id, index, start, end, entities, done, length: text.length });
      if (done) return;
      index += 1;
    }
  } finally {
    doc.free();
  }
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
    highlight(message.id, message.text).catch((err) => {
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
