// The engine lives in the service worker: a page's CSP may forbid WebAssembly in the page, never
// here ('wasm-unsafe-eval' in manifest.json). Content scripts send text, get entities back.
import { Highlighter, init, labels } from "nerlight";

const engine = init().then(() => new Highlighter());

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if (sender.id !== chrome.runtime.id) return false;
  engine.then((highlighter) => {
    if (message.type === "labels") sendResponse(labels());
    else if (message.type === "highlight" && typeof message.text === "string") sendResponse(highlighter.highlight(message.text));
  });
  return true; // answered asynchronously
});
