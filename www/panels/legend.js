// The legend and the confidence threshold: one toggle per label with a live count (the types
// found, most frequent first; the others behind one "All types" control), and the slider. Both
// change page.view, which reaches the page as a class or an attribute on #app that the rules made
// once from the labels act on (installLabelRules): nothing is re-rendered.

import { countByLabel, legendOrder, SCORE_STEPS, summarize } from "../entities.js";
import { darkFill } from "../colors.js";
import { HEX_COLOR } from "../labelcheck.js";
import { $, debounce, setEntityColor, showStatus } from "../ui.js";

/**
 * Builds the legend and wires the threshold, once the labels are known. Reads page.view,
 * page.resultView, page.labels and page.order; a new threshold rebuilds the list (page.list).
 *
 * @returns {{applyView: () => void, updateCounts: () => void, throttledCounts: () => void}}
 */
export function setupLegend(page) {
  const { view, resultView, labels, order } = page;
  const app = $("app");

  // --- legend: one toggle per label, with live counts ---------------------------------------
  const legend = $("legend");
  const toggles = new Map();
  for (const info of labels) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "legend-toggle";
    button.dataset.label = info.name;
    button.setAttribute("aria-pressed", "true");
    button.title = info.description;
    const swatch = document.createElement("span");
    swatch.className = "legend-swatch";
    setEntityColor(swatch, info.color);
    swatch.textContent = info.name;
    const count = document.createElement("span");
    count.className = "legend-count";
    count.textContent = "0";
    button.append(swatch, count);
    button.addEventListener("click", () => {
      if (view.hidden.has(info.name)) view.hidden.delete(info.name);
      else view.hidden.add(info.name);
      applyView();
    });
    toggles.set(info.name, { button, count });
  }
  // The types not found in this text wait behind one control, so the legend shows what is there.
  const more = document.createElement("button");
  more.type = "button";
  more.id = "legend-more";
  more.className = "legend-more";
  more.setAttribute("aria-expanded", "false");
  let expanded = false;
  more.addEventListener("click", () => {
    expanded = !expanded;
    arrange();
  });
  let arranged = "";
  /** Order the toggles by count (entities.js legendOrder) and show or hide the absent types. */
  function arrange(counts = countByLabel(resultView.entities, view.threshold)) {
    const { present, rest } = legendOrder(counts, order);
    const key = `${present.join()}|${expanded}`;
    more.textContent = expanded ? "Fewer types" : `All types (${rest.length} more)`;
    more.setAttribute("aria-expanded", String(expanded));
    more.hidden = rest.length === 0;
    for (const name of rest) toggles.get(name).button.hidden = !expanded;
    for (const name of present) toggles.get(name).button.hidden = false;
    if (key === arranged) return;
    arranged = key;
    // Moving a focused toggle would drop its focus: give it back.
    const focused = document.activeElement;
    legend.replaceChildren(...[...present, ...rest].map((name) => toggles.get(name).button), more);
    if (focused?.parentElement === legend && document.activeElement !== focused) focused.focus();
  }
  legend.replaceChildren(...[...toggles.values()].map((t) => t.button), more);
  arrange(new Map());

  // --- threshold -------------------------------------------------------------------------
  const threshold = $("threshold");
  threshold.max = String(SCORE_STEPS);
  threshold.addEventListener("input", () => {
    view.threshold = Number(threshold.value);
    applyView();
    rebuildListSoon();
  });
  const rebuildListSoon = debounce(() => resultView.done && page.list.buildList(), 150);

  /** Apply `view` to the page: classes for CSS, toggles' state, counts and the summary. */
  function applyView() {
    for (const name of order) {
      app.classList.toggle(`hide-${name}`, view.hidden.has(name));
      toggles.get(name).button.setAttribute("aria-pressed", String(!view.hidden.has(name)));
    }
    app.dataset.minB = String(view.threshold);
    threshold.value = String(view.threshold);
    $("threshold-value").textContent = (view.threshold / SCORE_STEPS).toFixed(2);
    threshold.setAttribute("aria-valuetext", (view.threshold / SCORE_STEPS).toFixed(2));
    if (resultView.done) updateCounts();
  }

  function updateCounts() {
    // Kept up per chunk while highlighting (panels/input.js); else counted here.
    const counts = page.counts?.(view.threshold) ?? countByLabel(resultView.entities, view.threshold);
    arrange(counts);
    for (const [name, { button, count }] of toggles) {
      const n = counts.get(name) ?? 0;
      count.textContent = n.toLocaleString("en-US");
      button.toggleAttribute("data-empty", n === 0);
      button.setAttribute("aria-label", `${name}: ${n} found${view.hidden.has(name) ? ", hidden" : ""}`);
    }
    // A refused link's message stays until the text changes (page.linkError).
    if (resultView.done) showStatus(page.linkError ?? summarize(counts, order, view.hidden), page.linkError ? "error" : "ok");
  }
  let countsAt = 0;
  function throttledCounts() {
    if (performance.now() - countsAt < 500) return;
    countsAt = performance.now();
    updateCounts();
  }

  return { applyView, updateCounts, throttledCounts };
}

/** A threshold from a link, as a whole number of score buckets in range. */
export function clampThreshold(t) {
  return Math.max(0, Math.min(SCORE_STEPS, Math.round(Number(t) || 0)));
}

/**
 * CSS made once from the labels: each label's color, and the view's switches: `#app.hide-PERSON`
 * hides PERSON highlights and list entries, `#app[data-min-b="14"]` hides model entities whose
 * score bucket is below 14. Toggling is then a class change, with no re-render.
 */
export function installLabelRules(labels) {
  const hide = [];
  const lists = [];
  const colors = [];
  for (const { name, color } of labels) {
    if (HEX_COLOR.test(color)) {
      colors.push(`mark.entity[data-label="${name}"], .entity-tail[data-label="${name}"] { --entity-color: ${color}; --entity-dark: ${darkFill(color)}; }`);
    }
    // Each selector ends in a class, never in :is(): the browser files it under that class, and
    // a 1 MB result's 40,000 marks are not matched against rules filed for every element.
    hide.push(`#app.hide-${name} mark.entity[data-label="${name}"]`, `#app.hide-${name} .entity-tail[data-label="${name}"]`);
    lists.push(`#app.hide-${name} .entity-type[data-label="${name}"]`);
  }
  for (let t = 1; t <= SCORE_STEPS; t++) {
    for (let b = 0; b < t; b++) hide.push(`#app[data-min-b="${t}"] mark.entity[data-b="${b}"]`, `#app[data-min-b="${t}"] .entity-tail[data-b="${b}"]`);
  }
  const style = document.createElement("style");
  style.textContent =
    `${colors.join("\n")}\n` +
    `${hide.join(",\n")} { background: none; padding: 0; margin: 0; border-radius: 0; color: inherit; box-shadow: none; outline-offset: 0; }\n` +
    `${hide.map((s) => `${s}::after`).join(",\n")} { content: none; }\n` +
    `${lists.join(",\n")} { display: none; }\n`;
  document.head.append(style);
}
