// Sharing a view as a link: the text, the view settings and the sender's own phrases, as JSON
// compressed with deflate-raw
// and written in base64url into the URL's hash (#v1=…). The hash never reaches a server.

/** The longest hash a link may carry, in characters: links longer than this break in mail clients and chats, and some browsers cut them. */
export const MAX_HASH_CHARS = 32 * 1024;
const PREFIX = "#v1=";

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
  const json = JSON.stringify({
    text: view.text,
    hidden: view.hidden,
    threshold: view.threshold,
    phrases: view.phrases ?? [],
  });
  const packed = await pipe(new TextEncoder().encode(json), new CompressionStream("deflate-raw"));
  const hash = PREFIX + toBase64url(packed);
  if (hash.length > MAX_HASH_CHARS) {
    const kb = (n) => `${Math.ceil(n / 1024)} KB`;
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
 * The view in a hash made by encodeView. Throws an Error saying what is wrong with a damaged one.
 *
 * @param {string} hash
 * @returns {Promise<{text: string, hidden: string[], threshold: number,
 *                    phrases: {text: string, label: string}[]}>}
 */
export async function decodeView(hash) {
  if (!isViewHash(hash)) throw new Error("this link holds no shared text");
  if (hash.length > MAX_HASH_CHARS * 2) throw new Error("the link is too long");
  let value;
  try {
    const bytes = await pipe(fromBase64url(hash.slice(PREFIX.length)), new DecompressionStream("deflate-raw"));
    value = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new Error("the shared link is damaged (it may have been cut short)");
  }
  if (typeof value?.text !== "string") throw new Error("the shared link holds no text");
  return {
    text: value.text,
    hidden: Array.isArray(value.hidden) ? value.hidden.filter((l) => typeof l === "string") : [],
    threshold: Number.isFinite(value.threshold) ? value.threshold : 0,
    phrases: Array.isArray(value.phrases)
      ? value.phrases
          .filter((p) => typeof p?.text === "string" && typeof p?.label === "string")
          .map((p) => ({ text: p.text, label: p.label }))
      : [],
  };
}
