// The client's rights in the browser, on a secured smptraced that requires
// consent and the ink disclosure (deploy/consent.conf, with
// ink_disclosure.required = true): the kiosk's consent step before the
// screening (the texts shown, nothing recorded until the client ticks every
// one, then the consent recorded with its version and digest); the kiosk's
// inks step before the first pigment scan (the label shown, its showing
// recorded on the session); the
// manager's subject-access export (a PDF and a JSON saved); the auditor's
// access report listing that export. Run by ctest as web.browser.rights.

import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { inkBottle, launchBrowser, newContext, repoDir, resetScreens, scanInto, screens, signIn, startClinic } from "./harness.mjs";

let clinic;
let browser;

before(async () => {
  resetScreens();
  // deploy/consent.conf as shipped, with the ink disclosure required too.
  const conf = readFileSync(join(repoDir, "deploy/consent.conf"), "utf8").replace(
    /^ink_disclosure\.required = false$/m,
    "ink_disclosure.required = true",
  );
  assert.match(conf, /^ink_disclosure\.required = true$/m);
  const file = join(tmpdir(), `smptrace-consent-${process.pid}.conf`);
  writeFileSync(file, conf);
  clinic = await startClinic(["--consent_policy", file]);
  browser = await launchBrowser(clinic);
});

after(async () => {
  await browser?.close();
  await clinic?.stop();
});

test("the kiosk asks for consent before the screening and records it", async () => {
  const context = await newContext(browser, clinic);
  const screen = screens("consent");
  try {
    const page = await signIn(context, clinic.tokens.sam);
    await page.waitForURL("**/kiosk");
    await page.getByLabel("Client code").fill("HX-301");
    await page.getByRole("button", { name: "Find client" }).click();
    await page.getByLabel("Name").fill("Robin Example");
    await page.getByLabel("Phone").fill("+44 20 7946 0301");
    await page.getByRole("button", { name: "Register client HX-301" }).click();

    // The consent step: both texts of deploy/consent.conf, version 2026-01.
    await page.getByRole("heading", { name: "Consent of client HX-301" }).waitFor();
    const conf = readFileSync(join(repoDir, "deploy/consent.conf"), "utf8");
    const procedure = /^procedure\.text = (.*)$/m.exec(conf)[1];
    await page.getByText(procedure).waitFor();
    assert.equal(await page.getByText("version 2026-01").count(), 2);
    const record = page.getByRole("button", { name: "Record consent" });
    assert.ok(await record.isDisabled(), "nothing is recorded before the client agrees to every text");
    await page.getByRole("region", { name: "Consent to the procedure" }).getByLabel("I have read this and I agree").check();
    assert.ok(await record.isDisabled(), "one text of two is not consent");
    await page.getByRole("region", { name: "Consent to keeping your data" }).getByLabel("I have read this and I agree").check();
    await screen(page, "texts");
    await record.click();

    // Then the screening, as without consent.
    await page.getByRole("heading", { name: "Client HX-301: the procedure" }).waitFor();
    const status = JSON.parse(clinic.cli("sam.token", ["--json", "client", "consent", "HX-301"]));
    assert.equal(status.required, true);
    assert.equal(status.missing, undefined, "nothing missing");
    assert.deepEqual(
      status.consents.map((c) => [c.subject, c.version, c.recorded_by]),
      [
        ["CONSENT_SUBJECT_PROCEDURE", "2026-01", "sam"],
        ["CONSENT_SUBJECT_DATA_PROCESSING", "2026-01", "sam"],
      ],
    );
    await screen(page, "screening");
  } finally {
    await context.close();
  }
});

