// The entity list: the entities of the text by type, mentions grouped by normalized surface
// (entities.js). Pressing an entry scrolls to and flashes its next mention in the result pane.

import { Grouper, passesThreshold, plural } from "../entities.js";
import { $, setEntityColor } from "../ui.js";

/** Groups listed per type before a "Show all" button. */
const LIST_LIMIT = 50;
/** Milliseconds of list building per task, as the result pane's rendering (render.js). */
const SLICE_MS = 8;
/** A section listing more groups than this is given a frame of its own. */
const FRAME_ITEMS = 12;
/** Entities grouped between two looks at the clock, when the list groups them itself. */
const GROUP_SLICE = 2_048;

/**
 * Wires the entity list, once the labels are known. Reads page.view, page.resultView,
 * page.labelInfo, page.order and the Grouper fed while highlighting (page.listSource).
 *
 * @returns {{buildList: () => Promise<boolean>}}
 */
export function setupList(page) {
  const { view, resultView, labelInfo, order } = page;

  // --- entity list -----------------------------------------------------------------------
  const list = $("entity-list");
  let listButtons = [];
  /**
   * Rebuild the entity list; resolves when it is complete. Built a type at a time in tasks of a
   * few milliseconds, so the list of a 1 MB text never blocks the page; a newer build stops an
   * older one.
   */
  let listBuild = 0;
  async function buildList() {
    const build = ++listBuild;
    let deadline = performance.now() + SLICE_MS;
    const pause = async () => {
      if (performance.now() < deadline) return true;
      await new Promise((resolve) => setTimeout(resolve, 0));
      deadline = performance.now() + SLICE_MS;
      return build === listBuild;
    };
    const nextFrame = async () => {
      // (A hidden tab has no frames: there a task will do.)
      await new Promise((resolve) => (document.hidden ? setTimeout(resolve, 0) : requestAnimationFrame(() => setTimeout(resolve, 0))));
      deadline = performance.now() + SLICE_MS;
      return build === listBuild;
    };
    // Hidden types stay in the list (CSS hides them), so switching one back needs no rebuild.
    // The groups gathered while highlighting, else (the threshold moved) gathered here; either
    // way grouped in slices (a 20 MB text's took one task of ~100 ms).
    let grouper = page.listSource();
    if (!grouper) {
      grouper = new Grouper((e) => passesThreshold(e, view.threshold));
      const entities = resultView.entities;
      for (let i = 0; i < entities.length; i += GROUP_SLICE) {
        grouper.add(entities.slice(i, i + GROUP_SLICE), i);
        if (!(await pause())) return false;
      }
    }
    const groups = await grouper.groupsSliced(pause);
    if (!groups) return false;
    list.replaceChildren();
    listButtons = [];
    for (const name of order) {
      const items = groups.get(name);
      if (!items?.length) continue;
      const section = document.createElement("section");
      section.className = "entity-type";
      section.dataset.label = name;
      const heading = document.createElement("h3");
      const swatch = document.createElement("span");
      swatch.className = "legend-swatch";
      setEntityColor(swatch, labelInfo.get(name).color);
      swatch.textContent = name;
      const count = document.createElement("span");
      count.className = "legend-count";
      count.textContent = plural(items.length, "entity", "entities");
      heading.append(swatch, " ", count);
      const ul = document.createElement("ul");
      section.append(heading, ul);
      for (const group of items.slice(0, LIST_LIMIT)) ul.append(listItem(name, group));
      if (items.length > LIST_LIMIT) {
        const more = document.createElement("button");
        more.type = "button";
        more.className = "show-all";
        more.textContent = `Show all ${items.length.toLocaleString("en-US")}`;
        more.addEventListener("click", async () => {
          more.disabled = true;
          for (let i = LIST_LIMIT; i < items.length; i += LIST_LIMIT) {
            ul.append(...items.slice(i, i + LIST_LIMIT).map((group) => listItem(name, group)));
            if (!(await pause())) return;
          }
          more.remove();
          refreshListButtons();
        });
        section.append(more);
      }
      list.append(section);
      // A long section is a frame's worth of style and layout (50 entries, ~650 elements, 15–30 ms
      // of a CPU): the next one waits for that frame, so frames never stack several.
      if (!(await (items.length > FRAME_ITEMS ? nextFrame() : pause()))) return false;
    }
    if (!list.firstChild) {
      const empty = document.createElement("p");
      empty.className = "hint";
      empty.textContent = "No entities in this text.";
      list.append(empty);
    }
    refreshListButtons();
    return true;
  }

  function refreshListButtons() {
    listButtons = [...list.querySelectorAll("button.group-jump")];
    const focused = listButtons.find((b) => b.tabIndex === 0) ?? listButtons[0];
    for (const b of listButtons) b.tabIndex = b === focused ? 0 : -1;
  }

  function listItem(label, group) {
    const li = document.createElement("li");
    li.className = "entity-group";
    const jump = document.createElement("button");
    jump.type = "button";
    jump.className = "group-jump";
    jump.tabIndex = -1;
    const name = document.createElement("span");
    name.className = "group-name";
    name.textContent = group.name;
    const n = group.mentions.length;
    const count = document.createElement("span");
    count.className = "group-count";
    count.textContent = `×${n.toLocaleString("en-US")}`;
    jump.append(name, count);
    jump.setAttribute("aria-label", `${group.name}, ${label}, ${plural(n, "mention")}`);
    if (group.variants.length > 1) jump.title = `Also written: ${group.variants.filter((v) => v !== group.name).join(", ")}`;
    const position = document.createElement("span");
    position.className = "group-position";
    position.setAttribute("aria-live", "polite");
    const step = (symbol, which) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "group-step";
      button.tabIndex = -1;
      button.textContent = symbol;
      button.setAttribute("aria-label", `${which} mention of ${group.name}`);
      return button;
    };
    const prev = step("‹", "Previous");
    const next = step("›", "Next");
    let at = -1;
    const go = (dir) => {
      at = at < 0 ? (dir > 0 ? 0 : n - 1) : (at + dir + n) % n;
      position.textContent = `${at + 1}/${n}`;
      resultView.focusMark(group.mentions[at], { focus: false });
      for (const b of listButtons) b.tabIndex = b === jump ? 0 : -1;
    };
    jump.addEventListener("click", (event) => go(event.shiftKey ? -1 : 1));
    prev.addEventListener("click", () => go(-1));
    next.addEventListener("click", () => go(1));
    jump.addEventListener("keydown", (event) => {
      const i = listButtons.indexOf(jump);
      let target = null;
      if (event.key === "ArrowDown") target = nextVisible(i, 1);
      else if (event.key === "ArrowUp") target = nextVisible(i, -1);
      else if (event.key === "Home") target = nextVisible(-1, 1);
      else if (event.key === "End") target = nextVisible(listButtons.length, -1);
      else if (event.key === "n" || event.key === "ArrowRight") return void (event.preventDefault(), go(1));
      else if (event.key === "p" || event.key === "ArrowLeft") return void (event.preventDefault(), go(-1));
      else return;
      event.preventDefault();
      if (target) {
        for (const b of listButtons) b.tabIndex = b === target ? 0 : -1;
        target.focus();
      }
    });
    li.append(jump, position, prev, next);
    return li;
  }

  /** The list button after (dir 1) or before (dir -1) index i whose type is shown. */
  function nextVisible(i, dir) {
    for (let j = i + dir; j >= 0 && j < listButtons.length; j += dir) {
      if (listButtons[j].offsetParent !== null) return listButtons[j];
    }
    return null;
  }

  return { buildList };
}
