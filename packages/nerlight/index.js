// nerlight, the engine: the WebAssembly module and its wasm-bindgen glue, for browsers, workers
// and MV3 service workers. (Node gets node.js instead, through the "node" export condition: it
// reads the .wasm from disk and is ready on import.)
//
//   import { init, Highlighter, labels } from "nerlight";
//   await init();
//   const entities = new Highlighter().highlight("Ana Ribeiro flew to Lisbon on 3 May.");
//
// The .wasm is found with `new URL("./nerlight_bg.wasm", import.meta.url)`, which Vite, webpack
// and Rollup (with its URL plugin) follow and copy; with a bundler that does not (esbuild), copy
// node_modules/nerlight/nerlight_bg.wasm next to the bundle or pass its URL to init().

import initWasm, { Document, Highlighter, initSync, labels } from "./nerlight.js";

export { Document, Highlighter, initSync, labels };

let loading = null;

/**
 * Load the engine; resolves once `Highlighter` and `labels` can be used. Later calls return the
 * same promise (a failed load is tried again). `wasm`: the module's URL, a Response, its bytes
 * or a compiled WebAssembly.Module; by default the nerlight_bg.wasm beside this file.
 *
 * @param {URL | string | Response | BufferSource | WebAssembly.Module} [wasm]
 * @returns {Promise<void>}
 */
export function init(wasm) {
  loading ??= initWasm({ module_or_path: wasm ?? new URL("./nerlight_bg.wasm", import.meta.url) }).then(
    () => undefined,
    (err) => {
      loading = null;
      throw err;
    },
  );
  return loading;
}

export default init;
