// What a label's name and color must look like before they go into a stylesheet. The names and
// colors come from our own engine, but the page (app.js, panels/legend.js, export.js) and the
// extension (background.js) build CSS from them, so both check them against these patterns.
// scripts/build-extension.sh copies this file into the extension.

/** A label name: PERSON, WORK_OF_ART. Safe in a class name, an attribute value, a highlight name. */
export const LABEL_NAME = /^[A-Z][A-Z0-9_]*$/;

/** A label color: #rgb, #rgba, #rrggbb or #rrggbbaa. */
export const HEX_COLOR = /^#[0-9a-fA-F]{3,8}$/;
