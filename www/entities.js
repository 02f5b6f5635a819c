// What the page derives from the engine's entities: which are shown, counts, the grouped entity
// list, the spoken summary. Pure functions of plain data (no DOM), tested in Node.

/** Scores are bucketed in steps of 1/SCORE_STEPS; the threshold slider moves in the same steps. */
export const SCORE_STEPS = 20;

/** The bucket of a score: the threshold t (in buckets) shows a model entity iff bucket >= t. */
export function scoreBucket(score) {
  return Math.max(0, Math.min(SCORE_STEPS, Math.floor(score * SCORE_STEPS + 1e-9)));
}

/**
 * Whether an entity is shown: its label is not switched off, and if the model found it, its
 * score reaches the threshold. Rules and the user's phrases are always shown.
 *
 * @param {{label: string, score: number, source: string}} entity
 * @param {{hidden: Set<string>, threshold: number}} view threshold in buckets (0..SCORE_STEPS)
 */
export function isShown(entity, view) {
  return !view.hidden.has(entity.label) && passesThreshold(entity, view.threshold);
}

/** Whether an entity passes the threshold (in buckets); only model entities can fail it. */
export function passesThreshold(entity, threshold) {
  return entity.source !== "model" || scoreBucket(entity.score) >= threshold;
}

/** Entities per label that pass the threshold, as a Map (labels with none are absent). */
export function countByLabel(entities, threshold) {
  const counts = new Map();
  for (const e of entities) {
    if (passesThreshold(e, threshold)) counts.set(e.label, (counts.get(e.label) ?? 0) + 1);
  }
  return counts;
}

/**
 * countByLabel kept up as chunks arrive: `add` each chunk's entities (per label, a count per
 * score bucket, rules and your lists apart), then `counts(threshold)` costs labels × buckets,
 * not a pass over every entity, so live counts of a text of a million entities stay cheap.
 */
export class LabelCounter {
  constructor() {
    /** label → counts by bucket 0..SCORE_STEPS, then one for entities that always pass */
    this.byLabel = new Map();
  }

  /** @param {{label: string, score: number, source: string}[]} entities */
  add(entities) {
    for (const e of entities) {
      let row = this.byLabel.get(e.label);
      if (!row) this.byLabel.set(e.label, (row = new Array(SCORE_STEPS + 2).fill(0)));
      row[e.source === "model" ? scoreBucket(e.score) : SCORE_STEPS + 1]++;
    }
  }

  /** Entities per label that pass `threshold` (in buckets), as countByLabel returns them. */
  counts(threshold) {
    const out = new Map();
    for (const [label, row] of this.byLabel) {
      let n = row[SCORE_STEPS + 1];
      for (let b = Math.max(0, threshold); b <= SCORE_STEPS; b++) n += row[b];
      if (n > 0) out.set(label, n);
    }
    return out;
  }
}

/**
 * The key under which two mentions count as the same entity: Unicode NFKC, lowercase, curly
 * apostrophes straightened, whitespace collapsed, a trailing possessive ('s, or ' after s)
 * dropped, and a leading "the" dropped. "The  Fed's" and "the Fed" share the key "fed".
 */
