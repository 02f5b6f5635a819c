// The user's own phrase lists: words or phrases with a label, kept in localStorage, exported and
// imported as JSON. The engine matches them (Highlighter.setUserPhrases); this module only keeps
// the list and checks what comes in from a file.

export const STORAGE_KEY = "nerlight.userPhrases.v1";
/** The engine's limits (src/user.rs), checked here too so a bad import says which entry is wrong. */
export const MAX_PHRASES = 10_000;
export const MAX_PHRASE_CHARS = 200;
/** Most words in one phrase, as the engine counts them (src/user.rs MAX_PHRASE_WORDS). */
export const MAX_PHRASE_WORDS = 32;

// phraseWords: the engine's tokenizer (src/tokenize.rs) ported only as far as counting goes, so a
// phrase the engine would refuse for its length is refused here, with a message, before anything
// is saved. Phrases are at most MAX_PHRASE_CHARS long, so the tokenizer's memos are left out.
const ABBREVIATIONS = new Set(
  ("adm ala apr ariz ark calif colo conn ga ind kan ky md mich minn mont neb nev okla pa tenn tex va vt wis " +
    "wyo aug ave blvd bros brig capt cmdr co col corp cpl dec dept dr est etc feb fig fla fri ft gen gov hon " +
    "inc jan jr jul jun lt ltd maj mar messrs mon mr mrs ms mt no nov oct ph.d plc prof rep rev sat sen sep " +
    "sept sgt sr st sun supt thu thurs tue tues vs wed").split(" "),
);
// Control characters (NULs, escapes) separate tokens as spaces do, as in the engine.
const SPACE = /^[\p{White_Space}\p{Cc}\u200b\u2060\ufeff]$/u;
const WORD = /^[\p{Alphabetic}\p{N}\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u0610-\u061a\u064b-\u065f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u00ad]$/u;
const PUNCT = /^[!-/:-@[-`{-~\u2010-\u2027\u2030-\u205e\u3001-\u3003\u3008-\u3011«»¡¿·§¶]$/u;
const JOINER = /^[\u200d\ufe0e\ufe0f\u{1f3fb}-\u{1f3ff}\u{e0020}-\u{e007f}\u20e3]$/u;
const REGIONAL = /^[\u{1f1e6}-\u{1f1ff}]$/u;
const isSpace = (c) => c !== undefined && SPACE.test(c);
const isWord = (c) => c !== undefined && WORD.test(c);
const isDigit = (c) => c !== undefined && c >= "0" && c <= "9";
const isAsciiAlpha = (c) => c !== undefined && /^[A-Za-z]$/.test(c);
const isAsciiAlnum = (c) => isDigit(c) || isAsciiAlpha(c);
const isApostrophe = (c) => c === "'" || c === "’";

/** How many words (tokens: punctuation counts) the engine sees in `text`. */
export function phraseWords(text) {
  const s = [...text];
  let n = 0;
  for (let i = 0; i < s.length; ) {
    const c = s[i];
    if (isSpace(c)) {
      i++;
      continue;
    }
    let end = urlEnd(s, i) ?? emailEnd(s, i);
    if (end === undefined) {
      if (isWord(c)) end = wordEnd(s, i);
      else if (isApostrophe(c)) end = i + (cliticLen(s, i) ?? (c === "'" && s[i + 1] === "'" ? 2 : 1));
      else if (PUNCT.test(c)) {
        end = i + 1;
        if (".-!?*=_~#`".includes(c)) while (s[end] === c) end++;
      } else end = symbolEnd(s, i);
    }
    n++;
    i = end;
  }
  return n;
}

function symbolEnd(s, i) {
  let end = i + 1;
  if (REGIONAL.test(s[i]) && s[end] !== undefined && REGIONAL.test(s[end])) return end + 1;
  let afterZwj = false;
  while (s[end] !== undefined && (JOINER.test(s[end]) || (afterZwj && !isSpace(s[end])))) {
    afterZwj = s[end] === "\u200d";
    end++;
  }
  return end;
}

