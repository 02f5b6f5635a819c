// Where the page used to cut a text into chunks for highlighting, pure so that Node can test it.
//
// A cut between paragraphs changes nothing the engine finds (entities never span a blank line);
// a cut between sentences almost nothing (a model with document-level features sees less of the
// document, which changed 0.3% of the entities of a 200 KB text); a cut between words can split a rare multi-word name
// that runs across a sentence-less 16 KB stretch; a hard cut (a line with no space for thousands
// of characters) can split a token. Cuts never fall inside a surrogate pair, and chunks always
// cover the whole text: nothing is dropped, however long the text.

// The chunk sizes the engine's worker streams a text with live in the package (stream.js, built
// into pkg/); `chunkEnd` and `chunks` cut the old way, for the tests that compare with it.
export { CHUNK, FIRST_CHUNK } from "./pkg/stream.js";

/** Sentence end: . ! or ? then optional closing quotes or brackets, then whitespace. */
const SENTENCE_END = /[.!?…]["'”’)\]]*\s+/g;

/**
 * The end (exclusive, in UTF-16 code units) of the chunk that starts at `start`: about `target`
 * units long, cut after a paragraph break if there is one in the chunk's second half, else after a
 * line break, a sentence end, whitespace, in that order; else a hard cut.
 *
 * @param {string} text
 * @param {number} start
 * @param {number} target
 * @returns {number} an end in (start, text.length]
 */
export function chunkEnd(text, start, target) {
  const limit = start + target;
  if (limit >= text.length) return text.length;
  const floor = start + Math.floor(target / 2);
  const window = text.slice(floor, limit);

  let i = window.lastIndexOf("\n\n");
  if (i >= 0) return skipNewlines(text, floor + i + 2);
  i = window.lastIndexOf("\n");
  if (i >= 0) return floor + i + 1;

  let best = -1;
  SENTENCE_END.lastIndex = 0;
  for (let m; (m = SENTENCE_END.exec(window)); ) best = m.index + m[0].length;
  if (best > 0 && floor + best < limit) return floor + best;

  const space = window.search(/\s\S*$/);
  if (space >= 0) return floor + space + 1;

  // No break at all in the window: look a little further for whitespace before cutting hard.
  const ahead = text.slice(limit, limit + target).search(/\s/);
  if (ahead >= 0) return limit + ahead + 1;
  return safeCut(text, limit);
}

/** Past any further line breaks, so a chunk never starts with an empty line. */
function skipNewlines(text, i) {
  while (i < text.length && text[i] === "\n") i++;
  return i;
}

/** `i`, or one less if `i` falls between the halves of a surrogate pair. */
function safeCut(text, i) {
  const c = text.charCodeAt(i - 1);
  const d = text.charCodeAt(i);
  return c >= 0xd800 && c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff ? i - 1 : i;
}

/** Every chunk [start, end) of `text`, first `first` units long then `rest` (for tests). */
export function chunks(text, first, rest) {
  const out = [];
  let start = 0;
  do {
    const end = chunkEnd(text, start, out.length === 0 ? first : rest);
    out.push([start, end]);
    start = end;
  } while (start < text.length);
  return out;
}
