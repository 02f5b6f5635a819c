// The page stays responsive on a 1 MB text: the engine works in its worker, the result is
// rendered a chunk at a time, nothing is cut off, and a newer text cancels an older one.
//
//   bash scripts/build-wasm.sh && node --test tests/e2e/page-perf.test.mjs

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";

import { generatedDocument } from "../../bench/corpus.mjs";
import { CHUNK, chunks, FIRST_CHUNK } from "../../www/chunks.js";
import { allMarks, launch, NO_PROBLEMS, openPage, paste, waitReady } from "./page-helpers.mjs";

/** Longest main-thread task allowed while a 1 MB text is highlighted and rendered. */
const MAX_TASK_MS = 100;

describe("a 1 MB text", () => {
  let env;
  const text = generatedDocument(1_000_000);
  before(async () => {
    env = await launch();
  });
  after(async () => {
    await env?.close();
  });

  test("is highlighted in full with progress shown, and no main-thread task takes over 100 ms", async () => {
    const { page, problems } = await openPage(env.context, env.url);
    // Put the text in the textarea first and let the browser lay it out: that layout is the
    // textarea's own work, the same without nerlight. Then time what nerlight does with it.
    await page.evaluate((t) => {
      document.getElementById("input").value = t;
    }, text);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
    await page.evaluate(() => {
      window.__longTasks = [];
      window.__progressShown = false;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          window.__longTasks.push({ at: Math.round(e.startTime - window.__started), ms: Math.round(e.duration) });
        }
      }).observe({ type: "longtask" });
      const box = document.getElementById("progress-box");
      new MutationObserver(() => {
        if (!box.hidden) window.__progressShown = true;
      }).observe(box, { attributes: true });
      window.__started = performance.now();
      document
        .getElementById("input")
        .dispatchEvent(new InputEvent("input", { inputType: "insertFromPaste", bubbles: true }));
    });
    await waitReady(page, 180_000);
    // waitReady checked that every rendered chunk shows its part of the text, in order, to its
    // end; far chunks stand empty (render.js), the entities are all in the page's data.
    const { longTasks, progressShown, ms, shown, marks, rendered } = await page.evaluate(() => ({
      longTasks: window.__longTasks,
      progressShown: window.__progressShown,
      ms: Math.round(performance.now() - window.__started),
      shown: window.nerlightPage.resultView.text,
      marks: window.nerlightPage.resultView.entities.length,
      rendered: document.querySelectorAll("#result mark").length,
    }));
    const tasks = longTasks.map((t) => `${t.ms} ms at +${t.at} ms`).join(", ") || "none";
    console.log(`1 MB: ${marks} marks (${rendered} rendered), ready after ${ms} ms; long tasks: ${tasks}`);
    assert.ok(shown === text, "the result is not exactly the whole text");
    assert.ok(marks > 10_000, `only ${marks} marks`);
    assert.ok(rendered > 0 && rendered < marks, `${rendered} of ${marks} marks rendered: the pane is not windowed`);
    assert.ok(progressShown, "no progress was shown");
    assert.deepEqual(
      longTasks.filter((t) => t.ms > MAX_TASK_MS),
      [],
      `main-thread tasks over ${MAX_TASK_MS} ms`,
    );
    // The counts cover the whole text: the legend adds up to the number of marks.
    const counted = await page.$$eval("#legend .legend-count", (cs) =>
      cs.reduce((n, c) => n + Number(c.textContent.replace(/,/g, "")), 0),
    );
    assert.equal(counted, marks);
    assert.deepEqual(problems, NO_PROBLEMS);
    await page.close();
  });

  test("the page's entities come back at exact offsets, exactly the whole text's", async () => {
    const { page, problems } = await openPage(env.context, env.url);
    // 200 KB: two dozen chunks, quick enough to also run the engine on per chunk and whole.
    const part = text.slice(0, text.indexOf("\n", 200_000) + 1);
    await paste(page, part);
    const cuts = chunks(part, FIRST_CHUNK, CHUNK);
    assert.ok(cuts.length > 20, `${cuts.length} chunks`);
    // The page's entities, each rendered mark checked against its entity's offset (allMarks).
    const pageMarks = await allMarks(page);
    const [shown, perChunk, whole] = await page.evaluate(
      async ({ t, cuts }) => {
        const { default: init, Highlighter } = await import("./pkg/nerlight.js");
        await init();
        const h = new Highlighter();
        const shown = window.nerlightPage.resultView.entities.map((e) => `${e.start}:${e.end}:${e.label}`);
        const perChunk = cuts.flatMap(([s, e]) => h.highlight(t.slice(s, e)).map((x) => `${x.start + s}:${x.end + s}:${x.label}`));
        const whole = h.highlight(t).map((x) => `${x.start}:${x.end}:${x.label}`);
        return [shown, perChunk, whole];
      },
      { t: part, cuts },
    );
    // Exactly the engine's entities of the whole text at once: the worker streams the chunks
    // through Highlighter.document, which carries the model's document state across them
    // (each chunk alone, as the page used to, differs a little).
    assert.deepEqual(shown, whole);
    assert.equal(pageMarks.length, whole.length);
    const differ = perChunk.filter((e, i) => e !== whole[i]).length;
    console.log(`200 KB in ${cuts.length} chunks: page = whole text; chunks alone differ in ${differ}`);
    assert.deepEqual(problems, NO_PROBLEMS);
    await page.close();
  });

  test("a newer text cancels an older one still being highlighted", async () => {
    const { page, problems } = await openPage(env.context, env.url);
    await paste(page, text, { wait: false });
    await page.waitForFunction(() => document.querySelectorAll("#result mark").length > 0);
    await paste(page, "Then mail ops@example.org instead.");
    await page.waitForTimeout(1000); // chunks of the old text would have arrived by now
    assert.equal(await page.textContent("#result"), "Then mail ops@example.org instead.");
    assert.equal(await page.$$eval("#result mark", (ms) => ms.map((m) => m.textContent).join()), "ops@example.org");
    assert.equal(await page.isVisible("#progress-box"), false);
    assert.deepEqual(problems, NO_PROBLEMS);
    await page.close();
  });
});
