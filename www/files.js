// Opening a .txt or .html file as the text to highlight.
//
// HTML is parsed with DOMParser into a document that is never attached to the page (so nothing
// in it loads or runs), script, style, noscript and template elements are dropped, and the text
// is taken with line breaks where blocks end, roughly as a browser would show it.

/**
 * The largest text file that can be opened, in bytes: 20 MiB, the page's ceiling for a text
 * (MAX_TEXT_UNITS in textview.js). N bytes of UTF-8 decode to at most N UTF-16 units, so a file
 * within this never goes over that ceiling. A long file is held in memory and shown read-only,
 * never written into the text box (which took a 13 s task to take 2 MB), and only the chunks near
 * the view are rendered (README, "Long texts"). A larger file is refused with a message before it
 * is read, and the text stays as it was.
 */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;

/**
 * The largest HTML file, in bytes: 1 MiB. Its text is taken with DOMParser, which only runs on
 * the page's thread, in one task (about a second for 20 MB of markup).
 */
export const MAX_HTML_FILE_BYTES = 1024 * 1024;

const DROP = "script, style, noscript, template, head, iframe, object, embed, svg, math, canvas";
const BLOCKS = new Set(
  ("address article aside blockquote dd details dialog div dl dt fieldset figcaption figure footer form " +
    "h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table tbody thead tfoot tr ul")
    .split(" "),
);
const PARAGRAPHS = new Set("p h1 h2 h3 h4 h5 h6 blockquote pre table ul ol dl figure hr".split(" "));

/**
 * The visible text of an HTML document.
 *
 * @param {string} html
 * @param {typeof DOMParser} [Parser]
 */
export function htmlToText(html, Parser = DOMParser) {
  const doc = new Parser().parseFromString(html, "text/html");
  for (const el of doc.querySelectorAll(DROP)) el.remove();
  const out = [];
  // Block edges ask for a line break (or a blank line); consecutive requests merge into the
  // largest, so nested and adjacent blocks do not stack empty lines. <br> is a hard line break.
  let pending = 0;
  const brk = (n) => (pending = Math.max(pending, n));
  const emit = (s) => {
    if (pending > 0 && out.length > 0) out.push("\n".repeat(pending));
    pending = 0;
    out.push(s);
  };
  const walk = (node, pre) => {
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === 3) {
        const text = pre ? child.data : child.data.replace(/\s+/g, " ");
        const atLineStart = pending > 0 || out.length === 0 || out[out.length - 1].endsWith("\n");
        if (text === "" || (text === " " && atLineStart)) continue;
        emit(text);
      } else if (child.nodeType === 1) {
        const tag = child.localName;
        if (tag === "br") {
          emit("\n");
          continue;
        }
        const block = BLOCKS.has(tag);
        if (block) brk(PARAGRAPHS.has(tag) ? 2 : 1);
        else if (tag === "td" || tag === "th") emit("\t");
        walk(child, pre || tag === "pre" || tag === "textarea");
        if (block) brk(PARAGRAPHS.has(tag) ? 2 : 1);
      }
    }
  };
  if (doc.body) walk(doc.body, false);
  return out
    .join("")
    .split("\n")
    .map((line) => line.replace(/^[ \t]+|[ \t]+$/g, ""))
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/**
 * The text of a dropped or picked file: .txt (or any text/plain) as is, .html/.htm as its text.
 * Rejects with a message for other kinds and for files over MAX_FILE_BYTES (HTML:
 * MAX_HTML_FILE_BYTES).
 *
 * @param {File} file
 * @returns {Promise<string>}
 */
export async function readTextFile(file) {
  const name = file.name.toLowerCase();
  const isHtml = /\.x?html?$/.test(name) || file.type === "text/html" || file.type === "application/xhtml+xml";
  const isText = /\.(txt|text|md)$/.test(name) || file.type === "text/plain" || file.type === "text/markdown";
  if (!isHtml && !isText) throw new Error(`${file.name} is not a .txt or .html file`);
  const max = isHtml ? MAX_HTML_FILE_BYTES : MAX_FILE_BYTES;
  if (file.size > max) {
    throw new Error(
      `${file.name} is ${(file.size / 1048576).toFixed(1)} MB; ${isHtml ? "HTML files" : "files"} up to ${max / 1048576} MB can be opened`,
    );
  }
  const text = await file.text();
  return isHtml ? htmlToText(text) : text;
}
