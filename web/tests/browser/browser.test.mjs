// The web application end to end, in Debian's headless Chromium against a
// real, secured smptraced with real tokens (harness.mjs): the practitioner's
// whole procedure typed as a keyboard-wedge scanner types, a BLOCKED
// screening approved by a manager, a receive by scanning, a recall lookback
// by the auditor, and what a role, a missing cookie and a sign-out allow.
// Every screen is photographed (SMPTRACE_SHOTS) and checked with axe-core.
// Run by ctest as web.browser; the scenarios share one server and run in
// order (the auditor's lookback finds the procedure's client).

import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import {
  cartridge,
  inkBottle,
  launchBrowser,
  newContext,
  registerClient,
  repoDir,
  resetScreens,
  scanInto,
  screens,
  signIn,
  startClinic,
  startKioskSession,
} from "./harness.mjs";

let clinic;
let browser;

before(async () => {
  resetScreens();
  clinic = await startClinic();
  browser = await launchBrowser(clinic);
});

after(async () => {
  await browser?.close();
  await clinic?.stop();
});

/**
 * Runs `body` with a new context (no cookie); on a failure, photographs
 * every page it left open (`<scenario>-failed-N.png`) and adds what the
 * page said to the error.
 */
async function inContext(scenario, body) {
  const context = await newContext(browser, clinic);
  try {
    await body(context, screens(scenario));
  } catch (err) {
    const pages = context.pages();
    for (const [i, page] of pages.entries()) {
      const file = join(process.env.SMPTRACE_SHOTS, `${scenario}-failed-${i + 1}.png`);
      await page.screenshot({ path: file }).catch(() => {});
      const text = await page.locator("body").innerText({ timeout: 1000 }).catch(() => "");
      err.message += `\n--- page ${page.url()} (${file}):\n${text}`;
    }
    throw err;
  } finally {
    await context.close();
  }
}

/** The big ✔/✘ panel once it shows the answer to `barcode`. */
function answerTo(page, barcode) {
  return page.locator(".result", { has: page.locator(".hint.mono", { hasText: barcode }) });
}

test("a whole procedure at the kiosk, typed as a keyboard-wedge scanner", () =>
  inContext("kiosk", async (context, screen) => {
    const page = await signIn(context, clinic.tokens.sam);
    await page.waitForURL("**/kiosk");
    // The kiosk, a shared screen, signs out sooner than a desk (--web_kiosk_idle).
    assert.match(await page.locator("footer").innerText(), /signed out after 2 min without activity/);

    // 1 Client: unknown code → register.
    await screen(page, "client");
    await registerClient(page, "HX-201", { Name: "Jordan Example", Phone: "+44 20 7946 0001" }, () =>
      screen(page, "client-register"),
    );

    // 2 Screening: Room 1 is the only room; none of the questions applies.
    assert.equal(await page.getByLabel("Treatment room").inputValue(), "LOC-000003");
    await page.getByLabel("Treatment area").fill("crown and hairline");
    await page.getByLabel("I asked every question and none applies").check();
    await screen(page, "screening");
    await page.getByRole("button", { name: "Start the session" }).click();

    // 3 Scan: the scanner field has the focus without a click.
    await page.getByRole("heading", { name: "Scan each item as you open it" }).waitFor();
    await assert.doesNotReject(page.locator("#scan:focus").waitFor());
    await screen(page, "scan-ready");

    // CR+LF: one scan, not a second empty one.
    await scanInto(page, cartridge("SMP000000001"), "\r\n");
    const first = answerTo(page, cartridge("SMP000000001"));
    await first.and(page.locator(".result.ok")).waitFor();
    assert.match(await first.innerText(), /✔[\s\S]*Cartridge 1RL 0\.25[\s\S]*lot CT-2291 · expires 2027-12-31[\s\S]*serial SMP000000001/);
    await screen(page, "scan-ok");

    // A double read of the same label within a second: sent once, no
    // refusal. (Typed slower than that, by a loaded machine, it is sent
    // twice and the server answers the second as the first: still no reuse.)
    const sent = [];
    page.on("request", (r) => r.url().endsWith("/ScanConsumable") && sent.push(r.postData() ?? ""));
    const readAt = Date.now();
    await scanInto(page, cartridge("SMP000000002"), "\r");
    await scanInto(page, cartridge("SMP000000002"), "\r");
    const within = Date.now() - readAt < 1000;
    await answerTo(page, cartridge("SMP000000002")).and(page.locator(".result.ok")).waitFor();
    if (within) assert.equal(sent.filter((b) => b.includes("SMP000000002")).length, 1, "a double read is sent once");
    // CR only, then a Tab-ended scan of the ink bottle (which opens it).
    await scanInto(page, inkBottle("SMP000000021"), "\t");
    await answerTo(page, inkBottle("SMP000000021")).and(page.locator(".result.ok")).waitFor();
    assert.match(await page.locator(".result.ok").innerText(), /SMP Ink Black 15ml[\s\S]*bottle SMP000000021[\s\S]*bottle opened/);
    await page.getByRole("heading", { name: "Opened in this session (3)" }).waitFor();
    assert.equal(await page.locator(".result.bad").count(), 0, "a double read must not be refused as a reuse");
    assert.equal(await page.locator("#scan").inputValue(), "", "the scanner field is empty after each scan");

    // A unit still in the stock room: ✘ with the reason and what to do.
    await scanInto(page, cartridge("SMP000000012"), "\r\n");
    const refused = answerTo(page, cartridge("SMP000000012"));
    await refused.and(page.locator(".result.bad")).waitFor();
    const refusal = await refused.innerText();
    assert.match(refusal, /✘[\s\S]*Refused: unit elsewhere/);
    assert.match(refusal, /is in stock at LOC-000002 \(Stock room\), not at LOC-000003 \(Room 1\): transfer it here first/);
    await screen(page, "scan-refused");

    // A scan made by mistake, voided: the package was not opened.
    await scanInto(page, cartridge("SMP000000003"), "\r");
    await answerTo(page, cartridge("SMP000000003")).and(page.locator(".result.ok")).waitFor();
    await page.getByRole("heading", { name: "Opened in this session (4)" }).waitFor();
    const scanNumber = /scan (\d+)/.exec(await page.locator(".result.ok").innerText())[1];
    await page.getByRole("button", { name: `Void scan ${scanNumber}` }).click();
    await page.getByLabel("Why (required)").fill("scanned the wrong box");
    await page.getByLabel("Not opened: it goes back to stock in the room, usable").check();
    await screen(page, "void");
    await page.getByRole("button", { name: "Void the scan" }).click();
    await page.getByRole("heading", { name: "Opened in this session (3)" }).waitFor();
    await page.getByText("voided (not opened)").waitFor();
    await screen(page, "scan-list");

    // 4 Dispose: open the room's container, scan both cartridges into it.
    await page.getByRole("button", { name: "Done: dispose →" }).click();
    await page.getByRole("heading", { name: "Still to dispose (2)" }).waitFor();
    await page.getByLabel("As written on it").fill("5 L yellow, Room 1");
    await page.getByRole("button", { name: "Open container" }).click();
    await page.getByLabel("Container", { exact: true }).waitFor();
    await screen(page, "dispose");
    await scanInto(page, cartridge("SMP000000001"), "\r\n");
    await answerTo(page, cartridge("SMP000000001")).and(page.locator(".result.ok")).waitFor();
    await scanInto(page, cartridge("SMP000000002"), "\t");
    await answerTo(page, cartridge("SMP000000002")).and(page.locator(".result.ok")).waitFor();
    await page.getByRole("heading", { name: "Still to dispose (0)" }).waitFor();
    await screen(page, "dispose-done");

    // 5 Close and 6 the sealed record.
    await page.getByRole("button", { name: "Close the session →" }).click();
    await page.getByText("Every single-use unit is in a sharps container.").waitFor();
    await screen(page, "close");
    await page.getByRole("button", { name: "Close and seal the record" }).click();
    await page.getByRole("heading", { name: /^Record of SES-\d+$/ }).waitFor();
    await page.getByText(/Sealed at journal entry \d+/).waitFor();
    const record = await page.locator("main").innerText();
    assert.match(record, /EXCEPTIONS: listed below/, "the void is an exception on the record");
    assert.match(record, /Client HX-201/);
    assert.doesNotMatch(record, /unit_already_used/, "the double read is not a reuse attempt");
    await screen(page, "record");
  }));

