// Generates the Protobuf-ES / Connect types of proto/smptrace/v1 into gen/
// with Debian's protoc and the pinned protoc-gen-es plugin. The generated
// code is never committed: the types come from proto/, not from copies.
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const webDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const protoDir = resolve(webDir, "..", "proto");
export const genDir = join(webDir, "gen");

/** The .proto files the app is generated from (absolute paths). */
export function protoFiles() {
  const dir = join(protoDir, "smptrace", "v1");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".proto"))
    .sort()
    .map((f) => join(dir, f));
}

export function generate() {
  rmSync(genDir, { recursive: true, force: true });
  mkdirSync(genDir, { recursive: true });
  const plugin = join(webDir, "node_modules", ".bin", "protoc-gen-es");
  execFileSync(
    process.env.PROTOC || "protoc",
    [
      `-I${protoDir}`,
      `--plugin=protoc-gen-es=${plugin}`,
      `--es_out=${genDir}`,
      "--es_opt=target=ts,import_extension=none",
      ...protoFiles(),
    ],
    { stdio: "inherit" },
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) generate();
