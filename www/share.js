// Sharing a view as a link: the text, the view settings and the sender's own phrases, as JSON
// compressed with deflate-raw and written in base64url into the URL's hash (#v1=…). The hash
// never reaches a server.
//
// A link comes from whoever sent it, so opening one trusts nothing in it: the hash is inflated
// a slice at a time and given up as soon as it exceeds MAX_INFLATED_BYTES (32 KB of deflate can
// inflate to 32 MB), every field is bounded (validateView, checkLabels), and the page decodes
// links in a worker (share-worker.js, through openLink) so that even a hostile one never blocks
// the page. Nothing of a refused link is applied.

import { SCORE_STEPS } from "./entities.js";
import { MAX_PHRASE_CHARS, MAX_PHRASE_WORDS, MAX_PHRASES, phraseWords } from "./userlists.js";

/** The longest hash a link may carry, in characters: links longer than this break in mail clients and chats, and some browsers cut them. */
export const MAX_HASH_CHARS = 32 * 1024;
const PREFIX = "#v1=";

const formatKB = (bytes) => `${Math.round(bytes / 1024).toLocaleString("en-US")} KB`;
const quote = (s) => JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);
const count = (n) => n.toLocaleString("en-US");

/**
 * How much text a link may carry, in characters of plain prose. The page puts a link's text in
 * its text box, and Chromium lays a text box's text out, and paints it, in one main-thread task,
 * all of it, whatever is on screen; so this bounds that task, not what a hash can hold. 32 KB of
 * hash hold 61–73 K characters of prose (deflate-raw of the OntoNotes news or Vim's user manual:
 * 2.6–3×), and far more of a repetitive text. But the box's cost per character varies a
 * hundredfold with what the characters are (measured on a loaded 2-core machine): a line break
 * costs as much as ~60 prose characters (1,024 lines of 32 characters, +25–45 ms), a character
 * outside Latin script and its punctuation up to ~30 (4,096 CJK or Thai characters, +35 ms), and
 * some texts take seconds (16 K right-to-left marks in one line 1.9 s; 32 K Thai letters without
 * a space 1.6 s; 65 K line breaks 0.8 s). textWeight counts a text that way, and a link's text
 * may weigh at most this: 32 K characters of prose (~5,500 words), fewer with many short lines
 * or other scripts. Opening a link at this limit, whatever its text, took the box 22–82 ms
 * there (a task or its frame, at load averages of 5–11; the heaviest kinds,
 * tests/e2e/page-links.test.mjs), under the page's 100 ms bound for any task while a link
 * opens. Longer texts are shared as an export, not a link.
 */
export const MAX_LINK_TEXT_CHARS = 32 * 1024;
/** What a line break weighs, and a character outside Latin script and its punctuation, in characters of prose (MAX_LINK_TEXT_CHARS). */
export const LINE_BREAK_WEIGHT = 64;
export const OTHER_CHAR_WEIGHT = 32;
/** Where a text box breaks a line: \r\n, and each of these alone. */
const LINE_BREAKS = /\r\n|[\n\r\v\f\u0085\u2028\u2029]/g;
/** Code units a text box lays out at about a prose letter's cost: ASCII, Latin-1, Latin Extended A, B and Additional, combining accents, dashes, quotes and currency signs. */
const PLAIN = /[\t\n\r\x20-\x7e\u00a0-\u024f\u0300-\u036f\u1e00-\u1eff\u2010-\u2027\u2030-\u205e\u20a0-\u20cf]+/g;

/**
 * What `text` weighs in the page's text box, in characters of prose (see MAX_LINK_TEXT_CHARS):
 * each code unit 1, each line break LINE_BREAK_WEIGHT, each code unit outside PLAIN
 * OTHER_CHAR_WEIGHT (a line break that is also one, such as U+0085, weighs both).
 *
 * @returns {{weight: number, lines: number, other: number}} `lines`: line breaks; `other`: code units outside PLAIN
 */
