// Benchmark texts, built at run time: nothing here is copied into the repository.
//
// - newsDocuments(): the OntoNotes dev split (../shared/data/ontonotes/dev.docstart.txt from the
//   repository's root) turned back into plain text: tokens joined by spaces, sentences by
//   newlines, a new document at each -DOCSTART-. Each document also carries its gold entity
//   spans (UTF-16 offsets into its text), so a benchmark can check that an engine finds names.
// - generatedDocument(bytes): a deterministic news-like document of about `bytes` UTF-8 bytes,
//   made from templates with a seeded random generator (the same text on every machine).
// - article(words): about `words` words: dev documents concatenated if the corpus is present,
//   else generated text.

import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const DEV_CORPUS = path.resolve(
  ROOT,
  process.env.NERLIGHT_DEV_CORPUS ?? "../shared/data/ontonotes/dev.docstart.txt",
);

/**
 * @returns {{text: string, tokens: number, gold: {start: number, end: number, type: string}[]}[]
 *           | null} the dev documents, or null when the corpus is not on this machine.
 */
export function newsDocuments(file = DEV_CORPUS) {
  if (!existsSync(file)) return null;
  const docs = [];
  let doc = null;
  let sentence = [];
  const flushSentence = () => {
    if (!doc || sentence.length === 0) return;
    // Sentences are separated by newlines; inside one, tokens by single spaces.
    if (doc.parts.length > 0) doc.length += 1; // the "\n" before this sentence
    let open = null;
    const closeOpen = () => {
      if (open) doc.gold.push(open);
      open = null;
    };
    sentence.forEach(([tok, tag], i) => {
      if (i > 0) doc.length += 1; // the " " before this token
      const start = doc.length;
      doc.length += tok.length;
      if (tag.startsWith("B-")) {
        closeOpen();
        open = { start, end: doc.length, type: tag.slice(2) };
      } else if (tag.startsWith("I-") && open) {
        open.end = doc.length;
      } else {
        closeOpen();
      }
    });
    closeOpen();
    doc.parts.push(sentence.map(([tok]) => tok).join(" "));
    doc.tokens += sentence.length;
    sentence = [];
  };
  const flushDoc = () => {
    flushSentence();
    if (doc && doc.parts.length > 0) {
      docs.push({ text: doc.parts.join("\n"), tokens: doc.tokens, gold: doc.gold });
    }
    doc = { parts: [], tokens: 0, length: 0, gold: [] };
  };
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (line.startsWith("-DOCSTART-")) {
      flushDoc();
    } else if (line.trim() === "") {
      flushSentence();
    } else {
      const tab = line.lastIndexOf("\t");
      sentence.push(tab < 0 ? [line, "O"] : [line.slice(0, tab), line.slice(tab + 1)]);
    }
  }
  flushDoc();
  return docs;
}

