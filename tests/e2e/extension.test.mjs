// End-to-end tests of the browser extension in Debian's Chromium, driven by playwright-core.
//
//   bash scripts/build-extension.sh && node --test tests/e2e/extension.test.mjs
//
// The extension is loaded from dist/extension into a persistent context (MV3 extensions need
// one; the new headless mode runs them). Test pages come from a tiny HTTP server on 127.0.0.1.
//
// How highlighting is triggered: in real use, a click on the action or the keyboard shortcut
// grants activeTab, which automation cannot do (the shortcut does not reach headless Chromium).
// So the test loads a copy of the built extension whose manifest also grants the test server's
// origin, "http://127.0.0.1/*" (what a user who opts into automatic highlighting grants for a
// site), and calls the same service-worker function the shortcut calls. Nothing else differs.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, rmSync } from "node:fs";
import http from "node:http";
import path from "node:path";

import { ROOT } from "./page-helpers.mjs";
import { loadExtension, waitFor as pollUntil } from "./extension-helpers.mjs";

const TIMEOUT = 30_000; // generous: CI machines are small and shared

// --- Test pages ----------------------------------------------------------------------------------

// Each block is one paragraph of prose; the extension must find exactly what the engine finds in
// these texts, joined by the line breaks it puts between blocks. Markup inside a block (the <b>,
// the <a>) must not change what is found.
const BLOCKS = [
  "Portugal's Marítima Energia agrees €2.4 billion deal",
  "LISBON, 12 March 2025 — Marítima Energia said on Wednesday that it had agreed to buy Fjordkraft Vind for €2.4 billion ($2.6 billion).",
  "Shares rose 4.5% in early trading. Offer documents are at https://investors.maritima-energia.com/offer-2025 and questions go to ir@maritima-energia.com or +351 21 555 0199.",
  "The transaction is expected to close on 30 June 2025.",
];
// In places the extension must never read: scripts, styles, form fields, editable regions.
const NEVER = ["script@never.example", "style@never.example", "textarea@never.example", "input@never.example", "editable@never.example", "noscript@never.example"];
const SHADOW_TEXT = "Inside a shadow root: write to shadow@example.org today.";
const HOSTILE = JSON.parse(readFileSync(path.join(ROOT, "tests", "hostile", "inputs.json"), "utf8"));

const ARTICLE_STYLE = `<style>
  body { font: 17px/1.55 Georgia, serif; max-width: 40rem; margin: 2rem auto; color: #222; }
  h1 { font: 700 1.6rem/1.25 system-ui, sans-serif; }
  textarea, input, [contenteditable] { display: block; margin: 0.5rem 0; font: 14px monospace; }
</style>`;

function articleBody() {
  return `
  <article>
    <h1>${BLOCKS[0]}</h1>
    <p>${BLOCKS[1].replace("Marítima Energia said", "<b>Marítima</b> Energia said")}</p>
    <p>${BLOCKS[2].replace("ir@maritima-energia.com", "<a href='#'>ir@maritima-energia.<i>com</i></a>")}</p>
    <p>${BLOCKS[3]}</p>
    <script type="text/plain">mail script@never.example</script>
    <style>/* style@never.example */</style>
    <noscript>noscript@never.example</noscript>
    <textarea>textarea@never.example</textarea>
    <input value="input@never.example">
    <div contenteditable="true">editable@never.example</div>
    <div id="shadow-host"></div>
  </article>
  <section id="late"></section>`;
}

// The shadow root is attached by a same-origin script, so the CSP page can use it too.
const SHADOW_JS = `document.getElementById("shadow-host").attachShadow({ mode: "open" }).innerHTML = "<p>${SHADOW_TEXT}</p>";`;

