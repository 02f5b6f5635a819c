// The theme switch: the page follows prefers-color-scheme unless the switch says otherwise (kept
// in localStorage).

import { $ } from "../ui.js";

const THEME_KEY = "nerlight.theme";

export function setupTheme() {
  const select = $("theme");
  const apply = (value) => {
    if (value === "light" || value === "dark") document.documentElement.dataset.theme = value;
    else delete document.documentElement.dataset.theme;
  };
  let saved = "auto";
  try {
    saved = localStorage.getItem(THEME_KEY) ?? "auto";
  } catch {
    // storage blocked: the switch still works for this visit
  }
  select.value = ["light", "dark"].includes(saved) ? saved : "auto";
  apply(select.value);
  select.addEventListener("change", () => {
    apply(select.value);
    try {
      localStorage.setItem(THEME_KEY, select.value);
    } catch {
      // as above
    }
  });
}
