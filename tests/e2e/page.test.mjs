// End-to-end tests of the page in www/, in Debian's Chromium driven by playwright-core.
//
//   bash scripts/build-wasm.sh && node --test tests/e2e/
//
// The test serves www/ itself (python3 http.server on a free loopback port) and stops it after.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";

import { ARGS, CHROMIUM, ROOT, WWW, openPage as openWith, startServer } from "./page-helpers.mjs";

/** A page of `browser` at `url`, not waited for: these tests wait for what each needs. */
const openPage = (browser, url, options = {}) => openWith(browser, url, { ...options, ready: false });

const EMAIL = "ir@maritima-energia.com";
const URL_TEXT = "https://investors.maritima-energia.com/offer-2025";
const XSS = "<img src=x onerror=alert(1)>";

/** [{label, text}] for every highlighted span in the result pane. */
function highlights(page) {
  return page.$$eval("#result mark.entity", (marks) =>
    marks.map((m) => ({ label: m.dataset.label, text: m.textContent })),
  );
}

/** Each element in the result pane as TAG.class: the renderer makes only marks and chunk spans. */
function resultElements(page) {
  return page.$$eval("#result *", (els) => els.map((e) => `${e.tagName}.${e.className}`));
}
const isRenderedTag = (t) => t === "MARK.entity" || /^SPAN\.chunk( chunk-block)?$/.test(t);