const PAGES = {
  "/article.html": {
    body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Article</title>${ARTICLE_STYLE}</head><body>${articleBody()}<script src="/shadow.js"></script></body></html>`,
  },
  "/csp.html": {
    headers: { "Content-Security-Policy": "script-src 'self'; object-src 'none'; base-uri 'none'" },
    body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Strict CSP</title>${ARTICLE_STYLE}</head><body>${articleBody()}<script src="/shadow.js"></script></body></html>`,
  },
  "/long.html": {
    body: `<!doctype html><html><head><meta charset="utf-8"></head><body>${Array.from(
      { length: 400 },
      (_, i) => `<p>Paragraph ${i}: for anything about this, please write to the desk at user${i}@example.org and wait.</p>`,
    ).join("\n")}</body></html>`,
  },
  "/shadow.js": { type: "text/javascript", body: SHADOW_JS },
  // Every entry of the hostile corpus as one paragraph of escaped text: markup a careless
  // extension would bring to life if it ever built HTML from what it read.
  "/hostile.html": {
    body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Hostile</title></head><body>${HOSTILE.map(
      (entry) => `<p class="hostile">${escapeHtml(entry.text)}</p>`,
    ).join("\n")}</body></html>`,
  },
};

function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function startServer() {
  const server = http.createServer((req, res) => {
    const page = PAGES[new URL(req.url, "http://x").pathname];
    if (!page) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "Content-Type": `${page.type ?? "text/html"}; charset=utf-8`, ...(page.headers ?? {}) });
    res.end(page.body);
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => resolve({ server, origin: `http://127.0.0.1:${server.address().port}` }));
  });
}

// --- Reading the page's highlights ---------------------------------------------------------------
// Highlights registered by the content script (isolated world) live in the document's one
// CSS.highlights registry, which the main world sees too.

function registeredHighlights(page) {
  return page.evaluate(() => {
    const out = [];
    for (const [name, highlight] of CSS.highlights) {
      if (!name.startsWith("nerlight-") || name === "nerlight-focus") continue;
      // StaticRanges (content.js paints with them) have no toString(): read through a Range.
      // One whose text changed since is out of bounds until its block is re-read; the browser
      // does not paint it, so it is not counted either.
      for (const r of highlight) {
        const live = new Range();
        try {
          live.setStart(r.startContainer, r.startOffset);
          live.setEnd(r.endContainer, r.endOffset);
        } catch {
          continue;
        }
        out.push({ label: name.slice("nerlight-".length), text: live.toString(), static: r instanceof StaticRange });
      }
    }
    return out;
  });
}

const key = (h) => `${h.label}\t${h.text}`;
const sorted = (list) => list.map(key).sort();

/** Poll until `fn()` satisfies `ok` (this suite's timeout); returns the last value. */
const waitFor = (fn, ok, what, timeout = TIMEOUT) => pollUntil(fn, ok, what, timeout);

/** Every DOM byte of the page, shadow roots included. */
function snapshot(page) {
  return page.evaluate(() => {
    const shadows = [...document.querySelectorAll("*")].filter((e) => e.shadowRoot).map((e) => e.shadowRoot.innerHTML);
    return { html: document.documentElement.outerHTML, shadows };
  });
}

// --- The suite -----------------------------------------------------------------------------------

