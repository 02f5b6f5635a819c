// nerlight/worker: the engine on a thread of its own. createHighlighter() starts a module worker
// (engine-worker.js) and turns its messages into promises:
//
//   import { createHighlighter } from "nerlight/worker";
//   const nl = createHighlighter();
//   const entities = await nl.highlight(text, { signal, onChunk });
//
// A text is streamed through the engine piece by piece (stream.js), so `onChunk` sees the first
// entities of a long text at once, and the pieces together are exactly the entities of one
// whole-text call, offsets into the whole text. Aborting `signal` rejects the promise with the
// signal's reason at once and stops the worker before its next piece.
//
// The worker script is found with `new URL("./engine-worker.js", import.meta.url)`, which Vite
// and webpack follow; it is one self-contained file that loads nerlight_bg.wasm from beside
// itself. With a bundler that does not follow it (esbuild), copy both files next to the bundle
// or pass `workerUrl`.
//
// A long text goes to the worker in parts of PART_UNITS, each posted in a task of its own, which
// the worker joins before it starts: one structured clone of a 20 Mi-unit text held the page's
// thread ~40 ms (two-byte strings are copied at memory speed, ~10 ms per 5 Mi units on a busy
// 2-core machine), a part ~2–10 ms. The engine still gets the whole text as one document.

import { nextTask } from "./tasks.js";

/** UTF-16 units per message when a text is posted to the worker in parts. */
export const PART_UNITS = 1 << 20;

/**
 * @typedef {import("./nerlight.js").Entity} Entity
 * @typedef {import("./nerlight.js").LabelInfo} LabelInfo
 * @typedef {{index: number, start: number, end: number, entities: Entity[], done: boolean,
 *            length: number}} Chunk
 */

class WorkerHighlighter {
  constructor({ model, wasm, workerUrl } = {}) {
    this.worker = new Worker(workerUrl ?? new URL("./engine-worker.js", import.meta.url), { type: "module" });
    this.nextId = 1;
    this.requests = new Map(); // id → {onChunk, entities, resolve, reject}
    this.phraseRequests = new Map(); // id → {resolve, reject}
    /** @type {Promise<LabelInfo[]>} */
    this.ready = new Promise((resolve, reject) => {
      this.worker.onmessage = ({ data }) => this.receive(data, resolve, reject);
      // A worker script that cannot be fetched or parsed: no message will ever come.
      this.worker.onerror = (event) => {
        event.preventDefault();
        this.fail(new Error(event.message || "the nerlight worker could not start"), reject);
      };
    });
    this.ready.catch(() => {}); // reported through highlight() and labels() too
    // URLs cross as strings (resolved against this document), bytes as they are.
    const href = (u) => (u instanceof URL ? u.href : typeof u === "string" ? new URL(u, globalThis.location?.href).href : u);
    this.worker.postMessage({ type: "init", model: href(model), wasm: href(wasm) });
  }

  receive(data, resolve, reject) {
    if (data.type === "ready") resolve(data.labels);
    else if (data.type === "failed") this.fail(new Error(data.message), reject);
    else if (data.type === "chunk") {
      const request = this.requests.get(data.id);
      if (!request) return; // cancelled: a piece still in flight
      for (const e of data.entities) request.entities.push(e);
      const { type: _, id: __, ...chunk } = data;
      request.onChunk?.(chunk);
      if (data.done) {
        this.requests.delete(data.id);
        request.resolve(request.entities);
      }
    } else if (data.type === "error") {
      const request = this.requests.get(data.id);
      this.requests.delete(data.id);
      request?.reject(new Error(data.message));
    } else if (data.type === "phrases") {
      const pending = this.phraseRequests.get(data.id);
      this.phraseRequests.delete(data.id);
      if (data.ok) pending?.resolve();
      else pending?.reject(new Error(data.message));
    }
  }

  /** The engine did not load (or its worker died): every request fails with `err`. */
  fail(err, rejectReady) {
    this.failure = err;
    rejectReady(err);
    for (const r of [...this.requests.values(), ...this.phraseRequests.values()]) r.reject(err);
    this.requests.clear();
    this.phraseRequests.clear();
    this.worker.terminate();
  }

  /** The engine's labels with their colors, once it is loaded. */
  labels() {
    return this.ready;
  }

  /**
   * The entities of `text`, offsets in UTF-16 code units. `onChunk` gets each piece as it is
   * done, in order, the last with `done: true`. `firstChunk`: about how long the first piece
   * should be (UTF-16 units; e.g. the text on screen, which then comes back first); by default
   * stream.js's FIRST_CHUNK.
   *
   * @param {string} text
   * @param {{signal?: AbortSignal, onChunk?: (chunk: Chunk) => void, firstChunk?: number}} [options]
   * @returns {Promise<Entity[]>}
   */
  highlight(text, { signal, onChunk, firstChunk } = {}) {
    if (typeof text !== "string") return Promise.reject(new TypeError("highlight: text must be a string"));
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const cleanup = () => signal?.removeEventListener("abort", onAbort);
      const onAbort = () => {
        this.requests.delete(id);
        this.worker.postMessage({ type: "cancel", id });
        cleanup();
        reject(signal.reason);
      };
      this.requests.set(id, {
        onChunk,
        entities: [],
        resolve: (value) => {
          cleanup();
          resolve(value);
        },
        reject: (err) => {
          cleanup();
          reject(err);
        },
      });
      signal?.addEventListener("abort", onAbort, { once: true });
      this.send(id, text, firstChunk);
    });
  }

  /**
   * Post request `id`'s text: at once if it is short, else in parts of PART_UNITS, one a task
   * (the last in the "highlight" message itself), for the worker to join. A request cancelled
   * or failed meanwhile posts no more parts (the worker drops those it has).
   */
  send(id, text, first) {
    let at = 0;
    const next = () => {
      if (!this.requests.has(id)) return;
      const end = Math.min(text.length, at + PART_UNITS);
      // A surrogate pair cut between two parts is whole again once the worker joins them.
      const part = at === 0 && end === text.length ? text : text.slice(at, end);
      at = end;
      if (at === text.length) this.worker.postMessage({ type: "highlight", id, text: part, first });
      else {
        this.worker.postMessage({ type: "part", id, text: part });
        nextTask(next);
      }
    };
    next();
  }

  /**
   * Replace the user's phrases; rejects with the engine's message (e.g. an unknown label), in
   * which case the previous list stays.
   *
   * @param {{text: string, label: string}[]} phrases
   * @returns {Promise<void>}
   */
  setUserPhrases(phrases) {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.phraseRequests.set(id, { resolve, reject });
      this.worker.postMessage({ type: "phrases", id, phrases });
    });
  }

  /** Stop the worker; pending requests are rejected. */
  terminate() {
    this.fail(new Error("the highlighter was terminated"), () => {});
  }
}

/**
 * Start the engine in a worker. `model`: a custom model's bytes (Highlighter.fromModel) or the
 * URL to fetch them from;
 * `wasm`: the .wasm's URL (default: beside the worker script); `workerUrl`: engine-worker.js's
 * URL (default: beside this module).
 *
 * @param {{model?: Uint8Array | ArrayBuffer | URL | string, wasm?: URL | string, workerUrl?: URL | string}} [options]
 */
export function createHighlighter(options = {}) {
  return new WorkerHighlighter(options);
}
