// Issue 15 in headless Chromium: what a reader meets on the page and in the extension's popup.
// The legend of the types found, the Tagged/Compact view and possessives, dark-theme fills, the
// 390 px phone after a paste, a drop or an opened file, exports that say what they hold, plural
// forms and separators, the type select, list clicks that scroll only the pane, and the popup's
// legend and grouped entities (light and dark).
//
//   bash scripts/build-wasm.sh && bash scripts/build-extension.sh && node --test tests/e2e/page-reading.test.mjs

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import { engineEntities, launch, marks, NO_PROBLEMS, openPage, paste, waitReady } from "./page-helpers.mjs";
import { launch as launchExtension, waitFor } from "./extension-helpers.mjs";
import { SAMPLE } from "../../www/panels/input.js";

/** WCAG 2 relative luminance of "rgb(r, g, b)". */
function luminance(css) {
  const m = css.match(/rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)/);
  assert.ok(m, `not an rgb color: ${css}`);
  const [r, g, b] = [m[1], m[2], m[3]].map((v) => {
    const c = Number(v) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a, b) {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

async function downloadOf(page, selector) {
  const [download] = await Promise.all([page.waitForEvent("download"), page.click(selector)]);
  return { name: download.suggestedFilename(), text: readFileSync(await download.path(), "utf8") };
}

/** Save `phrases` as the page's list and reload, so that a text can carry chosen labels. */
async function withPhrases(page, phrases) {
  await page.evaluate((list) => localStorage.setItem("nerlight.userPhrases.v1", JSON.stringify(list)), phrases);
  await page.reload();
  await waitReady(page);
}

const legendState = (page) =>
  page.$$eval("#legend > button", (bs) =>
    bs.map((b) => ({
      label: b.dataset.label ?? b.id,
      visible: b.getClientRects().length > 0,
      count: Number(b.querySelector(".legend-count")?.textContent.replace(/,/g, "") ?? -1),
    })),
  );

describe("reading the page (issue 15)", () => {
  let env;
  before(async () => {
    env = await launch();
  });
  after(async () => {
    await env?.close();
  });

  test("legend: the types found, most frequent first, the rest behind one 'All types' control", async () => {
    const { page, problems } = await openPage(env.context, env.url);
    const found = await marks(page);
    const counts = new Map();
    for (const m of found) counts.set(m.label, (counts.get(m.label) ?? 0) + 1);
    const state = await legendState(page);
    const visible = state.filter((s) => s.visible && s.label !== "legend-more");
    assert.deepEqual(visible.map((s) => s.label).sort(), [...counts.keys()].sort(), "the toggles shown are not the types found");
    for (let i = 1; i < visible.length; i++) assert.ok(visible[i - 1].count >= visible[i].count, `not by count: ${JSON.stringify(visible)}`);
    for (const s of visible) assert.equal(s.count, counts.get(s.label));
    const rest = state.filter((s) => !s.visible);
    assert.equal(rest.length + visible.length, 22);
    const more = page.locator("#legend-more");
    assert.equal(await more.textContent(), `All types (${rest.length} more)`);
    assert.equal(await more.getAttribute("aria-expanded"), "false");
    await more.click();
    assert.equal((await legendState(page)).filter((s) => s.visible && s.label !== "legend-more").length, 22);
    assert.equal(await more.getAttribute("aria-expanded"), "true");
    assert.equal(await page.evaluate(() => document.activeElement.id), "legend-more", "the control lost focus");
    await more.click();
    assert.equal((await legendState(page)).filter((s) => s.visible && s.label !== "legend-more").length, visible.length);

    // A new text re-orders it: only EMAIL and URL now, the one with more first.
    await paste(page, "Mail a@example.org, b@example.org or see https://example.org/x.");
    const after = (await legendState(page)).filter((s) => s.visible && s.label !== "legend-more");
    assert.deepEqual(after.map((s) => [s.label, s.count]), [["EMAIL", 2], ["URL", 1]]);
    assert.equal(await more.textContent(), "All types (20 more)");
    assert.deepEqual(problems, NO_PROBLEMS);
    await page.close();
  });

  test("View: Compact shows color only at the text's line height, the label on hover; kept across a reload; possessives stay before the tag", async () => {
    const { page, problems } = await openPage(env.context, env.url);
    await withPhrases(page, [{ text: "Iran", label: "GPE" }, { text: "Wales", label: "GPE" }]);
    const text = "Iran’s plan, Iran's plan and Wales’ coast; Iran ’s is apart, Iranian is not.\n";
    await paste(page, text.repeat(40));
    const pane = () =>
      page.evaluate(() => {
        const result = document.getElementById("result");
        const m = result.querySelector("mark.entity");
        return {
          compact: result.classList.contains("compact"),
          height: result.scrollHeight,
          tag: getComputedStyle(m, "::after").content,
          background: getComputedStyle(m).backgroundColor,
        };
      });
    const tagged = await pane();
    assert.equal(tagged.compact, false);
    assert.equal(await page.textContent("#result"), text.repeat(40), "the pane's text is not the input's");

    // Tagged: a glued possessive sits in the box and the tag comes after it, on the same line.
    const tails = await page.evaluate(() =>
      [...document.querySelectorAll("#result mark.entity")].slice(0, 4).map((m) => {
        const next = m.nextSibling;
        const isTail = next?.nodeType === 1 && next.classList.contains("entity-tail");
        const box = m.getBoundingClientRect();
        const tailBox = isTail ? next.getBoundingClientRect() : null;
        return {
          text: m.textContent,
          tailed: m.classList.contains("tailed"),
          tail: isTail ? next.textContent : null,
          markTag: getComputedStyle(m, "::after").content,
          tailTag: isTail ? getComputedStyle(next, "::after").content : null,
          adjacent: isTail ? Math.abs(tailBox.left - box.right) < 1 && Math.abs(tailBox.top - box.top) < 2 : null,
        };
      }),
    );
    assert.deepEqual(tails, [
      { text: "Iran", tailed: true, tail: "’s", markTag: "none", tailTag: '"GPE"', adjacent: true },
      { text: "Iran", tailed: true, tail: "'s", markTag: "none", tailTag: '"GPE"', adjacent: true },
      { text: "Wales", tailed: true, tail: "’", markTag: "none", tailTag: '"GPE"', adjacent: true },
      { text: "Iran", tailed: false, tail: null, markTag: '"GPE"', tailTag: null, adjacent: null },
    ]);
    // Hiding the type takes the tail's box and tag away too.
    await page.click('.legend-toggle[data-label="GPE"]');
    const hiddenTail = await page.$eval("#result .entity-tail", (t) => [getComputedStyle(t).backgroundColor, getComputedStyle(t, "::after").content]);
    assert.deepEqual(hiddenTail, ["rgba(0, 0, 0, 0)", "none"]);
    await page.click('.legend-toggle[data-label="GPE"]');

    await page.selectOption("#density", "compact");
    const compact = await pane();
    assert.equal(compact.compact, true);
    assert.equal(compact.tag, "none", "compact still shows the tag");
    assert.equal(compact.background, tagged.background, "compact lost the color");
    assert.ok(compact.height < tagged.height * 0.8, `compact is not denser: ${compact.height} vs ${tagged.height} px`);
    console.log(`# 40 lines: tagged ${tagged.height} px, compact ${compact.height} px`);
    // Hover (and keyboard focus) shows the label.
    await page.hover("#result mark.entity");
    assert.equal(await page.$eval("#result mark.entity", (m) => getComputedStyle(m, "::after").content), '"GPE"');
    await page.focus("#result mark.entity");
    await page.keyboard.press("ArrowRight");
    await page.mouse.move(0, 0);
    assert.equal(await page.evaluate(() => getComputedStyle(document.activeElement, "::after").content), '"GPE"');

    await page.reload();
    await waitReady(page);
    assert.equal(await page.inputValue("#density"), "compact");
    assert.equal(await page.$eval("#result", (r) => r.classList.contains("compact")), true, "not kept across a reload");
    await page.selectOption("#density", "tagged");
    assert.equal(await page.evaluate(() => localStorage.getItem("nerlight.density")), "tagged");
    await page.evaluate(() => localStorage.clear());
    assert.deepEqual(problems, NO_PROBLEMS);
    await page.close();
  });

  test("dark mode: every label's fill keeps >= 4.5:1 for its text and tag and does not glare", async () => {
    const { page, problems } = await openPage(env.context, env.url);
    const labels = await page.evaluate(async () => {
      const { default: init, labels } = await import("./pkg/nerlight.js");
      await init();
      return labels().map((l) => l.name);
    });
    const phrases = labels.map((label, i) => ({ text: `zq${i}x`, label }));
    await withPhrases(page, phrases);
    await paste(page, phrases.map((p) => p.text).join(" and "));
    for (const scheme of ["dark", "light"]) {
      await page.emulateMedia({ colorScheme: scheme });
      const looks = await page.$$eval("#result mark.entity, #legend .legend-toggle:not([data-empty]) .legend-swatch", (els) =>
        els.map((m) => ({
          label: m.dataset.label ?? m.textContent,
          background: getComputedStyle(m).backgroundColor,
          text: getComputedStyle(m).color,
          tag: m.matches("mark") ? getComputedStyle(m, "::after").color : null,
        })),
      );
      assert.ok(looks.length >= 2 * labels.length, `${looks.length} fills`);
      let lowest = Infinity;
      let brightest = 0;
      for (const m of looks) {
        const ratio = contrast(m.text, m.background);
        lowest = Math.min(lowest, ratio);
        brightest = Math.max(brightest, luminance(m.background));
        assert.ok(ratio >= 4.5, `${scheme}: ${m.label} ${m.text} on ${m.background}: ${ratio.toFixed(2)}:1`);
        if (m.tag) assert.ok(contrast(m.tag, m.background) >= 4.5, `${scheme}: ${m.label} tag`);
      }
      if (scheme === "dark") {
        // Near-white chips (ORDINAL, CARDINAL were #dddddd) glared on the dark page.
        assert.ok(brightest <= 0.15, `dark: the brightest fill has luminance ${brightest.toFixed(3)}`);
        const page_ = luminance(await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor));
        assert.ok(page_ < 0.05);
      } else {
        assert.ok(brightest > 0.5, "light mode keeps the engine's pale tints");
      }
      console.log(`# ${scheme}: lowest contrast ${lowest.toFixed(2)}:1, brightest fill luminance ${brightest.toFixed(3)}`);
    }
    await page.evaluate(() => localStorage.clear());
    assert.deepEqual(problems, NO_PROBLEMS);
    await page.close();
  });

  test("a 390 px phone: after a paste, a drop or an opened file the input is a bar and the highlights come near the top", async () => {
    const page = await env.context.newPage();
    const pageErrors = [];
    page.on("pageerror", (err) => pageErrors.push(String(err)));
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(env.url);
    await waitReady(page);
    const firstHighlight = () => page.$eval("#result mark.entity", (m) => Math.round(m.getBoundingClientRect().top));
    const before = await firstHighlight();
    assert.ok(before > 844, `the highlights were already above the fold: ${before} px`);

    // The slider comes after its label, on the same row.
    const row = await page.evaluate(() => {
      const l = document.querySelector(".threshold").getBoundingClientRect();
      const s = document.getElementById("threshold").getBoundingClientRect();
      return { labelRight: l.right, sliderLeft: s.left, sliderRight: s.right, dy: Math.abs((l.top + l.bottom) / 2 - (s.top + s.bottom) / 2) };
    });
    assert.ok(row.sliderLeft >= row.labelRight - 1 && row.dy < 6 && row.sliderRight <= 391, JSON.stringify(row));

    // A real paste (the clipboard and Ctrl+V).
    await page.focus("#input");
    await page.evaluate(() => document.getElementById("input").select());
    await page.evaluate((t) => navigator.clipboard.writeText(t), SAMPLE.replace("LISBON", "Lisbon"));
    await page.keyboard.press("Control+V");
    await waitReady(page);
    await page.waitForTimeout(200);
    const collapsed = async () => ({
      textarea: await page.isVisible("#input"),
      bar: await page.isVisible("#input-bar"),
      expanded: await page.getAttribute("#input-bar", "aria-expanded"),
    });
    assert.deepEqual(await collapsed(), { textarea: false, bar: true, expanded: "false" });
    const afterPaste = await firstHighlight();
    console.log(`# 390 px: first highlight at ${before} px before a paste, ${afterPaste} px after`);
    assert.ok(afterPaste >= 0 && afterPaste < 450, `first highlight at ${afterPaste} px`);
    assert.match(await page.textContent("#input-bar"), /1,5\d\d characters: Portugal's Marítima/);
    // The controls stay reachable: the legend, the view switch, the threshold, the exports.
    for (const id of ["legend", "density", "threshold", "download-json"]) {
      await page.locator(`#${id}`).scrollIntoViewIfNeeded();
      assert.ok(await page.isVisible(`#${id}`), `#${id} is not reachable`);
    }

    // A tap on the bar brings the text box back, focused.
    await page.locator("#input-bar").tap().catch(() => page.click("#input-bar"));
    assert.deepEqual(await collapsed(), { textarea: true, bar: false, expanded: "true" });
    assert.equal(await page.evaluate(() => document.activeElement.id), "input");

    // An opened file collapses it too; then a dropped one.
    await page.setInputFiles("#file", { name: "note.txt", mimeType: "text/plain", buffer: Buffer.from("Mail ana@example.com today.") });
    await page.waitForFunction(() => document.getElementById("input").value.startsWith("Mail"));
    await waitReady(page);
    assert.deepEqual(await collapsed(), { textarea: false, bar: true, expanded: "false" });
    await page.click("#input-bar");
    await page.evaluate(() => {
      const data = new DataTransfer();
      data.items.add(new File(["Call ops@example.org."], "call.txt", { type: "text/plain" }));
      document.getElementById("result").dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }));
    });
    await page.waitForFunction(() => document.getElementById("input").value.startsWith("Call"));
    await waitReady(page);
    assert.deepEqual(await collapsed(), { textarea: false, bar: true, expanded: "false" });

    // Typing never collapses it, and on a wide screen nothing does.
    await page.click("#input-bar");
    await page.keyboard.type(" More.");
    assert.equal(await page.isVisible("#input"), true);
    await page.setViewportSize({ width: 1400, height: 900 });
    await paste(page, "Mail ana@example.com.");
    assert.deepEqual(await collapsed(), { textarea: true, bar: false, expanded: "true" });
    assert.deepEqual(pageErrors, []);
    await page.close();
  });

  test("exports hold what is shown unless 'all entities' is chosen, and say which", async () => {
    const { page, problems } = await openPage(env.context, env.url);
    const text = await page.inputValue("#input");
    const engine = await engineEntities(page, text);
    const model = engine.filter((e) => e.source === "model");
    // Hide a type and raise the threshold to one that hides some model entities.
    const t = Math.max(...[...new Set(model.map((e) => Math.floor(e.score * 20 + 1e-9)))]);
    await page.click('.legend-toggle[data-label="DATE"]');
    await page.focus("#threshold");
    for (let i = 0; i < t; i++) await page.keyboard.press("ArrowRight");
    const shown = engine.filter((e) => e.label !== "DATE" && (e.source !== "model" || Math.floor(e.score * 20 + 1e-9) >= t));
    assert.ok(shown.length > 0 && shown.length < engine.length - 3, `${shown.length} of ${engine.length}`);

    const json = await downloadOf(page, "#download-json");
    assert.equal(json.name, "entities-shown.json");
    const parsed = JSON.parse(json.text);
    assert.deepEqual(parsed.entities, shown);
    assert.deepEqual(parsed.selection, { entities: "shown", hiddenLabels: ["DATE"], minModelScore: t / 20, count: shown.length, total: engine.length });
    const csv = await downloadOf(page, "#download-csv");
    assert.equal(csv.name, "entities-shown.csv");
    assert.equal(csv.text.trim().split("\r\n").length, shown.length + 1);
    const html = await downloadOf(page, "#download-html");
    assert.equal(html.name, "highlighted-shown.html");
    assert.equal((html.text.match(/<mark /g) ?? []).length, shown.length);
    assert.match(html.text, new RegExp(`<footer>[^<]*The ${shown.length} of ${engine.length} entities shown \\(types hidden: DATE; model confidence ≥ ${(t / 20).toFixed(2)}\\)\\.</footer>`));
    await page.click("#copy-json");
    await page.waitForFunction(() => /copied/.test(document.getElementById("status").textContent));
    assert.deepEqual(JSON.parse(await page.evaluate(() => navigator.clipboard.readText())).entities, shown);

    await page.selectOption("#export-scope", "all");
    const all = await downloadOf(page, "#download-json");
    assert.equal(all.name, "entities-all.json");
    assert.deepEqual(JSON.parse(all.text).entities, engine);
    assert.deepEqual(JSON.parse(all.text).selection, { entities: "all", count: engine.length, total: engine.length });
    const allCsv = await downloadOf(page, "#download-csv");
    assert.equal(allCsv.name, "entities-all.csv");
    assert.equal(allCsv.text.trim().split("\r\n").length, engine.length + 1);
    const allHtml = await downloadOf(page, "#download-html");
    assert.equal(allHtml.name, "highlighted-all.html");
    assert.equal((allHtml.text.match(/<mark /g) ?? []).length, engine.length);
    assert.match(allHtml.text, new RegExp(`All ${engine.length} entities\\.</footer>`));
    assert.deepEqual(problems, NO_PROBLEMS);
    await page.close();
  });

  test("small things: plural forms, thousands separators, the type select, a list click scrolls only the pane", async () => {
    const { page, problems } = await openPage(env.context, env.url);
    // "Imported 1 phrase".
    await page.setInputFiles("#phrases-file", {
      name: "one.json",
      mimeType: "application/json",
      buffer: Buffer.from(JSON.stringify([{ text: "Widget Pro", label: "PRODUCT" }])),
    });
    await page.waitForFunction(() => /Imported/.test(document.getElementById("phrase-status").textContent));
    assert.equal(await page.textContent("#phrase-status"), "Imported 1 phrase from one.json.");

    // The type select spans its form; the chosen type's description is there in full.
    const select = await page.evaluate(() => {
      const s = document.getElementById("phrase-label");
      return { width: s.getBoundingClientRect().width, form: document.getElementById("phrase-form").getBoundingClientRect().width,
        value: s.value, hint: document.getElementById("phrase-label-hint").textContent };
    });
    assert.ok(select.width >= select.form - 1 && select.width >= 300, JSON.stringify(select));
    assert.equal(select.value, "PRODUCT");
    assert.equal(select.hint, "Objects, vehicles, foods, etc. (not services)");
    await page.selectOption("#phrase-label", "LAW");
    assert.equal(await page.textContent("#phrase-label-hint"), "Named documents made into laws");

    // Counts with separators: 1,001 email addresses.
    const many = Array.from({ length: 1001 }, (_, i) => `u${i}@example.org`).join(" ");
    await paste(page, `${many}\n`);
    assert.equal(await page.textContent('.legend-toggle[data-label="EMAIL"] .legend-count'), "1,001");
    assert.equal(await page.textContent('.entity-type[data-label="EMAIL"] h3 .legend-count'), "1,001 entities");
    assert.match(await page.textContent("#status"), /^1,001 email addresses\.$/);

    // A click in the list scrolls the pane to the mention, never the window.
    const lines = Array.from({ length: 300 }, (_, i) => (i === 250 ? "Write to far@example.org now." : `Line ${i} of plain words.`));
    await paste(page, lines.join("\n"));
    await page.evaluate(() => window.scrollTo(0, 120));
    const y = await page.evaluate(() => window.scrollY);
    await page.click('.entity-type[data-label="EMAIL"] .group-jump');
    const where = await page.evaluate(() => {
      const pane = document.getElementById("result").getBoundingClientRect();
      const m = document.querySelector("#result mark.flash").getBoundingClientRect();
      return { scrollY: window.scrollY, pane: document.getElementById("result").scrollTop, inPane: m.top >= pane.top && m.bottom <= pane.bottom };
    });
    assert.equal(where.scrollY, y, "the window scrolled");
    assert.ok(where.pane > 0 && where.inPane, JSON.stringify(where));
    await page.evaluate(() => localStorage.clear());
    assert.deepEqual(problems, NO_PROBLEMS);
    await page.close();
  });
});