describe("the page", () => {
  let server;
  let browser;

  before(async () => {
    assert.ok(
      existsSync(path.join(WWW, "pkg", "nerlight.js")),
      "www/pkg is missing: run `bash scripts/build-wasm.sh` first",
    );
    server = await startServer();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  });

  after(async () => {
    await browser?.close();
    server?.child.kill();
  });

  test("highlights the sample article with the engine's labels and colors", async () => {
    const { page, problems } = await openPage(browser, server.url);
    await page.waitForSelector("#result[data-state=ready]");

    const found = await highlights(page);
    assert.ok(found.length >= 5, `too few highlights: ${JSON.stringify(found)}`);
    assert.ok(
      found.some((h) => h.label === "EMAIL" && h.text === EMAIL),
      `no EMAIL highlight for ${EMAIL}: ${JSON.stringify(found)}`,
    );
    assert.ok(
      found.some((h) => h.label === "URL" && h.text === URL_TEXT),
      `no URL highlight for ${URL_TEXT}: ${JSON.stringify(found)}`,
    );
    assert.ok(
      found.some((h) => h.label === "MONEY" && h.text === "€2.4 billion"),
      `no MONEY highlight for €2.4 billion: ${JSON.stringify(found)}`,
    );

    // The pane shows exactly the input text (label tags are CSS, not text).
    const [input, shown] = await page.evaluate(() => [
      document.getElementById("input").value,
      document.getElementById("result").textContent,
    ]);
    assert.equal(shown, input);

    // Colors come from the engine: each highlight matches its legend swatch, which is colored.
    const colors = await page.evaluate(() => {
      const swatch = new Map(
        [...document.querySelectorAll(".legend-swatch")].map((s) => [s.textContent, getComputedStyle(s).backgroundColor]),
      );
      return [...document.querySelectorAll("#result mark.entity")].map((m) => ({
        label: m.dataset.label,
        mark: getComputedStyle(m).backgroundColor,
        legend: swatch.get(m.dataset.label),
      }));
    });
    for (const c of colors) {
      assert.equal(c.mark, c.legend, `color of ${c.label}`);
      assert.notEqual(c.mark, "rgba(0, 0, 0, 0)", `${c.label} has no background`);
    }
    const legendNames = await page.$$eval(".legend-swatch", (s) => s.map((e) => e.textContent));
    for (const name of ["PERSON", "ORG", "GPE", "MONEY", "EMAIL", "URL", "PHONE"]) {
      assert.ok(legendNames.includes(name), `legend lacks ${name}: ${legendNames}`);
    }

    assert.deepEqual(problems, { consoleErrors: [], pageErrors: [], dialogs: [] });
    await page.close();
  });

  test("re-highlights as the text changes", async () => {
    const { page, problems } = await openPage(browser, server.url);
    await page.waitForSelector("#result[data-state=ready]");
    await page.fill("#input", "Mail 🎉 support@example.org please.");
    await page.waitForFunction(() => document.getElementById("result").textContent.startsWith("Mail 🎉"));
    assert.deepEqual(await highlights(page), [{ label: "EMAIL", text: "support@example.org" }]);
    assert.deepEqual(problems, { consoleErrors: [], pageErrors: [], dialogs: [] });
    await page.close();
  });

  test("renders markup typed into the text as inert text", async () => {
    const { page, problems } = await openPage(browser, server.url);
    await page.waitForSelector("#result[data-state=ready]");
    // Markup before and after an entity: both ways text reaches the pane.
    const payload = `${XSS} <script>alert(2)</script> ${EMAIL} <b>bold</b> ${XSS}`;
    await page.fill("#input", payload);
    await page.waitForFunction(() => !document.getElementById("result").textContent.includes("LISBON"));
    // Give an onerror handler every chance to fire.
    await page.waitForTimeout(300);

    assert.equal(await page.$eval("#result", (r) => r.textContent), payload);
    assert.equal(await page.$$eval("img", (imgs) => imgs.length), 0, "an <img> element was created");
    const tags = await resultElements(page);
    assert.ok(tags.every(isRenderedTag), `the result holds elements other than <mark> and chunks: ${tags}`);
    assert.deepEqual(problems.dialogs, [], "a dialog fired");
    assert.ok((await highlights(page)).some((h) => h.label === "EMAIL" && h.text === EMAIL));
    assert.deepEqual(problems, { consoleErrors: [], pageErrors: [], dialogs: [] });
    await page.close();
  });

  test("renders every entry of the hostile corpus as inert text", async () => {
    // tests/hostile/inputs.json: markup, event handlers, javascript: URLs, bidi and control
    // characters, lone surrogates, huge lines. Shared with the Rust and extension tests.
    const corpus = JSON.parse(readFileSync(path.join(ROOT, "tests/hostile/inputs.json"), "utf8"));
    const { page, problems } = await openPage(browser, server.url);
    page.setDefaultTimeout(30_000); // the huge entries take a second or two with the model
    await page.waitForSelector("#result[data-state=ready]");
    const census = () =>
      page.evaluate(() =>
        ["script", "img", "svg", "iframe", "style", "a", "object", "embed", "link", "meta"].map(
          (t) => `${t}:${document.getElementsByTagName(t).length}`,
        ),
      );
    const baseline = await census();
    for (const entry of corpus) {
      // Huge entries capped at ~100 KB: enough for a long line, quick enough for every CI run.
      const text = entry.text.repeat(Math.min(entry.repeat ?? 1, Math.ceil(100_000 / entry.text.length)));
      // Set the value directly (lone surrogates survive) and fire the event typing would.
      const value = await page.evaluate((t) => {
        const input = document.getElementById("input");
        input.value = t;
        input.dispatchEvent(new Event("input", { bubbles: true }));
        return input.value; // a textarea normalizes CR and CRLF to LF
      }, text);
      await page.waitForFunction((v) => document.getElementById("result").textContent === v, value);
      await page.waitForTimeout(50); // let any handler that was created fire
      const tags = [...new Set(await resultElements(page))];
      assert.ok(tags.every(isRenderedTag), `${entry.name}: elements other than <mark> and chunks: ${tags}`);
      assert.deepEqual(await census(), baseline, `${entry.name}: the document gained elements`);
      const found = await highlights(page);
      for (const [want, label] of entry.entities) {
        if (["EMAIL", "URL", "PHONE"].includes(label)) {
          assert.ok(
            found.some((h) => h.label === label && h.text === want),
            `${entry.name}: no ${label} highlight for ${want}`,
          );
        }
      }
      assert.deepEqual(problems.dialogs, [], `${entry.name}: a dialog fired`);
    }
    assert.equal(await page.evaluate(() => location.href), server.url, "the page navigated");
    assert.deepEqual(problems, { consoleErrors: [], pageErrors: [], dialogs: [] });
    await page.close();
  });

  test("shows a visible error when the engine cannot load", async () => {
    const { page } = await openPage(browser, server.url, {
      beforeLoad: (p) => p.route("**/*.wasm", (route) => route.abort()),
    });
    const status = page.locator("#status[data-kind=error]");
    await status.waitFor({ state: "visible" });
    assert.match(await status.textContent(), /failed to load/i);
    await page.close();
  });
});
