// Rendering entities as colored boxes, displaCy style. Pure DOM code with no engine calls, so the
// page, a worker-based app and the extension can all share it.
//
// Safety: the input text only ever reaches the DOM as text nodes. Nothing here builds HTML from
// strings, so a text containing markup is shown as that markup, inert.

const FALLBACK_COLOR = "#dddddd";

/**
 * Replace the children of `container` with `text`, each entity wrapped in a <mark>.
 *
 * @param {HTMLElement} container
 * @param {string} text the text that was highlighted
 * @param {{start: number, end: number, label: string, score: number, source: string}[]} entities
 *   sorted, with UTF-16 offsets into `text` (what the engine returns)
 * @param {Map<string, {name: string, description: string, color: string}>} labelInfo by name
 */
export function render(container, text, entities, labelInfo) {
  const doc = container.ownerDocument;
  const fragment = doc.createDocumentFragment();
  let cursor = 0;
  for (const entity of entities) {
    // Defensive: never go backwards or past the end, whatever the caller passes in.
    if (entity.start < cursor || entity.end <= entity.start || entity.end > text.length) continue;
    if (entity.start > cursor) fragment.append(text.slice(cursor, entity.start));
    fragment.append(entityElement(doc, text.slice(entity.start, entity.end), entity, labelInfo.get(entity.label)));
    cursor = entity.end;
  }
  if (cursor < text.length) fragment.append(text.slice(cursor));
  container.replaceChildren(fragment);
}

function entityElement(doc, surface, entity, info) {
  const mark = doc.createElement("mark");
  mark.className = "entity";
  mark.dataset.label = entity.label;
  mark.dataset.source = entity.source;
  mark.style.setProperty("--entity-color", info?.color ?? FALLBACK_COLOR);
  const description = info?.description ? ` — ${info.description}` : "";
  mark.title = `${entity.label}${description} (${entity.source}, score ${entity.score.toFixed(2)})`;
  mark.append(surface);
  // The label tag is drawn by CSS from data-label (see style.css), so the result's textContent
  // stays exactly the input text: copying from the pane copies the text, not the tags.
  return mark;
}

/**
 * Fill `container` (a <ul>) with one swatch per label.
 *
 * @param {HTMLElement} container
 * @param {{name: string, description: string, color: string}[]} labels
 */
export function renderLegend(container, labels) {
  const doc = container.ownerDocument;
  const items = labels.map((info) => {
    const item = doc.createElement("li");
    item.className = "legend-item";
    const swatch = doc.createElement("span");
    swatch.className = "legend-swatch";
    swatch.style.setProperty("--entity-color", info.color);
    swatch.textContent = info.name;
    const description = doc.createElement("span");
    description.className = "legend-description";
    description.textContent = info.description;
    item.append(swatch, description);
    return item;
  });
  container.replaceChildren(...items);
}
