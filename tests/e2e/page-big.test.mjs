// Big texts pasted for real: a Ctrl+V of 1 MB and 5 MB into the page's text box in headless
// Chromium (the clipboard written by the page, then a trusted paste from the keyboard). The text
// is held out of the text box (textview.js), the result pane renders only what is near its
// viewport (render.js), and yet every entity is the engine's, counted, listed, reachable by the
// list, the keyboard and find. Figures are printed; `node bench/page-big.mjs` measures 1, 5 and
// 20 MB.
//
//   bash scripts/build-wasm.sh && node --test tests/e2e/page-big.test.mjs

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import { generatedDocument } from "../../bench/corpus.mjs";
import { HOLD_UNITS, MAX_TEXT_UNITS } from "../../www/textview.js";
import {
  allMarks,
  forest,
  launch,
  mainThread,
  NO_PROBLEMS,
  openPage,
  pageText,
  paste,
  realPaste,
  traced,
  waitReady,
  watched,
  watchPage,
} from "./page-helpers.mjs";

/** DOM nodes allowed at any moment (issue 16); the page keeps ~12,000 at 5 MB. */
const MAX_NODES = 20_000;
/**
 * Longest main-thread task allowed, in wall time: a guard against the text box taking the paste
 * (36 s at 5 MB, issue 16), with a margin for this machine. Its 2 cores are shared by three or four
 * agents (load averages of 5–11, the tests niced below other browsers), and there a task's wall
 * time is mostly waiting for a core: traced at a load of 9, the page's tasks of 100–450 ms used
 * at most 36 ms of a CPU each, and the paste's own task, 208 ms, 16 ms (the rest is the browser
 * process reading the clipboard: clipboardData.getData, which no script can split). Tasks of up
 * to 0.9 s were seen at loads of 8–11, so this bound stays at 2 s; the target itself (no task
 * over 100 ms) is asserted on CPU time (MAX_TASK_CPU_MS), which the load hardly changes.
 */
const MAX_TASK_MS = 2_000;
/**
 * Most CPU time one main-thread task may use, from a trace of the paste until the page is ready
 * (issue 16's target: no task over 100 ms). The page's most was 29–36 ms at 5 MB at loads of 5–9
 * (`node bench/page-trace.mjs`; 55 ms before the entity list was built a section a frame): a
 * margin of about 3× for a slower CPU, and it fails for what it guards against: the whole text
 * in one task of layout or highlighting (the text box took 36 s for 5 MB; the engine takes
 * seconds on it).
 */
const MAX_TASK_CPU_MS = 100;

