// Shared by the tests that use the npm package as a third party does (package.test.mjs,
// examples.test.mjs): pack the built package (www/pkg) and install the tarball into a project.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import path from "node:path";

import { ROOT } from "./page-helpers.mjs";

/** The repository's node_modules/.bin: esbuild and tsc, as a consumer's own would be. */
export const BIN = path.join(ROOT, "node_modules", ".bin");

/** `npm pack` the package into `dir` (scripts/build-package.sh --pack); the tarball's path. */
export function pack(dir) {
  const out = execFileSync("bash", [path.join(ROOT, "scripts", "build-package.sh"), "--pack", dir], { cwd: ROOT, encoding: "utf8" });
  const tarball = out.match(/^tarball: (\S+)/m)?.[1];
  assert.ok(tarball, out);
  return tarball;
}

/** Install `tarball` into the project in `project` (a local tarball without dependencies: offline). */
export function install(project, tarball) {
  execFileSync("npm", ["install", "--offline", "--no-audit", "--no-fund", "--silent", "--no-save", tarball], { cwd: project });
}

/** Run `npm run build` in `project`, with the repository's esbuild on the PATH. */
export function build(project) {
  execFileSync("npm", ["run", "--silent", "build"], {
    cwd: project,
    env: { ...process.env, PATH: `${BIN}${path.delimiter}${process.env.PATH}` },
    stdio: "pipe",
  });
}
