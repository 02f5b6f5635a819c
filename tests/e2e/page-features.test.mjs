// End-to-end tests of the page's features in headless Chromium: legend toggles, threshold,
// entity list, tooltips and keyboard, exports, share links, your lists, opening files.
//
//   bash scripts/build-wasm.sh && node --test tests/e2e/page-features.test.mjs

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import {
  engineEntities,
  isHighlighted,
  launch,
  markLooks,
  marks,
  NO_PROBLEMS,
  openPage,
  parseCSV,
  paste,
  waitReady,
} from "./page-helpers.mjs";

const inputValue = (page) => page.$eval("#input", (i) => i.value);
const legendCount = (page, label) =>
  page.$eval(`.legend-toggle[data-label="${label}"] .legend-count`, (c) => Number(c.textContent.replace(/,/g, "")));

async function downloadOf(page, selector) {
  const [download] = await Promise.all([page.waitForEvent("download"), page.click(selector)]);
  return { name: download.suggestedFilename(), text: readFileSync(await download.path(), "utf8") };
}

describe("the page's features", () => {
  let env;
  before(async () => {
    env = await launch();
  });
  after(async () => {
    await env?.close();
  });

  test("legend: one toggle per type with live counts; a toggle hides that type at once, without re-rendering", async () => {
    const { page, problems } = await openPage(env.context, env.url);
    const all = await marks(page);
    const labels = [...new Set(all.map((m) => m.label))];
    assert.ok(labels.includes("PERSON") && labels.includes("EMAIL"), JSON.stringify(labels));
    for (const label of labels) {
      assert.equal(await legendCount(page, label), all.filter((m) => m.label === label).length, `count of ${label}`);
    }
    // Types with no entity are dimmed (and say 0); types with some are not.
    const empty = await page.$$eval(".legend-toggle[data-empty]", (bs) => bs.map((b) => b.dataset.label));
    assert.ok(empty.length > 0 && empty.every((l) => !labels.includes(l)), `dimmed: ${empty}`);
    assert.equal(await page.$eval('.legend-toggle[data-label="PERSON"]', (b) => b.hasAttribute("data-empty")), false);

    // Tag every mark: if the pane were re-rendered, the tags would be gone.
    await page.$$eval("#result mark", (ms) => ms.forEach((m) => (m.__tagged = true)));
    await page.click('.legend-toggle[data-label="PERSON"]');
    assert.equal(await page.getAttribute('.legend-toggle[data-label="PERSON"]', "aria-pressed"), "false");
    const looks = await markLooks(page, "#result mark");
    assert.ok(looks.filter((l) => l.label === "PERSON").every((l) => !isHighlighted(l)), "a PERSON is still highlighted");
    assert.ok(looks.filter((l) => l.label !== "PERSON").every(isHighlighted), "another type was hidden too");
    assert.ok(await page.$$eval("#result mark", (ms) => ms.every((m) => m.__tagged)), "the result was re-rendered");
    assert.doesNotMatch(await page.textContent("#status"), /people|person/, "the summary still counts people");
    // The list hides the type too; switching it back shows it all again.
    assert.equal(await page.isVisible('.entity-type[data-label="PERSON"]'), false);
    await page.click('.legend-toggle[data-label="PERSON"]');
    assert.ok((await markLooks(page, "#result mark")).every(isHighlighted));
    assert.equal(await page.isVisible('.entity-type[data-label="PERSON"]'), true);
    assert.match(await page.textContent("#status"), /\d+ people/);
    assert.deepEqual(problems, NO_PROBLEMS);
    await page.close();
  });

  test("threshold hides model entities scoring below it, never rules or your lists", async () => {
    const { page, problems } = await openPage(env.context, env.url);
    const text = await inputValue(page);
    const engine = await engineEntities(page, text);
    const model = engine.filter((e) => e.source === "model").map((e) => e.score);
    assert.ok(model.length > 0 && engine.some((e) => e.source === "rule"));
    // A threshold (in 0.05 steps) with model entities on both sides of it, else the highest.
    const steps = [...new Set(model.map((s) => Math.floor(s * 20 + 1e-9)))].sort((a, b) => a - b);
    const t = steps.length > 1 ? steps.at(-1) : Math.min(20, steps[0] + 1);
    await page.focus("#threshold");
    for (let i = 0; i < t; i++) await page.keyboard.press("ArrowRight");
    assert.equal(await page.textContent("#threshold-value"), (t / 20).toFixed(2));
    const looks = await markLooks(page, "#result mark");
    let hidden = 0;
    engine.forEach((e, i) => {
      const shown = e.source !== "model" || Math.floor(e.score * 20 + 1e-9) >= t;
      if (!shown) hidden++;
      assert.equal(isHighlighted(looks[i]), shown, `${e.text} (${e.source}, ${e.score}) at threshold ${t / 20}`);
    });
    assert.ok(hidden > 0, "the threshold hid nothing");
    const person = engine.filter((e) => e.label === "PERSON" && (e.source !== "model" || e.score * 20 + 1e-9 >= t));
    assert.equal(await legendCount(page, "PERSON"), person.length);
    assert.deepEqual(problems, NO_PROBLEMS);
    await page.close();
  });

  test("entity list: grouped and deduplicated; a click scrolls to and flashes each mention in turn; keys move", async () => {
    const { page, problems } = await openPage(env.context, env.url);
    const all = await marks(page);
    const names = await page.$$eval(".entity-type", (ts) =>
      ts.map((t) => [...t.querySelectorAll(".group-name")].map((n) => n.textContent)),
    );
    for (const list of names) {
      assert.equal(new Set(list.map((n) => n.toLowerCase())).size, list.length, `duplicates in ${list}`);
    }

    // "Ribeiro" is listed under "Ana Ribeiro" (the sample says both).
    const ribeiro = all.filter((m) => m.label === "PERSON" && /Ribeiro/.test(m.text));
    assert.deepEqual(ribeiro.map((m) => m.text), ["Ana Ribeiro", "Ribeiro"]);
    const group = page.locator(".entity-group", { has: page.locator(".group-name", { hasText: /^Ana Ribeiro$/ }) });
    assert.equal(await group.locator(".group-count").textContent(), "×2");
    const flashed = () =>
      page.$eval("#result mark.flash", (m) => {
        const r = m.getBoundingClientRect();
        const pane = document.getElementById("result").getBoundingClientRect();
        return { i: Number(m.dataset.i), text: m.textContent, inView: r.top >= pane.top && r.bottom <= pane.bottom };
      });
    await group.locator(".group-jump").click();
    assert.deepEqual(await flashed(), { i: ribeiro[0].i, text: "Ana Ribeiro", inView: true });
    assert.equal(await group.locator(".group-position").textContent(), "1/2");
    await group.locator(".group-jump").click();
    assert.deepEqual(await flashed(), { i: ribeiro[1].i, text: "Ribeiro", inView: true });

    // The email address is at the end of the text: the pane scrolls to it.
    await page.click('.entity-type[data-label="EMAIL"] .group-jump');
    const email = await flashed();
    assert.equal(email.text, "ir@maritima-energia.com");
    assert.ok(email.inView);

    // Keyboard: one tab stop in the list, arrows between entities, Enter / n / p between mentions.
    const current = await page.$$eval("button.group-jump", (bs) => bs.filter((b) => b.tabIndex === 0).length);
    assert.equal(current, 1, "the list should be one tab stop");
    await page.focus('.entity-type[data-label="PERSON"] .group-jump');
    const first = await page.evaluate(() => document.activeElement.querySelector(".group-name").textContent);
    await page.keyboard.press("ArrowDown");
    const second = await page.evaluate(() => document.activeElement.querySelector(".group-name").textContent);
    assert.notEqual(second, first);
    await page.keyboard.press("Enter");
    const mentions = all.filter((m) => m.label === "PERSON" && m.text.includes(second.split(" ").at(-1)));
    assert.equal((await flashed()).i, mentions[0].i);
    await page.keyboard.press("p"); // previous, wrapping to the last mention
    assert.equal((await flashed()).i, mentions.at(-1).i);
    if (mentions.length > 1) {
      await page.keyboard.press("Shift+Enter"); // previous again
      assert.equal((await flashed()).i, mentions.at(-2).i);
      await page.keyboard.press("n");
      assert.equal((await flashed()).i, mentions.at(-1).i);
    }
    assert.equal(await page.evaluate(() => document.activeElement.className), "group-jump", "focus left the list");
    assert.deepEqual(problems, NO_PROBLEMS);
    await page.close();
  });

  test("highlights: one tab stop, arrows move between them, the tooltip shows on focus and hover", async () => {
    const { page, problems } = await openPage(env.context, env.url);
    const all = await marks(page);
    assert.equal(await page.$$eval("#result mark[tabindex='0']", (ms) => ms.length), 1);
    await page.focus("#result mark[tabindex='0']");
    await page.keyboard.press("ArrowRight");
    const focused = await page.evaluate(() => {
      const m = document.activeElement;
      return { i: Number(m.dataset.i), label: m.getAttribute("aria-label"), describedBy: m.getAttribute("aria-describedby") };
    });
    assert.equal(focused.i, all[1].i);
    assert.equal(focused.label, `${all[1].text} (${all[1].label})`, "the label is not announced");
    assert.equal(focused.describedBy, "tooltip");
    const engine = await engineEntities(page, await inputValue(page));
    const tip = await page.textContent("#tooltip");
    const e = engine[1];
    assert.ok(await page.isVisible("#tooltip"));
    assert.ok(tip.includes(e.label) && tip.includes(`score ${e.score.toFixed(2)}`), tip);
    assert.match(tip, e.source === "rule" ? /exact rule/ : /statistical model/);
    const description = await page.evaluate(
      async (label) => {
        const { default: init, labels } = await import("./pkg/nerlight.js");
        await init();
        return labels().find((l) => l.name === label).description;
      },
      e.label,
    );
    assert.ok(tip.includes(description), `no description in ${tip}`);
    await page.keyboard.press("Escape");
    assert.equal(await page.isVisible("#tooltip"), false);
    await page.keyboard.press("End");
    assert.equal(await page.evaluate(() => Number(document.activeElement.dataset.i)), all.at(-1).i);
    // Hover shows it too.
    await page.hover(`#result mark[data-label="EMAIL"]`);
    assert.match(await page.textContent("#tooltip"), /EMAIL.*exact rule/);
    assert.deepEqual(problems, NO_PROBLEMS);
    await page.close();
  });

  test("exports: JSON, CSV and the copy hold what the engine returned; the HTML file is inert", async () => {
    const { page, problems } = await openPage(env.context, env.url);
    const hostile = `Mail =HYPERLINK("http://x") <img src=x onerror=alert(1)> to ana@example.com, "quoted, text"\n` +
      `and +351 21 555 0199. @Ana Ribeiro met Marítima Energia in Lisbon on 12 March 2025.`;
    await paste(page, hostile);
    const engine = await engineEntities(page, hostile);
    assert.ok(engine.length >= 3, JSON.stringify(engine));

    const json = await downloadOf(page, "#download-json");
    // Nothing is hidden: what is shown is everything, and the file says it holds what is shown.
    assert.equal(json.name, "entities-shown.json");
    const parsed = JSON.parse(json.text);
    assert.equal(parsed.offsetUnit, "utf16");
    assert.equal(parsed.text, hostile);
    assert.deepEqual(parsed.entities, engine);

    const csv = await downloadOf(page, "#download-csv");
    const rows = parseCSV(csv.text.replace(/^\ufeff/, ""));
    assert.deepEqual(rows[0], ["start_utf16", "end_utf16", "label", "text", "score", "source"]);
    assert.equal(rows.length, engine.length + 1);
    engine.forEach((e, i) => {
      const guarded = /^[=+\-@]/.test(e.text) ? `'${e.text}` : e.text;
      assert.deepEqual(rows[i + 1], [String(e.start), String(e.end), e.label, guarded, String(e.score), e.source]);
    });

    const html = await downloadOf(page, "#download-html");
    assert.doesNotMatch(html.text, /<script/i);
    const view = await env.context.newPage();
    const pageErrors = [];
    view.on("dialog", (d) => {
      pageErrors.push(d.message());
      d.dismiss();
    });
    await view.setContent(html.text);
    await view.waitForTimeout(200);
    const shown = await view.evaluate(() => {
      const main = document.querySelector("main").cloneNode(true);
      main.querySelectorAll(".tag").forEach((t) => t.remove());
      return {
        text: main.textContent,
        marks: [...document.querySelectorAll("mark")].map((m) => m.firstChild.textContent),
        elements: document.querySelectorAll("script, img, iframe").length,
      };
    });
    await view.close();
    assert.equal(shown.text, hostile);
    assert.deepEqual(shown.marks, engine.map((e) => e.text));
    assert.equal(shown.elements, 0);
    assert.deepEqual(pageErrors, []);

    await page.click("#copy-json");
    await page.waitForFunction(() => /copied/.test(document.getElementById("status").textContent));
    const copied = JSON.parse(await page.evaluate(() => navigator.clipboard.readText()));
    assert.deepEqual(copied.entities, engine);
    assert.deepEqual(problems, NO_PROBLEMS);
    await page.close();
  });

  test("share: a link reproduces the text, the view and the sender's phrases; a text too long for a link says so", async () => {
    const { page, problems } = await openPage(env.context, env.url);
    const text = "🎉 Ana Ribeiro of Marítima Energia wrote to ir@maritima-energia.com on 12 March 2025.\r\n<b>bold</b> & more";
    await paste(page, text);
    // The sender's own phrase goes along with the link.
    await page.fill("#phrase-text", "bold");
    await page.selectOption("#phrase-label", "PRODUCT");
    await page.click(".phrase-form button[type=submit]");
    await page.waitForFunction(() => document.querySelector('#result mark[data-source="user"]')?.textContent === "bold");
    await waitReady(page);
    const value = await inputValue(page); // the textarea turns CRLF into LF
    await page.click('.legend-toggle[data-label="DATE"]');
    await page.focus("#threshold");
    for (let i = 0; i < 7; i++) await page.keyboard.press("ArrowRight");
    await page.click("#share");
    await page.waitForFunction(() => document.getElementById("share-link").value !== "");
    const link = await page.inputValue("#share-link");
    assert.ok(link.startsWith(env.url) && /#v1=[A-Za-z0-9_-]+$/.test(link), link);
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link);
    const sent = await marks(page);

    // The recipient has no phrases of their own (same profile here: remove the sender's first).
    await page.click('.phrase-remove[aria-label="Remove bold"]');
    await page.waitForFunction(() => document.querySelectorAll("#phrase-list li").length === 0);
    const { page: other, problems: otherProblems } = await openPage(env.context, link);
    assert.equal(await inputValue(other), value);
    assert.deepEqual(await marks(other), sent, "the link shows other highlights");
    const userMarks = (await marks(other)).filter((m) => m.source === "user");
    assert.deepEqual(userMarks.map((m) => [m.label, m.text]), [["PRODUCT", "bold"]]);
    assert.match(await other.textContent("#phrase-status"), /came with the link \(your list is unchanged\)/);
    assert.equal(await other.evaluate(() => localStorage.getItem("nerlight.userPhrases.v1")), "[]");
    assert.equal(await other.getAttribute('.legend-toggle[data-label="DATE"]', "aria-pressed"), "false");
    assert.equal(await other.inputValue("#threshold"), "7");
    const looks = await markLooks(other, '#result mark[data-label="DATE"]');
    assert.ok(looks.length > 0 && looks.every((l) => !isHighlighted(l)));
    // Adding them to your list keeps them.
    await other.click("#keep-link-phrases");
    await other.waitForFunction(() => /bold/.test(localStorage.getItem("nerlight.userPhrases.v1")));
    assert.match(await other.textContent("#phrase-list"), /bold\s*PRODUCT/);
    await other.click('.phrase-remove[aria-label="Remove bold"]');
    await other.waitForFunction(() => document.querySelectorAll("#phrase-list li").length === 0);
    assert.deepEqual(otherProblems, NO_PROBLEMS);
    await other.close();

    // ~31.5 K characters of random printable words (under a link's text limit) compress to well
    // over 32 KB.
    let seed = 7;
    const words = Array.from({ length: 4500 }, () => {
      let w = "";
      for (let k = 0; k < 6; k++) {
        seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
        w += String.fromCharCode(33 + ((seed >>> 16) % 94));
      }
      return w;
    }).join(" ");
    await paste(page, words);
    await page.click("#share");
    const status = page.locator("#status[data-kind=error]");
    await status.waitFor();
    assert.match(await status.textContent(), /too long for a link.*at most 32 KB/);
    assert.equal(await page.isVisible("#share-link"), false);
    assert.deepEqual(problems, NO_PROBLEMS);
    await page.close();
  });

  test("your lists: a phrase is highlighted at once, kept across a reload, exported and imported", async () => {
    const { page, problems } = await openPage(env.context, env.url);
    await page.fill("#phrase-text", "fjordkraft vind");
    await page.selectOption("#phrase-label", "PRODUCT");
    await page.click(".phrase-form button[type=submit]");
    await page.waitForFunction(() => document.querySelectorAll('#result mark[data-source="user"]').length === 2);
    await waitReady(page);
    const user = (await marks(page)).filter((m) => m.source === "user");
    assert.deepEqual(user.map((m) => [m.label, m.text]), [
      ["PRODUCT", "Fjordkraft Vind"],
      ["PRODUCT", "Fjordkraft Vind"],
    ]);
    assert.match(await page.textContent("#phrase-list"), /fjordkraft vind\s*PRODUCT/);

    await page.reload();
    await waitReady(page);
    assert.equal((await marks(page)).filter((m) => m.source === "user" && m.label === "PRODUCT").length, 2);
    assert.match(await page.textContent("#phrase-list"), /fjordkraft vind/);

    const exported = await downloadOf(page, "#phrases-export");
    assert.deepEqual(JSON.parse(exported.text).phrases, [{ text: "fjordkraft vind", label: "PRODUCT" }]);

    // A file with an unknown label is refused, naming the entry; the list is unchanged.
    const importFile = (name, value) =>
      page.setInputFiles("#phrases-file", { name, mimeType: "application/json", buffer: Buffer.from(JSON.stringify(value)) });
    await importFile("bad.json", [{ text: "Solberg Holding", label: "COMPANY" }]);
    await page.waitForFunction(() => /Not imported/.test(document.getElementById("phrase-status").textContent));
    assert.match(await page.textContent("#phrase-status"), /unknown label "COMPANY"/);
    await importFile("good.json", { phrases: [{ text: "Solberg Holding", label: "ORG" }] });
    await page.waitForFunction(() =>
      [...document.querySelectorAll('#result mark[data-source="user"]')].some((m) => m.textContent === "Solberg Holding"),
    );
    await waitReady(page);
    assert.equal((await marks(page)).filter((m) => m.source === "user").length, 4);

    // Remove both: nothing of the user's is left, after a reload too.
    await page.click('.phrase-remove[aria-label="Remove fjordkraft vind"]');
    await page.waitForFunction(() => document.querySelectorAll("#phrase-list li").length === 1);
    await page.click('.phrase-remove[aria-label="Remove Solberg Holding"]');
    await page.waitForFunction(() => document.querySelectorAll("#phrase-list li").length === 0);
    await page.reload();
    await waitReady(page);
    assert.equal((await marks(page)).filter((m) => m.source === "user").length, 0);
    assert.deepEqual(problems, NO_PROBLEMS);
    await page.close();
  });

  test("files: an .html file opens as its text without running anything; a .txt drops in", async () => {
    const { page, problems } = await openPage(env.context, env.url);
    const html = `<!doctype html><html><head><title>T</title><style>p { color: red }</style>
      <script>window.__ran = "head"</script></head><body>
      <h1>Quarterly   note</h1>
      <p>Write to <b>ana@example.com</b> today.</p><script>window.__ran = "body"</script>
      <noscript>NOSCRIPT</noscript><template><p>TEMPLATE</p></template>
      <ul><li>One</li><li>Two<br>lines</li></ul>
      <img src="x" onerror="window.__ran = 'img'; alert(1)"><p>Visit https://example.org/a now.</p>
      </body></html>`;
    await page.setInputFiles("#file", { name: "note.html", mimeType: "text/html", buffer: Buffer.from(html) });
    await page.waitForFunction(() => document.getElementById("input").value.startsWith("Quarterly"));
    await waitReady(page);
    assert.equal(
      await inputValue(page),
      "Quarterly note\n\nWrite to ana@example.com today.\n\nOne\nTwo\nlines\n\nVisit https://example.org/a now.",
    );
    assert.equal(await page.evaluate(() => window.__ran), undefined);
    const found = (await marks(page)).map((m) => `${m.label}:${m.text}`);
    assert.ok(found.includes("EMAIL:ana@example.com") && found.includes("URL:https://example.org/a"), `${found}`);

    // Drag and drop a .txt file onto the page.
    await page.evaluate(() => {
      const data = new DataTransfer();
      data.items.add(new File(["Call +351 21 555 0199 or mail ops@example.org."], "call.txt", { type: "text/plain" }));
      const target = document.getElementById("result");
      target.dispatchEvent(new DragEvent("dragover", { dataTransfer: data, bubbles: true, cancelable: true }));
      target.dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }));
    });
    await page.waitForFunction(() => document.getElementById("input").value.startsWith("Call"));
    await waitReady(page);
    assert.ok((await marks(page)).some((m) => m.label === "EMAIL" && m.text === "ops@example.org"));
    assert.equal(await page.isVisible("#drop-overlay"), false);

    // Any other kind of file is refused with a message, and the text stays.
    await page.setInputFiles("#file", { name: "scan.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4") });
    await page.locator("#status[data-kind=error]").waitFor();
    assert.match(await page.textContent("#status"), /not a \.txt or \.html file/);
    assert.ok((await inputValue(page)).startsWith("Call"));
    assert.deepEqual(problems, NO_PROBLEMS);
    await page.close();
  });
});