test("a BLOCKED screening goes ahead with a manager's own token", () =>
  inContext("approval", async (context, screen) => {
    const page = await signIn(context, clinic.tokens.sam);
    await registerClient(page, "HX-202", { Name: "Robin Example", Email: "robin@example.org" });
    await page.getByLabel("Treatment area").fill("crown");
    await page.getByLabel("Still taking it").check();
    await page.getByRole("button", { name: "Start the session" }).click();

    const blocked = page.getByRole("alert").filter({ hasText: "Screening BLOCKED" });
    await blocked.waitFor();
    assert.match(await blocked.innerText(), /finasteride/i);
    assert.equal(await page.getByRole("button", { name: "Start the session" }).isDisabled(), true);
    await screen(page, "blocked");

    await page.getByRole("button", { name: "Manager approval…" }).click();
    await page.getByLabel("Why the procedure may go ahead").fill("GP letter: finasteride paused, reviewed by Maria");
    // A practitioner's own token is not a manager's: refused, nothing starts.
    await page.getByLabel("Manager's token").fill(clinic.tokens.sam);
    await screen(page, "approval");
    await page.getByRole("button", { name: "Approve and start the session" }).click();
    await page
      .getByRole("dialog")
      .getByText("'sam' is PRACTITIONER and may not call SessionService/ApproveScreeningOverride")
      .waitFor();
    assert.equal(await page.getByLabel("Manager's token").inputValue(), "", "the token field is cleared after each try");
    await screen(page, "approval-refused");
    await page.getByLabel("Manager's token").fill(clinic.tokens.maria);
    await page.getByRole("button", { name: "Approve and start the session" }).click();

    await page.getByRole("heading", { name: "Scan each item as you open it" }).waitFor();
    const summary = page.getByRole("region", { name: "Session" }).locator("summary");
    assert.match(await summary.innerText(), /screening BLOCKED[\s\S]*approved by maria/);
    await screen(page, "approved-scan");
    // The page keeps no token: nothing in the browser's storage holds one.
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie);
    assert.doesNotMatch(stored, new RegExp(clinic.tokens.maria.slice(-12)));
    assert.doesNotMatch(stored, new RegExp(clinic.tokens.sam.slice(-12)));
  }));

test("a delivery received by scanning on the manager's page", () =>
  inContext("receive", async (context, screen) => {
    const page = await signIn(context, clinic.tokens.maria);
    await screen(page, "dashboard");
    assert.match(await page.locator("footer").innerText(), /signed out after 15 min without activity/);
    await page.getByRole("link", { name: "Receive" }).click();
    await page.getByRole("heading", { name: "Scan the items" }).waitFor();
    const box = "(01)09506000134352(17)280331(10)CT-3001";
    await page.getByLabel("Scanner").focus();
    // Three boxes with one label are three items; a serialised one is one.
    await scanInto(page, box, "\r\n");
    await scanInto(page, box, "\r");
    await scanInto(page, box, "\t");
    await scanInto(page, "(01)09506000134352(17)280331(10)CT-3001(21)SN-900001", "\r");
    await page.locator(".count").getByText("4", { exact: true }).waitFor();
    assert.match(await page.locator(".count").innerText(), /4 items scanned, 2 labels/);
    await page.getByLabel("Location").selectOption({ label: "Stock room (LOC-000002)" }).catch(async () => {
      await page.getByLabel("Location").selectOption("LOC-000002");
    });
    await screen(page, "scanned");
    await page.getByRole("button", { name: "Receive 4 items" }).click();
    const done = page.getByRole("heading", { name: /^Received 4 units into Stock room/ });
    await done.waitFor();
    assert.match(await page.locator("section", { has: done }).innerText(), /CT-3001[\s\S]*new lot/);
    await page.getByRole("button", { name: "Print 3 labels (PDF)" }).waitFor();
    await screen(page, "received");
  }));

