// Unit tests, in Node, of the pure parts behind issue 15's reading changes (www/entities.js,
// www/colors.js, www/export.js): the legend's order, plural forms, possessives glued to an entity,
// dark-theme fills, and what an export says it holds.
//
//   node --test tests/e2e/page-reading-units.test.mjs

import { describe, test } from "node:test";
import assert from "node:assert/strict";

import { gluedTail, legendOrder, plural } from "../../www/entities.js";
import { contrastRatio, darkFill, relativeLuminance } from "../../www/colors.js";
import { exportFileName, exportSelection, selectionNote, toHTML, toJSON } from "../../www/export.js";

const ORDER = ["PERSON", "NORP", "ORG", "GPE", "DATE", "MONEY", "EMAIL"];

describe("legend order", () => {
  const cases = [
    { name: "nothing found: every type waits behind the control", counts: {}, present: [], rest: ORDER },
    {
      name: "most frequent first, the rest in the engine's order",
      counts: { DATE: 10, GPE: 9, PERSON: 7, ORG: 7, EMAIL: 1 },
      present: ["DATE", "GPE", "PERSON", "ORG", "EMAIL"],
      rest: ["NORP", "MONEY"],
    },
    { name: "a zero count is not present", counts: { ORG: 0, MONEY: 2 }, present: ["MONEY"], rest: ["PERSON", "NORP", "ORG", "GPE", "DATE", "EMAIL"] },
    { name: "ties keep the engine's order", counts: { EMAIL: 3, NORP: 3, PERSON: 3 }, present: ["PERSON", "NORP", "EMAIL"], rest: ["ORG", "GPE", "DATE", "MONEY"] },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const { present, rest } = legendOrder(new Map(Object.entries(c.counts)), ORDER);
      assert.deepEqual(present, c.present);
      assert.deepEqual(rest, c.rest);
    });
  }
});

test("plural forms with thousands separators", () => {
  const cases = [
    [1, "phrase", undefined, "1 phrase"],
    [0, "phrase", undefined, "0 phrases"],
    [2, "phrase", undefined, "2 phrases"],
    [10000, "phrase", undefined, "10,000 phrases"],
    [1, "entity", "entities", "1 entity"],
    [1234567, "entity", "entities", "1,234,567 entities"],
  ];
  for (const [n, one, many, want] of cases) assert.equal(plural(n, one, many), want);
});

test("a possessive glued to an entity is kept with it", () => {
  // [entity text, text after it, units of tail]
  const cases = [
    ["Iran", "’s nuclear", 2],
    ["Iran", "'s", 2],
    ["Iran", "ʼS.", 2],
    ["Wales", "’ coast", 1],
    ["Wales", "'", 1],
    ["Iran", "’ coast", 0], // a lone apostrophe only after an s
    ["Iran", "'sa", 0], // not a possessive: a letter follows
    ["Iran", "’s2", 0],
    ["Iran", " ’s", 0], // not glued
    ["Iran", "s", 0],
    ["Iran", "", 0],
    ["Paris", "’é", 0],
  ];
  for (const [surface, after, n] of cases) assert.equal(gluedTail(surface, after), n, `${surface}|${after}`);
});

describe("dark-theme fills", () => {
  // The engine's label colors (Label::color) and the dark theme's text color (style.css --mark-fg).
  const LIGHT = ["#77aadd", "#ffaabb", "#ccddaa", "#ee8866", "#eedd88", "#44bb99", "#bbcc33", "#aaaa00", "#ffcccc",
    "#bbccee", "#eeeebb", "#99ddff", "#cceeff", "#dddddd"];
  const TEXT = "#f1f1f3";
  test("every fill is dark enough for light text (>= 4.5:1) and does not glare (luminance <= 0.15)", () => {
    for (const color of LIGHT) {
      const dark = darkFill(color);
      assert.match(dark, /^#[0-9a-f]{6}$/);
      assert.ok(contrastRatio(dark, TEXT) >= 4.5, `${color} → ${dark}: ${contrastRatio(dark, TEXT).toFixed(2)}:1`);
      assert.ok(relativeLuminance(dark) <= 0.15, `${color} → ${dark} glares: ${relativeLuminance(dark).toFixed(3)}`);
      assert.ok(relativeLuminance(dark) >= 0.03, `${color} → ${dark} is nearly black`);
    }
  });
  test("hues are kept: distinct light fills give distinct dark ones; grey stays grey", () => {
    const darks = LIGHT.map(darkFill);
    assert.equal(new Set(darks).size, LIGHT.length);
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(darkFill("#dddddd").slice(i, i + 2), 16));
    assert.ok(r === g && g === b, darkFill("#dddddd"));
    // PERSON's blue stays blue, ORG's orange stays red-orange.
    const rgb = (hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
    const [pr, , pb] = rgb(darkFill("#77aadd"));
    assert.ok(pb > pr, darkFill("#77aadd"));
    const [or, , ob] = rgb(darkFill("#ee8866"));
    assert.ok(or > ob, darkFill("#ee8866"));
  });
  test("contrast ratios are WCAG's", () => {
    assert.equal(contrastRatio("#000000", "#ffffff").toFixed(2), "21.00");
    assert.equal(contrastRatio("#777777", "#ffffff").toFixed(2), "4.48");
  });
});

describe("exports say what they hold", () => {
  const text = "Ana met Bo in Lisbon.";
  const entities = [
    { start: 0, end: 3, label: "PERSON", text: "Ana", score: 0.9, source: "model" },
    { start: 14, end: 20, label: "GPE", text: "Lisbon", score: 0.3, source: "model" },
  ];
  test("file names", () => {
    assert.equal(exportFileName("json", "shown"), "entities-shown.json");
    assert.equal(exportFileName("json", "all"), "entities-all.json");
    assert.equal(exportFileName("csv", "shown"), "entities-shown.csv");
    assert.equal(exportFileName("csv", "all"), "entities-all.csv");
    assert.equal(exportFileName("html", "shown"), "highlighted-shown.html");
    assert.equal(exportFileName("html", "all"), "highlighted-all.html");
  });
  test("the selection in the JSON and the HTML footer", () => {
    const view = { hidden: new Set(["ORG", "DATE"]), threshold: 7 };
    const shown = exportSelection("shown", view, 1, 2, 20);
    assert.deepEqual(shown, { entities: "shown", hiddenLabels: ["DATE", "ORG"], minModelScore: 0.35, count: 1, total: 2 });
    const json = JSON.parse(toJSON(text, entities.slice(0, 1), shown));
    assert.deepEqual(json.selection, shown);
    assert.equal(json.entities.length, 1);
    assert.equal(selectionNote(shown), "The 1 of 2 entities shown (types hidden: DATE, ORG; model confidence ≥ 0.35).");
    const all = exportSelection("all", view, 2, 2, 20);
    assert.deepEqual(all, { entities: "all", count: 2, total: 2 });
    assert.equal(selectionNote(all), "All 2 entities.");
    assert.equal(selectionNote(exportSelection("shown", { hidden: new Set(), threshold: 0 }, 1234, 1234, 20)), "The 1,234 of 1,234 entities shown.");
    const html = toHTML(text, entities, new Map(), { note: selectionNote(shown) });
    assert.match(html, /<footer>[^<]*The 1 of 2 entities shown \(types hidden: DATE, ORG; model confidence ≥ 0\.35\)\.<\/footer>/);
    assert.equal(JSON.parse(toJSON(text, entities)).selection, undefined, "no selection given, none claimed");
  });
});
