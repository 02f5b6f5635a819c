// What every panel of the page uses: elements by id, the status line, downloads, the clipboard.

import { darkFill } from "./colors.js";

export const $ = (id) => document.getElementById(id);

export function debounce(fn, ms) {
  let timer;
  const debounced = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
  debounced.cancel = () => clearTimeout(timer);
  return debounced;
}

export function showStatus(message, kind = "ok") {
  const status = $("status");
  status.textContent = message;
  status.dataset.kind = kind;
  status.setAttribute("role", kind === "error" ? "alert" : "status");
}

/** Save `content` (a string, or an array of pieces) as a file called `name` (an object URL, revoked once used). */
export function download(name, type, content) {
  const url = URL.createObjectURL(new Blob(Array.isArray(content) ? content : [content], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export async function copyText(text, what) {
  try {
    await navigator.clipboard.writeText(text);
    showStatus(`${what} copied to the clipboard.`);
    return true;
  } catch (err) {
    showStatus(`Could not copy ${what.toLowerCase()}: ${err?.message ?? err}`, "error");
    return false;
  }
}

/**
 * Color a label's swatch or box: its light fill, and the dark theme's (colors.js darkFill), which
 * style.css picks between with light-dark().
 */
export function setEntityColor(el, color) {
  let dark = darkFills.get(color);
  if (dark === undefined) darkFills.set(color, (dark = darkFill(color)));
  el.style.setProperty("--entity-color", color);
  el.style.setProperty("--entity-dark", dark);
}
/** color → its dark fill: a list of 10,000 phrases has 22 colors at most. */
const darkFills = new Map();
