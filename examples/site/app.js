// Highlight this page's article: the engine in a worker (nerlight/worker), the painting by
// nerlight/dom, and one checkbox per label to show or hide it.
import { createHighlighter } from "nerlight/worker";
import { highlightElement } from "nerlight/dom";

const highlighter = createHighlighter();
const handle = highlightElement(document.getElementById("article"), { highlighter, observe: true });

const labels = await highlighter.labels();
await handle.done; // every entity found (handle.ready: the viewport painted)
const found = new Set(handle.entities.map((e) => e.label));
const shown = new Set(found);
for (const { name, color, description } of labels.filter((l) => found.has(l.name))) {
  const box = Object.assign(document.createElement("input"), { type: "checkbox", checked: true, value: name });
  box.addEventListener("change", () => {
    if (box.checked) shown.add(name);
    else shown.delete(name);
    handle.setVisibleLabels(shown);
  });
  const label = Object.assign(document.createElement("label"), { title: description });
  label.style.borderBottom = `3px solid ${color}`;
  label.append(box, ` ${name}`);
  document.getElementById("labels").append(label);
}
document.body.dataset.state = "ready"; // for tests
