// The auditor's export, from the form to the request and the file's name:
// a format and an optional range of journal entries (both ends included,
// blank = from the first / to the last).

import { create } from "@bufbuild/protobuf";
import { ExportFormat, ExportRequestSchema, type ExportRequest } from "../../gen/smptrace/v1/audit_pb";

export interface ExportChoice {
  format: ExportFormat;
  /** What the form calls it. */
  label: string;
  /** The file's extension and type. */
  extension: string;
  mediaType: string;
}

export const EXPORT_CHOICES: readonly ExportChoice[] = [
  { format: ExportFormat.CSV, label: "CSV (a spreadsheet: one row per unit and event)", extension: "csv", mediaType: "text/csv" },
  { format: ExportFormat.JSONL, label: "JSON lines (the same rows, one JSON object per line)", extension: "jsonl", mediaType: "application/x-ndjson" },
  { format: ExportFormat.EPCIS, label: "GS1 EPCIS 2.0 (JSON-LD, for traceability systems)", extension: "epcis.json", mediaType: "application/ld+json" },
];

function seqField(name: string, value: string): bigint {
  const v = value.trim();
  if (v === "") return 0n;
  if (!/^\d+$/.test(v)) throw new Error(`${name}: "${value}" is not a journal entry number (a whole number from 1).`);
  const n = BigInt(v);
  if (n === 0n) throw new Error(`${name}: journal entries are numbered from 1; leave it blank for no limit.`);
  return n;
}

/**
 * The ExportRequest for `format` and the entries `from`..`to` as typed.
 * Throws an Error naming the field when the range is not valid.
 */
export function exportRequest(format: ExportFormat, from: string, to: string): ExportRequest {
  if (!EXPORT_CHOICES.some((c) => c.format === format)) throw new Error("Format: choose CSV, JSON lines or EPCIS.");
  const fromSeq = seqField("From entry", from);
  const toSeq = seqField("To entry", to);
  if (fromSeq && toSeq && toSeq < fromSeq) {
    throw new Error(`To entry (${toSeq}) is before From entry (${fromSeq}).`);
  }
  return create(ExportRequestSchema, { format, fromSeq, toSeq });
}

/** "smptrace-export-entries-5-90.csv", "smptrace-export-all.epcis.json". */
export function exportFilename(req: ExportRequest): string {
  const choice = EXPORT_CHOICES.find((c) => c.format === req.format);
  const ext = choice?.extension ?? "bin";
  const range =
    req.fromSeq === 0n && req.toSeq === 0n
      ? "all"
      : `entries-${req.fromSeq === 0n ? "1" : req.fromSeq}-${req.toSeq === 0n ? "end" : req.toSeq}`;
  return `smptrace-export-${range}.${ext}`;
}
