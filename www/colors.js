// Label fills for the dark theme, made from the engine's light ones (Label::color: pale tints for
// near-black text). On a dark page those tints glare, so each gets a dark fill of the same hue for
// light text: its OKLCH lightness brought down into a narrow dark band (keeping the tints'
// relative order), its chroma kept, mapped into sRGB by lowering chroma. Pure, tested in Node;
// the page (panels/legend.js) and the extension's popup use it.

const toLinear = (c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
const toGamma = (c) => (c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055);

/** [r, g, b] in 0..1 of a #rgb or #rrggbb color (alpha, if any, ignored). */
function parseHex(hex) {
  let h = hex.replace(/^#/, "");
  if (h.length === 3 || h.length === 4) h = [...h.slice(0, 3)].map((c) => c + c).join("");
  return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16) / 255);
}

function toHex(rgb) {
  return `#${rgb.map((c) => Math.round(Math.min(1, Math.max(0, c)) * 255).toString(16).padStart(2, "0")).join("")}`;
}

function srgbToOklab([r, g, b]) {
  const [lr, lg, lb] = [r, g, b].map(toLinear);
  const l = Math.cbrt(0.4122214708 * lr + 0.5363325363 * lg + 0.0514459929 * lb);
  const m = Math.cbrt(0.2119034982 * lr + 0.6806995451 * lg + 0.1073969566 * lb);
  const s = Math.cbrt(0.0883024619 * lr + 0.2817188376 * lg + 0.6299787005 * lb);
  return [
    0.2104542553 * l + 0.793617785 * m - 0.0040720468 * s,
    1.9779984951 * l - 2.428592205 * m + 0.4505937099 * s,
    0.0259040371 * l + 0.7827717662 * m - 0.808675766 * s,
  ];
}

/** Linear sRGB of an OKLab color (may fall outside 0..1). */
function oklabToLinear([L, a, b]) {
  const l = (L + 0.3963377774 * a + 0.2158037573 * b) ** 3;
  const m = (L - 0.1055613458 * a - 0.0638541728 * b) ** 3;
  const s = (L - 0.0894841775 * a - 1.291485548 * b) ** 3;
  return [
    4.0767416621 * l - 3.3077115913 * m + 0.2309699292 * s,
    -1.2684380046 * l + 2.6097574011 * m - 0.3413193965 * s,
    -0.0041960863 * l - 0.7034186147 * m + 1.707614701 * s,
  ];
}

/** WCAG 2 relative luminance of a #rrggbb color. */
export function relativeLuminance(hex) {
  const [r, g, b] = parseHex(hex).map(toLinear);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2 contrast ratio of two #rrggbb colors (1 to 21). */
export function contrastRatio(a, b) {
  const [x, y] = [relativeLuminance(a), relativeLuminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

/** The OKLCH lightness band dark fills are put in: dark enough for light text, not black. */
export const DARK_LIGHTNESS = { min: 0.34, max: 0.46 };

/**
 * The dark-theme fill for a label's light fill `hex`: same hue, OKLCH lightness mapped from the
 * light tints' range (0.6–1) into DARK_LIGHTNESS, chroma kept (lowered only as far as sRGB needs).
 * "#dddddd" → a dark grey; "#77aadd" (PERSON) → a deep blue.
 */
export function darkFill(hex) {
  const [L, a, b] = srgbToOklab(parseHex(hex));
  const t = Math.min(1, Math.max(0, (L - 0.6) / 0.4));
  const L2 = DARK_LIGHTNESS.min + t * (DARK_LIGHTNESS.max - DARK_LIGHTNESS.min);
  const chroma = Math.hypot(a, b);
  const hue = Math.atan2(b, a);
  for (let c = chroma; ; c *= 0.95) {
    const rgb = oklabToLinear([L2, c * Math.cos(hue), c * Math.sin(hue)]);
    if (c < 1e-4 || rgb.every((v) => v >= -1e-6 && v <= 1 + 1e-6)) return toHex(rgb.map((v) => toGamma(Math.max(0, v))));
  }
}