export function normalizeSurface(surface) {
  return surface
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/'s$/, "")
    .replace(/(s)'$/, "$1")
    .replace(/^the /, "")
    .trim();
}

/** A surface without a trailing possessive ('s, ’s, or ' after s), as a group's name shows it. */
export function withoutPossessive(surface) {
  return surface.replace(/['\u2019\u02bc][sS]$/, "").replace(/([sS])['\u2019\u02bc]$/, "$1");
}

/** Labels whose short mentions are folded into a longer name: "Lavrov" → "Sergei Lavrov". */
const PARTIAL_NAMES = new Set(["PERSON"]);

/**
 * The entity list: per label, groups of mentions of the same entity, most mentioned first.
 *
 * Mentions group by normalizeSurface. A one-word person mention ("Lavrov") also joins a longer
 * person name that starts or ends with that word ("Sergei Lavrov") when exactly one such name is
 * in the document; with two ("Laura Bush", "George Bush") it stays on its own.
 *
 * @param {{label: string, text: string}[]} entities
 * @param {(entity: object, index: number) => boolean} [include] which entities to list
 * @returns {Map<string, {key: string, name: string, mentions: number[], variants: string[]}[]>}
 *   by label; `mentions` are indices into `entities`, in document order; `name` is the longest
 *   surface form (the first seen among equals)
 */
export function groupEntities(entities, include = () => true) {
  const grouper = new Grouper(include);
  grouper.add(entities, 0);
  return grouper.groups();
}

/**
 * groupEntities a chunk at a time: `add` each chunk's entities as they arrive (cheap), then
 * `groups()` once at the end, so a 1 MB text's list costs no long task when it completes.
 */
export class Grouper {
  /** @param {(entity: object, index: number) => boolean} [include] */
  constructor(include = () => true) {
    this.include = include;
    this.byLabel = new Map();
    this.keys = new Map(); // surface → key: a long text repeats its names, normalize each once
  }

  /** Add `entities`, the first of which has index `base` in the whole list. */
  add(entities, base) {
    entities.forEach((entity, i) => {
      const index = base + i;
      if (!this.include(entity, index)) return;
      let key = this.keys.get(entity.text);
      if (key === undefined) this.keys.set(entity.text, (key = normalizeSurface(entity.text)));
      if (key === "") return;
      let groups = this.byLabel.get(entity.label);
      if (!groups) this.byLabel.set(entity.label, (groups = new Map()));
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { key, mentions: [], variants: new Set() }));
      group.mentions.push(index);
      group.variants.add(entity.text);
    });
  }

  /** The groups of everything added so far (see groupEntities). */
  groups() {
    const steps = this.steps();
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
    }
  }

  /**
   * groups() in slices: `await pause()` between steps, which yields to the page once its time is
   * spent (a 20 MB text's groups took one task of ~100 ms); resolves to null if `pause` resolves
   * to false (a newer build took over).
   */
  async groupsSliced(pause) {
    const steps = this.steps();
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
      if ((await pause()) === false) return null;
    }
  }

  /** The work of groups(), yielding every few hundred groups; returns the groups. */
  *steps() {
    const out = new Map();
    let n = 0;
    for (const [label, found] of this.byLabel) {
      const groups = new Map();
      for (const [k, g] of found) {
        groups.set(k, { ...g, variants: new Set(g.variants) });
        if (++n % 256 === 0) yield;
      }
      if (PARTIAL_NAMES.has(label)) yield* foldPartialNames(groups);
      const list = [];
      for (const g of groups.values()) {
        const variants = [...new Set([...g.variants].map((v) => v.replace(/\s+/g, " ").trim()))];
        // The longest form names the group (the first seen among equals), without a trailing
        // possessive: "the Islamic Republic’s" ×2 is listed as "the Islamic Republic".
        const name = variants.map(withoutPossessive).reduce((a, b) => (b.length > a.length ? b : a));
        list.push({ key: g.key, name, mentions: g.mentions, variants });
        if (++n % 256 === 0) yield;
      }
      list.sort((a, b) => b.mentions.length - a.mentions.length || a.mentions[0] - b.mentions[0]);
      out.set(label, list);
      yield;
    }
    return out;
  }
}

/** Fold one-word groups into the one multi-word group whose first or last word they are (yielding now and then). */
function* foldPartialNames(groups) {
  const byWord = new Map(); // word → multi-word groups that start or end with it
  let n = 0;
  for (const g of groups.values()) {
    if (++n % 256 === 0) yield;
    const words = g.key.split(" ");
    if (words.length < 2) continue;
    for (const w of new Set([words[0], words[words.length - 1]])) {
      if (!byWord.has(w)) byWord.set(w, []);
      byWord.get(w).push(g);
    }
  }
  for (const [key, g] of groups) {
    if (++n % 256 === 0) yield;
    if (key.includes(" ")) continue;
    const targets = byWord.get(key);
    if (targets?.length !== 1) continue;
    const target = targets[0];
    target.mentions = mergeSorted(target.mentions, g.mentions);
    for (const v of g.variants) target.variants.add(v);
    groups.delete(key);
    yield; // a merge copies both lists of mentions: at 20 MB, tens of thousands
  }
}

