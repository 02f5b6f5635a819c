// A text streamed through the engine piece by piece, the one chunker of the worker client
// (engine-worker.js) and of anything else that owns a Highlighter, such as an extension's
// service worker answering its content scripts.
//
// Each piece comes from `Highlighter.document(text).next(maxUnits)`: about FIRST_CHUNK UTF-16
// units first (small, so the first highlights of a paste show at once), then CHUNK (large enough
// that the per-call cost disappears, small enough that progress and cancellation are seen often),
// each running on to a line break. The engine carries what the model reads about the whole text
// and about earlier sentences from piece to piece, so the pieces' entities together are exactly
// one `highlight(text)` call's, offsets into the whole text.

import { yieldToMessages } from "./tasks.js";

/** UTF-16 units in the first piece. */
export const FIRST_CHUNK = 4_000;
/** UTF-16 units in each later piece. */
export const CHUNK = 8_000;

/**
 * The pieces of `text`, in order: {index, start, end, entities, done, length}. Before each piece
 * it yields to the thread's pending messages, so a cancellation (or a newer request) is seen
 * first; once `signal` is aborted no further piece is made.
 *
 * @param {import("./nerlight.js").Highlighter} highlighter
 * @param {string} text
 * @param {{signal?: AbortSignal, first?: number, chunk?: number}} [options] `first`: the first
 *   piece's size in units (default FIRST_CHUNK; anything but a positive number means that)
 */
export async function* streamText(highlighter, text, { signal, first, chunk = CHUNK } = {}) {
  // A size from elsewhere (a page's message): a positive number of units, else the default.
  if (!(typeof first === "number" && Number.isFinite(first) && first >= 1)) first = FIRST_CHUNK;
  const doc = highlighter.document(text);
  try {
    for (let index = 0; ; index++) {
      await yieldToMessages();
      if (signal?.aborted) return;
      const { start, end, entities, done } = doc.next(index === 0 ? first : chunk);
      yield { index, start, end, entities, done, length: text.length };
      if (done) return;
    }
  } finally {
    doc.free();
  }
}
