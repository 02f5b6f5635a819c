// The View switch: Tagged (each highlight a box with its label after it, displaCy's look) or
// Compact (color only, at the text's line height; the label on hover and focus, as the extension
// paints). A class on the result pane, so nothing is re-rendered; kept in localStorage.

import { $ } from "../ui.js";

export const DENSITY_KEY = "nerlight.density";

export function setupDensity() {
  const select = $("density");
  const result = $("result");
  const apply = (value) => result.classList.toggle("compact", value === "compact");
  let saved = "tagged";
  try {
    saved = localStorage.getItem(DENSITY_KEY) ?? "tagged";
  } catch {
    // storage blocked: the switch still works for this visit
  }
  select.value = saved === "compact" ? "compact" : "tagged";
  apply(select.value);
  select.addEventListener("change", () => {
    apply(select.value);
    try {
      localStorage.setItem(DENSITY_KEY, select.value);
    } catch {
      // as above
    }
  });
}
