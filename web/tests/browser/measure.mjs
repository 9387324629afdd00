// Measurements of the web application for docs/BENCHMARKS.md, in Debian's
// headless Chromium against a real, secured smptraced on this machine
// (harness.mjs):
//
//  1. first load: every response the browser received opening the app (the
//     sign-in screen, then the kiosk after signing in), with its encoded
//     (on-the-wire) size as Chromium counted it, and the same files gzipped
//     (-9) for comparison;
//  2. scanner Enter → ✔ on screen: a practitioner's kiosk session scans N
//     distinct units of Room 1 typed as a keyboard-wedge scanner types; in the
//     page, performance.now() at the scanner field's keydown Enter (capture
//     phase, before the app sees it) to the moment the new ✔ panel is in the
//     DOM, and to the next animation frame (the frame that shows it); and
//     the ScanConsumable call's own duration (Resource Timing), to tell the
//     server's share (a durable, fsync'd write) from the page's; and Enter →
//     the scan's row in "Opened in this session" (it follows the ✔).
//
//   cmake --build build --target smptraced smptrace web
//   cd web && SMPTRACE_SMPTRACED=../build/service/api/smptraced \
//     SMPTRACE_CLI=../build/client/smptrace SMPTRACE_WEB_ROOT=../build/web/dist \
//     SMPTRACE_SHOTS=../build/web/screenshots node tests/browser/measure.mjs [SCANS]

