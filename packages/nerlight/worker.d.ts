// wasm-bindgen's classes are disposable (`Symbol.dispose`): the lib that declares it, for consumers
// whose `lib` stops before it.
/// <reference lib="esnext.disposable" />

// Types of `nerlight/worker`.

import type { Entity, LabelInfo, UserPhrase } from "./nerlight.js";

export type { Entity, LabelInfo, UserPhrase };

/** One piece of a streamed text, offsets in UTF-16 code units of the whole text. */
export interface Chunk {
  /** 0 for the first piece, then 1, 2, … */
  index: number;
  /** Where the piece starts in the whole text. */
  start: number;
  /** Where it ends (exclusive). */
  end: number;
  /** The piece's entities, sorted, offsets into the whole text. */
  entities: Entity[];
  /** Whether this is the last piece. */
  done: boolean;
  /** The whole text's length. */
  length: number;
}

export interface HighlightOptions {
  /** Aborting it rejects the promise with the signal's reason and stops the worker. */
  signal?: AbortSignal;
  /** Each piece as it is done, in order; the last has `done: true`. */
  onChunk?: (chunk: Chunk) => void;
  /**
   * About how long the first piece is, in UTF-16 units (default 4,000): e.g. the text on
   * screen, which then comes back in one piece. Later pieces are 8,000.
   */
  firstChunk?: number;
}

/** The engine running in a module worker. */
export interface WorkerHighlighter {
  /** The engine's labels with their colors, once it is loaded; rejects if it failed to load. */
  readonly ready: Promise<LabelInfo[]>;
  /** Same as `ready`. */
  labels(): Promise<LabelInfo[]>;
  /**
   * The entities of `text` (offsets in UTF-16 code units): exactly those of one whole-text
   * call, streamed off the main thread piece by piece.
   */
  highlight(text: string, options?: HighlightOptions): Promise<Entity[]>;
  /** Replace the user's own phrases; rejects with the engine's message, keeping the old list. */
  setUserPhrases(phrases: UserPhrase[]): Promise<void>;
  /** Stop the worker; pending requests are rejected. */
  terminate(): void;
}

export interface CreateHighlighterOptions {
  /** A custom model's bytes (see `Highlighter.fromModel`), or the URL to fetch them from. */
  model?: Uint8Array | ArrayBuffer | URL | string;
  /** The .wasm's URL; by default the nerlight_bg.wasm beside the worker script. */
  wasm?: URL | string;
  /** The worker script's URL; by default the package's engine-worker.js. */
  workerUrl?: URL | string;
}

/** Start the engine in a module worker. */
export function createHighlighter(options?: CreateHighlighterOptions): WorkerHighlighter;

/** UTF-16 units per message when a long text is posted to the worker in parts (joined there). */
export const PART_UNITS: number;