function wordEnd(s, start) {
  const initials = initialsEnd(s, start);
  if (initials !== undefined) return initials;
  const numeric = isDigit(s[start]);
  let i = start;
  while (i < s.length) {
    const c = s[i];
    if (isWord(c)) i++;
    else if (".,:/".includes(c) && i > start && isDigit(s[i - 1]) && isDigit(s[i + 1])) i++;
    else if (isApostrophe(c)) {
      if (cliticLen(s, i) !== undefined || isNt(s, start, i)) break;
      if (s[i + 1] !== undefined && /^\p{Alphabetic}$/u.test(s[i + 1])) i++;
      else break;
    } else break;
  }
  if (i < s.length && i - start >= 2 && isApostrophe(s[i]) && isNt(s, start, i)) i--;
  if (s[i] === "." && !numeric) {
    const word = s.slice(start, i).join("");
    const singleUpper = i - start === 1 && /^\p{Uppercase}$/u.test(word);
    // The engine compares ASCII case-insensitively, up to 7 bytes.
    if (singleUpper || (/^[\x00-\x7f]{1,7}$/.test(word) && ABBREVIATIONS.has(word.toLowerCase()))) i++;
  }
  return i;
}

function initialsEnd(s, start) {
  let i = start;
  let n = 0;
  while (i + 1 < s.length && isAsciiAlpha(s[i]) && s[i + 1] === ".") {
    n++;
    i += 2;
  }
  return n >= 2 && !isAsciiAlnum(s[i]) ? i : undefined;
}

function isNt(s, start, apos) {
  if (apos < start + 2 || !"nN".includes(s[apos - 1])) return false;
  const next = s[apos + 2];
  return "tT".includes(s[apos + 1] ?? "x") && !(next !== undefined && (isAsciiAlnum(next) || next >= "\x80"));
}

function cliticLen(s, i) {
  let n = 0;
  while (isAsciiAlpha(s[i + 1 + n])) n++;
  const next = s[i + 1 + n];
  if (n === 0 || (next !== undefined && next >= "\x80" && isWord(next))) return undefined;
  const suffix = s.slice(i + 1, i + 1 + n).join("").toLowerCase();
  return ["s", "re", "ve", "ll", "d", "m"].includes(suffix) ? 1 + n : undefined;
}

function urlEnd(s, start) {
  const rest = s.slice(start, start + 9).join("").toLowerCase();
  const starts = (p) => s.length - start > p.length && rest.startsWith(p);
  if (!(starts("https://") || starts("http://") || starts("www."))) return undefined;
  if (start > 0 && isWord(s[start - 1])) return undefined;
  let end = start;
  while (end < s.length && !isSpace(s[end]) && !'<>"“”«»'.includes(s[end])) end++;
  const url = () => s.slice(start, end);
  let opens = url().filter((c) => c === "(").length;
  let closes = url().filter((c) => c === ")").length;
  for (;;) {
    if (end === start) return undefined;
    const last = s[end - 1];
    const trim = ".,;:!?'’]}".includes(last) || (last === ")" && opens < closes);
    if (!trim) break;
    if (last === ")") closes--;
    end--;
  }
  const str = url().join("");
  const host = str.split("//").at(-1);
  return new TextEncoder().encode(host).length >= 4 && str.includes(".") ? end : undefined;
}

function emailEnd(s, start) {
  const local = (c) => isAsciiAlnum(c) || (c !== undefined && "._%+-".includes(c));
  if (!isAsciiAlnum(s[start])) return undefined;
  let i = start;
  while (local(s[i])) i++;
  if (s[i] !== "@") return undefined;
  const domainStart = i + 1;
  let end = domainStart;
  while (isAsciiAlnum(s[end]) || s[end] === "-" || s[end] === ".") end++;
  while (end > domainStart && ".-".includes(s[end - 1])) end--;
  const dot = s.lastIndexOf(".", end - 1);
  if (dot < domainStart) return undefined;
  const tld = s.slice(dot + 1, end);
  return dot > domainStart && tld.length >= 2 && tld.every(isAsciiAlpha) ? end : undefined;
}

/** The phrases saved in `storage`, or [] if none (or unreadable). */
export function loadPhrases(storage = localStorage) {
  try {
    const value = JSON.parse(storage.getItem(STORAGE_KEY) ?? "[]");
    return Array.isArray(value) ? value.filter(isPhrase) : [];
  } catch {
    return [];
  }
}

export function savePhrases(phrases, storage = localStorage) {
  storage.setItem(STORAGE_KEY, JSON.stringify(phrases));
}

function isPhrase(p) {
  return p && typeof p.text === "string" && typeof p.label === "string";
}

/** The same phrase for the engine: case and whitespace do not matter. */
export function phraseKey(text) {
  return text.trim().replace(/\s+/g, " ").toLowerCase();
}

