// Drives Debian's Firefox ESR headless over WebDriver BiDi (Firefox's own remote protocol; no
// geckodriver): a profile of our own, `--remote-debugging-port`, and a small client over the `ws`
// module that playwright-core ships (playwright's own Firefox is a patched build, not this one).
// Used by tests/e2e/extension-firefox.test.mjs to install the extension temporarily
// (webExtension.install) and talk to it from its own pages.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";

const { ws: WebSocket } = createRequire(import.meta.url)("playwright-core/lib/utilsBundle");

export const FIREFOX = process.env.FIREFOX ?? "/usr/bin/firefox-esr";

/**
 * Starts Firefox headless on a fresh profile; `uuids` fixes the moz-extension:// host of add-ons
 * by id ({"nerlight@nerlight.invalid": "…"}), so their pages can be opened by URL. Resolves with a
 * BiDi session: `send(method, params)`, `evaluate(context, expression)` (awaits promises, returns
 * the JSON the expression's value is stringified to), `close()`.
 */
export async function launchFirefox({ uuids = {}, timeout = 60_000 } = {}) {
  assert.ok(existsSync(FIREFOX), `${FIREFOX} is missing: bash scripts/setup.sh --browser installs firefox-esr`);
  const profile = mkdtempSync(path.join(os.tmpdir(), "nerlight-firefox-"));
  const prefs = {
    "extensions.webextensions.uuids": JSON.stringify(uuids),
    "browser.shell.checkDefaultBrowser": false,
    "datareporting.policy.dataSubmissionEnabled": false,
    "toolkit.telemetry.reportingpolicy.firstRun": false,
    "app.update.disabledForTesting": true,
    "browser.startup.homepage_override.mstone": "ignore",
    "browser.aboutwelcome.enabled": false,
    "extensions.autoDisableScopes": 0,
    "network.captive-portal-service.enabled": false,
    "network.connectivity-service.enabled": false,
  };
  writeFileSync(
    path.join(profile, "user.js"),
    Object.entries(prefs).map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});`).join("\n") + "\n",
  );
  const child = spawn(FIREFOX, ["--headless", "--no-remote", "--profile", profile, "--remote-debugging-port", "0", "about:blank"], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, MOZ_CRASHREPORTER_DISABLE: "1" },
  });
  let log = "";
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Firefox did not offer WebDriver BiDi:\n${log.slice(-2000)}`)), timeout);
    const look = (chunk) => {
      log += chunk;
      const m = log.match(/WebDriver BiDi listening on (ws:\/\/[^\s]+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout.on("data", look);
    child.stderr.on("data", look);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`Firefox exited with ${code}:\n${log.slice(-2000)}`));
    });
  });
  const socket = new WebSocket(`${url.replace(/\/$/, "")}/session`);
  await new Promise((resolve, reject) => {
    socket.once("open", resolve);
    socket.once("error", reject);
  });
  let next = 0;
  const pending = new Map();
  socket.on("message", (data) => {
    const message = JSON.parse(String(data));
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (message.type === "error") waiter.reject(new Error(`${message.error}: ${message.message}`));
    else waiter.resolve(message.result);
  });
  const send = (method, params = {}) =>
    new Promise((resolve, reject) => {
      const id = ++next;
      pending.set(id, { resolve, reject });
      socket.send(JSON.stringify({ id, method, params }));
    });
  const session = await send("session.new", { capabilities: {} });
  return {
    browserVersion: session.capabilities.browserVersion,
    send,
    async evaluate(context, expression) {
      const result = await send("script.evaluate", {
        expression: `(async () => JSON.stringify(await (${expression})))()`,
        target: { context },
        awaitPromise: true,
      });
      if (result.type === "exception") throw new Error(`${expression}: ${result.exceptionDetails.text}`);
      return result.result.value === undefined ? undefined : JSON.parse(result.result.value);
    },
    async close() {
      await send("browser.close").catch(() => {});
      socket.close();
      await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once("exit", resolve)));
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