export function textWeight(text) {
  const lines = text.match(LINE_BREAKS)?.length ?? 0;
  const other = text.replace(PLAIN, "").length;
  return { weight: text.length + (LINE_BREAK_WEIGHT - 1) * lines + (OTHER_CHAR_WEIGHT - 1) * other, lines, other };
}

/**
 * Why `text` is more than a link carries, completing "…has ", or null when it is not. The length
 * alone refuses a long text before anything is counted.
 */
export function textTooLong(text) {
  const most = `a link carries at most ${count(MAX_LINK_TEXT_CHARS)}`;
  if (text.length > MAX_LINK_TEXT_CHARS) return `${count(text.length)} characters; ${most}`;
  const { weight, lines, other } = textWeight(text);
  if (weight <= MAX_LINK_TEXT_CHARS) return null;
  return (
    `${count(text.length)} characters, ${count(lines)} line breaks and ${count(other)} characters outside Latin script, ` +
    `which weigh as ${count(weight)} characters of prose (a line break as ${LINE_BREAK_WEIGHT}, such a character as ` +
    `${OTHER_CHAR_WEIGHT}); ${most}`
  );
}

/** The most phrases a link may carry, and the most characters each: the engine's own limits. */
export const MAX_LINK_PHRASES = MAX_PHRASES;
export const MAX_LINK_PHRASE_CHARS = MAX_PHRASE_CHARS;
/**
 * The most bytes a link's JSON may inflate to: a text at its longest (3 UTF-8 bytes for each
 * code unit outside ASCII) plus the view and about 1.2 MB of phrases. Inflating stops as soon as
 * a link goes past it, so a hostile link costs at most this much memory and time.
 */
export const MAX_INFLATED_BYTES = 2 * 1024 * 1024;
/** Compressed bytes fed to the decompressor at a time: deflate inflates at most ~1,032 times, so a slice yields at most ~264 KB past the limit before it is seen. */
const INFLATE_SLICE = 256;
const FIELDS = new Set(["text", "hidden", "threshold", "phrases"]);

export class TooLongError extends Error {}


