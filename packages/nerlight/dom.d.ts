// wasm-bindgen's classes are disposable (`Symbol.dispose`): the lib that declares it, for consumers
// whose `lib` stops before it.
/// <reference lib="esnext.disposable" />

// Types of `nerlight/dom`.

import type { Entity, LabelInfo } from "./nerlight.js";

export type { Entity, LabelInfo };

/**
 * Anything that finds entities in a text: the worker client of `nerlight/worker`, or your own
 * (an extension's content script asking its service worker). `onChunk`, if it streams, gets the
 * pieces in order with offsets into the whole text. `firstChunk` is how far the text on screen
 * runs (UTF-16 units): a streaming highlighter that makes its first piece about that long lets
 * `ready` come after one piece; one that ignores it still works.
 */
export interface TextHighlighter {
  highlight(
    text: string,
    options?: {
      signal?: AbortSignal;
      onChunk?: (chunk: { start: number; end: number; entities: Entity[]; done: boolean }) => void;
      firstChunk?: number;
    },
  ): Promise<Entity[]>;
  /** Where the label colors come from when `labels` is not given. */
  labels?(): Promise<LabelInfo[]>;
}

export interface HighlightElementOptions {
  highlighter: TextHighlighter;
  /** The labels' colors; by default `highlighter.labels()`. */
  labels?: LabelInfo[];
  /** Labels shown at first (default: all). */
  visibleLabels?: Iterable<string> | null;
  /** Prefix of the highlight names and custom properties; default "nerlight-". */
  prefix?: string;
  /** "auto" (default): the CSS Custom Highlight API where there is one, else `<mark>`s. */
  painter?: "auto" | "highlight-api" | "mark";
  /** Adopt a stylesheet with one `::highlight()` rule per label (default true). */
  styles?: boolean;
  /** Follow DOM changes from the start (same as calling `observe()`). */
  observe?: boolean;
  /** Errors of later passes (after `ready`); by default logged with console.warn. */
  onError?: (error: unknown) => void;
}

/** An entity as painted: where it is in the DOM. */
export interface PaintedEntity {
  id: number;
  label: string;
  text: string;
  score?: number;
  source?: string;
  range: StaticRange;
}

export interface HighlightHandle {
  /**
   * Resolves when the part of the current pass near the viewport is painted (on a long page the
   * rest follows in the background). Rejects if the highlighter failed.
   */
  ready: Promise<void>;
  /** Resolves when the current pass has found and painted every entity (`entities` is complete). */
  done: Promise<void>;
  /** How entities are painted. */
  readonly painter: "highlight-api" | "mark";
  /**
   * The entities painted, in the order found. Past 512 of them, only those near the viewport
   * are in `CSS.highlights` at a time (all of them while printing); all are listed here.
   */
  readonly entities: PaintedEntity[];
  /** Show only these labels (null: all). */
  setVisibleLabels(labels: Iterable<string> | null): void;
  /** Follow DOM changes (and SPA navigation), re-reading what changed. */
  observe(): HighlightHandle;
  /** Remove every highlight, stop observing, cancel work under way. */
  clear(): void;
}

/** Highlight the entities under `root` (an element, a document or a shadow root). */
export function highlightElement(root: Node, options: HighlightElementOptions): HighlightHandle;

/** One `::highlight(PREFIX + LABEL)` rule per label, colors from `--PREFIX + LABEL`. */
export function highlightStyles(labels: Pick<LabelInfo, "name" | "color">[], options?: { prefix?: string }): string;

/** Whether this document can paint with the CSS Custom Highlight API. */
export function hasHighlightApi(): boolean;
