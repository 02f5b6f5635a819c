// The label checks live in the package (packages/nerlight/labelcheck.js, built into pkg/); the
// page's modules import them from here.
export { HEX_COLOR, LABEL_NAME } from "./pkg/labelcheck.js";