/** A small deterministic PRNG (mulberry32), so generated text is the same everywhere. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = ["Ana", "James", "Maria", "Wei", "Fatima", "John", "Olga", "Carlos", "Priya", "Kenji", "Sarah", "Ahmed", "Elena", "David", "Amara", "Lars"];
const LAST = ["Ribeiro", "Smith", "Garcia", "Chen", "Haddad", "Okafor", "Ivanova", "Silva", "Sharma", "Tanaka", "Johnson", "Khan", "Rossi", "Miller", "Mensah", "Nilsson"];
const CITY = ["Lisbon", "London", "Paris", "Beijing", "Cairo", "Lagos", "Moscow", "Sao Paulo", "Mumbai", "Tokyo", "New York", "Karachi", "Rome", "Chicago", "Accra", "Stockholm"];
const COUNTRY = ["Portugal", "Britain", "France", "China", "Egypt", "Nigeria", "Russia", "Brazil", "India", "Japan", "the United States", "Pakistan", "Italy", "Germany", "Ghana", "Sweden"];
const ORG = ["Reuters", "the World Bank", "Deutsche Bank", "the United Nations", "Toyota Motor Corp.", "the European Commission", "Goldman Sachs", "the Federal Reserve", "Siemens AG", "the International Monetary Fund", "Petrobras", "Tata Steel"];
const NORP = ["Portuguese", "British", "French", "Chinese", "Egyptian", "Nigerian", "Russian", "Brazilian", "Indian", "Japanese", "American", "Swedish"];
const MONTH = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const DAY = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"];
const VERB = ["said", "told reporters", "announced", "warned", "confirmed", "added"];
const FILLER = [
  "the talks had made progress but that several questions remained open",
  "the company expected demand to recover in the second half of the year",
  "investors had reacted calmly to the news after a volatile week",
  "the government would publish its plans in the coming months",
  "prices had risen faster than wages for most households",
  "officials were still assessing the damage caused by the storm",
];

/** About `bytes` UTF-8 bytes of generated news text, paragraphs separated by blank lines. */
export function generatedDocument(bytes = 1_000_000, seed = 1) {
  const r = rng(seed);
  const pick = (xs) => xs[Math.floor(r() * xs.length)];
  const int = (lo, hi) => lo + Math.floor(r() * (hi - lo + 1));
  const person = () => `${pick(FIRST)} ${pick(LAST)}`;
  const sentences = [
    () => `${person()}, the chief executive of ${pick(ORG)}, ${pick(VERB)} in ${pick(CITY)} on ${pick(DAY)} that ${pick(FILLER)}.`,
    () => `Shares of ${pick(ORG)} rose ${int(1, 9)}.${int(0, 9)}% to $${int(10, 300)}.${int(10, 99)} in ${pick(CITY)}, while the ${pick(NORP)} market fell ${int(1, 3)} percent.`,
    () => `The deal, worth €${int(1, 20)}.${int(1, 9)} billion, is expected to close on ${int(1, 28)} ${pick(MONTH)} ${int(2020, 2030)}, ${pick(ORG)} ${pick(VERB)}.`,
    () => `"We will not accept this," ${person()} ${pick(VERB)}, adding that ${pick(COUNTRY)} and ${pick(COUNTRY)} had agreed to meet again in ${pick(MONTH)}.`,
    () => `About ${int(2, 900)},000 people live within ${int(5, 80)} km of ${pick(CITY)}, according to ${pick(ORG)}.`,
    () => `${pick(NORP)} officials ${pick(VERB)} at ${int(1, 12)}:${int(10, 59)} p.m. that the ${int(2, 9)}th round of talks with ${person()} would take place in ${pick(CITY)}.`,
    () => `For details write to press@${pick(LAST).toLowerCase()}-news.com or see https://www.${pick(LAST).toLowerCase()}.org/report-${int(2000, 2030)} before ${pick(DAY)}.`,
  ];
  const paragraphs = [];
  let size = 0;
  while (size < bytes) {
    const n = int(3, 6);
    const p = Array.from({ length: n }, () => pick(sentences)()).join(" ");
    paragraphs.push(p);
    size += Buffer.byteLength(p) + 2;
  }
  return paragraphs.join("\n\n");
}

/** Exactly `words` words of news (cut after the last one): dev documents in order if the corpus
 *  is present, else generated text. */
export function article(words = 5000, docs = newsDocuments()) {
  let text;
  if (docs) {
    const parts = [];
    let n = 0;
    for (const d of docs) {
      if (n >= words) break;
      parts.push(d.text);
      n += d.tokens;
    }
    text = parts.join("\n\n");
  } else {
    text = generatedDocument(words * 8);
  }
  let end = text.length;
  let n = 0;
  for (const m of text.matchAll(/\S+/g)) {
    if (++n === words) {
      end = m.index + m[0].length;
      break;
    }
  }
  return text.slice(0, end);
}

/** Whitespace-separated words: the one token count every engine is measured against. */
export function countTokens(text) {
  let n = 0;
  for (const _ of text.matchAll(/\S+/g)) n++;
  return n;
}
