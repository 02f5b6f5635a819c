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

/**
 * Add `phrase` to `phrases` (a new array); a phrase already there gets the new label.
 * Throws an Error with a message for the user if the phrase is blank or too long.
 */
export function addPhrase(phrases, phrase) {
  const text = phrase.text.trim().replace(/\s+/g, " ");
  if (text === "") throw new Error("Type a word or phrase first.");
  if ([...text].length > MAX_PHRASE_CHARS) throw new Error(`A phrase can have at most ${MAX_PHRASE_CHARS} characters.`);
  const key = phraseKey(text);
  const rest = phrases.filter((p) => phraseKey(p.text) !== key);
  if (rest.length >= MAX_PHRASES) throw new Error(`A list can hold at most ${MAX_PHRASES.toLocaleString("en-US")} phrases.`);
  return [...rest, { text, label: phrase.label }];
}

/** The list as a JSON file's content. */
export function phrasesToJSON(phrases) {
  return `${JSON.stringify({ format: "nerlight-user-phrases", version: 1, phrases }, null, 2)}\n`;
}

/**
 * Phrases from a JSON file: either what phrasesToJSON writes or a bare array of {text, label}.
 * Throws an Error naming the first bad entry (not an object, blank, too long, unknown label).
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
  let out = [];
  list.forEach((p, i) => {
    if (!isPhrase(p)) throw new Error(`Entry ${i + 1} is not a {"text", "label"} object.`);
    if (!labelNames.has(p.label)) throw new Error(`Entry ${i + 1} ("${p.text}") has an unknown label "${p.label}".`);
    try {
      out = addPhrase(out, p);
    } catch (err) {
      throw new Error(`Entry ${i + 1}: ${err.message}`);
    }
  });
  return out;
}

/** `base` with every phrase of `more` added (a phrase in both takes its label from `more`). */
export function mergePhrases(base, more) {
  return more.reduce((list, p) => addPhrase(list, p), base);
}