test("the manager sets up the catalogue in the browser: a location, a supplier, a product", () =>
  inContext("catalog", async (context, screen) => {
    const page = await signIn(context, clinic.tokens.maria);
    await page.getByRole("navigation", { name: "Pages" }).getByRole("link", { name: "Catalogue" }).click();
    await page.getByRole("heading", { name: "Locations", exact: true }).waitFor();

    await page.getByLabel("Kind", { exact: true }).first().selectOption({ label: "store (stock room)" });
    await page.getByLabel("Name", { exact: true }).first().fill("Back store");
    await page.getByRole("button", { name: "Add the location" }).click();
    const locations = page.locator("section", { has: page.getByRole("heading", { name: "Locations", exact: true }) });
    await locations.getByRole("cell", { name: "Back store", exact: true }).waitFor();

    const suppliers = page.locator("section", { has: page.getByRole("heading", { name: "Suppliers", exact: true }) });
    await suppliers.getByLabel("Name", { exact: true }).fill("Ink Direct");
    await suppliers.getByLabel("Contact (optional)").fill("orders@ink.example");
    await page.getByRole("button", { name: "Add the supplier" }).click();
    await suppliers.getByRole("cell", { name: "Ink Direct" }).waitFor();

    const products = page.locator("section", { has: page.getByRole("heading", { name: "Products", exact: true }) });
    // A wrong check digit: the server's reason, nothing added.
    await products.getByLabel("GTIN (14 digits, from the box's barcode)").fill("09506000134377");
    await products.getByLabel("Name", { exact: true }).fill("Cartridge 3RL 0.30");
    await products.getByLabel("Manufacturer").fill("Acme Needles");
    await products.getByLabel("Configuration").fill("3RL 0.30mm");
    await page.getByRole("button", { name: "Add the product" }).click();
    await products.getByRole("alert").waitFor();
    assert.match(await products.getByRole("alert").innerText(), /check digit/);
    await products.getByLabel("GTIN (14 digits, from the box's barcode)").fill("09506000134376");
    await page.getByRole("button", { name: "Add the product" }).click();
    const row = products.getByRole("row", { name: /09506000134376/ });
    await row.waitFor();
    assert.match(await row.innerText(), /Cartridge 3RL 0\.30[\s\S]*needle cartridge[\s\S]*single-use · sterile · 3RL 0\.30mm/);
    await screen(page, "added");
    assert.match(clinic.cli("maria.token", ["product", "get", "--gtin", "09506000134376"]), /Cartridge 3RL 0\.30/);

    // Renaming a location and changing a supplier's contact: new versions.
    await locations.getByRole("button", { name: "Change LOC-000004 (Back store)" }).click();
    await locations.getByLabel("New name").fill("");
    await locations.getByRole("button", { name: "Save" }).click();
    await locations.getByRole("alert").waitFor();
    assert.match(await locations.getByRole("alert").innerText(), /^location\.name: /);
    await locations.getByLabel("New name").fill("Back cupboard");
    await locations.getByRole("button", { name: "Save" }).click();
    await locations.getByRole("cell", { name: "Back cupboard", exact: true }).waitFor();
    await suppliers.getByRole("button", { name: "Change SUP-000002" }).click();
    await suppliers.getByLabel("New contact").fill("orders@ink.example, +44 20 7946 0999");
    await suppliers.getByRole("button", { name: "Save" }).click();
    await suppliers.getByRole("cell", { name: "orders@ink.example, +44 20 7946 0999" }).waitFor();
    assert.match(clinic.cli("maria.token", ["location", "get", "--id", "LOC-000004"]), /LOC-000004\s+2\s+store\s+Back cupboard/);
    assert.match(clinic.cli("maria.token", ["supplier", "get", "--id", "SUP-000002", "--version", "1"]), /SUP-000002\s+1\s+Ink Direct\s+orders@ink\.example$/m);
  }));

test("the manager changes a product: a refusal naming the field, a new version, the version history", () =>
  inContext("product", async (context, screen) => {
    const page = await signIn(context, clinic.tokens.maria);
    await page.getByRole("navigation", { name: "Pages" }).getByRole("link", { name: "Catalogue" }).click();
    await page.getByRole("button", { name: "Change SMP Ink Black 15ml (09506000134369)" }).click();
    const editor = page.locator("section", { has: page.getByRole("heading", { name: /^Change SMP Ink Black 15ml/ }) });
    await editor.getByRole("button", { name: "Save version 2" }).waitFor();
    assert.equal(await editor.getByLabel("Usable days after opening (PAO)").inputValue(), "180");
    assert.equal(await editor.getByLabel("Shade").inputValue(), "Black");

    // A pigment without a PAO: the server's refusal names the field; nothing is written.
    await editor.getByLabel("Usable days after opening (PAO)").fill("");
    await editor.getByRole("button", { name: "Save version 2" }).click();
    const refusal = editor.getByRole("alert");
    await refusal.waitFor();
    assert.match(await refusal.innerText(), /pao_days/);
    assert.match(clinic.cli("maria.token", ["product", "get", "--gtin", "09506000134369"]), /^09506000134369\s+1\s/m);

    // The README tour's change: PAO 180 → 120 days, as version 2.
    await editor.getByLabel("Usable days after opening (PAO)").fill("120");
    await editor.getByRole("button", { name: "Save version 2" }).click();
    await editor.getByRole("status").filter({ hasText: "Saved as version 2." }).waitFor();
    const versions = editor.getByRole("table", { name: "Versions of 09506000134369" });
    await versions.getByRole("row", { name: /PAO: 180 d → 120 d/ }).waitFor();
    const rows = await versions.locator("tbody tr").allInnerTexts();
    assert.equal(rows.length, 2);
    assert.match(rows[0], /^2\s[\s\S]*maria[\s\S]*PAO 120 d[\s\S]*PAO: 180 d → 120 d$/);
    assert.match(rows[1], /^1\s[\s\S]*maria[\s\S]*PAO 180 d[\s\S]*created$/);
    const products = page.locator("section", { has: page.getByRole("heading", { name: "Products", exact: true }) });
    assert.match(await products.getByRole("row", { name: /09506000134369/ }).innerText(), /sterile \(gamma\) · shade Black · PAO 120 d\s+2/);
    await screen(page, "changed");
    assert.match(clinic.cli("maria.token", ["product", "get", "--gtin", "09506000134369", "--version", "1"]), /PAO 180d/);
    assert.match(clinic.cli("maria.token", ["product", "get", "--gtin", "09506000134369"]), /^09506000134369\s+2\s.*PAO 120d/m);

    // Someone else saves version 3 meanwhile: this form's save is refused,
    // not written over theirs, and the form is read again.
    clinic.cli("maria.token", ["product", "update", "--gtin", "09506000134369", "--shade", "Jet Black"]);
    await editor.getByLabel("Usable days after opening (PAO)").fill("90");
    await editor.getByRole("button", { name: "Save version 3" }).click();
    await editor.getByRole("alert").filter({ hasText: /changed meanwhile/ }).waitFor();
    await editor.getByRole("button", { name: "Save version 4" }).waitFor();
    assert.equal(await editor.getByLabel("Shade").inputValue(), "Jet Black");
    assert.equal(await editor.getByLabel("Usable days after opening (PAO)").inputValue(), "120");
    assert.match(clinic.cli("maria.token", ["product", "get", "--gtin", "09506000134369"]), /^09506000134369\s+3\s.*shade Jet Black · PAO 120d/m);
  }));

