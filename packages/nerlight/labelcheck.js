// What a label's name and color must look like before they go into a stylesheet. The names and
// colors come from our own engine, but nerlight/dom (highlightStyles), the page and the extension
// build CSS from them, so all of them check them against these patterns.

/** A label name: PERSON, WORK_OF_ART. Safe in a class name, an attribute value, a highlight name. */
export const LABEL_NAME = /^[A-Z][A-Z0-9_]*$/;

/** A label color: #rgb, #rgba, #rrggbb or #rrggbbaa. */
export const HEX_COLOR = /^#[0-9a-fA-F]{3,8}$/;