function mergeSorted(a, b) {
  const out = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i] < b[j])) out.push(a[i++]);
    else out.push(b[j++]);
  }
  return out;
}

/** How a count of each label reads aloud: [singular, plural]. */
const NOUNS = {
  PERSON: ["person", "people"],
  NORP: ["nationality or group", "nationalities or groups"],
  FAC: ["facility", "facilities"],
  ORG: ["organization", "organizations"],
  GPE: ["country, city or state", "countries, cities or states"],
  LOC: ["location", "locations"],
  PRODUCT: ["product", "products"],
  EVENT: ["event", "events"],
  WORK_OF_ART: ["work of art", "works of art"],
  LAW: ["law", "laws"],
  LANGUAGE: ["language", "languages"],
  DATE: ["date", "dates"],
  TIME: ["time", "times"],
  PERCENT: ["percentage", "percentages"],
  MONEY: ["amount of money", "amounts of money"],
  QUANTITY: ["quantity", "quantities"],
  ORDINAL: ["ordinal", "ordinals"],
  CARDINAL: ["number", "numbers"],
  EMAIL: ["email address", "email addresses"],
  URL: ["web address", "web addresses"],
  PHONE: ["phone number", "phone numbers"],
  MISC: ["other name", "other names"],
};

/** "1 person" / "14 people" (a label without a noun reads "3 × LABEL"). */
export function countPhrase(label, n) {
  const nouns = NOUNS[label];
  if (!nouns) return `${n} × ${label}`;
  return `${n.toLocaleString("en-US")} ${n === 1 ? nouns[0] : nouns[1]}`;
}

/**
 * The spoken summary: "14 people, 6 organizations and 2 dates." in the order of `order`
 * (the legend's), or "No entities found." Labels switched off are not counted.
 *
 * @param {Map<string, number>} counts
 * @param {string[]} order
 * @param {Set<string>} hidden
 */
export function summarize(counts, order, hidden = new Set()) {
  const parts = order.filter((l) => counts.get(l) && !hidden.has(l)).map((l) => countPhrase(l, counts.get(l)));
  if (parts.length === 0) return "No entities found.";
  const last = parts.pop();
  return `${parts.length ? `${parts.join(", ")} and ${last}` : last}.`;
}

/**
 * The legend's order: the labels found (count > 0) most frequent first, ties in `order`, then the
 * rest in `order`, which the legend keeps behind one "All types" control.
 *
 * @param {Map<string, number>} counts
 * @param {string[]} order every label, in the engine's order
 * @returns {{present: string[], rest: string[]}}
 */
export function legendOrder(counts, order) {
  const rank = new Map(order.map((name, i) => [name, i]));
  const present = order.filter((name) => (counts.get(name) ?? 0) > 0);
  present.sort((a, b) => counts.get(b) - counts.get(a) || rank.get(a) - rank.get(b));
  return { present, rest: order.filter((name) => !((counts.get(name) ?? 0) > 0)) };
}

/** "1 phrase", "2 phrases", "1,234 phrases": a count with thousands separators and its noun. */
export function plural(n, one, many = `${one}s`) {
  return `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
}

/**
 * How many units at the start of `after` (the text right after an entity whose text is
 * `surface`) are a possessive glued to it: "’s" or "'s" ("Iran’s"), or a lone apostrophe after a
 * final s ("Wales’"), when no letter or digit follows. The page keeps that tail with the entity's
 * box, before its label tag, so the tag never splits a word from its possessive.
 */
export function gluedTail(surface, after) {
  const m = /^['\u2019\u02bc](?:[sS](?![\p{L}\p{N}])|(?![\p{L}\p{N}]))/u.exec(after);
  if (!m) return 0;
  if (m[0].length === 1 && !/[sS]$/.test(surface)) return 0;
  return m[0].length;
}
