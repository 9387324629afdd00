// Builds the web application into a directory smptraced serves (--web_root):
//   node scripts/build.mjs [--out DIR] [--depfile FILE]
// 1. generates the API types from proto/ (scripts/gen.mjs),
// 2. type-checks everything (tsc, strict),
// 3. bundles src/main.tsx and src/styles/app.css with esbuild (minified,
//    content-hashed names) and writes index.html naming them,
// 4. writes a depfile (every input the bundle read, the protos, this
//    script) so that CMake rebuilds exactly when one of them changes,
// 5. prints the first-load size, raw and gzip.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import * as esbuild from "esbuild";
import { generate, protoFiles, webDir } from "./gen.mjs";

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? resolve(process.argv[i + 1]) : fallback;
}
const outDir = arg("--out", join(webDir, "dist"));
const depfile = arg("--depfile", "");

function step(what, run) {
  try {
    run();
  } catch {
    console.error(`web: ${what} failed (see above)`);
    process.exit(1);
  }
}
step("generating the API types from proto/", generate);
step("type-checking (tsc)", () =>
  execFileSync(process.execPath, [join(webDir, "node_modules", "typescript", "bin", "tsc"), "-p", webDir], {
    stdio: "inherit",
  }),
);

rmSync(outDir, { recursive: true, force: true });
mkdirSync(join(outDir, "assets"), { recursive: true });
const result = await esbuild.build({
  absWorkingDir: webDir,
  entryPoints: { app: "src/main.tsx", style: "src/styles/app.css" },
  outdir: join(outDir, "assets"),
  entryNames: "[name]-[hash]",
  bundle: true,
  minify: true,
  format: "esm",
  target: ["es2022", "chrome109", "firefox115", "safari16"],
  jsx: "automatic",
  jsxImportSource: "preact",
  legalComments: "none",
  metafile: true,
  logLevel: "warning",
});

const outputs = Object.keys(result.metafile.outputs).map((p) => resolve(webDir, p));
const js = outputs.find((p) => p.endsWith(".js"));
const css = outputs.find((p) => p.endsWith(".css"));
const template = readFileSync(join(webDir, "src", "index.html"), "utf8");
const html = template
  .replace("%STYLE%", `/assets/${basename(css)}`)
  .replace("%SCRIPT%", `/assets/${basename(js)}`);
const indexPath = join(outDir, "index.html");
writeFileSync(indexPath, html);

if (depfile) {
  const inputs = [
    ...Object.keys(result.metafile.inputs)
      .filter((p) => !p.startsWith("node_modules/") && !p.startsWith("gen/"))
      .map((p) => resolve(webDir, p)),
    join(webDir, "src", "index.html"),
    join(webDir, "tsconfig.json"),
    join(webDir, "scripts", "build.mjs"),
    join(webDir, "scripts", "gen.mjs"),
    ...protoFiles(),
  ];
  const esc = (p) => p.replace(/ /g, "\\ ");
  writeFileSync(depfile, `${esc(indexPath)}: ${inputs.map(esc).join(" \\\n  ")}\n`);
}

let raw = 0;
let gz = 0;
for (const f of [indexPath, js, css]) {
  const bytes = readFileSync(f);
  raw += bytes.length;
  gz += gzipSync(bytes, { level: 9 }).length;
}
console.log(
  `web: built ${outDir} (first load ${(raw / 1024).toFixed(1)} KiB, ${(gz / 1024).toFixed(1)} KiB gzip)`,
);
