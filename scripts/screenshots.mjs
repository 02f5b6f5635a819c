// Re-takes the README's screenshots in headless Chromium, with the sample article:
//   docs/page.png         the page, light, 1400 px wide
//   docs/page-dark.png    the same in the dark theme
//   docs/page-phone.png   a 390 px phone after pasting the article (the input collapsed to a bar)
//   extension/screenshot.png, extension/popup.png, extension/popup-dark.png
//                         the extension on a news page with the article, and its popup, light and dark
//
//   bash scripts/build-wasm.sh && bash scripts/build-extension.sh && node scripts/screenshots.mjs
//
// The page's shots need www/pkg, the extension's dist/extension.

import path from "node:path";

import { launch, openPage, paste, waitReady, ROOT } from "../tests/e2e/page-helpers.mjs";
import { launch as launchExtension, waitFor } from "../tests/e2e/extension-helpers.mjs";
import { SAMPLE } from "../www/panels/input.js";

const out = (...p) => path.join(ROOT, ...p);
const shot = (page, file, options = {}) => page.screenshot({ path: out(file), caret: "initial", ...options }).then(() => console.log(`wrote ${file}`));

async function pageShots() {
  const env = await launch({ viewport: { width: 1400, height: 900 } });
  try {
    const { page } = await openPage(env.context, env.url);
    await page.emulateMedia({ colorScheme: "light" });
    await shot(page, "docs/page.png");
    await page.emulateMedia({ colorScheme: "dark" });
    await shot(page, "docs/page-dark.png");
    await page.close();

    const phone = await env.context.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.emulateMedia({ colorScheme: "light" });
    await phone.goto(env.url);
    await waitReady(phone);
    await paste(phone, SAMPLE.replace("LISBON", "Lisbon"));
    await phone.waitForTimeout(300); // the bar scrolls into place at the next frame
    await shot(phone, "docs/page-phone.png");
    await phone.close();
  } finally {
    await env.close();
  }
}

async function extensionShots() {
  const paragraphs = SAMPLE.trim().split(/\n\n+/);
  const article = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Energy news</title>
<style>body{font:17px/1.6 Georgia,serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#222;background:#fff}h1{font:700 1.7rem/1.25 system-ui,sans-serif}</style>
</head><body><article><h1>${paragraphs[0]}</h1>${paragraphs.slice(1).map((p) => `<p>${p}</p>`).join("")}</article></body></html>`;
  const env = await launchExtension({ "/article.html": article });
  try {
    const { page } = await env.open("/article.html");
    await page.setViewportSize({ width: 900, height: 640 });
    await env.activate(page);
    await waitFor(() => page.evaluate(() => CSS.highlights.size), (n) => n > 3, "the highlights");
    await shot(page, "extension/screenshot.png");
    const id = await env.worker.evaluate(async (u) => (await chrome.tabs.query({ url: u }))[0]?.id, page.url());
    for (const scheme of ["light", "dark"]) {
      const popup = await env.context.newPage();
      await popup.emulateMedia({ colorScheme: scheme });
      await popup.setViewportSize({ width: 380, height: 600 });
      await popup.goto(`chrome-extension://${new URL(env.worker.url()).host}/popup.html?tab=${id}`);
      await popup.locator("#entities button").first().waitFor();
      await shot(popup, scheme === "light" ? "extension/popup.png" : "extension/popup-dark.png", { fullPage: true });
      await popup.close();
    }
  } finally {
    await env.close();
  }
}

await pageShots();
await extensionShots();