describe("the extension's popup (issue 15)", () => {
  let ext;
  const paragraphs = SAMPLE.trim().split(/\n\n+/);
  const article = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>News</title></head><body><article>${paragraphs
    .map((p) => `<p>${p}</p>`)
    .join("")}</article></body></html>`;
  before(async () => {
    ext = await launchExtension({ "/article.html": article });
  });
  after(async () => {
    await ext?.close();
  });

  test("the types found first, the rest behind 'All types'; entities grouped with their mentions; dark fills", async () => {
    const { page, errors } = await ext.open("/article.html");
    const report = await ext.activate(page, false);
    assert.equal(report?.value?.active, true, JSON.stringify(report));
    const id = await ext.worker.evaluate(async (u) => (await chrome.tabs.query({ url: u }))[0]?.id, page.url());
    const popup = await ext.context.newPage();
    await popup.goto(`chrome-extension://${new URL(ext.worker.url()).host}/popup.html?tab=${id}`);
    await popup.locator("#entities button").first().waitFor();
    const counts = report.value.counts;
    const types = () => popup.$$eval("#types input", (bs) => bs.map((b) => [b.dataset.label, Number(b.parentElement.querySelector(".count").textContent.replace(/,/g, ""))]));
    const listed = await types();
    assert.deepEqual(listed.map(([l]) => l).sort(), Object.keys(counts).sort());
    for (let i = 1; i < listed.length; i++) assert.ok(listed[i - 1][1] >= listed[i][1], JSON.stringify(listed));
    const more = popup.locator("#types-more");
    assert.equal(await more.textContent(), `All types (${22 - listed.length} more)`);
    await more.click();
    assert.equal((await types()).length, 22);

    // Grouped: "Marítima Energia" once, with its mentions; each click goes to the next one.
    const mentions = report.value.entities.filter((e) => e.text === "Marítima Energia");
    assert.ok(mentions.length >= 3, JSON.stringify(mentions));
    const rows = await popup.$$eval("#entities button", (bs) => bs.map((b) => [b.querySelector(".text").textContent, b.querySelector(".times").textContent]));
    assert.deepEqual(rows.filter(([t]) => t === "Marítima Energia"), [["Marítima Energia", `×${mentions.length}`]]);
    assert.equal(new Set(rows.map(([t]) => t)).size, rows.length, "an entity is listed twice");
    assert.ok(rows.length < report.value.entities.length);
    const focusedAt = () =>
      page.evaluate(() => {
        const r = [...(CSS.highlights.get("nerlight-focus") ?? [])][0];
        return r ? `${r.startContainer.parentElement ? [...document.querySelectorAll("p")].indexOf(r.startContainer.parentElement) : -1}:${r.startOffset}` : null;
      });
    const button = popup.locator("#entities button", { hasText: "Marítima Energia" });
    await button.click();
    const first = await waitFor(focusedAt, (f) => f !== null, "the focus highlight");
    await button.click();
    const second = await waitFor(focusedAt, (f) => f !== null && f !== first, "the next mention");
    assert.notEqual(second, first);

    // Dark: the swatches are dark shades under light text.
    await popup.emulateMedia({ colorScheme: "dark" });
    const swatches = await popup.$$eval(".swatch", (ss) => ss.map((s) => [s.textContent, getComputedStyle(s).backgroundColor, getComputedStyle(s).color]));
    for (const [name, bg, fg] of swatches) {
      assert.ok(contrast(fg, bg) >= 4.5 && luminance(bg) <= 0.15, `${name}: ${fg} on ${bg}`);
    }
    assert.ok(luminance(await popup.evaluate(() => getComputedStyle(document.documentElement).backgroundColor)) < 0.05);
    assert.deepEqual(errors, []);
    await popup.close();
    await page.close();
  });
});
