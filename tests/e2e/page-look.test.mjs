// The page's look and accessibility in headless Chromium: WCAG AA contrast of every label's
// highlight in light and dark mode (computed from the styles the browser applies), the theme
// switch, a 360 px phone, print, keyboard reach with visible focus, the spoken summary.
//
//   bash scripts/build-wasm.sh && node --test tests/e2e/page-look.test.mjs

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";

import { launch, NO_PROBLEMS, openPage, paste, waitReady } from "./page-helpers.mjs";

/** WCAG 2 relative luminance of "rgb(r, g, b)" / "rgba(r, g, b, a)" (opaque colors only). */
function luminance(css) {
  const m = css.match(/rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)/);
  assert.ok(m, `not an rgb color: ${css}`);
  assert.ok(m[4] === undefined || Number(m[4]) === 1, `translucent color: ${css}`);
  const [r, g, b] = [m[1], m[2], m[3]].map((v) => {
    const c = Number(v) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrast(a, b) {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

/** One user phrase per label, so that a text can show a highlight of every label. */
async function everyLabel(page) {
  const labels = await page.evaluate(async () => {
    const { default: init, labels } = await import("./pkg/nerlight.js");
    await init();
    return labels().map((l) => l.name);
  });
  const phrases = labels.map((label, i) => ({ text: `zq${i}x`, label }));
  await page.evaluate((list) => localStorage.setItem("nerlight.userPhrases.v1", JSON.stringify(list)), phrases);
  await page.reload();
  await waitReady(page);
  await paste(page, phrases.map((p) => p.text).join(" and "));
  return labels;
}

/** Text and background of every highlight and its label tag, and the page's own text colors. */
function colors(page) {
  return page.evaluate(() => {
    const style = (el, pseudo) => getComputedStyle(el, pseudo);
    const marks = [...document.querySelectorAll("#result mark.entity")].map((m) => ({
      label: m.dataset.label,
      background: style(m).backgroundColor,
      text: style(m).color,
      tag: style(m, "::after").color,
    }));
    const swatches = [...document.querySelectorAll("#legend .legend-toggle:not([data-empty]) .legend-swatch")].map((s) => ({
      label: s.textContent,
      background: style(s).backgroundColor,
      text: style(s).color,
    }));
    const root = style(document.documentElement);
    const panel = style(document.getElementById("result")).backgroundColor;
    return {
      marks,
      swatches,
      page: { text: root.color, background: root.backgroundColor, panel },
      muted: style(document.querySelector(".hint")).color,
      status: style(document.getElementById("status")).color,
    };
  });
}

describe("the page's look and accessibility", () => {
  let env;
  before(async () => {
    env = await launch();
  });
  after(async () => {
    await env?.close();
  });

  for (const scheme of ["light", "dark"]) {
    test(`every label's highlight has WCAG AA contrast (>= 4.5:1) in ${scheme} mode`, async () => {
      const { page, problems } = await openPage(env.context, env.url);
      await page.emulateMedia({ colorScheme: scheme });
      const labels = await everyLabel(page);
      const c = await colors(page);
      assert.deepEqual([...new Set(c.marks.map((m) => m.label))].sort(), [...labels].sort(), "not every label is shown");
      const background = luminance(c.page.background);
      assert.ok(scheme === "dark" ? background < 0.05 : background > 0.8, `${scheme} page background ${c.page.background}`);
      for (const m of [...c.marks, ...c.swatches]) {
        const ratio = contrast(m.text, m.background);
        assert.ok(ratio >= 4.5, `${scheme}: ${m.label} text ${m.text} on ${m.background} is ${ratio.toFixed(2)}:1`);
        if (m.tag) assert.ok(contrast(m.tag, m.background) >= 4.5, `${scheme}: ${m.label} tag`);
      }
      for (const [what, color] of [["text", c.page.text], ["hints", c.muted], ["status", c.status]]) {
        for (const bg of [c.page.background, c.page.panel]) {
          assert.ok(contrast(color, bg) >= 4.5, `${scheme}: ${what} ${color} on ${bg}: ${contrast(color, bg).toFixed(2)}:1`);
        }
      }
      await page.evaluate(() => localStorage.clear());
      assert.deepEqual(problems, NO_PROBLEMS);
      await page.close();
    });
  }

  test("the theme switch overrides the system setting and is kept across a reload", async () => {
    const { page, problems } = await openPage(env.context, env.url);
    await page.emulateMedia({ colorScheme: "light" });
    const background = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    assert.ok(luminance(await background()) > 0.8);
    await page.selectOption("#theme", "dark");
    assert.ok(luminance(await background()) < 0.05, "the dark switch did not apply");
    await page.reload();
    await waitReady(page);
    assert.equal(await page.inputValue("#theme"), "dark");
    assert.ok(luminance(await background()) < 0.05, "the switch was not kept");
    await page.selectOption("#theme", "auto");
    assert.ok(luminance(await background()) > 0.8, "auto does not follow the system");
    await page.evaluate(() => localStorage.clear());
    assert.deepEqual(problems, NO_PROBLEMS);
    await page.close();
  });

  test("fits a 360 px phone without sideways scrolling; prints only the highlighted text", async () => {
    const { page, problems } = await openPage(env.context, env.url);
    await page.setViewportSize({ width: 360, height: 740 });
    await page.waitForTimeout(100);
    const fit = await page.evaluate(() => {
      const offside = [...document.querySelectorAll("body *")]
        .filter((el) => el.getClientRects().length > 0 && !el.closest("#result, .entity-list, #tooltip"))
        .filter((el) => {
          const r = el.getBoundingClientRect();
          return r.width > 0 && (r.left < -1 || r.right > window.innerWidth + 1);
        })
        .map((el) => `${el.tagName}#${el.id}.${el.className}`);
      return { scrollWidth: document.documentElement.scrollWidth, offside };
    });
    assert.ok(fit.scrollWidth <= 360, `page is ${fit.scrollWidth} px wide`);
    assert.deepEqual(fit.offside, []);
    for (const id of ["input", "result", "entity-list", "legend", "share"]) {
      const box = await page.locator(`#${id}`).boundingBox();
      assert.ok(box && box.x >= 0 && box.x + box.width <= 361, `#${id} does not fit: ${JSON.stringify(box)}`);
    }

    await page.setViewportSize({ width: 1400, height: 900 });
    await page.emulateMedia({ media: "print" });
    for (const hidden of ["#input", ".pane-side", ".actions", "#threshold", "#theme"]) {
      assert.equal(await page.isVisible(hidden), false, `${hidden} is printed`);
    }
    assert.ok(await page.isVisible("#result"));
    const mark = await page.$eval("#result mark.entity", (m) => getComputedStyle(m).backgroundColor);
    assert.notEqual(mark, "rgba(0, 0, 0, 0)");
    assert.equal(await page.$eval("#result", (r) => getComputedStyle(r).overflowY), "visible", "print cuts the text");
    await page.emulateMedia({ media: "screen" });
    assert.deepEqual(problems, NO_PROBLEMS);
    await page.close();
  });

  test("everything is reachable by Tab with a visible focus, the result and list are one stop each", async () => {
    const { page, problems } = await openPage(env.context, env.url);
    const seen = [];
    for (let i = 0; i < 120; i++) {
      await page.keyboard.press("Tab");
      const f = await page.evaluate(() => {
        const el = document.activeElement;
        if (!el || el === document.body) return null;
        const s = getComputedStyle(el);
        return {
          what: el.id ? `#${el.id}` : `${el.tagName.toLowerCase()}.${el.className}`,
          inResult: !!el.closest("#result"),
          inList: !!el.closest("#entity-list"),
          outline: s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2,
        };
      });
      if (!f) {
        if (seen.length) break; // back at the start
        continue;
      }
      seen.push(f);
    }
    const what = seen.map((f) => f.what);
    for (const id of ["#theme", "#open-file", "#input", "#threshold", "#copy-json", "#download-json", "#download-csv",
      "#download-html", "#share", "#phrase-text", "#phrase-label", "#phrases-export", "#phrases-import"]) {
      assert.ok(what.includes(id), `${id} is not reachable by Tab: ${what}`);
    }
    // The legend shows the types found (the rest behind #legend-more): each of those is a stop.
    const found = await page.$$eval(".legend-toggle:not([data-empty])", (bs) => bs.length);
    assert.ok(found > 5, `${found} types found`);
    assert.equal(what.filter((w) => w.startsWith("button.legend-toggle")).length, found, "a legend toggle is not reachable");
    assert.ok(what.includes("#legend-more"), "the All types control is not reachable");
    assert.ok(what.includes("#density") && what.includes("#export-scope"), "the view or export switch is not reachable");
    assert.equal(seen.filter((f) => f.inResult).length, 1, "the result pane should be one tab stop");
    assert.equal(seen.filter((f) => f.inList).length, 1, "the entity list should be one tab stop");
    const invisible = seen.filter((f) => !f.outline).map((f) => f.what);
    assert.deepEqual(invisible, [], "focus is not visible on these");

    // The summary is a polite live region naming the counts in words.
    assert.equal(await page.getAttribute("#status", "aria-live"), "polite");
    assert.match(await page.textContent("#status"), /^\d+ people, .*\d+ organizations?.* and \d+ \w[\w ]*\.$/);
    assert.deepEqual(problems, NO_PROBLEMS);
    await page.close();
  });
});
