// The browser tests' world: a real, secured smptraced (TLS with a fresh
// development CA from deploy/make-dev-certs.sh, bearer tokens) on free ports,
// the clinic of docs/examples/clinic-setup.sh made with the real CLI (a
// token each for the admin, maria the manager, sam the practitioner and
// alex the auditor), and Debian's headless Chromium driven by
// playwright-core (no browser download). Each screen a test passes through
// is photographed and checked with axe-core.
//
// Configuration, from the environment (web/CMakeLists.txt sets it for ctest):
//   SMPTRACE_SMPTRACED   the smptraced binary
//   SMPTRACE_CLI         the smptrace CLI binary
//   SMPTRACE_WEB_ROOT    the built app (build/web/dist)
//   SMPTRACE_SHOTS       where screenshots go (made if missing)
//   SMPTRACE_CHROMIUM    the browser (default /usr/bin/chromium)

import { spawn, spawnSync } from "node:child_process";
import { createHash, X509Certificate } from "node:crypto";
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
export const webDir = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const repoDir = resolve(webDir, "..");

/** The path in environment variable `name`, made absolute. */
function setting(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (web/CMakeLists.txt sets it for ctest web.browser)`);
  return resolve(value);
}

/** Waits until `path` exists (the server writes it atomically once serving). */
async function readyFile(path, child, log) {
  for (;;) {
    if (existsSync(path)) return readFileSync(path, "utf8").trim();
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`smptraced ended before it was ready:\n${log()}`);
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * Starts smptraced secured on free ports and sets up the clinic. Returns
 * { url, grpc, tokens: {admin, maria, sam, alex}, cli(args, input), stop() }.
 * `flags` are more of smptraced's flags (a clinic's policy files).
 */
export async function startClinic(flags = []) {
  const dir = mkdtempSync(join(tmpdir(), "smptrace-browser-"));
  const certs = join(dir, "smptrace-certs");
  const made = spawnSync(join(repoDir, "deploy/make-dev-certs.sh"), [certs], { encoding: "utf8" });
  if (made.status !== 0) throw new Error(`make-dev-certs.sh failed: ${made.stderr}`);

  let log = "";
  const child = spawn(
    setting("SMPTRACE_SMPTRACED"),
    [
      "--data_dir", join(dir, "data"),
      "--listen", "127.0.0.1:0",
      "--http_listen", "127.0.0.1:0",
      "--ready_file", join(dir, "ready"),
      "--http_ready_file", join(dir, "http-ready"),
      "--web_root", setting("SMPTRACE_WEB_ROOT"),
      "--tls_cert", join(certs, "server.pem"),
      "--tls_key", join(certs, "server.key"),
      "--client_ca", join(certs, "ca.pem"),
      "--bootstrap_admin_token_file", join(dir, "smptrace-admin.token"),
      "--clinic_name", "Harley Street Clinic",
      ...flags,
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  child.stdout.on("data", (d) => (log += d));
  child.stderr.on("data", (d) => (log += d));
  const grpc = await readyFile(join(dir, "ready"), child, () => log);
  const http = await readyFile(join(dir, "http-ready"), child, () => log);

  const cliDir = dirname(setting("SMPTRACE_CLI"));
  const env = {
    ...process.env,
    PATH: `${cliDir}:${process.env.PATH}`,
    SMPTRACE_SERVER: grpc,
    SMPTRACE_CA_CERT: join(certs, "ca.pem"),
  };
  const setup = spawnSync("sh", [join(repoDir, "docs/examples/clinic-setup.sh")], { cwd: dir, env, encoding: "utf8" });
  if (setup.status !== 0) throw new Error(`clinic-setup.sh failed:\n${setup.stdout}\n${setup.stderr}\n${log}`);
  const token = (file) => readFileSync(join(dir, file), "utf8").trim();

  // The browser trusts exactly this server's key (as a clinic's tablet
  // would trust the clinic's CA): its SPKI hash, for Chromium's flag.
  const spki = new X509Certificate(readFileSync(join(certs, "server.pem")))
    .publicKey.export({ type: "spki", format: "der" });

  return {
    dir,
    url: `https://${http}`,
    grpc,
    spkiHash: createHash("sha256").update(spki).digest("base64"),
    tokens: {
      admin: token("smptrace-admin.token"),
      maria: token("maria.token"),
      sam: token("sam.token"),
      alex: token("alex.token"),
    },
    /** Runs the CLI as `who` (a token file name) with `args`; throws on failure. */
    cli(who, args, input = "") {
      const r = spawnSync(setting("SMPTRACE_CLI"), args, {
        cwd: dir,
        env: { ...env, SMPTRACE_TOKEN_FILE: join(dir, who) },
        input,
        encoding: "utf8",
      });
      if (r.status !== 0) throw new Error(`smptrace ${args.join(" ")}: ${r.stderr}${r.stdout}`);
      return r.stdout;
    },
    log: () => log,
    async stop() {
      child.kill("SIGTERM");
      if (child.exitCode === null) await new Promise((r) => child.once("exit", r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Empties SMPTRACE_SHOTS (the screenshots of an earlier run). */
export function resetScreens() {
  const out = setting("SMPTRACE_SHOTS");
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
}

/** Debian's Chromium, headless, with the flags this machine's closed network needs. */
export async function launchBrowser(clinic) {
  return chromium.launch({
    executablePath: process.env.SMPTRACE_CHROMIUM || "/usr/bin/chromium",
    headless: true,
    // playwright gives it a new, empty --user-data-dir of its own.
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      // Dates in the form a UK clinic writes them (the date fields' format
      // follows the browser's language).
      "--lang=en-GB",
      `--ignore-certificate-errors-spki-list=${clinic.spkiHash}`,
    ],
  });
}

/** A new browser context (no cookies) shaped like the kiosk's tablet. */
export async function newContext(browser, clinic) {
  return browser.newContext({
    baseURL: clinic.url,
    viewport: { width: 1280, height: 800 },
    deviceScaleFactor: 1,
    timezoneId: "Europe/London",
    locale: "en-GB",
  });
}

/** Opens the app in `context` and signs in with `token`; returns the page. */
export async function signIn(context, token) {
  const page = await context.newPage();
  await page.goto("/");
  await page.getByLabel("Your token").fill(token);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("button", { name: "Sign out" }).waitFor();
  return page;
}

const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

/**
 * Photographs the screen as `<scenario>-<nn>-<name>.png` under
 * SMPTRACE_SHOTS and checks it with axe-core: a "serious" or "critical"
 * violation fails the test. axe goes in through the DevTools protocol
 * (page.evaluate), which the page's strict CSP does not govern: an inline
 * <script> (addScriptTag with content) would be refused by script-src 'self'.
 */
export function screens(scenario) {
  const out = setting("SMPTRACE_SHOTS");
  let n = 0;
  return async function screen(page, name) {
    // Let fonts and the last render settle; animations are not waited for.
    await page.evaluate(() => document.fonts.ready);
    n += 1;
    const file = join(out, `${scenario}-${String(n).padStart(2, "0")}-${name}.png`);
    // The whole page, but what a person sees when a dialog is open.
    const dialog = (await page.locator("dialog[open]").count()) > 0;
    await page.screenshot({ path: file, fullPage: !dialog, animations: "disabled", caret: "hide" });
    const violations = await axe(page);
    // Every finding, the minor and moderate ones too, for the record.
    appendFileSync(join(out, "axe.jsonl"), JSON.stringify({ screen: `${scenario}-${name}`, violations }) + "\n");
    const bad = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    if (bad.length > 0) {
      const text = bad
        .map((v) => `${v.impact} ${v.id}: ${v.help}\n${v.nodes.map((x) => `    ${x.target.join(" ")}: ${x.failureSummary}`).join("\n")}`)
        .join("\n");
      throw new Error(`accessibility (axe-core) on ${scenario}/${name} (${file}):\n${text}`);
    }
    return file;
  };
}

/** axe-core's violations on the page as it is now (WCAG 2.1 A and AA rules, and best practices). */
export async function axe(page) {
  const loaded = await page.evaluate(() => typeof globalThis.axe !== "undefined");
  if (!loaded) await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const r = await globalThis.axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((x) => ({ target: x.target, failureSummary: x.failureSummary })),
    }));
  });
}

