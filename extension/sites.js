// Per-site settings, shared by the service worker (background.js) and the popup (popup.js):
// chrome.storage.local, key "site:<origin>": { enabled, auto, hidden: [label names] }.
// content.js, bundled into a classic script, reads the same key by name.

export const SITE_PREFIX = "site:";

export const siteKey = (origin) => `${SITE_PREFIX}${origin}`;

export async function siteSettings(origin) {
  const key = siteKey(origin);
  const stored = (await chrome.storage.local.get(key))[key] ?? {};
  return { enabled: false, auto: false, hidden: [], ...stored };
}

export async function saveSiteSettings(origin, patch) {
  const next = { ...(await siteSettings(origin)), ...patch };
  await chrome.storage.local.set({ [siteKey(origin)]: next });
  return next;
}

/** The origin of an http(s) URL, or null for pages the extension never touches. */
export function webOrigin(url) {
  try {
    const u = new URL(url);
    return u.protocol === "http:" || u.protocol === "https:" ? u.origin : null;
  } catch {
    return null;
  }
}