test("the manager sets reorder policies: clinic-wide by usage, a fixed reorder point for a room, a refusal naming the field", () =>
  inContext("reorder", async (context, screen) => {
    const page = await signIn(context, clinic.tokens.maria);
    await page.getByRole("navigation", { name: "Pages" }).getByRole("link", { name: "Reorder" }).click();
    await page.getByText("No reorder policy yet").waitFor();
    const form = page.locator("section", { has: page.getByRole("heading", { name: "Set a policy" }) });
    const policies = page.getByRole("table", { name: "Reorder policies" });

    // The cartridges, clinic-wide, by their usage (the README tour's policy).
    await form.getByLabel("Product").selectOption("09506000134352");
    await form.getByLabel("Supplier").selectOption("SUP-000001");
    await form.getByLabel("Lead time (days)").fill("10");
    await form.getByLabel("Days between orders").fill("7");
    await form.getByLabel("Safety stock (days of use)").fill("7");
    await form.getByLabel("Units per pack").fill("20");
    await form.getByLabel("Usage over (days)").fill("28");
    await form.getByRole("button", { name: "Set the policy" }).click();
    await form.getByRole("status").filter({ hasText: "Policy set for 09506000134352 (whole clinic)." }).waitFor();
    const clinicWide = policies.getByRole("row", { name: /Cartridge 1RL 0\.25[\s\S]*whole clinic/ });
    await clinicWide.waitFor();
    assert.match(await clinicWide.innerText(), /by usage over 28 d: lead 10 d \+ review 7 d \+ safety 7 d · packs of 20/);
    assert.match(await clinicWide.innerText(), /reorder point \d+ · target \d+/);

    // The ink in Room 1 by a fixed reorder point: max below min is refused, by name.
    await form.getByLabel("Product").selectOption("09506000134369");
    await form.getByLabel("For").selectOption("LOC-000003");
    for (const [label, value] of [["Lead time (days)", "5"], ["Days between orders", ""], ["Safety stock (days of use)", ""], ["Units per pack", "1"], ["Usage over (days)", ""], ["Fixed reorder point (units)", "6"], ["Fixed order-up-to level (units)", "2"]]) {
      await form.getByLabel(label).fill(value);
    }
    await form.getByRole("button", { name: "Set the policy" }).click();
    await form.getByRole("alert").waitFor();
    assert.equal(await form.getByRole("alert").innerText(), "policy.fixed_max: must be above fixed_min (6), got 2");
    assert.equal(await policies.locator("tbody tr").count(), 1, "nothing written");
    await form.getByLabel("Fixed reorder point (units)").fill("2");
    await form.getByLabel("Fixed order-up-to level (units)").fill("6");
    await form.getByRole("button", { name: "Set the policy" }).click();
    const room = policies.getByRole("row", { name: /SMP Ink Black 15ml[\s\S]*Room 1 \(LOC-000003\)/ });
    await room.waitFor();
    assert.match(await room.innerText(), /fixed: order up to 6 when 2 or fewer · lead 5 d · packs of 1/);
    assert.match(await room.innerText(), /reorder point 2 · target 6 · order \d+ × 1/);
    await screen(page, "set");

    // Change… fills the form with the policy as it is.
    await page.getByRole("button", { name: "Change the policy of 09506000134352 (whole clinic)" }).click();
    await page.waitForFunction(() => document.getElementById("p-lead")?.value === "10");
    assert.equal(await form.getByLabel("Product").inputValue(), "09506000134352");
    assert.equal(await form.getByLabel("For").inputValue(), "");
    assert.equal(await form.getByLabel("Fixed order-up-to level (units)").inputValue(), "");

    const list = clinic.cli("maria.token", ["reorder", "policy", "list"]);
    assert.match(list, /09506000134352\s+clinic\s+SUP-000001\s+10\s+7\s+7\s+20\s+-\s+28/);
    assert.match(list, /09506000134369\s+LOC-000003\s+SUP-000001\s+5\s+7\s+0\s+1\s+2\.\.6\s+56/);
  }));