describe("a big text pasted for real", () => {
  let env;
  before(async () => {
    env = await launch();
  });
  after(async () => {
    await env?.close();
  });

  for (const mb of [1, 5]) {
    test(`${mb} MB by Ctrl+V: out of the text box, at most ${MAX_NODES.toLocaleString("en-US")} DOM nodes, every entity the engine's`, async () => {
      const { page, problems } = await openPage(env.context, env.url);
      const text = generatedDocument(mb * 1_000_000, mb);
      const before = await page.inputValue("#input");
      await page.evaluate((t) => navigator.clipboard.writeText(t), text);
      await watchPage(page, text.length);
      await page.focus("#input");
      await page.keyboard.press("Control+A");
      // Traced from the paste until the page is ready: every task of its main thread, with its
      // CPU time.
      const events = await traced(env.context, page, {}, async () => {
        await page.keyboard.press("Control+V");
        await waitReady(page, 900_000, { polling: 100 });
      });
      const seen = await watched(page);
      const tasks = forest(events, mainThread(events)).filter((t) => t.cpu !== undefined);
      const mostCpu = Math.round(Math.max(0, ...tasks.map((t) => t.cpu)) / 1000);
      const { entities, counted, rendered } = await page.evaluate(() => ({
        entities: window.nerlightPage.resultView.entities.length,
        counted: [...document.querySelectorAll("#legend .legend-count")].reduce((n, c) => n + Number(c.textContent.replace(/,/g, "")), 0),
        rendered: document.querySelectorAll("#result mark").length,
      }));
      console.log(
        `${mb} MB Ctrl+V: first highlight after ${seen.firstMarkMs} ms, all ${entities} entities counted after ${seen.elapsedMs} ms, ` +
          `longest task ${seen.longestTask} ms (over 50 ms: ${seen.longTasks.join(", ")}), most CPU in one task ${mostCpu} ms ` +
          `(of ${tasks.length} traced), at most ${seen.maxNodes} DOM nodes (${seen.samples} samples), ${rendered} marks rendered`,
      );

      // The paste went to the read-only view, whole; the text box kept its text, unlaid-out.
      assert.equal(await page.evaluate((t) => window.nerlightPage.input.text() === t, text), true, "the page's text is not the paste");
      assert.equal(await page.inputValue("#input"), before);
      assert.equal(await page.isVisible("#input"), false);
      assert.match(await page.textContent("#textview .textview-info"), /^Pasted: [\d.]+ [KM] characters, shown read-only/);

      // Bounded while it happened, and yet every entity there.
      assert.ok(seen.samples >= 5, `${seen.samples} samples of the DOM`);
      assert.ok(seen.maxNodes <= MAX_NODES, `${seen.maxNodes} DOM nodes`);
      assert.notEqual(seen.firstMarkMs, null, "no highlight of the pasted text was seen");
      assert.ok(seen.longestTask <= MAX_TASK_MS, `a main-thread task of ${seen.longestTask} ms`);
      assert.ok(tasks.length > 100, `${tasks.length} tasks traced`);
      assert.ok(mostCpu <= MAX_TASK_CPU_MS, `a main-thread task used ${mostCpu} ms of CPU`);
      assert.ok(rendered > 0 && rendered < entities / 4, `${rendered} of ${entities} marks rendered`);
      assert.equal(counted, entities, "the legend does not count every entity");
      const marks = await allMarks(page); // also checks each rendered mark against its entity
      const compared = await page.evaluate(async (t) => {
        const { default: init, Highlighter } = await import("./pkg/nerlight.js");
        await init();
        const key = (e) => `${e.start}:${e.end}:${e.label}:${e.source}`;
        const engine = new Highlighter().highlight(t).map(key);
        const shown = window.nerlightPage.resultView.entities.map(key);
        const differ = shown.findIndex((k, i) => k !== engine[i]);
        return { engine: engine.length, shown: shown.length, differ, at: [shown[differ], engine[differ]] };
      }, text);
      assert.equal(compared.shown, compared.engine, `first difference at ${compared.differ}: ${compared.at}`);
      assert.equal(compared.differ, -1, `first difference at ${compared.differ}: ${compared.at}`);
      assert.equal(marks.length, compared.engine);
      assert.ok(compared.engine > mb * 30_000, `${compared.engine} entities`);
      assert.deepEqual(problems, NO_PROBLEMS);
      await page.close();
    });
  }

  test("the list, the keyboard and find reach the end of a windowed text; the DOM stays bounded", async () => {
    const { page, problems } = await openPage(env.context, env.url);
    const text = generatedDocument(2_000_000, 3);
    await page.evaluate((t) => navigator.clipboard.writeText(t), text);
    await page.focus("#input");
    await page.keyboard.press("Control+A");
    await page.keyboard.press("Control+V");
    await waitReady(page, 600_000);
    // In view within 3 s: as the chunks around a jump's target are rendered, their real heights
    // replace estimates and may push it away for a frame or two before the pane pins it back
    // (render.js pin/repin); on a loaded machine such a frame can come before the check.
    const inPane = (index) =>
      page
        .waitForFunction(
          (i) => {
            const mark = window.nerlightPage.resultView.marks[i];
            if (!mark?.isConnected) return false;
            const r = mark.getBoundingClientRect();
            const p = document.getElementById("result").getBoundingClientRect();
            return r.bottom > p.top && r.top < p.bottom;
          },
          index,
          { timeout: 3_000 },
        )
        .then(
          () => true,
          () => false,
        );

    // The entity list: the first entity's previous mention is its last, far down the text.
    const { last, lastIndex } = await page.evaluate(() => {
      const view = window.nerlightPage.resultView;
      const button = document.querySelector("#entity-list .group-jump");
      const name = button.querySelector(".group-name").textContent;
      const label = button.closest(".entity-type").dataset.label;
      // The list names a group by its longest surface: find its last mention in the data.
      const groups = window.nerlightPage.listSource().groups();
      const group = groups.get(label).find((g) => g.name === name);
      return { last: group.mentions.at(-1), lastIndex: view.entities.length };
    });
    assert.ok(last > lastIndex / 2, `the first group's last mention is entity ${last} of ${lastIndex}`);
    await page.click("#entity-list .group-jump", { modifiers: ["Shift"] });
    assert.equal(await inPane(last), true, "the last mention is not rendered in view");
    assert.equal(await page.evaluate((i) => document.querySelector(`#result mark[data-i="${i}"]`)?.classList.contains("flash"), last), true);

    // The keyboard: Home and End go to the first and last entity of the text.
    await page.focus("#result mark[tabindex='0']");
    await page.keyboard.press("End");
    const end = await page.evaluate(() => Number(document.activeElement.dataset.i));
    assert.equal(end, lastIndex - 1);
    assert.equal(await inPane(end), true);
    await page.keyboard.press("Home");
    assert.equal(await page.evaluate(() => Number(document.activeElement.dataset.i)), 0);

    // Find counts over the whole text and goes to a match far from the screen.
    const query = "Lisbon";
    const expected = text.match(/lisbon/gi).length;
    await page.fill("#find-text", query);
    await page.waitForFunction((n) => document.getElementById("find-count").textContent === `${n.toLocaleString("en-US")} matches`, expected);
    await page.focus("#find-text");
    await page.keyboard.press("Shift+Enter"); // from none: the last match
    const found = await page.evaluate(() => {
      const [range] = CSS.highlights.get("find-current");
      const r = range.getBoundingClientRect();
      const p = document.getElementById("result").getBoundingClientRect();
      const painted = CSS.highlights.get("find").size;
      const pane = document.getElementById("result");
      return {
        text: range.toString(),
        inView: r.bottom > p.top && r.top < p.bottom,
        where: `match at ${Math.round(r.top)}–${Math.round(r.bottom)}, pane ${Math.round(p.top)}–${Math.round(p.bottom)}, scrolled ${Math.round(pane.scrollTop)} of ${pane.scrollHeight}`,
        count: document.getElementById("find-count").textContent,
        painted,
      };
    });
    assert.equal(found.text.toLowerCase(), "lisbon");
    assert.equal(found.inView, true, found.where);
    assert.equal(found.count, `${expected.toLocaleString("en-US")} of ${expected.toLocaleString("en-US")} matches`);
    assert.ok(found.painted > 0 && found.painted < expected, `${found.painted} of ${expected} matches painted: only rendered chunks are`);

    // Exports are made from the data: every entity, whatever is rendered; built in slices.
    const longTasks = () =>
      page.evaluate(() => {
        const tasks = [];
        const observer = new PerformanceObserver((list) => tasks.push(...list.getEntries().map((e) => Math.round(e.duration))));
        observer.observe({ type: "longtask" });
        window.__exportTasks = () => (observer.takeRecords().forEach((e) => tasks.push(Math.round(e.duration))), observer.disconnect(), tasks);
      });
    await longTasks();
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#download-json")]);
    const saved = JSON.parse(readFileSync(await download.path(), "utf8"));
    assert.equal(saved.text, text);
    assert.equal(saved.entities.length, lastIndex);
    const jsonTasks = await page.evaluate(() => window.__exportTasks());
    await longTasks();
    const [htmlDownload] = await Promise.all([page.waitForEvent("download"), page.click("#download-html")]);
    const html = readFileSync(await htmlDownload.path(), "utf8");
    assert.equal(html.match(/<mark /g).length, lastIndex);
    const htmlTasks = await page.evaluate(() => window.__exportTasks());
    console.log(
      `exports of ${text.length.toLocaleString("en-US")} units, ${lastIndex.toLocaleString("en-US")} entities: ` +
        `longest task ${Math.max(0, ...jsonTasks)} ms (JSON), ${Math.max(0, ...htmlTasks)} ms (HTML)`,
    );

    // Print: a text this long prints the part rendered, and says so; empty chunks take no room.
    await page.evaluate(() => window.dispatchEvent(new Event("beforeprint")));
    await page.emulateMedia({ media: "print" });
    const print = await page.evaluate(() => ({
      note: getComputedStyle(document.getElementById("print-note")).display !== "none" && document.getElementById("print-note").textContent,
      empty: [...document.querySelectorAll("#result .chunk-empty")].every((c) => getComputedStyle(c).display === "none"),
      emptyCount: document.querySelectorAll("#result .chunk-empty").length,
    }));
    await page.emulateMedia({ media: "screen" });
    assert.match(String(print.note), /^Only the part of this long text shown on screen is printed/);
    assert.ok(print.emptyCount > 0 && print.empty, `${print.emptyCount} empty chunks, hidden in print: ${print.empty}`);

    // After all that jumping, far chunks were emptied again.
    await page.waitForTimeout(500);
    const nodes = await page.evaluate(() => {
      let n = 1;
      const walker = document.createTreeWalker(document, NodeFilter.SHOW_ALL);
      while (walker.nextNode()) n++;
      return n;
    });
    assert.ok(nodes <= MAX_NODES, `${nodes} DOM nodes`);
    assert.deepEqual(problems, NO_PROBLEMS);
    await page.close();
  });

  test(`a text over ${MAX_TEXT_UNITS.toLocaleString("en-US")} units is refused, pointing to the command line; the page keeps its text`, async () => {
    const { page, problems } = await openPage(env.context, env.url);
    await paste(page, "Ana Ribeiro met BP in Lisbon.");
    await realPaste(page, { unit: "Ana met BP. ", times: Math.ceil((MAX_TEXT_UNITS + 1) / 12) });
    await page.waitForFunction(() => document.getElementById("status").dataset.kind === "error");
    assert.equal(
      await page.textContent("#status"),
      "Not taken: this text is 20.0 M characters; the page takes up to 20.0 M characters (20,971,520 UTF-16 units). " +
        "For longer texts use the command line: nerlight --jsonl.",
    );
    assert.equal(await pageText(page), "Ana Ribeiro met BP in Lisbon.");
    assert.equal(await page.isVisible("#input"), true);
    assert.equal(await page.isVisible("#textview"), false);
    assert.equal(await page.textContent("#result"), "Ana Ribeiro met BP in Lisbon.");
    assert.deepEqual(problems, NO_PROBLEMS);
    await page.close();
  });

  test("a held text: Ctrl+Z takes the paste back, Edit puts it in the text box, Clear empties it; a drop is held too; a short paste stays in the box", async () => {
    const { page, problems } = await openPage(env.context, env.url);
    await paste(page, "Before: Ana Ribeiro met BP in Lisbon.");
    const text = generatedDocument(HOLD_UNITS * 3, 5);
    const held = async () => {
      await realPaste(page, text);
      await page.waitForSelector("#textview:not([hidden])");
      await waitReady(page);
      assert.equal(await pageText(page), text);
    };
    await held();
    // Only the blocks near the view hold text.
    const shown = await page.evaluate(() => document.querySelector("#textview .textview-text").textContent.length);
    assert.ok(shown > 0 && shown < text.length, `${shown} of ${text.length} units in the read-only view`);
    // Windowed on screen, but short enough to be printed whole, without a note.
    assert.ok((await page.$$("#result .chunk-empty")).length > 0, "the pane is not windowed");
    await page.evaluate(() => window.dispatchEvent(new Event("beforeprint")));
    assert.equal(await page.textContent("#print-note"), "");
    assert.equal((await page.$$("#result .chunk-empty")).length, 0);
    assert.equal(await page.textContent("#result"), text);
    await page.focus("#textview .textview-text");
    await page.keyboard.press("Control+Z");
    await waitReady(page);
    assert.equal(await pageText(page), "Before: Ana Ribeiro met BP in Lisbon.");
    assert.equal(await page.isVisible("#input"), true);
    assert.equal(await page.isVisible("#textview"), false);

    await held();
    await page.click("#textview .textview-edit");
    assert.equal(await page.isVisible("#input"), true);
    assert.equal(await page.inputValue("#input"), text);
    await waitReady(page);

    await held();
    await page.click("#textview .textview-clear");
    await waitReady(page);
    assert.equal(await page.inputValue("#input"), "");
    assert.equal(await page.textContent("#result"), "");

    // A long text dropped on the text box is held the same way.
    await page.evaluate((t) => {
      const data = new DataTransfer();
      data.setData("text/plain", t);
      document.getElementById("input").dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }));
    }, text);
    await page.waitForSelector("#textview:not([hidden])");
    await waitReady(page);
    assert.equal(await pageText(page), text);
    assert.match(await page.textContent("#textview .textview-info"), /^Dropped: /);
    await page.click("#textview .textview-clear");
    await waitReady(page);

    // A short paste is the text box's own, as ever (its undo included).
    const short = "Short: Kari Haugen spoke in Oslo.";
    await realPaste(page, short);
    await waitReady(page);
    assert.equal(await page.inputValue("#input"), short);
    await page.keyboard.press("Control+Z");
    assert.equal(await page.inputValue("#input"), "");
    assert.deepEqual(problems, NO_PROBLEMS);
    await page.close();
  });
});
