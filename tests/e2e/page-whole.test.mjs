// The page's entities on a long article are exactly one whole-text `Highlighter.highlight`
// call's: the worker streams the text through `Highlighter.document` chunk by chunk, and the
// engine carries the model's document features from chunk to chunk.
//
//   bash scripts/build-wasm.sh && node --test tests/e2e/page-whole.test.mjs

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";

import { generatedDocument } from "../../bench/corpus.mjs";
import { allMarks, engineEntities, launch, openPage, paste, waitReady } from "./page-helpers.mjs";

describe("a long article", () => {
  let env;
  before(async () => {
    env = await launch();
  });
  after(async () => {
    await env?.close();
  });

  test("has on the page exactly the entities of one whole-text highlight call", async () => {
    const text = generatedDocument(300_000, 7);
    assert.ok(text.length > 200_000 && text.includes("\n"));
    const { page } = await openPage(env.context, env.url);
    await paste(page, text, { wait: false });
    await waitReady(page, 180_000);
    const shown = (await allMarks(page)).map((m) => `${m.label} ${m.text}`);
    const engine = (await engineEntities(page, text)).map((e) => `${e.label} ${e.text}`);
    assert.ok(engine.length > 1000, `${engine.length} entities`);
    const differ = shown.findIndex((m, i) => m !== engine[i]);
    assert.equal(shown.length, engine.length, `first difference at ${differ}: ${shown[differ]} / ${engine[differ]}`);
    assert.deepEqual(shown, engine);
  });
});