test("the manager moves stock by scanning units: a running count, a double read is one unit, all or none", () =>
  inContext("transfer", async (context, screen) => {
    const page = await signIn(context, clinic.tokens.maria);
    await page.getByRole("navigation", { name: "Pages" }).getByRole("link", { name: "Move stock" }).click();
    await page.getByRole("heading", { name: "Scan the units" }).waitFor();
    // The places are loaded: by default from the stock room to the room.
    await page.getByRole("button", { name: "Move them to Room 1" }).waitFor();
    assert.equal(await page.getByLabel("From", { exact: true }).inputValue(), "LOC-000002");
    assert.equal(await page.getByLabel("To", { exact: true }).inputValue(), "LOC-000003");
    await page.getByLabel("Note (optional)").fill("room 1 for the afternoon");

    await page.getByLabel("Scanner").focus();
    await scanInto(page, cartridge("SMP000000013"), "\r\n");
    await scanInto(page, cartridge("SMP000000013"), "\r");
    await scanInto(page, cartridge("SMP000000014"), "\t");
    // Already in Room 1 since the clinic's set-up (and used at the kiosk).
    await scanInto(page, cartridge("SMP000000005"), "\r");
    const count = page.locator(".count");
    await count.getByText("3", { exact: true }).waitFor();
    assert.match(await count.innerText(), /^3 units scanned/);

    // One unit is not in the stock room: the server's reason, and nothing moves.
    await page.getByRole("button", { name: "Move 3 units to Room 1" }).click();
    const refusal = page.getByRole("alert");
    await refusal.waitFor();
    assert.match(await refusal.innerText(), /barcodes\[2\]: unit 09506000134352 serial SMP000000005 is at LOC-000003 \(Room 1\), not at LOC-000002 \(Stock room\)/);
    assert.match(clinic.cli("maria.token", ["unit", "show", cartridge("SMP000000013")]), /LOC-000002/);
    await screen(page, "refused");

    await page.getByRole("button", { name: "Remove unit 3" }).click();
    await page.getByRole("button", { name: "Move 2 units to Room 1" }).click();
    const done = page.getByRole("heading", { name: "Moved 2 units to Room 1" });
    await done.waitFor();
    const moved = await page.locator("section", { has: done }).locator("tbody tr").allInnerTexts();
    assert.equal(moved.length, 2);
    assert.match(moved.join("\n"), /SMP000000013[\s\S]*Room 1[\s\S]*in stock[\s\S]*SMP000000014/);
    assert.match(await count.innerText(), /^0 units scanned/);
    await screen(page, "moved");
    assert.match(clinic.cli("maria.token", ["unit", "show", cartridge("SMP000000014")]), /in_stock · LOC-000003/);

    // A count of one lot: more than there is is refused with the count that is.
    const byCount = page.locator("section", { has: page.getByRole("heading", { name: "Or a count of one lot" }) });
    await byCount.getByLabel("Product").selectOption("09506000134369");
    await byCount.getByLabel("Lot, exactly as printed").fill("INK-77");
    await byCount.getByLabel("How many").fill("5");
    await byCount.getByRole("button", { name: "Move them to Room 1" }).click();
    await byCount.getByRole("alert").waitFor();
    assert.match(await byCount.getByRole("alert").innerText(), /only 1 of lot INK-77 .* in stock at LOC-000002/);
    await byCount.getByLabel("How many").fill("1");
    await byCount.getByRole("button", { name: "Move them to Room 1" }).click();
    await page.getByRole("heading", { name: "Moved 1 unit to Room 1 (picked by smptrace)" }).waitFor();
  }));

test("the manager discards damaged units of a lot and corrects its count after a stock take", () =>
  inContext("lot-stock", async (context, screen) => {
    const page = await signIn(context, clinic.tokens.maria);
    await page.getByRole("navigation", { name: "Pages" }).getByRole("link", { name: "Lots" }).click();
    await page.getByLabel("GTIN", { exact: true }).fill("09506000134352");
    await page.getByLabel("Lot, exactly as printed").fill("CT-3001");
    await page.getByRole("button", { name: "Show the lot" }).click();
    const lot = page.locator("#lot-detail");
    const stock = () => lot.getByRole("table", { name: "Stock of lot CT-3001" }).locator("tbody tr").first().innerText();
    assert.match(await stock(), /Stock room\s+released\s+4\s+4/);

    // More than there is: the server's count, nothing discarded.
    await lot.getByRole("button", { name: "Discard units…" }).click();
    assert.equal(await lot.getByLabel("At").inputValue(), "LOC-000002");
    await lot.getByLabel("How many").fill("9");
    await lot.getByLabel("Note (required for other)").fill("box crushed");
    await lot.getByRole("button", { name: "Discard", exact: true }).click();
    await lot.getByRole("alert").waitFor();
    assert.match(await lot.getByRole("alert").innerText(), /only 4 of lot CT-3001 .* cannot discard 9/);
    await lot.getByLabel("How many").fill("1");
    await lot.getByRole("button", { name: "Discard", exact: true }).click();
    const row = (n) => lot.getByRole("table", { name: "Stock of lot CT-3001" }).getByRole("row", { name: new RegExp(`Stock room released ${n} ${n} `) });
    await row(3).waitFor();

    // A stock take found one missing: the reason is required, by name.
    await lot.getByRole("button", { name: "Correct the count…" }).click();
    await lot.getByLabel("Units found (+) or missing (−)").fill("-1");
    await lot.getByRole("button", { name: "Correct the count", exact: true }).click();
    await lot.getByRole("alert").waitFor();
    assert.match(await lot.getByRole("alert").innerText(), /^reason: /);
    await lot.getByLabel("Why the count was wrong (required)").fill("stock take: one missing");
    await screen(page, "count");
    await lot.getByRole("button", { name: "Correct the count", exact: true }).click();
    await row(2).waitFor();
    assert.match(clinic.cli("maria.token", ["stock", "--gtin", "09506000134352", "--lot", "CT-3001"]), /LOC-000002 Stock room\s+released\s+2\s+2/);
  }));

test("the kiosk aborts a session: a confirmation, the reason it needs, the ABORTED record", () =>
  inContext("abort", async (context, screen) => {
    const page = await signIn(context, clinic.tokens.sam);
    const sessionId = await startKioskSession(page, "HX-301", { Name: "Robin Example", Phone: "+44 20 7946 0301" });
    const dialog = page.getByRole("alertdialog", { name: `Abort ${sessionId}?` });

    // Keep working: nothing is sent, the scan step stays.
    await page.getByRole("button", { name: "Abort the session…" }).click();
    await dialog.waitFor();
    await dialog.getByRole("button", { name: "Keep working" }).click();
    await dialog.waitFor({ state: "detached" });
    await page.locator("#scan:focus").waitFor();
    assert.match(clinic.cli("sam.token", ["session", "show", sessionId]), /\(open\)/);

    // No reason: the server's refusal in the dialog, the session still open.
    await page.getByRole("button", { name: "Abort the session…" }).click();
    await dialog.getByRole("button", { name: "Abort the session", exact: true }).click();
    const refusal = dialog.getByRole("alert");
    await refusal.waitFor();
    assert.match(await refusal.innerText(), /^reason: /);
    assert.match(clinic.cli("sam.token", ["session", "show", sessionId]), /\(open\)/);

    await dialog.getByLabel("Why is the procedure stopped? (required)").fill("client felt unwell");
    await screen(page, "confirm");
    await dialog.getByRole("button", { name: "Abort the session", exact: true }).click();
    await page.getByRole("heading", { name: `Record of ${sessionId}` }).waitFor();
    const verdict = page.locator(".verdict");
    await verdict.getByText("ABORTED").waitFor();
    assert.equal(await verdict.innerText(), "ABORTED: client felt unwell");
    await screen(page, "record");
    assert.match(clinic.cli("sam.token", ["session", "show", sessionId]), /\(aborted\)/);
  }));

