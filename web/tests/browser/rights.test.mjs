// The client's rights in the browser, on a secured smptraced that requires
// consent (deploy/consent.conf): the kiosk's consent step before the
// screening (the texts shown, nothing recorded until the client ticks every
// one, then the consent recorded with its version and digest); the
// manager's subject-access export (a PDF and a JSON saved); the auditor's
// access report listing that export. Run by ctest as web.browser.rights.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { launchBrowser, newContext, repoDir, resetScreens, screens, signIn, startClinic } from "./harness.mjs";

let clinic;
let browser;

before(async () => {
  resetScreens();
  clinic = await startClinic(["--consent_policy", join(repoDir, "deploy/consent.conf")]);
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
