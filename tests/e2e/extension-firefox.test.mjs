// The extension in Firefox: `web-ext lint` (Mozilla's own checks of the package) on dist/extension,
// and the extension loaded into Debian's Firefox ESR, headless, over WebDriver BiDi
// (firefox-helpers.mjs): its background script runs the engine, and a page is highlighted exactly
// as the engine finds, with the page's DOM untouched; the popup lists what was found.
//
//   bash scripts/build-extension.sh && node --test tests/e2e/extension-firefox.test.mjs
//
// Only the copy under test is changed, as for Chromium (extension-helpers.mjs): a host permission
// for the test server's 127.0.0.1 pages, and popup.html made reachable from them, because BiDi
// will not navigate a tab to a moz-extension:// page itself, while a page may open a
// web-accessible one.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

import { ROOT } from "./page-helpers.mjs";
import { FIREFOX, launchFirefox } from "./firefox-helpers.mjs";

const DIST = path.join(ROOT, "dist", "extension");
const WEB_EXT = path.join(ROOT, "node_modules", ".bin", "web-ext");
const ID = "nerlight@nerlight.invalid";
const UUID = "5b0e7c2a-9f41-4d1e-8a36-2c7d1e0f9a11";

const BLOCKS = [
  "Portugal's Marítima Energia agrees €2.4 billion deal",
  "LISBON, 12 March 2025 — Marítima Energia said on Wednesday that it had agreed to buy Fjordkraft Vind for €2.4 billion ($2.6 billion).",
  "Chief executive Ana Ribeiro told reporters in Lisbon that Marítima Energia would grow. Questions go to ir@maritima-energia.com.",
];
const ARTICLE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Article</title></head><body><article>
<h1>${BLOCKS[0]}</h1>
<p>${BLOCKS[1].replace("Marítima Energia said", "<b>Marítima</b> Energia said")}</p>
<p>${BLOCKS[2]}</p>
<textarea>textarea@never.example</textarea>
</article></body></html>`;

test("web-ext lint: no errors; the one warning is the Chromium service worker key Firefox ignores", async () => {
  assert.ok(existsSync(path.join(DIST, "manifest.json")), "dist/extension is missing: run `bash scripts/build-extension.sh`");
  assert.ok(existsSync(WEB_EXT), "web-ext is missing: run `npm ci`");
  let stdout;
  try {
    ({ stdout } = await promisify(execFile)(WEB_EXT, ["lint", "--source-dir", DIST, "--output", "json", "--no-config-discovery"], { maxBuffer: 16 << 20 }));
  } catch (err) {
    stdout = err.stdout; // web-ext exits non-zero when it finds errors: report them below
  }
  const report = JSON.parse(stdout);
  const codes = (list) => list.map((m) => `${m.code}: ${m.message}`);
  assert.deepEqual(codes(report.errors), []);
  assert.deepEqual(codes(report.notices), []);
  // background.service_worker is for Chromium; Firefox runs background.scripts (the same file).
  assert.deepEqual(report.warnings.map((w) => w.code), ["BACKGROUND_SERVICE_WORKER_IGNORED"], JSON.stringify(codes(report.warnings)));
  assert.equal(report.metadata.id, ID);
});

describe("the extension in Firefox ESR (headless, WebDriver BiDi)", { skip: !existsSync(FIREFOX) && `${FIREFOX} is not installed` }, () => {
  let ff;
  let server;
  let origin;
  let extDir;
  before(async () => {
    server = http.createServer((req, res) => {
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
      res.end(req.url === "/article.html" ? ARTICLE : "<!doctype html><title>blank</title>");
    });
    await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${server.address().port}`;
    extDir = mkdtempSync(path.join(os.tmpdir(), "nerlight-ffext-"));
    cpSync(DIST, extDir, { recursive: true });
    const manifest = JSON.parse(readFileSync(path.join(extDir, "manifest.json"), "utf8"));
    manifest.host_permissions = ["http://127.0.0.1/*"];
    manifest.web_accessible_resources = [{ resources: ["popup.html"], matches: ["http://127.0.0.1/*"] }];
    writeFileSync(path.join(extDir, "manifest.json"), JSON.stringify(manifest, null, 2));
    ff = await launchFirefox({ uuids: { [ID]: UUID } });
  });
  after(async () => {
    await ff?.close();
    server?.close();
    if (extDir) rmSync(extDir, { recursive: true, force: true });
  });

  test("installs, runs the engine in its background script, and highlights a page as the engine does", async () => {
    console.log(`# Firefox ${ff.browserVersion}`);
    const installed = await ff.send("webExtension.install", { extensionData: { type: "path", path: extDir } });
    assert.equal(installed.extension, ID);

    const { contexts } = await ff.send("browsingContext.getTree", {});
    const page = contexts[0].context;
    await ff.send("browsingContext.navigate", { context: page, url: `${origin}/article.html`, wait: "complete" });
    const before = await ff.evaluate(page, "document.documentElement.outerHTML");

    // An extension page, opened from a page of the test server (see the header).
    const { context: popup } = await ff.send("browsingContext.create", { type: "tab" });
    await ff.send("browsingContext.navigate", { context: popup, url: `${origin}/blank.html`, wait: "complete" });
    await ff.evaluate(popup, `(location.href = "moz-extension://${UUID}/popup.html", 1)`);
    const deadline = Date.now() + 30_000;
    while ((await ff.evaluate(popup, "location.protocol").catch(() => null)) !== "moz-extension:") {
      assert.ok(Date.now() < deadline, "the extension page did not open");
      await new Promise((r) => setTimeout(r, 100));
    }
    const labels = await ff.evaluate(popup, `browser.runtime.sendMessage({ type: "nerlight/labels" })`);
    assert.equal(labels.ok, true, JSON.stringify(labels));
    assert.equal(labels.value.labels.length, 22);

    const tabs = await ff.evaluate(popup, "browser.tabs.query({}).then((ts) => ts.map((t) => [t.id, t.url]))");
    const tabId = tabs.find(([, url]) => url === `${origin}/article.html`)?.[0];
    assert.ok(tabId !== undefined, JSON.stringify(tabs));
    const reply = await ff.evaluate(popup, `browser.runtime.sendMessage({ type: "nerlight/activate", tabId: ${tabId}, persist: false })`);
    assert.equal(reply.ok, true, JSON.stringify(reply));
    assert.equal(reply.value.value.painter, "highlight-api");

    // What the engine finds in the page's text (blocks joined by line breaks, as content.js reads it).
    const { init, Highlighter } = await import(path.join(ROOT, "www", "pkg", "node.js"));
    await init?.();
    const expected = new Highlighter().highlight(BLOCKS.join("\n")).map((e) => `${e.label}:${e.text}`).sort();
    const painted = async () =>
      (await ff.evaluate(
        page,
        `[...CSS.highlights].filter(([name]) => name.startsWith("nerlight-") && name !== "nerlight-focus").flatMap(([name, h]) =>
          [...h].map((r) => { const live = new Range(); live.setStart(r.startContainer, r.startOffset); live.setEnd(r.endContainer, r.endOffset);
            return name.slice(9) + ":" + live.toString(); }))`,
      )).sort();
    let found = [];
    while ((found = await painted()).length < expected.length && Date.now() < deadline + 30_000) await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(found, expected);
    assert.ok(!found.some((f) => f.includes("never.example")), "a form field was read");
    assert.equal(await ff.evaluate(page, "document.documentElement.outerHTML"), before, "the page's DOM changed");

    // The popup for that tab lists the entities grouped: "Marítima Energia" once, ×3.
    await ff.evaluate(popup, `(location.href = "moz-extension://${UUID}/popup.html?tab=${tabId}", 1)`);
    let rows = [];
    while (Date.now() < deadline + 60_000) {
      rows = await ff.evaluate(popup, `[...document.querySelectorAll("#entities button")].map((b) => [b.querySelector(".text").textContent, b.querySelector(".times").textContent])`).catch(() => []);
      if (rows.length) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.deepEqual(rows.filter(([t]) => t === "Marítima Energia"), [["Marítima Energia", "×3"]], JSON.stringify(rows));
  });
});