test("dates are typed and shown year first in an American browser too", async () => {
  const context = await browser.newContext({
    baseURL: clinic.url,
    viewport: { width: 1280, height: 800 },
    timezoneId: "America/New_York",
    locale: "en-US",
  });
  try {
    const screen = screens("dates");
    const page = await signIn(context, clinic.tokens.alex);
    await page.getByRole("navigation", { name: "Pages" }).getByRole("link", { name: "Exceptions" }).click();
    const from = page.getByLabel("From");
    await page.getByRole("button", { name: "Last 7 days" }).click();
    assert.match(await from.inputValue(), /^\d{4}-\d{2}-\d{2}$/, "a preset shows yyyy-mm-dd");
    assert.equal(await from.getAttribute("placeholder"), "yyyy-mm-dd");

    // Month first, as this browser's language writes dates: refused, with why.
    await from.fill("11/30/2026");
    await from.blur();
    const error = page.locator("#x-from-error");
    await error.waitFor();
    assert.equal(await error.innerText(), "11/30/2026 reads two ways (day or month first): write it year first, yyyy-mm-dd, e.g. 2026-11-30");
    assert.equal(await from.getAttribute("aria-invalid"), "true");
    await screen(page, "refused");

    await from.fill("2026-11-01");
    await from.blur();
    assert.equal(await error.count(), 0);
    assert.equal(await from.inputValue(), "2026-11-01");
  } finally {
    await context.close();
  }
});

// A manager's desktop (1280×800) and a kiosk tablet (1024×768): every page
// of every role shows all its columns, nothing wider than the window or
// its card. The receive page with scanned lines (its table is the widest).
test("recall notices on the manager's dashboard: evidence, dismiss with a reason, confirm opens the case", () =>
  inContext("recall-intake", async (context, screen) => {
    const file = join(repoDir, "tests/testdata/recalls/openfda-device-enforcement.json");
    assert.match(clinic.cli("maria.token", ["recall", "import", file]), /5 notice\(s\) read, 4 about products of the catalogue, 3 new candidate\(s\)/);
    const page = await signIn(context, clinic.tokens.maria);
    const card = page.locator("section", { has: page.getByRole("heading", { name: "Recall notices to check" }) });
    const ink = card.locator("article", { has: page.getByRole("heading", { name: /Z-0412-2027/ }) });
    await ink.waitFor();
    assert.match(await ink.innerText(), /SMP Ink Black 15ml · lot INK-77[\s\S]*INKCO, INC\.[\s\S]*firm\s+INKCO, INC\.\s+InkCo[\s\S]*lot\s+INK-77\s+INK-77\s+same lot number/);
    const needles = card.locator("article", { has: page.getByRole("heading", { name: /Z-0414-2027/ }) });
    assert.match(await needles.innerText(), /CT2291\s+CT-2291\s+punctuation differs/);
    assert.equal(await card.locator("article").count(), 3, "another firm's notice is not a candidate");
    await screen(page, "candidates");

    // Dismiss the "all lots" notice: a reason is required.
    const all = card.locator("article", { has: page.getByRole("heading", { name: /Z-0416-2027/ }) });
    await all.getByRole("button", { name: "Dismiss…" }).click();
    await all.getByLabel("Why it does not concern the clinic").fill("our INK-77 was made after the notice's dates");
    await screen(page, "dismiss");
    await all.getByRole("button", { name: "Dismiss", exact: true }).click();
    await card.getByRole("status").getByText(/dismissed: our INK-77 was made after/).waitFor();
    await all.waitFor({ state: "detached" }); // the list is read again
    assert.equal(await card.locator("article").count(), 2);

    // Confirm the notice that names INK-77: the real recall case.
    await ink.getByRole("button", { name: "Confirm: open the recall case" }).click();
    const done = card.getByRole("status");
    await done.getByText(/confirmed: recall case RC-\d+ opened, held INK-77/).waitFor();
    await ink.waitFor({ state: "detached" });
    assert.equal(await card.locator("article").count(), 1);
    await screen(page, "confirmed");
    assert.match(clinic.cli("maria.token", ["lot", "show", "09506000134369", "INK-77"]), /recalled/);
  }));

test("every page fits 1280×800 and 1024×768 without cutting a column", async () => {
  const sizes = [
    { width: 1280, height: 800 },
    { width: 1024, height: 768 },
  ];
  for (const [who, token] of [
    ["manager", clinic.tokens.maria],
    ["auditor", clinic.tokens.alex],
    ["admin", clinic.tokens.admin],
    ["practitioner", clinic.tokens.sam],
  ]) {
    await inContext(`layout-${who}`, async (context, screen) => {
      const page = await signIn(context, token);
      const links = await page.getByRole("navigation", { name: "Pages" }).getByRole("link").allInnerTexts();
      for (const size of sizes) {
        await page.setViewportSize(size);
        for (const name of links) {
          await page.getByRole("navigation", { name: "Pages" }).getByRole("link", { name, exact: true }).click();
          await page.getByRole("heading", { level: 1 }).first().waitFor({ state: "attached" });
          await page.waitForLoadState("networkidle");
          if (name === "Receive") {
            await page.getByLabel("Scanner").focus();
            await scanInto(page, "(00)106141411234567897(02)09506000134352(17)280331(10)CT-3001-LONG-LOT(37)12");
            await scanInto(page, "(01)09506000134352(17)280331(10)CT-3001(21)SN-900001-SERIAL-LONG");
            await page.locator(".count").getByText("2", { exact: true }).waitFor();
          }
          const cut = await page.evaluate(() => {
            const found = [];
            const root = document.documentElement;
            if (root.scrollWidth > innerWidth + 1) found.push(`the page is ${root.scrollWidth}px wide in a ${innerWidth}px window`);
            for (const el of document.querySelectorAll("main table, main .card, main input, main select, main button")) {
              const box = el.getBoundingClientRect();
              const holder = el.closest(".card:not(:scope)") ?? el.parentElement.closest("main");
              const bound = holder.getBoundingClientRect();
              if (box.width > 0 && box.right > bound.right + 1) {
                found.push(`${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""} "${(el.innerText || el.getAttribute("aria-label") || "").slice(0, 40)}" ends at ${Math.round(box.right)}px, past its ${holder.className || "page"} (${Math.round(bound.right)}px)`);
              }
            }
            return found;
          });
          const shot = await screen(page, `${name.toLowerCase().replace(/\W+/g, "-")}-${size.width}`);
          assert.deepEqual(cut, [], `${who}'s ${name} page at ${size.width}×${size.height} (${shot})`);
        }
      }
    });
  }
});

