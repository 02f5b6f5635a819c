// The user's own phrase lists: words or phrases with a label, kept in localStorage, exported and
// imported as JSON. The engine matches them (Highlighter.setUserPhrases); this module only keeps
// the list and checks what comes in from a file.

export const STORAGE_KEY = "nerlight.userPhrases.v1";
/** The engine's limits (src/user.rs), checked here too so a bad import says which entry is wrong. */
export const MAX_PHRASES = 10_000;
export const MAX_PHRASE_CHARS = 200;

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

/** A phrase's text as kept: trimmed, inner whitespace collapsed. Throws if blank or too long. */
function cleanText(text) {
  const clean = text.trim().replace(/\s+/g, " ");
  if (clean === "") throw new Error("Type a word or phrase first.");
  if ([...clean].length > MAX_PHRASE_CHARS) throw new Error(`A phrase can have at most ${MAX_PHRASE_CHARS} characters.`);
  return clean;
}

/**
 * `phrases` with each of `more` added, in linear time: a phrase already there (same phraseKey)
 * is replaced and moves to the end with its new label. Throws for a blank or too long phrase,
 * or when the result would hold more than MAX_PHRASES.
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
