// The page's side of the engine: starts worker.js and turns its messages into promises and
// callbacks. Nothing else in the page talks to the worker.

/**
 * @typedef {{start: number, end: number, label: string, text: string, score: number,
 *            source: "rule" | "model" | "user"}} Entity
 * @typedef {{name: string, description: string, color: string}} LabelInfo
 * @typedef {{id: number, index: number, start: number, end: number, entities: Entity[],
 *            done: boolean, length: number}} Chunk
 */

export class Engine {
  /** Starts the worker; `ready` resolves with the labels once the wasm engine has loaded. */
  constructor() {
    this.worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
    this.nextId = 1;
    this.current = 0; // id of the highlight request whose chunks are wanted
    this.onChunk = null;
    this.pendingPhrases = new Map();
    /** @type {Promise<LabelInfo[]>} */
    this.ready = new Promise((resolve, reject) => {
      this.worker.onmessage = ({ data }) => {
        if (data.type === "ready") resolve(data.labels);
        else if (data.type === "failed") {
          reject(new Error(data.message));
          this.onFailure?.(new Error(data.message));
        } else if (data.type === "chunk") {
          // Chunks of a superseded request may still be in flight: drop them.
          if (data.id === this.current) this.onChunk?.(data);
        } else if (data.type === "phrases") {
          const pending = this.pendingPhrases.get(data.id);
          this.pendingPhrases.delete(data.id);
          if (data.ok) pending?.resolve();
          else pending?.reject(new Error(data.message));
        }
      };
      // A module that cannot be fetched or parsed (no onmessage will ever come).
      this.worker.onerror = (event) => {
        event.preventDefault();
        reject(new Error(event.message || "the engine's worker could not start"));
      };
    });
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
    this.worker.postMessage({ type: "highlight", id, text });
    return id;
  }

  /** Stop delivering chunks of the current request (the worker drops it at its next chunk). */
  cancel() {
    this.current = 0;
    this.worker.postMessage({ type: "highlight", id: this.nextId++, text: "" });
  }

  /**
   * Replace the user's phrases; rejects with the engine's message (e.g. an unknown label).
   *
   * @param {{text: string, label: string}[]} phrases
   * @returns {Promise<void>}
   */
  setUserPhrases(phrases) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pendingPhrases.set(id, { resolve, reject });
      this.worker.postMessage({ type: "phrases", id, phrases });
    });
  }
}