async function pipe(bytes, stream) {
  const out = new Response(new Blob([bytes]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

export function toBase64url(bytes) {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function fromBase64url(s) {
  if (!/^[A-Za-z0-9_-]*$/.test(s)) throw new Error("the link's data is not base64url");
  const binary = atob(s.replace(/-/g, "+").replace(/_/g, "/"));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * The hash for a view. Throws TooLongError (with a message for the user) when it would be longer
 * than MAX_HASH_CHARS.
 *
 * @param {{text: string, hidden: string[], threshold: number,
 *          phrases?: {text: string, label: string}[]}} view the sender's own phrases go along, so
 *   that the link shows what the sender saw
 * @returns {Promise<string>} "#v1=…"
 */
export async function encodeView(view) {
  const kb = (n) => `${Math.ceil(n / 1024)} KB`;
  const tooLong = textTooLong(view.text);
  if (tooLong) {
    // It might compress into 32 KB, but the page that opens it would refuse it.
    throw new TooLongError(`This text is too long for a link: it has ${tooLong}. Export it as JSON or HTML instead.`);
  }
  const json = JSON.stringify(
    validateView({ text: view.text, hidden: view.hidden, threshold: view.threshold, phrases: view.phrases ?? [] }),
  );
  const bytes = new TextEncoder().encode(json);
  if (bytes.length > MAX_INFLATED_BYTES) {
    throw new TooLongError(
      `This text and your phrases are too much for a link: together they take ${kb(bytes.length)} and links carry at most ` +
        `${kb(MAX_INFLATED_BYTES)}. Export the text as JSON or HTML instead.`,
    );
  }
  const packed = await pipe(bytes, new CompressionStream("deflate-raw"));
  const hash = PREFIX + toBase64url(packed);
  if (hash.length > MAX_HASH_CHARS) {
    throw new TooLongError(
      `This text is too long for a link: compressed, it needs ${kb(hash.length)} and links carry at most ` +
        `${kb(MAX_HASH_CHARS)}. Export it as JSON or HTML instead.`,
    );
  }
  return hash;
}

/** Whether a hash holds a shared view. */
export function isViewHash(hash) {
  return hash.startsWith(PREFIX);
}

/**
 * Inflate `bytes` (compressed in `format`), giving up with an Error once the result would exceed
 * `maxBytes`. The input is fed a slice at a time and the output read as it comes, so memory and
 * time stay bounded by the limit, not by what the bytes could inflate to.
 *
 * @param {Uint8Array} bytes
 * @param {number} maxBytes
 * @returns {Promise<Uint8Array>}
 */
export async function inflateLimited(bytes, maxBytes, format = "deflate-raw") {
  const stream = new DecompressionStream(format);
  const writer = stream.writable.getWriter();
  const reader = stream.readable.getReader();
  let stopped = false;
  const feeding = (async () => {
    for (let i = 0; i < bytes.length && !stopped; i += INFLATE_SLICE) {
      await writer.write(bytes.subarray(i, i + INFLATE_SLICE));
    }
    if (!stopped) await writer.close();
  })();
  feeding.catch(() => {}); // a damaged stream also fails the reads below, which report it
  const parts = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > maxBytes) throw new TooLargeError(maxBytes);
      parts.push(value);
    }
    await feeding;
  } catch (err) {
    stopped = true;
    reader.cancel().catch(() => {});
    throw err;
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** A link whose content inflates past the limit. */
export class TooLargeError extends Error {
  constructor(maxBytes) {
    super(
      `it holds more than a link may carry (over ${formatKB(maxBytes)} once unpacked; ` +
        `a link's text is at most ${MAX_LINK_TEXT_CHARS.toLocaleString("en-US")} characters)`,
    );
  }
}

/**
 * The view a link's JSON value describes, or an Error saying which field is wrong: the value must
 * be an object with exactly the fields encodeView writes, each within its bounds. Labels are
 * checked separately (checkLabels), against the engine's. Nothing partial: one bad field refuses
 * the whole link.
 *
 * @param {unknown} value what the link's JSON parsed to
 * @returns {{text: string, hidden: string[], threshold: number, phrases: {text: string, label: string}[]}}
 */
export function validateView(value) {
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new Error("it holds no shared view");
  for (const key of Object.keys(value)) {
    if (!FIELDS.has(key)) throw new Error(`it has an unknown field ${quote(key)}`);
  }
  const { text, hidden, threshold, phrases = [] } = value;
  if (typeof text !== "string") throw new Error("it holds no text");
  const tooLong = textTooLong(text);
  if (tooLong) throw new Error(`its text has ${tooLong}`);
  if (!Array.isArray(hidden) || !hidden.every((l) => typeof l === "string")) {
    throw new Error("its hidden types are not a list of type names");
  }
  if (typeof threshold !== "number" || !Number.isInteger(threshold) || threshold < 0 || threshold > SCORE_STEPS) {
    throw new Error(`its threshold is not a whole number of steps from 0 to ${SCORE_STEPS}`);
  }
  if (!Array.isArray(phrases)) throw new Error("its phrases are not a list");
  if (phrases.length > MAX_LINK_PHRASES) {
    throw new Error(`it has ${count(phrases.length)} phrases; a link carries at most ${count(MAX_LINK_PHRASES)}`);
  }
  const out = [];
  for (let i = 0; i < phrases.length; i++) {
    const p = phrases[i];
    const entry = `phrase ${count(i + 1)}`;
    if (p === null || typeof p !== "object" || Array.isArray(p) || typeof p.text !== "string" || typeof p.label !== "string") {
      throw new Error(`its ${entry} is not a {"text", "label"} object`);
    }
    if (Object.keys(p).length !== 2) throw new Error(`its ${entry} has fields other than "text" and "label"`);
    if (p.text.trim() === "") throw new Error(`its ${entry} is blank`);
    // Code points, as the engine counts; the length check first keeps a huge string cheap.
    if (p.text.length > 2 * MAX_LINK_PHRASE_CHARS || [...p.text].length > MAX_LINK_PHRASE_CHARS) {
      throw new Error(`its ${entry} is longer than ${MAX_LINK_PHRASE_CHARS} characters`);
    }
    const words = phraseWords(p.text);
    if (words === 0) throw new Error(`its ${entry} is blank`);
    if (words > MAX_PHRASE_WORDS) throw new Error(`its ${entry} has ${words} words; a phrase has at most ${MAX_PHRASE_WORDS}`);
    out.push({ text: p.text, label: p.label });
  }
  return { text, hidden: [...hidden], threshold, phrases: out };
}

/**
 * `view` if every type it names (hidden or on a phrase) is one of `labelNames`; otherwise an
 * Error naming the first unknown one.
 *
 * @param {ReturnType<typeof validateView>} view
 * @param {Iterable<string>} labelNames the engine's labels
 */
export function checkLabels(view, labelNames) {
  const known = new Set(labelNames);
  for (const label of view.hidden) {
    if (!known.has(label)) throw new Error(`it hides an unknown type ${quote(label)}`);
  }
  view.phrases.forEach((p, i) => {
    if (!known.has(p.label)) throw new Error(`its phrase ${count(i + 1)} has an unknown type ${quote(p.label)}`);
  });
  return view;
}

/**
 * The view in a hash made by encodeView, bounded and validated (and, given `labelNames`, its
 * types checked). Throws an Error saying what is wrong with a damaged, oversized or invalid one;
 * its message completes "This link could not be opened: …".
 *
 * @param {string} hash
 * @param {Iterable<string>} [labelNames]
 * @returns {Promise<{text: string, hidden: string[], threshold: number,
 *                    phrases: {text: string, label: string}[]}>}
 */
export async function decodeView(hash, labelNames) {
  if (!isViewHash(hash)) throw new Error("it holds no shared text");
  if (hash.length > MAX_HASH_CHARS) throw new Error(`it is longer than links can be (${formatKB(MAX_HASH_CHARS)})`);
  let bytes;
  try {
    bytes = fromBase64url(hash.slice(PREFIX.length));
  } catch {
    throw new Error("it is damaged (its data is not base64url)");
  }
  let json;
  try {
    json = new TextDecoder("utf-8", { fatal: true }).decode(await inflateLimited(bytes, MAX_INFLATED_BYTES));
  } catch (err) {
    if (err instanceof TooLargeError) throw err;
    throw new Error("it is damaged (it may have been cut short)");
  }
  let value;
  try {
    value = JSON.parse(json);
  } catch {
    throw new Error("it is damaged (its content is not JSON)");
  }
  const view = validateView(value);
  return labelNames ? checkLabels(view, labelNames) : view;
}

/** Milliseconds a link may take to decode before it is given up (it never should). */
const DECODE_TIMEOUT_MS = 20_000;

/**
 * decodeView in a worker (share-worker.js), then checkLabels against the engine's labels: a link
 * is inflated, parsed and checked without ever blocking the page, whatever it holds. Resolves
 * with the view; rejects with an Error whose message completes "This link could not be opened: …".
 *
 * @param {string} hash
 * @param {Iterable<string> | Promise<Iterable<string>>} labelNames
 */
export async function openLink(hash, labelNames) {
  if (!isViewHash(hash)) throw new Error("it holds no shared text");
  // Long before it inflates anything, the length alone refuses an oversized link.
  if (hash.length > MAX_HASH_CHARS) throw new Error(`it is longer than links can be (${formatKB(MAX_HASH_CHARS)})`);
  const worker = new Worker(new URL("./share-worker.js", import.meta.url), { type: "module" });
  let timer;
  try {
    const view = await new Promise((resolve, reject) => {
      timer = setTimeout(() => reject(new Error("it took too long to read")), DECODE_TIMEOUT_MS);
      worker.onmessage = ({ data }) => (data.ok ? resolve(data.view) : reject(new Error(data.message)));
      worker.onerror = (event) => {
        event.preventDefault();
        reject(new Error(`it could not be read (${event.message || "the decoder failed"})`));
      };
      worker.postMessage({ hash });
    });
    return checkLabels(view, await labelNames);
  } finally {
    clearTimeout(timer);
    worker.terminate();
  }
}
