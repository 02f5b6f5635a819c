// Highlight the page with nerlight/dom, the engine being the service worker's.
import { highlightElement } from "nerlight/dom";

const highlighter = {
  highlight: (text) => chrome.runtime.sendMessage({ type: "highlight", text }),
  labels: () => chrome.runtime.sendMessage({ type: "labels" }),
};

highlightElement(document.body, { highlighter, observe: true });
