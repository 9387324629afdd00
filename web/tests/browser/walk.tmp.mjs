// Temporary (not committed): visit every page of every role and dump text + screenshots.
import { writeFileSync } from "node:fs";
import { launchBrowser, newContext, signIn, startClinic } from "./harness.mjs";
const out = "/tmp/wm-walk";
const clinic = await startClinic();
const browser = await launchBrowser(clinic);
try {
  for (const [who, token] of [["manager", clinic.tokens.maria], ["auditor", clinic.tokens.alex], ["admin", clinic.tokens.admin], ["practitioner", clinic.tokens.sam]]) {
    const context = await newContext(browser, clinic);
    const page = await signIn(context, token);
    const links = await page.getByRole("navigation", { name: "Pages" }).getByRole("link").allInnerTexts();
    for (const name of links) {
      await page.getByRole("navigation", { name: "Pages" }).getByRole("link", { name, exact: true }).click();
      await page.getByRole("heading", { level: 1 }).first().waitFor({ state: "attached" });
      await page.waitForLoadState("networkidle");
      const slug = `${who}-${name.toLowerCase().replace(/\W+/g, "-")}`;
      await page.screenshot({ path: `${out}/${slug}.png`, fullPage: true });
      writeFileSync(`${out}/${slug}.txt`, await page.locator("main").innerText());
    }
    await context.close();
  }
} finally {
  await browser.close();
  await clinic.stop();
}