/**
 * A phrase's text as kept: trimmed, inner whitespace collapsed. Throws if blank or too long (in
 * characters or in words), as the engine's setUserPhrases would.
 */
function cleanText(text) {
  const clean = text.trim().replace(/\s+/g, " ");
  if (clean === "") throw new Error("Type a word or phrase first.");
  if ([...clean].length > MAX_PHRASE_CHARS) throw new Error(`A phrase can have at most ${MAX_PHRASE_CHARS} characters.`);
  const words = phraseWords(clean);
  if (words === 0) throw new Error("Type a word or phrase first.");
  if (words > MAX_PHRASE_WORDS) {
    throw new Error(
      `A phrase can have at most ${MAX_PHRASE_WORDS} words, punctuation included; “${clean.slice(0, 40)}…” has ${words}.`,
    );
  }
  return clean;
}

/**
 * `phrases` with each of `more` added, in linear time: a phrase already there (same phraseKey)
 * is replaced and moves to the end with its new label. Throws for a blank or too long phrase,
 * or when the result would hold more than MAX_PHRASES; nothing of `more` is added then.
 */
function addAll(phrases, more, describe = () => "") {
  const byKey = new Map(phrases.map((p) => [phraseKey(p.text), p]));
  more.forEach((p, i) => {
    let text;
    try {
      text = cleanText(p.text);
    } catch (err) {
      throw new Error(`${describe(p, i)}${err.message}`);
    }
    const key = phraseKey(text);
    byKey.delete(key);
    if (byKey.size >= MAX_PHRASES) {
      throw new Error(`${describe(p, i)}A list can hold at most ${MAX_PHRASES.toLocaleString("en-US")} phrases.`);
    }
    byKey.set(key, { text, label: p.label });
  });
  return [...byKey.values()];
}

/**
 * Add `phrase` to `phrases` (a new array); a phrase already there gets the new label.
 * Throws an Error with a message for the user if the phrase is blank or too long.
 */
export function addPhrase(phrases, phrase) {
  return addAll(phrases, [phrase]);
}

/** The list as a JSON file's content. */
export function phrasesToJSON(phrases) {
  return `${JSON.stringify({ format: "nerlight-user-phrases", version: 1, phrases }, null, 2)}\n`;
}

/**
 * The largest phrase-list file that can be imported: the longest list (10,000 phrases of 200
 * characters, 4 UTF-8 bytes each at worst) as phrasesToJSON writes it, with room to spare.
 */
export const MAX_PHRASE_FILE_BYTES = 10 * 1024 * 1024;

/**
 * Phrases from a JSON file: either what phrasesToJSON writes or a bare array of {text, label}.
 * Throws an Error naming the first bad entry (not an object, blank, too long, unknown label), or
 * saying the list is too long; nothing of a bad file is used.
 *
 * @param {string} json
 * @param {Set<string>} labelNames the engine's labels
 */
export function parsePhrasesJSON(json, labelNames) {
  let value;
  try {
    value = JSON.parse(json);
  } catch (err) {
    throw new Error(`The file is not JSON: ${err.message}`);
  }
  const list = Array.isArray(value) ? value : value?.phrases;
  if (!Array.isArray(list)) throw new Error('The file holds no list of phrases (expected {"phrases": [{"text", "label"}, …]}).');
  list.forEach((p, i) => {
    if (!isPhrase(p)) throw new Error(`Entry ${i + 1} is not a {"text", "label"} object.`);
    if (!labelNames.has(p.label)) throw new Error(`Entry ${i + 1} ("${p.text.slice(0, 40)}") has an unknown label "${p.label.slice(0, 40)}".`);
  });
  return addAll([], list, (_, i) => `Entry ${i + 1}: `);
}

/**
 * The phrases in a picked file (parsePhrasesJSON), refusing one over MAX_PHRASE_FILE_BYTES before
 * reading it.
 *
 * @param {Blob & {name: string}} file
 * @param {Set<string>} labelNames
 */
export async function readPhrasesFile(file, labelNames) {
  if (file.size > MAX_PHRASE_FILE_BYTES) {
    throw new Error(
      `${file.name} is ${(file.size / 1048576).toFixed(1)} MB; a phrase list file can be at most ` +
        `${MAX_PHRASE_FILE_BYTES / 1048576} MB.`,
    );
  }
  return parsePhrasesJSON(await file.text(), labelNames);
}

/** `base` with every phrase of `more` added (a phrase in both takes its label from `more`). */
export function mergePhrases(base, more) {
  return addAll(base, more);
}
