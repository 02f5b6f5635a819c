// nerlight, the engine, for Node (the "node" export condition): the .wasm is read from disk
// beside this file and compiled on import, so `Highlighter` and `labels` work at once; `init()`
// is there so that code written for the browser runs unchanged.

import { readFileSync } from "node:fs";

import { Document, Highlighter, initSync, labels } from "./nerlight.js";

initSync({ module: readFileSync(new URL("./nerlight_bg.wasm", import.meta.url)) });

export { Document, Highlighter, initSync, labels };

/** Already done on import; resolves at once. */
export function init() {
  return Promise.resolve();
}

export default init;
