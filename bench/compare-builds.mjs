// Two (or more) builds of nerlight's wasm module, timed against each other in one Node process:
// for before/after figures of an engine change on a shared, noisy machine, where timing each build
// in a run of its own compares the machine's load as much as the builds.
//
//   cp -r www/pkg /tmp/pkg-before    # build of the old code
//   bash scripts/build-wasm.sh       # build of the new code into www/pkg
//   node bench/compare-builds.mjs /tmp/pkg-before www/pkg [--rounds 12]
//
// Each round runs every build once over the OntoNotes dev documents (one highlight() call per
// document, as bench/peers.mjs does), the builds taking turns; the first round is a warm-up. The
// figure is the CPU time (user + system) of the pass, so time the process spends descheduled by
// other jobs does not count. Prints each build's minimum and median and the ratio of medians to
// the first build.

import { readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { newsDocuments } from "./corpus.mjs";

const args = process.argv.slice(2);
const at = args.indexOf("--rounds");
const ROUNDS = at >= 0 ? Number(args.splice(at, 2)[1]) : 12;
const pkgs = args.map((p) => path.resolve(p));
if (pkgs.length < 2 || !(ROUNDS > 0)) {
  console.error("usage: node bench/compare-builds.mjs PKG_DIR PKG_DIR [...] [--rounds N]");
  process.exit(2);
}
const docs = newsDocuments();
if (!docs) {
  console.error("the OntoNotes dev corpus is not on this machine (../shared/data)");
  process.exit(1);
}
const texts = docs.map((d) => d.text);
const tokens = docs.reduce((n, d) => n + d.tokens, 0);

const engines = [];
for (const dir of pkgs) {
  const glue = await import(pathToFileURL(path.join(dir, "nerlight.js")).href);
  glue.initSync({ module: readFileSync(path.join(dir, "nerlight_bg.wasm")) });
  engines.push(new glue.Highlighter());
}

const times = pkgs.map(() => []);
let found = 0; // read below, so the calls cannot be optimized away
for (let round = 0; round <= ROUNDS; round++) {
  engines.forEach((engine, i) => {
    const before = process.cpuUsage();
    for (const text of texts) found += engine.highlight(text).length;
    const spent = process.cpuUsage(before);
    if (round > 0) times[i].push((spent.user + spent.system) / 1000);
  });
}

const median = (xs) => xs[xs.length >> 1];
const base = median([...times[0]].sort((a, b) => a - b));
console.log(`${docs.length} documents, ${tokens} tokens, ${ROUNDS} rounds (${found} entities)`);
console.log("| build | min ms | median ms | tokens/s at median | median vs first |");
console.log("| --- | ---: | ---: | ---: | ---: |");
pkgs.forEach((dir, i) => {
  const sorted = [...times[i]].sort((a, b) => a - b);
  const med = median(sorted);
  const rate = Math.round((tokens / med) * 1000).toLocaleString("en-US");
  console.log(
    `| ${path.relative(process.cwd(), dir) || "."} | ${sorted[0].toFixed(0)} | ${med.toFixed(0)} | ${rate} | ${(base / med).toFixed(2)}× |`,
  );
});
