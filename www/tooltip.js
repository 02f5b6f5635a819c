// One tooltip for every highlight: label and its description, score and source. Shown on hover
// and on keyboard focus (the focused mark points at it with aria-describedby), hidden on Escape.

const SOURCES = {
  rule: "exact rule",
  model: "statistical model",
  user: "your list",
};

/**
 * @param {HTMLElement} container the result pane
 * @param {HTMLElement} tip an empty element with role=tooltip and an id
 * @param {(index: number) => object | undefined} entityAt the entity a mark's data-i refers to
 * @param {Map<string, {description: string}>} labelInfo
 */
export function attachTooltip(container, tip, entityAt, labelInfo) {
  let owner = null;

  const show = (mark) => {
    const entity = entityAt(Number(mark.dataset.i));
    if (!entity) return;
    if (owner && owner !== mark) owner.removeAttribute("aria-describedby");
    owner = mark;
    const title = document.createElement("strong");
    title.textContent = entity.label;
    const description = document.createElement("span");
    description.className = "tooltip-description";
    description.textContent = labelInfo.get(entity.label)?.description ?? "";
    const detail = document.createElement("span");
    detail.className = "tooltip-detail";
    detail.textContent = `score ${entity.score.toFixed(2)} · ${SOURCES[entity.source] ?? entity.source}`;
    tip.replaceChildren(title, description, detail);
    tip.hidden = false;
    mark.setAttribute("aria-describedby", tip.id);
    place(mark);
  };

  const place = (mark) => {
    const r = mark.getBoundingClientRect();
    const t = tip.getBoundingClientRect();
    const left = Math.max(4, Math.min(r.left, window.innerWidth - t.width - 4));
    const below = r.bottom + 6;
    const top = below + t.height > window.innerHeight && r.top - t.height - 6 > 0 ? r.top - t.height - 6 : below;
    tip.style.left = `${left}px`;
    tip.style.top = `${top}px`;
  };

  const hide = () => {
    tip.hidden = true;
    owner?.removeAttribute("aria-describedby");
    owner = null;
  };

  const markOf = (event) => event.target.closest?.("mark.entity");
  container.addEventListener("mouseover", (event) => {
    const mark = markOf(event);
    if (mark) show(mark);
  });
  container.addEventListener("mouseout", (event) => {
    if (markOf(event) && !markOf(event).contains(event.relatedTarget) && document.activeElement !== owner) hide();
  });
  container.addEventListener("focusin", (event) => {
    const mark = markOf(event);
    if (mark) show(mark);
  });
  container.addEventListener("focusout", () => hide());
  container.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !tip.hidden) {
      hide();
      event.stopPropagation();
    }
  });
  window.addEventListener("scroll", () => owner && place(owner), { passive: true, capture: true });
  return { hide };
}
