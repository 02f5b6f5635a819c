// The engine at scale (issue 16), on the page's build (www/pkg, `bash scripts/build-wasm.sh`)
// in Node; `node bench/scale.mjs` prints the same figures at full size.
//
//   node --test tests/e2e/engine-scale.test.mjs
//
// Each test starts a fresh wasm module (wasm memory never shrinks, so growth is a call's peak).
// The bounds have wide margins over what this build measures; what the build before issue 16
// measured is in brackets.

import { describe, test } from "node:test";
import assert from "node:assert/strict";

import { churn, instances, oneCall, prose } from "../../bench/scale.mjs";

const MB = 1_000_000;
const MiB = 2 ** 20;

describe("the engine at scale", () => {
  test("50 live instances share one model: each after the first costs < 100 KiB [8.3 MB]", async () => {
    const r = await instances(50);
    assert.ok(r.one > 4 * MiB, `the first instance decodes the model: +${r.one} bytes`);
    const each = (r.all - r.one) / (r.n - 1);
    assert.ok(each < 100 * 1024, `${each} bytes per instance after the first`);
  });

  test("200 instances created, used and dropped keep wasm memory flat", async () => {
    const after = await churn(200, 4);
    assert.ok(after.at(-1) - after[0] <= 2 * MiB, `wasm memory after each round: ${after}`);
  });

  test("one call on 8 MB of prose grows wasm memory by <= 16 bytes per input byte + 16 MiB [5.2 + 7 MiB]", async () => {
    const r = await oneCall(prose(8 * MB));
    assert.ok(r.entities > 100_000, `${r.entities} entities`);
    assert.ok(r.grew <= 16 * r.bytes + 16 * MiB, `+${r.grew} bytes for ${r.bytes} bytes of text`);
  });

  test("a megabyte of NULs costs no more than 3× a megabyte of letters [9.7×]", async () => {
    const letters = await oneCall("a".repeat(2 * MB));
    const nul = await oneCall("\0".repeat(2 * MB));
    // 50 ms of slack so that a fast machine's timer noise cannot decide.
    assert.ok(nul.seconds <= 3 * letters.seconds + 0.05, `NUL ${nul.seconds} s, letters ${letters.seconds} s`);
    assert.ok(nul.grew <= letters.grew + 16 * MiB, `NUL +${nul.grew} bytes, letters +${letters.grew} bytes`);
  });
});
