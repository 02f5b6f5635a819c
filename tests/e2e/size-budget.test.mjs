// Size budget of what a page downloads: the wasm module (engine + embedded default model) plus
// its JS glue, gzip -9, at most 1.5 MB. Runs after the wasm build (scripts/test.sh builds before
// `node --test tests/e2e/`); `node bench/size.mjs` prints the full report.

import { test } from "node:test";
import assert from "node:assert/strict";

import { BUDGET_GZIP, measure, report } from "../../bench/size.mjs";

test("engine + default model + glue fit in 1.5 MB gzipped", () => {
  const sizes = measure(undefined, { withBrotli: false });
  assert.ok(
    sizes.total.gzip <= BUDGET_GZIP,
    `over the size budget: ${sizes.total.gzip} > ${BUDGET_GZIP} bytes gzipped\n${report(sizes)}`,
  );
});