/**
 * At the kiosk's first step: looks up client `code`, which the clinic does
 * not know yet, and registers them with `contact` ({ Name, Phone } or
 * { Name, Email }: the fields' labels), then waits for the screening.
 * `before` runs with the registration form filled in (for a screenshot).
 */
export async function registerClient(page, code, contact, before = async () => {}) {
  await page.getByLabel("Client code").fill(code);
  await page.getByRole("button", { name: "Find client" }).click();
  for (const [label, value] of Object.entries(contact)) await page.getByLabel(label).fill(value);
  await before();
  await page.getByRole("button", { name: `Register client ${code}` }).click();
  await page.getByRole("heading", { name: `Client ${code}: the procedure` }).waitFor();
}

/**
 * At the kiosk: registers client `code` (registerClient), starts the
 * client's first session (area "crown", no screening question applies) and
 * waits for the scanner field; returns the session's id.
 */
export async function startKioskSession(page, code, contact) {
  await registerClient(page, code, contact);
  await page.getByLabel("Treatment area").fill("crown");
  await page.getByLabel("I asked every question and none applies").check();
  await page.getByRole("button", { name: "Start the session" }).click();
  await page.locator("#scan:focus").waitFor();
  return (await page.getByRole("region", { name: "Session" }).locator("strong").innerText()).trim();
}

/** A keyboard-wedge scanner: the barcode's characters, then its terminator. */
export async function scanInto(page, barcode, ending = "\r") {
  await page.keyboard.type(barcode);
  switch (ending) {
    case "\r":
      await page.keyboard.press("Enter");
      break;
    case "\r\n":
      // CR is the Enter key; LF comes as Ctrl+J from a scanner in keyboard mode.
      await page.keyboard.press("Enter");
      await page.keyboard.press("Control+j");
      break;
    case "\t":
      await page.keyboard.press("Tab");
      break;
    default:
      throw new Error(`unknown scanner ending ${JSON.stringify(ending)}`);
  }
}

/** A unit's GS1 element string as printed on smptrace's own labels. */
export function cartridge(serial) {
  return `(01)09506000134352(17)271231(10)CT-2291(21)${serial}`;
}
export function inkBottle(serial) {
  return `(01)09506000134369(17)280630(10)INK-77(21)${serial}`;
}