test("a recall lookback by the auditor shows the exposed client", () =>
  inContext("lookback", async (context, screen) => {
    const page = await signIn(context, clinic.tokens.alex);
    await page.getByRole("link", { name: "Lookback" }).click();
    await page.getByLabel("GTIN").fill("09506000134352");
    await page.getByLabel("Lot (blank: every lot of the product)").fill("CT-2291");
    await page.getByRole("button", { name: "Trace" }).click();
    const exposed = page.getByRole("heading", { name: /client exposed to/ });
    await exposed.waitFor();
    assert.match(await exposed.innerText(), /^1 client exposed to/);
    const chips = await page.locator("ul.chips").innerText();
    assert.match(chips, /HX-201/, "the client of the procedure used CT-2291");
    assert.doesNotMatch(chips, /HX-202/, "the approved session scanned nothing");
    await screen(page, "exposed");
  }));

test("a certificate printed by the server verifies from its QR code on the public page; a changed byte fails", () =>
  inContext("certificate", async (context, screen) => {
    // The procedure's session (the first scenario closed it), by the auditor.
    const history = JSON.parse(clinic.cli("alex.token", ["--json", "client", "history", "HX-201"]));
    const closed = history.sessions.find((s) => s.status === "SESSION_STATUS_CLOSED");
    assert.ok(closed, `the procedure's session is closed: ${JSON.stringify(history.sessions)}`);
    const sessionId = closed.session_id;
    clinic.cli("alex.token", ["record", sessionId, "--pdf", "certificate.pdf", "--qr", "qr.txt"]);
    const text = readFileSync(join(clinic.dir, "qr.txt"), "utf8").trim();
    assert.ok(text.startsWith(`${clinic.url}/verify#`), `the QR code opens this clinic's page: ${text}`);

    // A phone opens the URL: no sign-in, the proof checked in the page.
    const page = await context.newPage();
    await page.goto(text);
    await page.getByText("Certificate verified.").waitFor();
    const shown = await page.locator("main").innerText();
    assert.match(shown, /HX-201/);
    assert.match(shown, /CT-2291/, "the cartridge lot the procedure used");
    assert.match(shown, new RegExp(sessionId));
    await screen(page, "verified");

    // One changed character of the proof fails, saying why.
    const at = text.indexOf("#") + 40;
    const changed = text.slice(0, at) + (text[at] === "A" ? "B" : "A") + text.slice(at + 1);
    await page.getByLabel("The QR code's text (the address it opens)").fill(changed);
    await page.getByRole("button", { name: "Check" }).click();
    const alert = page.getByRole("alert");
    await alert.waitFor();
    assert.match(await alert.innerText(), /does not verify\..*(altered|not a smptrace certificate)/s);
    await screen(page, "altered");
  }));

test("the auditor's Checkpoints page: a signed note, a witness's cosignature, a check that lists it, an edited one refused", () =>
  inContext("checkpoints", async (context, screen) => {
    // A witness outside the clinic: its key in the server's witness file
    // (DATA_DIR.witnesses, read at each cosignature), one run against the log.
    const name = "inspector.example.org/witness";
    const vkey = clinic.cli("alex.token", ["witness", "key", "--key", "witness.pem", "--name", name]);
    writeFileSync(join(clinic.dir, "data.witnesses"), vkey);
    clinic.cli("alex.token", ["log", "cosign", "--witness-key", "witness.pem", "--witness-name", name, "--witness-state", "witness.state"]);

    const page = await signIn(context, clinic.tokens.alex);
    await page.getByRole("link", { name: "Checkpoints" }).click();
    await page.getByRole("button", { name: "Latest witnessed checkpoint" }).click();
    const note = page.getByLabel("Checkpoint note");
    await note.waitFor();
    const text = await note.innerText();
    assert.match(text, /^smptrace\/[0-9a-f]{16}\n\d+\n/);
    assert.match(text, new RegExp(`\u2014 ${name} `), "the note carries the cosignature line");
    assert.match(await page.getByRole("list", { name: "Cosigned by" }).innerText(), new RegExp(name));
    await screen(page, "witnessed");

    await page.getByLabel("or its text").fill(text);
    await page.getByRole("button", { name: "Check it" }).click();
    const verdict = page.locator("[aria-labelledby=k-check] .verdict");
    await verdict.waitFor();
    const ok = await verdict.innerText();
    assert.match(ok, /^Checkpoint OK/);
    assert.match(ok, new RegExp(`cosigned by witness ${name}`));
    await screen(page, "checked");

    // The size edited: the log's signature no longer holds.
    const lines = text.split("\n");
    lines[1] = String(Number(lines[1]) - 1);
    await page.getByLabel("or its text").fill(lines.join("\n"));
    await page.getByRole("button", { name: "Check it" }).click();
    const failed = page.locator("[aria-labelledby=k-check] .verdict", { hasText: "Checkpoint FAILED" });
    await failed.waitFor();
    assert.match(await failed.innerText(), /the checkpoint was altered/);
  }));

