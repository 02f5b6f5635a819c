// Shared set-up for the extension's end-to-end tests (tests/e2e/extension*.test.mjs): serve test
// pages on 127.0.0.1, load dist/extension (plus a grant for that origin, as in
// extension.test.mjs's header comment) into headless Chromium, and drive it as the shortcut does.

import assert from "node:assert/strict";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";

import { ARGS, CHROMIUM, ROOT } from "./page-helpers.mjs";

const DIST = path.join(ROOT, "dist", "extension");
export const TIMEOUT = 60_000;

/**
 * Launches Chromium (a fresh profile) with a copy of the built extension that may run on the
 * test server's 127.0.0.1 pages; `onContext` sees the context before anything is loaded (to
 * record requests from the start). Resolves with the context, the extension's service worker
 * and the two temporary directories to remove afterwards.
 */
export async function loadExtension(onContext = () => {}) {
  assert.ok(existsSync(path.join(DIST, "manifest.json")), "dist/extension is missing: run `bash scripts/build-extension.sh`");
  const extDir = mkdtempSync(path.join(os.tmpdir(), "nerlight-ext-"));
  cpSync(DIST, extDir, { recursive: true });
  const manifest = JSON.parse(readFileSync(path.join(extDir, "manifest.json"), "utf8"));
  manifest.host_permissions = ["http://127.0.0.1/*"];
  writeFileSync(path.join(extDir, "manifest.json"), JSON.stringify(manifest, null, 2));
  const profileDir = mkdtempSync(path.join(os.tmpdir(), "nerlight-profile-"));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: false, // the new headless mode below runs extensions; the old one does not
    args: [
      "--headless=new",
      `--disable-extensions-except=${extDir}`,
      `--load-extension=${extDir}`,
      ...ARGS.filter((arg) => arg !== "--headless"),
    ],
  });
  context.setDefaultTimeout(TIMEOUT);
  onContext(context);
  let worker = context.serviceWorkers().find((w) => w.url().endsWith("/background.js"));
  worker ??= await context.waitForEvent("serviceworker", {
    predicate: (w) => w.url().endsWith("/background.js"),
    timeout: TIMEOUT,
  });
  return { context, worker, extDir, profileDir };
}

/** Serves `pages` ({pathname: html}) and launches Chromium with the extension. */
export async function launch(pages) {
  const server = http.createServer((req, res) => {
    const body = pages[new URL(req.url, "http://x").pathname];
    if (body === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    res.end(body);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;

  const { context, worker, extDir, profileDir } = await loadExtension();

  const tabId = (page) => worker.evaluate(async (u) => (await chrome.tabs.query({ url: u }))[0]?.id, page.url());
  return {
    context,
    worker,
    origin,
    async open(pathname) {
      const page = await context.newPage();
      const errors = [];
      page.on("pageerror", (err) => errors.push(String(err)));
      await page.goto(origin + pathname);
      return { page, errors };
    },
    /** Turns highlighting on for the page's site; resolves with the content script's report. */
    async activate(page, persist = true) {
      const id = await tabId(page);
      return worker.evaluate(({ id, persist }) => globalThis.nerlight.activateTab(id, { persist }), { id, persist });
    },
    async deactivate(page) {
      const id = await tabId(page);
      await worker.evaluate((id) => globalThis.nerlight.deactivateTab(id), id);
    },
    async close() {
      await context.close();
      server.close();
      for (const dir of [extDir, profileDir]) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** How many ranges the page's registry holds under nerlight's names. */
export function highlightCount(page) {
  return page.evaluate(() => {
    let n = 0;
    for (const [name, h] of CSS.highlights) if (name.startsWith("nerlight-") && name !== "nerlight-focus") n += h.size;
    return n;
  });
}

/** Poll until `fn()` satisfies `ok`; returns the last value. */
export async function waitFor(fn, ok, what, timeout = TIMEOUT) {
  const deadline = Date.now() + timeout;
  let value;
  for (;;) {
    value = await fn();
    if (ok(value)) return value;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}; last value: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
