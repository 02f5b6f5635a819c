// wasm-bindgen's classes are disposable (`Symbol.dispose`): the lib that declares it, for consumers
// whose `lib` stops before it.
/// <reference lib="esnext.disposable" />

// Types of the `nerlight` entry (index.js in browsers and workers, node.js in Node). The classes
// and data types are wasm-bindgen's, generated from the Rust binding into nerlight.d.ts.

export { Document, Highlighter, initSync, labels } from "./nerlight.js";
export type { DocumentPiece, Entity, InitInput, LabelInfo, SyncInitInput, UserPhrase } from "./nerlight.js";

/**
 * Load the engine; resolves once `Highlighter` and `labels` can be used. Later calls return the
 * same promise. `wasm`: the module's URL, a Response, its bytes or a compiled module; by default
 * the nerlight_bg.wasm beside the package's JavaScript. In Node the engine is ready on import
 * and this resolves at once.
 */
export function init(wasm?: URL | string | Response | BufferSource | WebAssembly.Module): Promise<void>;
export default init;
