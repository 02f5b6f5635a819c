// The examples a third party would copy, built as their READMEs say (npm install, npm run build)
// against the packed package, and run in Chromium: examples/site highlights its own article;
// examples/extension-minimal highlights a page, including one whose CSP forbids WebAssembly.
//
//   bash scripts/build-wasm.sh && node --test tests/e2e/examples.test.mjs

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";

import { ARGS, CHROMIUM, ROOT } from "./page-helpers.mjs";
import { build, install, pack } from "./package-helpers.mjs";
import { waitFor } from "./extension-helpers.mjs";

const TIMEOUT = 60_000;

/**
 * A copy of examples/`name` in `dir`, its `nerlight` dependency the packed tarball, installed
 * and built. (Its esbuild is the repository's: the copy's devDependencies are left out so that
 * nothing is fetched.)
 */
function buildExample(name, dir, tarball) {
  const project = path.join(dir, name);
  cpSync(path.join(ROOT, "examples", name), project, { recursive: true, filter: (f) => !/node_modules|dist/.test(path.relative(ROOT, f)) });
  const manifest = JSON.parse(readFileSync(path.join(project, "package.json"), "utf8"));
  manifest.dependencies.nerlight = `file:${tarball}`;
  delete manifest.devDependencies;
  writeFileSync(path.join(project, "package.json"), JSON.stringify(manifest, null, 2));
  install(project, tarball);
  build(project);
  return path.join(project, "dist");
}

/** Serve `dir`'s files and `pages` ({pathname: {body, headers}}) on 127.0.0.1. */
async function serve(dir, pages = {}) {
  const types = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".wasm": "application/wasm" };
  const server = http.createServer((req, res) => {
    const name = new URL(req.url, "http://x").pathname;
    const page = pages[name];
    if (page) {
      res.writeHead(200, { "Content-Type": types[".html"], ...(page.headers ?? {}) }).end(page.body);
      return;
    }
    const file = path.basename(name === "/" ? "index.html" : name);
    try {
      const body = readFileSync(path.join(dir, file));
      res.writeHead(200, { "Content-Type": types[path.extname(file)] ?? "application/octet-stream" }).end(body);
    } catch {
      res.writeHead(name === "/favicon.ico" ? 204 : 404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, origin: `http://127.0.0.1:${server.address().port}` };
}

/** [{label, text}] registered in the page's highlight registry under the package's prefix. */
function registered(page) {
  return page.evaluate(() => {
    const out = [];
    for (const [name, highlight] of CSS.highlights) {
      if (!name.startsWith("nerlight-")) continue;
      for (const r of highlight) {
        const live = new Range();
        live.setStart(r.startContainer, r.startOffset);
        live.setEnd(r.endContainer, r.endOffset);
        out.push({ label: name.slice("nerlight-".length), text: live.toString() });
      }
    }
    return out;
  });
}

describe("the examples, built on the packed package", () => {
  let dir;
  let tarball;
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "nerlight-examples-"));
    tarball = pack(path.join(dir, "tarball"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("examples/site highlights its own article, lets labels be hidden, and leaves the article's DOM as it was", async () => {
    const dist = buildExample("site", dir, tarball);
    const { server, origin } = await serve(dist);
    const context = await chromium.launchPersistentContext(path.join(dir, "site-profile"), { executablePath: CHROMIUM, args: ARGS });
    try {
      const page = await context.newPage();
      const errors = [];
      page.on("pageerror", (err) => errors.push(String(err)));
      page.on("console", (msg) => msg.type() === "error" && errors.push(msg.text()));
      await page.goto(origin);
      const before = await page.evaluate(() => document.getElementById("article").outerHTML);
      await page.waitForFunction(() => document.body.dataset.state === "ready", null, { timeout: TIMEOUT });
      const found = await registered(page);
      for (const [label, text] of [["EMAIL", "ir@maritima-energia.com"], ["DATE", "30 June 2025"]]) {
        assert.ok(found.some((h) => h.label === label && h.text === text), `${label} ${text}: ${JSON.stringify(found)}`);
      }
      // The page's own color for PERSON (a custom property) is the one painted.
      const person = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue("--nerlight-PERSON").trim());
      assert.equal(person, "#ffd166");
      // Unticking EMAIL takes its highlight out of the registry, the others stay.
      await page.locator("#labels input[value=EMAIL]").uncheck();
      const shown = await registered(page);
      assert.ok(shown.length > 0 && !shown.some((h) => h.label === "EMAIL"), JSON.stringify(shown));
      assert.equal(await page.evaluate(() => document.getElementById("article").outerHTML), before);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
      server.close();
    }
  });

  test("examples/extension-minimal highlights pages, one that forbids WebAssembly too, without changing their DOM", async () => {
    const dist = buildExample("extension-minimal", dir, tarball);
    const body = `<article><h1>Marítima Energia agrees €2.4 billion deal</h1>
<p>Questions go to ir@maritima-energia.com before 30 June 2025.</p></article>`;
    const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Article</title></head><body>${body}</body></html>`;
    const { server, origin } = await serve(dist, {
      "/article.html": { body: html },
      "/csp.html": { body: html, headers: { "Content-Security-Policy": "script-src 'self'; object-src 'none'" } },
    });
    const context = await chromium.launchPersistentContext(path.join(dir, "extension-profile"), {
      executablePath: CHROMIUM,
      headless: false, // the new headless mode below runs extensions
      args: ["--headless=new", `--disable-extensions-except=${dist}`, `--load-extension=${dist}`, ...ARGS.filter((a) => a !== "--headless")],
    });
    try {
      for (const pathname of ["/article.html", "/csp.html"]) {
        const page = await context.newPage();
        const errors = [];
        page.on("pageerror", (err) => errors.push(String(err)));
        await page.goto(origin + pathname);
        const before = await page.evaluate(() => document.documentElement.outerHTML);
        const found = await waitFor(() => registered(page), (f) => f.some((h) => h.label === "EMAIL"), `highlights on ${pathname}`, TIMEOUT);
        assert.ok(found.some((h) => h.label === "DATE" && h.text === "30 June 2025"), JSON.stringify(found));
        assert.ok(found.some((h) => h.label === "EMAIL" && h.text === "ir@maritima-energia.com"), JSON.stringify(found));
        assert.equal(await page.evaluate(() => document.documentElement.outerHTML), before);
        assert.deepEqual(errors, []);
        await page.close();
      }
    } finally {
      await context.close();
      server.close();
    }
  });
});
