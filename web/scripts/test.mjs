// Runs the front end's unit tests (tests/*.test.ts) with node's own test
// runner: esbuild compiles each test file (and what it imports from src/) to
// one ES module in a temporary directory, then `node --test` runs them.
// Generates the API types first (the tests import the page registry).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as esbuild from "esbuild";
import { generate, webDir } from "./gen.mjs";

generate();
const testDir = join(webDir, "tests");
const files = readdirSync(testDir)
  .filter((f) => f.endsWith(".test.ts") || f.endsWith(".test.tsx"))
  .sort();
const outDir = mkdtempSync(join(tmpdir(), "smptrace-web-test-"));
try {
  await esbuild.build({
    absWorkingDir: webDir,
    entryPoints: files.map((f) => join(testDir, f)),
    outdir: outDir,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node18",
    jsx: "automatic",
    jsxImportSource: "preact",
    logLevel: "warning",
  });
  const built = readdirSync(outDir)
    .filter((f) => f.endsWith(".mjs"))
    .sort()
    .map((f) => join(outDir, f));
  const run = spawnSync(process.execPath, ["--test", ...built], { stdio: "inherit" });
  process.exitCode = run.status ?? 1;
} finally {
  rmSync(outDir, { recursive: true, force: true });
}