/** A Connect call from inside the page (its cookie, its origin). */
async function callFromPage(page, path, body) {
  return page.evaluate(
    async ({ path, body }) => {
      const r = await fetch(path, {
        method: "POST",
        headers: { "Content-Type": "application/json", "Connect-Protocol-Version": "1" },
        body: JSON.stringify(body),
      });
      return { status: r.status, body: await r.json() };
    },
    { path, body },
  );
}

test("roles: a practitioner's session reaches no manager page or call; no cookie, nothing; sign-out ends the session", () =>
  inContext("roles", async (context, screen) => {
    const page = await signIn(context, clinic.tokens.sam);
    const nav = await page.getByRole("navigation", { name: "Pages" }).innerText();
    assert.doesNotMatch(nav, /Dashboard|Receive|Lots|Principals/);

    await page.goto("/dashboard");
    await page.getByRole("heading", { name: "Not a page for your role" }).waitFor();
    await screen(page, "not-for-role");
    for (const path of ["/catalog", "/reorder", "/transfer"]) {
      await page.goto(path);
      await page.getByRole("heading", { name: "Not a page for your role" }).waitFor();
    }
    const policy = await callFromPage(page, "/smptrace.v1.InventoryService/SetReorderPolicy", {
      requestId: "browser-role-check-2",
      policy: { gtin: "09506000134352", leadTimeDays: 1 },
    });
    assert.equal(policy.body.code, "permission_denied", JSON.stringify(policy));
    const product = await callFromPage(page, "/smptrace.v1.CatalogService/UpdateProduct", {
      requestId: "browser-role-check-3",
      product: { gtin: "09506000134369", name: "x" },
    });
    assert.equal(product.body.code, "permission_denied", JSON.stringify(product));

    // The page's own session, calling a manager's RPC directly.
    const receive = await callFromPage(page, "/smptrace.v1.InventoryService/Receive", {
      requestId: "browser-role-check-1",
      locationId: "LOC-000002",
      lines: [{ barcode: "(01)09506000134352(17)280331(10)CT-3002" }],
    });
    assert.equal(receive.body.code, "permission_denied", JSON.stringify(receive));
    assert.equal(receive.status, 403);
    const token = await callFromPage(page, "/smptrace.v1.AdminService/ListPrincipals", {});
    assert.equal(token.body.code, "permission_denied", JSON.stringify(token));
    // What the practitioner may call still works from the same page.
    const rooms = await callFromPage(page, "/smptrace.v1.CatalogService/ListLocations", {});
    assert.equal(rooms.status, 200, JSON.stringify(rooms));
    // Nothing was received: lot CT-3002 does not exist.
    assert.throws(() => clinic.cli("maria.token", ["lot", "show", "09506000134352", "CT-3002"]), /NOT_FOUND/);

    // The cookie is HttpOnly: the page's scripts cannot read it.
    assert.equal(await page.evaluate(() => document.cookie), "");
    const [cookie] = (await context.cookies()).filter((c) => c.name === "smptrace_session");
    assert.ok(cookie, "signed in with a session cookie");
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.secure, true);
    assert.equal(cookie.sameSite, "Strict");

    // No cookie: the API answers unauthenticated, the app shows the sign-in.
    const stranger = await newContext(browser, clinic);
    const signin = await stranger.newPage();
    await signin.goto("/dashboard");
    await signin.getByLabel("Your token").waitFor();
    const bare = await callFromPage(signin, "/smptrace.v1.CatalogService/ListLocations", {});
    assert.equal(bare.status, 401, JSON.stringify(bare));
    assert.equal(bare.body.code, "unauthenticated");
    await screen(signin, "signed-out");

    // Sign-out ends the session on the server: the cookie, copied into
    // another browser, works until the sign-out and is refused after it.
    await stranger.addCookies([cookie]);
    const copied = await callFromPage(signin, "/smptrace.v1.CatalogService/ListLocations", {});
    assert.equal(copied.status, 200, JSON.stringify(copied));
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByLabel("Your token").waitFor();
    const replayed = await callFromPage(signin, "/smptrace.v1.CatalogService/ListLocations", {});
    assert.equal(replayed.status, 401, JSON.stringify(replayed));
    assert.equal(replayed.body.code, "unauthenticated");
    await stranger.close();
  }));

test("a use voided elsewhere shows as voided at the kiosk's next scan", () =>
  inContext("elsewhere", async (context) => {
    // Its own lot in Room 1, so that the scenarios above see the stock and
    // the lookbacks they expect.
    const label = (serial) => `(01)09506000134352(17)271231(10)CT-4001(21)${serial}`;
    clinic.cli(
      "maria.token",
      ["receive", "--location", "LOC-000003", "--supplier", "SUP-000001"],
      `${label("SN-ELSE-1")}\n${label("SN-ELSE-2")}\n`,
    );
    const page = await signIn(context, clinic.tokens.sam);
    const sessionId = await startKioskSession(page, "HX-401", { Name: "Kim Example", Phone: "+44 20 7946 0401" });

    await scanInto(page, label("SN-ELSE-1"), "\r");
    await answerTo(page, label("SN-ELSE-1")).and(page.locator(".result.ok")).waitFor();
    await page.getByRole("heading", { name: "Opened in this session (1)" }).waitFor();
    const seq = /scan (\d+)/.exec(await page.locator(".result.ok").innerText())[1];
    // Voided from elsewhere (the CLI here; another screen alike): the kiosk
    // does not know yet. Its next scan's answer carries the session's
    // counts, which no longer match its list: it reads the session again.
    clinic.cli("sam.token", ["session", "void", sessionId, "--scan", seq, "--reason", "wrong box", "--package", "not_opened"]);
    await scanInto(page, label("SN-ELSE-2"), "\r");
    await answerTo(page, label("SN-ELSE-2")).and(page.locator(".result.ok")).waitFor();
    const rows = page.locator("[aria-labelledby=opened-h] tbody tr");
    await rows.filter({ hasText: `scan ${seq}` }).getByText("voided (not opened)").waitFor();
    assert.equal(await rows.count(), 2);
    await page.getByRole("heading", { name: "Opened in this session (1)" }).waitFor();
    assert.equal(await page.getByRole("button", { name: `Void scan ${seq}` }).count(), 0);
  }));