test("the kiosk shows the client the ink's label before the first pigment scan", async () => {
  // The manager enters the label of the ink in Room 1 (lot INK-77).
  clinic.cli("maria.token", [
    "product", "update", "--gtin", "09506000134369",
    "--ink_statement", "Mixture for use in tattoos or permanent make-up",
    "--ink_ingredient", "CI 77266", "--ink_ingredient", "Aqua", "--ink_ingredient", "Glycerin",
    "--ink_ingredient", "Sodium Hydroxide (pH regulator)", "--ink_nickel", "true",
    "--ink_safety", "Do not use on broken or irritated skin.",
  ]);
  const context = await newContext(browser, clinic);
  const screen = screens("inks");
  try {
    const page = await signIn(context, clinic.tokens.sam);
    await page.waitForURL("**/kiosk");
    await page.getByLabel("Client code").fill("HX-302");
    await page.getByRole("button", { name: "Find client" }).click();
    await page.getByLabel("Name").fill("Kim Example");
    await page.getByLabel("Phone").fill("+44 20 7946 0302");
    await page.getByRole("button", { name: "Register client HX-302" }).click();
    await page.getByRole("heading", { name: "Consent of client HX-302" }).waitFor();
    for (const region of ["Consent to the procedure", "Consent to keeping your data"]) {
      await page.getByRole("region", { name: region }).getByLabel("I have read this and I agree").check();
    }
    await page.getByRole("button", { name: "Record consent" }).click();
    await page.getByLabel("Treatment area").fill("crown");
    await page.getByLabel("I asked every question and none applies").check();
    await page.getByRole("button", { name: "Start the session" }).click();

    // The inks step: Room 1's pigment lot, ticked, with its label.
    await page.getByRole("heading", { name: "The inks to be used on client HX-302" }).waitFor();
    assert.ok(await page.getByLabel("SMP Ink Black 15ml · lot INK-77").isChecked());
    const label = page.getByLabel("Label information");
    await label.waitFor();
    const text = await label.innerText();
    assert.match(text, /SMP Ink Black 15ml \(InkCo\), shade Black/);
    assert.match(text, /Batch \(lot\) INK-77, use by 2028-06-30/);
    assert.match(text, /Mixture for use in tattoos or permanent make-up/);
    assert.match(text, /Ingredients: CI 77266, Aqua, Glycerin, Sodium Hydroxide \(pH regulator\)/);
    assert.match(text, /Contains nickel\. Can cause allergic reactions\./);
    await screen(page, "label");
    await page.getByRole("button", { name: "The client has read it" }).click();

    // Then the scan step, where the ink is accepted.
    await page.getByRole("heading", { name: "Scan each item as you open it" }).waitFor();
    await page.locator("#scan:focus").waitFor();
    await scanInto(page, inkBottle("SMP000000021"), "\r");
    await page.locator(".result.ok").waitFor();
    assert.match(await page.locator(".result.ok").innerText(), /SMP Ink Black 15ml/);
    const sessionId = (await page.getByRole("region", { name: "Session" }).locator("strong").innerText()).trim();
    const session = JSON.parse(clinic.cli("sam.token", ["--json", "session", "show", sessionId])).session;
    assert.equal(session.ink_disclosures.length, 1);
    const given = session.ink_disclosures[0];
    assert.equal(given.medium, "INK_DISCLOSURE_MEDIUM_SHOWN");
    assert.equal(given.given_by, "sam");
    assert.deepEqual(given.inks.map((i) => i.lot), ["INK-77"]);
    assert.match(given.sha256, /^[0-9a-f]{64}$/);
    await screen(page, "scanned");
  } finally {
    await context.close();
  }
});

test("the manager exports a client's record and the auditor sees the export", async () => {
  const context = await newContext(browser, clinic);
  const screen = screens("subject-access");
  try {
    const page = await signIn(context, clinic.tokens.maria);
    await page.goto("/clients");
    await page.getByRole("row", { name: /HX-301/ }).getByRole("button", { name: "Contact details" }).click();
    await page.getByText("Robin Example").waitFor();
    const saved = [];
    page.on("download", (d) => saved.push(d));
    await page.getByRole("button", { name: "Export the client's record (subject access)" }).click();
    await page.getByRole("status").filter({ hasText: "Saved the record as PDF and JSON" }).waitFor();
    await screen(page, "exported");
    assert.deepEqual(saved.map((d) => d.suggestedFilename()).sort(), ["client-record-HX-301.json", "client-record-HX-301.pdf"]);
    const json = JSON.parse(readFileSync(await saved.find((d) => d.suggestedFilename().endsWith(".json")).path(), "utf8"));
    assert.equal(json.client.code, "HX-301");
    assert.equal(json.client.contact.name, "Robin Example");
    assert.equal(json.consents.length, 2);
    const pdf = readFileSync(await saved.find((d) => d.suggestedFilename().endsWith(".pdf")).path());
    assert.equal(pdf.subarray(0, 5).toString(), "%PDF-");
    await context.clearCookies();

    const auditor = await signIn(context, clinic.tokens.alex);
    await auditor.goto("/access");
    await auditor.getByLabel("Only this client (code or id, optional)").fill("HX-301");
    await auditor.getByRole("button", { name: "List the accesses" }).click();
    const row = auditor.getByRole("row", { name: /maria.*HX-301.*export: subject access export/ });
    await row.waitFor();
    await screen(auditor, "access-report");
  } finally {
    await context.close();
  }
});