describe("the browser extension", () => {
  let server;
  let origin;
  let context;
  let worker;
  let expected;
  let extDir;
  let profileDir;
  const requests = [];

  before(async () => {
    ({ server, origin } = await startServer());
    // The built extension plus a grant for the test server (see the header comment).
    ({ context, worker, extDir, profileDir } = await loadExtension((c) =>
      c.on("request", (req) => requests.push(req.url())),
    ));

    // What the engine itself finds in the article's blocks, joined as the extension joins them.
    expected = await engineFind([...BLOCKS, SHADOW_TEXT].join("\n"));
  });

  /** [{label, text}] the engine finds in `text`, asked directly in the service worker. */
  async function engineFind(text) {
    const entities = await worker.evaluate(
      async (t) => (await globalThis.nerlight.engine()).highlighter.highlight(t),
      text,
    );
    return entities.map((e) => ({ label: e.label, text: e.text }));
  }

  after(async () => {
    await context?.close();
    server?.close();
    for (const dir of [extDir, profileDir]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function open(pathname) {
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (err) => errors.push(String(err)));
    await page.goto(origin + pathname);
    return { page, errors };
  }

  /** The tab id of `page`, found by its URL. */
  async function tabId(page) {
    const url = page.url();
    return worker.evaluate(async (u) => (await chrome.tabs.query({ url: u }))[0]?.id, url);
  }

  /** Turn highlighting on for the page's site, as the shortcut does. */
  async function activate(page, persist = true) {
    const id = await tabId(page);
    return worker.evaluate(({ id, persist }) => globalThis.nerlight.activateTab(id, { persist }), { id, persist });
  }

  async function deactivate(page) {
    const id = await tabId(page);
    await worker.evaluate((id) => globalThis.nerlight.deactivateTab(id), id);
  }

  test("loads: the service worker runs the engine from the extension's own URL", async () => {
    const manifest = await worker.evaluate(() => chrome.runtime.getManifest());
    assert.equal(manifest.manifest_version, 3);
    assert.deepEqual(manifest.permissions.sort(), ["activeTab", "scripting", "storage"]);
    const labels = await worker.evaluate(async () => (await globalThis.nerlight.engine()).infos);
    assert.ok(labels.some((l) => l.name === "EMAIL" && /^#[0-9a-f]{6}$/i.test(l.color)), JSON.stringify(labels));
    // Sanity of the expectation itself: the rules' entities are in it.
    for (const [label, text] of [["EMAIL", "ir@maritima-energia.com"], ["DATE", "30 June 2025"], ["EMAIL", "shadow@example.org"]]) {
      assert.ok(expected.some((e) => e.label === label && e.text === text), `engine lacks ${label} ${text}: ${JSON.stringify(expected)}`);
    }
  });

  for (const pathname of ["/article.html", "/csp.html"]) {
    test(`highlights ${pathname} exactly as the engine does, without changing its DOM`, async () => {
      const { page, errors } = await open(pathname);
      await page.waitForFunction(() => document.getElementById("shadow-host").shadowRoot);
      const before = await snapshot(page);

      const report = await activate(page);
      assert.equal(report?.value?.active, true, JSON.stringify(report));
      assert.equal(report.value.painter, "highlight-api");

      const want = sorted(expected);
      const found = await waitFor(() => registeredHighlights(page), (f) => f.length >= want.length, "the highlights");
      assert.deepEqual(sorted(found), want);
      // Painted with StaticRanges, which the browser does not update on every DOM change.
      assert.ok(found.every((h) => h.static), "a live Range was registered");
      for (const never of NEVER) assert.ok(!found.some((h) => h.text.includes(never)), `highlighted ${never}`);

      assert.deepEqual(await snapshot(page), before, "the page's DOM changed");

      // NERLIGHT_SCREENSHOT=DIR saves what the highlighted page and the popup look like
      // (extension/screenshot.png and extension/popup.png come from here).
      const shots = process.env.NERLIGHT_SCREENSHOT;
      if (shots && pathname === "/article.html") {
        await page.setViewportSize({ width: 900, height: 640 });
        await page.screenshot({ path: path.join(shots, "screenshot.png"), caret: "initial" }); // "hide" edits style attributes
        const popup = await context.newPage();
        await popup.setViewportSize({ width: 380, height: 600 });
        await popup.goto(`chrome-extension://${new URL(worker.url()).host}/popup.html?tab=${await tabId(page)}`);
        await popup.locator("#entities button").first().waitFor();
        await popup.screenshot({ path: path.join(shots, "popup.png"), fullPage: true, caret: "initial" });
        await popup.close();
      }

      // Turning off removes every highlight, and the DOM is still untouched.
      await deactivate(page);
      await waitFor(() => registeredHighlights(page), (f) => f.length === 0, "no highlights");
      assert.deepEqual(await page.evaluate(() => [...CSS.highlights.keys()].filter((k) => k.startsWith("nerlight-"))), []);
      assert.deepEqual(await snapshot(page), before);
      assert.deepEqual(errors, []);
      await page.close();
    });
  }

  test("the strict CSP really forbids WebAssembly in the page, so the engine cannot run there", async () => {
    const { page } = await open("/csp.html");
    // The smallest valid module: "\0asm" version 1.
    const result = await page.evaluate(() =>
      WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])).then(
        () => "compiled",
        (err) => `refused: ${err.message}`,
      ),
    );
    assert.match(result, /^refused: .*(Content Security Policy|unsafe-eval)/i);
    await page.close();
  });

  test("highlights content added after load, and follows SPA navigation", async () => {
    const { page, errors } = await open("/csp.html");
    await activate(page);
    await waitFor(() => registeredHighlights(page), (f) => f.some((h) => h.text === "ir@maritima-energia.com"), "first pass");

    await page.evaluate(() => {
      const p = document.createElement("p");
      p.textContent = "Late news: write to late@example.org before 1 May 2026.";
      document.getElementById("late").append(p);
    });
    const late = await waitFor(
      () => registeredHighlights(page),
      (f) => f.some((h) => h.text === "late@example.org"),
      "the late paragraph",
    );
    // Only the changed part was re-read: nothing is highlighted twice.
    assert.equal(late.filter((h) => h.text === "ir@maritima-energia.com").length, 1);

    // A text change inside an existing paragraph replaces that paragraph's highlights.
    await page.evaluate(() => {
      document.querySelector("#late p").firstChild.data = "Now write to changed@example.org instead.";
    });
    const changed = await waitFor(
      () => registeredHighlights(page),
      (f) => f.some((h) => h.text === "changed@example.org") && !f.some((h) => h.text === "late@example.org"),
      "the changed paragraph",
    );
    assert.equal(changed.filter((h) => h.text === "changed@example.org").length, 1);

    // SPA navigation: new URL, new content; the old page's highlights go.
    const view2 = "The other view: contact spa@example.org.";
    await page.evaluate((text) => {
      history.pushState({}, "", "/csp.html?view=2");
      const p = document.createElement("p");
      p.textContent = text;
      document.body.replaceChildren(p);
    }, view2);
    const spa = await waitFor(
      () => registeredHighlights(page),
      (f) => f.some((h) => h.text === "spa@example.org") && !f.some((h) => h.text === "ir@maritima-energia.com"),
      "the new view",
    );
    assert.deepEqual(sorted(spa), sorted(await engineFind(view2)));
    assert.deepEqual(errors, []);
    await deactivate(page);
    await page.close();
  });

  test("a long page is read in chunks, all of it; the registry holds the part near the viewport, all of it to print", async () => {
    const { page, errors } = await open("/long.html");
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight / 2));
    const report = await activate(page);
    // Every paragraph was read: the counts are over the whole page.
    assert.equal(report.value.counts.EMAIL, 400, JSON.stringify(report.value.counts));
    const total = Object.values(report.value.counts).reduce((a, b) => a + b, 0);
    assert.ok(total > 512, `${total} entities: too few for the painter to register only a window`);
    const emails = (found) => found.filter((h) => h.label === "EMAIL").map((h) => Number(h.text.match(/^user(\d+)@/)[1]));
    // Past 512 entities only the bands near the viewport (a screen of margin each way) stay
    // registered: here, scrolled to the middle, neither end of the page.
    const middle = await waitFor(
      () => registeredHighlights(page),
      (f) => emails(f).includes(200) && !emails(f).includes(0) && !emails(f).includes(399),
      "the middle of the page only",
    );
    assert.ok(middle.length < total, `${middle.length} of ${total} registered`);
    assert.ok(middle.every((h) => h.static), "a live Range was registered");
    // A jump (no scrolling in between) to either end brings that end in.
    for (const [y, wanted, gone] of [[0, 0, 200], [1e9, 399, 0]]) {
      await page.evaluate((y) => window.scrollTo(0, y), y);
      await waitFor(() => registeredHighlights(page), (f) => emails(f).includes(wanted) && !emails(f).includes(gone), `user${wanted} after a jump`);
    }
    // Printing shows everything, and afterwards the window is back.
    await page.evaluate(() => window.dispatchEvent(new Event("beforeprint")));
    const printed = await waitFor(() => registeredHighlights(page), (f) => f.length === total, "every entity while printing");
    assert.deepEqual(emails(printed).sort((a, b) => a - b), Array.from({ length: 400 }, (_, i) => i));
    await page.evaluate(() => window.dispatchEvent(new Event("afterprint")));
    await waitFor(() => registeredHighlights(page), (f) => f.length < total && !emails(f).includes(0), "the window after printing");
    await deactivate(page);
    assert.equal((await registeredHighlights(page)).length, 0);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test("the popup lists types with counts and entities, toggles types, and scrolls to an entity", async () => {
    const { page } = await open("/article.html");
    await activate(page);
    await waitFor(() => registeredHighlights(page), (f) => f.length >= expected.length, "the highlights");
    const id = await tabId(page);

    const popup = await context.newPage();
    await popup.goto(`chrome-extension://${new URL(worker.url()).host}/popup.html?tab=${id}`);
    await popup.locator("#site-enabled:checked").waitFor();
    const emailCount = expected.filter((e) => e.label === "EMAIL").length;
    await popup.locator(`#types input[data-label=EMAIL] ~ .count:text-is("${emailCount}")`).waitFor();
    const listed = await popup.$$eval("#entities .text", (els) => els.map((e) => e.textContent));
    assert.ok(listed.includes("ir@maritima-energia.com"), JSON.stringify(listed));

    // Hide EMAIL: its highlight leaves the registry, the others stay; then show it again.
    await popup.locator("#types input[data-label=EMAIL]").uncheck();
    await waitFor(() => registeredHighlights(page), (f) => f.length > 0 && !f.some((h) => h.label === "EMAIL"), "EMAIL hidden");
    await popup.locator("#types input[data-label=EMAIL]").check();
    await waitFor(() => registeredHighlights(page), (f) => f.some((h) => h.label === "EMAIL"), "EMAIL shown");

    // Click-to-scroll marks the entity with the focus highlight.
    await popup.locator("#entities button", { hasText: "30 June 2025" }).click();
    const focused = await waitFor(
      () => page.evaluate(() => [...(CSS.highlights.get("nerlight-focus") ?? [])].map((r) => {
        const live = new Range();
        live.setStart(r.startContainer, r.startOffset);
        live.setEnd(r.endContainer, r.endOffset);
        return live.toString();
      })),
      (f) => f.length === 1,
      "the focus highlight",
    );
    assert.deepEqual(focused, ["30 June 2025"]);

    // The site switch off: highlights go, and the setting is stored for the site.
    await popup.locator("#site-enabled").uncheck();
    await waitFor(() => registeredHighlights(page), (f) => f.length === 0, "no highlights");
    const stored = await worker.evaluate((o) => globalThis.nerlight.siteSettings(o), origin);
    assert.equal(stored.enabled, false);
    await popup.close();
    await page.close();
  });

  test("a one-off highlight (site off) survives a change to the type toggles", async () => {
    const { page } = await open("/article.html");
    await activate(page, false);
    await waitFor(() => registeredHighlights(page), (f) => f.length >= expected.length, "the highlights");
    await worker.evaluate((o) => globalThis.nerlight.saveSiteSettings(o, { hidden: ["DATE"] }), origin);
    const shown = await waitFor(() => registeredHighlights(page), (f) => !f.some((h) => h.label === "DATE"), "DATE hidden");
    assert.ok(shown.some((h) => h.label === "EMAIL"), JSON.stringify(shown));
    await worker.evaluate((o) => globalThis.nerlight.saveSiteSettings(o, { hidden: [] }), origin);
    await deactivate(page);
    await page.close();
  });

  test("without the Highlight API, marks are added and then removed without a trace", async () => {
    const { page } = await open("/article.html");
    await page.waitForFunction(() => document.getElementById("shadow-host").shadowRoot);
    const before = await snapshot(page);
    const id = await tabId(page);
    // Hide the API from the extension's isolated world only, before content.js first runs there.
    await worker.evaluate(
      (tabId) => chrome.scripting.executeScript({ target: { tabId }, func: () => delete CSS.highlights }),
      id,
    );
    const report = await activate(page, false);
    assert.equal(report.value.painter, "mark");
    const marks = await waitFor(
      () => page.evaluate(() => {
        const all = [...document.querySelectorAll("mark[data-nerlight]")];
        const host = document.getElementById("shadow-host").shadowRoot;
        all.push(...host.querySelectorAll("mark[data-nerlight]"));
        return all.map((m) => ({ label: m.dataset.nerlight, text: m.textContent }));
      }),
      (m) => m.length > 0,
      "marks",
    );
    assert.ok(marks.some((m) => m.label === "DATE" && m.text === "30 June 2025"), JSON.stringify(marks));
    // Split across elements, the email gets one mark per piece.
    assert.ok(marks.some((m) => m.label === "EMAIL" && m.text === "ir@maritima-energia."), JSON.stringify(marks));

    await deactivate(page);
    await waitFor(() => page.evaluate(() => document.querySelectorAll("mark[data-nerlight]").length), (n) => n === 0, "no marks");
    assert.deepEqual(await snapshot(page), before, "the DOM is not back to what it was");
    // The text nodes were joined back, not just the markup restored.
    const textNodes = await page.evaluate(() => document.querySelector("p:last-of-type").childNodes.length);
    assert.equal(textNodes, 1);
    await page.close();
  });

  test("on a page of hostile text nothing runs, the DOM is untouched, and the popup shows text as text", async () => {
    for (const painter of ["highlight-api", "mark"]) {
      const { page, errors } = await open("/hostile.html");
      const dialogs = [];
      page.on("dialog", (dialog) => {
        dialogs.push(dialog.message());
        dialog.dismiss().catch(() => {});
      });
      const before = await snapshot(page);
      const pageText = await page.$$eval("p.hostile", (ps) => ps.map((p) => p.textContent).join("\n"));
      const want = sorted(await engineFind(pageText));
      assert.ok(want.length > 0, "the corpus has entities to highlight");
      const id = await tabId(page);
      if (painter === "mark") {
        await worker.evaluate(
          (tabId) => chrome.scripting.executeScript({ target: { tabId }, func: () => delete CSS.highlights }),
          id,
        );
      }
      const report = await activate(page, false);
      assert.equal(report.value.painter, painter);

      if (painter === "highlight-api") {
        const found = await waitFor(() => registeredHighlights(page), (f) => f.length >= want.length, "the highlights");
        assert.deepEqual(sorted(found), want);
        assert.deepEqual(await snapshot(page), before, "the page's DOM changed");

        // The popup lists the page's strings; they must stay text there too.
        const popup = await context.newPage();
        popup.on("dialog", (dialog) => {
          dialogs.push(`popup: ${dialog.message()}`);
          dialog.dismiss().catch(() => {});
        });
        await popup.goto(`chrome-extension://${new URL(worker.url()).host}/popup.html?tab=${id}`);
        await popup.locator("#entities button").first().waitFor();
        const injected = await popup.$$eval("#entities *", (els) =>
          els.filter((e) => !["LI", "BUTTON", "SPAN", "UL", "H3", "DIV", "SMALL"].includes(e.tagName)).map((e) => e.tagName),
        );
        assert.deepEqual(injected, [], "elements made from page text in the popup");
        const listed = await popup.$$eval("#entities .text", (els) => els.map((e) => e.textContent));
        // Listed as the page's list does: one entry per entity, its spaces and line breaks collapsed.
        const flat = pageText.replace(/\s+/g, " ");
        for (const text of listed) assert.ok(flat.includes(text), `listed text not on the page: ${JSON.stringify(text)}`);
        await popup.close();
      } else {
        await waitFor(() => page.evaluate(() => document.querySelectorAll("mark[data-nerlight]").length), (n) => n > 0, "marks");
        // Marks hold only text: no element inside a mark, nothing outside them changed kind.
        const inside = await page.$$eval("mark[data-nerlight] *", (els) => els.map((e) => e.tagName));
        assert.deepEqual(inside, []);
        assert.equal(await page.$$eval("p.hostile", (ps) => ps.map((p) => p.textContent).join("\n")), pageText);
      }
      await deactivate(page);
      if (painter === "mark") {
        await waitFor(() => page.evaluate(() => document.querySelectorAll("mark[data-nerlight]").length), (n) => n === 0, "no marks");
        assert.deepEqual(await snapshot(page), before, "the DOM is not back to what it was");
      }
      // Nothing the page's text says ever ran: no dialog, no element created from it.
      assert.deepEqual(dialogs, []);
      assert.equal(await page.$$eval("img, svg, iframe, script, style, a", (els) => els.length), 0);
      assert.deepEqual(errors, []);
      await page.close();
    }
  });

  test("the extension's own CSP forbids it any network access", async () => {
    // Even to a server it has host access to: connect-src 'self' allows only its own files.
    const result = await worker.evaluate((url) => fetch(url).then((r) => `fetched ${r.status}`, (err) => `refused: ${err}`), `${origin}/article.html`);
    assert.match(result, /^refused/);
    const own = await worker.evaluate(() => fetch(chrome.runtime.getURL("manifest.json")).then((r) => r.status));
    assert.equal(own, 200);
  });

  test("no request leaves the browser", () => {
    assert.ok(requests.length > 0);
    const outside = requests.filter((u) => !u.startsWith(`${origin}/`) && !u.startsWith("chrome-extension://"));
    assert.deepEqual(outside, []);
  });
});