import { existsSync, readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { cartridge, launchBrowser, newContext, scanInto, signIn, startClinic, startKioskSession } from "./harness.mjs";

const scans = Number(process.argv[2] ?? 250);

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
function summary(values) {
  const s = [...values].sort((a, b) => a - b);
  const f = (x) => x.toFixed(1);
  return `p50 ${f(percentile(s, 50))} ms · p90 ${f(percentile(s, 90))} ms · p99 ${f(percentile(s, 99))} ms · max ${f(s[s.length - 1])} ms (n=${s.length})`;
}

const clinic = await startClinic();
const browser = await launchBrowser(clinic);
try {
  // 1. First load.
  const context = await newContext(browser, clinic);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  const responses = new Map();
  cdp.on("Network.responseReceived", (e) =>
    responses.set(e.requestId, { url: e.response.url, encoding: e.response.headers["content-encoding"] ?? e.response.headers["Content-Encoding"] ?? "" }),
  );
  cdp.on("Network.loadingFinished", (e) => {
    const r = responses.get(e.requestId);
    if (r) r.bytes = e.encodedDataLength;
  });
  await page.goto("/", { waitUntil: "networkidle" });
  const beforeSignIn = [...responses.values()];
  const distDir = resolve(process.env.SMPTRACE_WEB_ROOT);
  let wire = 0;
  let raw = 0;
  let gzip = 0;
  console.log("first load (sign-in screen):");
  for (const r of beforeSignIn) {
    const path = new URL(r.url).pathname;
    const file = join(distDir, path === "/" ? "index.html" : path);
    if (!existsSync(file)) {
      // An API call (/auth/me: not signed in yet).
      wire += r.bytes ?? 0;
      console.log(`  ${path}: ${r.bytes} B on the wire (the API)`);
      continue;
    }
    const body = readFileSync(file);
    const gz = gzipSync(body, { level: 9 }).length;
    wire += r.bytes ?? 0;
    raw += body.length;
    gzip += gz;
    console.log(`  ${path}: ${r.bytes} B on the wire (content-encoding: ${r.encoding || "none"}), file ${body.length} B, gzip -9 ${gz} B`);
  }
  console.log(`  total: ${wire} B on the wire (${(wire / 1024).toFixed(1)} KiB); files ${raw} B; gzip -9 ${gzip} B (${(gzip / 1024).toFixed(1)} KiB)`);
  await context.close();

  // 2. Scanner Enter → ✔. Room 1 gets `scans` more cartridges (serialised
  // by smptrace at receiving).
  const received = clinic.cli(
    "maria.token",
    ["receive", "--location", "LOC-000003", "--supplier", "SUP-000001"],
    `(00)106141411234567897(02)09506000134352(17)271231(10)CT-5000(37)${scans + 20}\n`,
  );
  if (!received.includes(`${scans + 20} × Cartridge`)) throw new Error(received);
  const units = clinic.cli("maria.token", ["lot", "show", "09506000134352", "CT-5000", "--units"]);
  const serials = [...new Set(units.match(/SMP\d{9}/g) ?? [])];
  if (serials.length < scans + 20) throw new Error(`expected ${scans} serials in:\n${units}`);
  const kiosk = await newContext(browser, clinic);
  const p = await signIn(kiosk, clinic.tokens.sam);
  const sessionId = await startKioskSession(p, "HX-900", { Name: "Bench Client", Phone: "+44 20 7946 0999" });
  await p.evaluate(() => {
    const w = /** @type {any} */ (window);
    w.latencies = [];
    performance.setResourceTimingBufferSize(100000);
    let start = 0;
    let last = null;
    // The list of what was opened follows the ✔ (a frame later): Enter →
    // its new row, per scan, in order.
    const listStarts = [];
    w.listLatencies = [];
    const rows = () => document.querySelectorAll("[aria-labelledby=opened-h] tbody tr").length;
    let rowsSeen = rows();
    document.addEventListener(
      "keydown",
      (e) => {
        if (e.key === "Enter" && e.target instanceof HTMLElement && e.target.id === "scan") {
          start = performance.now();
          listStarts.push(start);
        }
      },
      true,
    );
    new MutationObserver(() => {
      const n = rows();
      for (; rowsSeen < n && listStarts.length > 0; rowsSeen++) w.listLatencies.push(performance.now() - listStarts.shift());
      const shown = document.querySelector(".result.ok, .result.bad");
      if (!shown || shown === last || start === 0) return;
      last = shown;
      const t0 = start;
      start = 0;
      const dom = performance.now() - t0;
      // The ScanConsumable call's own time (request sent → answer read).
      const calls = performance.getEntriesByType("resource").filter((r) => r.name.endsWith("/ScanConsumable"));
      const entry = calls.length > 0 ? calls[calls.length - 1] : undefined;
      const call = entry ? entry.duration : NaN;
      // The answer's size: as sent (encodedBodySize) and decoded.
      const bytes = entry ? entry.encodedBodySize : NaN;
      const decoded = entry ? entry.decodedBodySize : NaN;
      requestAnimationFrame(() =>
        w.latencies.push({ dom, frame: performance.now() - t0, call, bytes, decoded, ok: shown.classList.contains("ok") }),
      );
    }).observe(document.body, { subtree: true, childList: true });
  });
  const load = () => loadavg().map((l) => l.toFixed(2)).join(" ");
  const loadBefore = load();
  for (const serial of serials.slice(0, scans)) {
    await scanInto(p, cartridge(serial), "\r");
    await p.locator(".result.ok .hint.mono", { hasText: cartridge(serial) }).waitFor();
  }
  await p.waitForFunction((n) => window.latencies.length >= n && window.listLatencies.length >= n, scans);
  const lat = await p.evaluate(() => window.latencies);
  const listLat = await p.evaluate(() => window.listLatencies);
  const refused = lat.filter((l) => !l.ok).length;
  console.log(`scanner Enter → ✔ (${scans} scans, ${refused} refused; load average 1/5/15 min before ${loadBefore}, after ${load()}):`);
  console.log(`  ✔ in the DOM:        ${summary(lat.map((l) => l.dom))}`);
  console.log(`  next frame (shown):  ${summary(lat.map((l) => l.frame))}`);
  console.log(`  of which the call:   ${summary(lat.map((l) => l.call))}`);
  console.log(`  its row in the list: ${summary(listLat)}`);
  // Where the time goes, per scan: the page's share before the ✔ is in the
  // DOM (Enter → DOM minus the call), and the frame that shows it.
  console.log(`  page before the ✔:   ${summary(lat.map((l) => l.dom - l.call))}`);
  console.log(`  ✔ in DOM → shown:    ${summary(lat.map((l) => l.frame - l.dom))}`);
  const sizes = (pick) => lat.map(pick).filter((b) => Number.isFinite(b));
  const bytes = sizes((l) => l.bytes);
  const decoded = sizes((l) => l.decoded);
  if (bytes.length > 0) {
    console.log(
      `  ScanConsumable answer: first ${bytes[0]} B, last ${bytes[bytes.length - 1]} B on the wire (decoded ${decoded[0]} B, ${decoded[decoded.length - 1]} B)`,
    );
  }
  // The session grows with each scan: the call's p50 per fifth of the run.
  const fifth = Math.ceil(lat.length / 5);
  for (let i = 0; i < lat.length; i += fifth) {
    const part = lat.slice(i, i + fifth);
    console.log(`  scans ${i + 1}–${i + part.length}: Enter → ✔ ${summary(part.map((l) => l.frame))}; call p50 ${percentile([...part.map((l) => l.call)].sort((a, b) => a - b), 50).toFixed(1)} ms`);
  }
  // The same session, the same kind of scan through the gRPC port (the
  // CLI; one process, one connection, the lines one by one): the server's
  // share without the browser and the HTTP listener.
  const more = serials.slice(scans, scans + 20);
  if (more.length > 0) {
    const t0 = performance.now();
    clinic.cli("sam.token", ["session", "scan", sessionId], more.map((s) => `${cartridge(s)}\n`).join(""));
    const each = (performance.now() - t0) / more.length;
    console.log(`  the CLI (gRPC), ${more.length} more scans into ${sessionId}: ${each.toFixed(1)} ms each, process start included`);
  }
  await kiosk.close();
} finally {
  await browser.close();
  await clinic.stop();
}
