// The page's side of the engine: starts worker.js and turns its messages into promises and
// callbacks. Nothing else in the page talks to the workers.
//
// One worker: it streams each text through the engine chunk by chunk, in order, because the
// model's history (what earlier sentences were tagged) is sequential and carried from chunk to
// chunk, so that the page's entities are exactly one whole-text call's. Two workers used to
// share a text's chunks, striped, each chunk with a fresh history (0.3% of entities differed);
// a second engine cannot take part in one text's chunks any more, and a newer request cancels
// the older one anyway, so it would only cost a second copy of the model.

/**
 * @typedef {{start: number, end: number, label: string, text: string, score: number,
 *            source: "rule" | "model" | "user"}} Entity
 * @typedef {{name: string, description: string, color: string}} LabelInfo
 * @typedef {{id: number, index: number, start: number, end: number, entities: Entity[],
 *            done: boolean, length: number}} Chunk
 */

/** Workers at most (see above): one text's chunks are streamed in order through one engine. */
const MAX_WORKERS = 1;

export class Engine {
  /** Starts the first worker; `ready` resolves with the labels once its engine has loaded. */
  constructor() {
    this.workers = []; // {worker, ready: boolean}
    this.nextId = 1;
    this.current = 0; // id of the highlight request whose chunks are wanted
    this.onChunk = null;
    this.buffer = new Map(); // chunks of the current request that arrived ahead of their turn
    this.nextIndex = 0;
    this.pendingPhrases = new Map();
    this.phrases = null; // the last list the engine accepted, for workers started later
    this.wanted = Math.min(MAX_WORKERS, Math.max(1, navigator.hardwareConcurrency || 1));
    /** @type {Promise<LabelInfo[]>} */
    this.ready = this.start();
  }

  /** Start one more worker; resolves with the labels when its engine is ready. */
  start() {
    const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
    const entry = { worker, ready: false };
    this.workers.push(entry);
    if (this.phrases) worker.postMessage({ type: "phrases", id: 0, phrases: this.phrases });
    return new Promise((resolve, reject) => {
      worker.onmessage = ({ data }) => {
        if (data.type === "ready") {
          entry.ready = true;
          resolve(data.labels);
        } else if (data.type === "failed") {
          const err = new Error(data.message);
          if (entry.ready) {
            this.onFailure?.(err); // highlighting failed (it never should)
          } else {
            this.drop(entry); // the engine did not load in this worker
            reject(err);
          }
        } else if (data.type === "chunk") {
          this.receive(data);
        } else if (data.type === "phrases") {
          const pending = this.pendingPhrases.get(data.id);
          this.pendingPhrases.delete(data.id);
          if (data.ok) pending?.resolve();
          else pending?.reject(new Error(data.message));
        }
      };
      // A module that cannot be fetched or parsed (no message will ever come).
      worker.onerror = (event) => {
        event.preventDefault();
        this.drop(entry);
        reject(new Error(event.message || "the engine's worker could not start"));
      };
    });
  }

  drop(entry) {
    entry.worker.terminate();
    this.workers = this.workers.filter((e) => e !== entry);
  }

  /** Deliver the current request's chunks in order, whichever worker finishes first. */
  receive(chunk) {
    if (chunk.id !== this.current) return; // a superseded request's chunk still in flight
    this.buffer.set(chunk.index, chunk);
    while (this.buffer.has(this.nextIndex)) {
      const next = this.buffer.get(this.nextIndex);
      this.buffer.delete(this.nextIndex);
      this.nextIndex += 1;
      this.onChunk?.(next);
      if (next.done) this.grow();
    }
  }

  /** After the first text is done, bring the pool up to size (failures just leave it smaller). */
  grow() {
    if (this.grown) return;
    this.grown = true;
    while (this.workers.length < this.wanted) this.start().catch(() => {});
  }

  /**
   * Highlight `text`; `onChunk` gets each chunk of this request in order, the last with `done`.
   * Cancels any earlier request: its remaining chunks are never delivered.
   *
   * @param {string} text
   * @param {(chunk: Chunk) => void} onChunk
   * @returns {number} the request id
   */
  highlight(text, onChunk) {
    const id = this.nextId++;
    this.current = id;
    this.onChunk = onChunk;
    this.buffer.clear();
    this.nextIndex = 0;
    // Before the worker is ready, the request waits in it; one worker streams the text in order.
    const ready = this.workers.filter((e) => e.ready);
    const pool = ready.length > 0 ? ready.slice(0, 1) : this.workers.slice(0, 1);
    for (const { worker } of pool) worker.postMessage({ type: "highlight", id, text });
    // A worker left out still drops whatever older request it is working on.
    for (const { worker } of this.workers.filter((e) => !pool.includes(e))) {
      worker.postMessage({ type: "highlight", id, text: "" });
    }
    return id;
  }

  /**
   * Replace the user's phrases in every worker; rejects with the engine's message (e.g. an
   * unknown label), in which case every worker keeps its previous list.
   *
   * @param {{text: string, label: string}[]} phrases
   * @returns {Promise<void>}
   */
  setUserPhrases(phrases) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pendingPhrases.set(id, {
        resolve: () => {
          this.phrases = phrases;
          resolve();
        },
        reject,
      });
      for (const { worker } of this.workers) worker.postMessage({ type: "phrases", id, phrases });
    });
  }
}
