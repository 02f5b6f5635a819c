// The engine's thread, started by worker.js (createHighlighter): a module worker that owns the
// wasm Highlighter, so that highlighting a long text never blocks the page.
//
// Protocol (every message is a plain object with a `type`):
//   client → worker  {type: "init", wasm?, model?}          load the engine (a custom model's bytes)
//                    {type: "part", id, text}                the start of request `id`'s text (a
//                                                            long text comes in parts, worker.js)
//                    {type: "highlight", id, text, first?}   stream the parts so far + `text` piece by
//                                                            piece (the first about `first` units)
//                    {type: "cancel", id}                    stop request `id` before its next piece
//                    {type: "phrases", id, phrases}          set the user's phrases ({text, label}[])
//   worker → client  {type: "ready", labels}                 the engine is loaded
//                    {type: "failed", message}               it could not load
//                    {type: "chunk", id, index, start, end, entities, done, length}
//                    {type: "error", id, message}            request `id` failed
//                    {type: "phrases", id, ok, message?}
//
// Requests are taken in order; each is streamed through stream.js, which yields to this thread's
// messages before every piece, so a cancellation arrives before the next piece is made.

import { Highlighter, init, labels } from "./index.js";
import { streamText } from "./stream.js";

let highlighter = null;
const queue = []; // messages that arrived before the engine was ready
const running = new Map(); // request id → AbortController
const parts = new Map(); // request id → the parts of its text received so far

/** Request `id`'s whole text: its parts, if it came in parts, then `text`. */
function wholeText(id, text) {
  const before = parts.get(id);
  parts.delete(id);
  if (!before) return text;
  before.push(text);
  return before.join(""); // one flat copy (a "+" would make another when the engine reads it)
}

async function highlight(id, text, first) {
  const controller = new AbortController();
  running.set(id, controller);
  try {
    for await (const piece of streamText(highlighter, text, { signal: controller.signal, first })) {
      postMessage({ type: "chunk", id, ...piece });
    }
  } catch (err) {
    postMessage({ type: "error", id, message: `highlighting failed: ${err?.message ?? err}` });
  } finally {
    running.delete(id);
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
  if (message.type === "highlight") highlight(message.id, wholeText(message.id, message.text), message.first);
  else if (message.type === "phrases") setPhrases(message.id, message.phrases);
}

async function start({ wasm, model }) {
  try {
    await init(wasm);
    const bytes = typeof model === "string" ? await (await fetch(model)).arrayBuffer() : model;
    highlighter = bytes ? Highlighter.fromModel(bytes) : new Highlighter();
    postMessage({ type: "ready", labels: labels() });
    for (const message of queue.splice(0)) handle(message);
  } catch (err) {
    postMessage({ type: "failed", message: String(err?.message ?? err) });
  }
}

onmessage = ({ data }) => {
  if (data.type === "init") start(data);
  else if (data.type === "part") {
    // Kept as they come, ready or not: the request's "highlight" message joins them.
    if (parts.has(data.id)) parts.get(data.id).push(data.text);
    else parts.set(data.id, [data.text]);
  } else if (data.type === "cancel") {
    parts.delete(data.id);
    running.get(data.id)?.abort();
    // Not started yet: drop it from the queue.
    const waiting = queue.findIndex((m) => m.type === "highlight" && m.id === data.id);
    if (waiting >= 0) queue.splice(waiting, 1);
  } else if (highlighter) handle(data);
  else queue.push(data);
};
