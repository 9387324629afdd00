import assert from "node:assert/strict";
import { test } from "node:test";
import { toJson } from "@bufbuild/protobuf";
import { ExportFormat, ExportRequestSchema } from "../gen/smptrace/v1/audit_pb";
import { exportFilename, exportRequest } from "../src/lib/exports";

test("blank ends export the whole journal", () => {
  const req = exportRequest(ExportFormat.CSV, "", " ");
  assert.equal(req.fromSeq, 0n);
  assert.equal(req.toSeq, 0n);
  assert.deepEqual(toJson(ExportRequestSchema, req), { format: "EXPORT_FORMAT_CSV" });
  assert.equal(exportFilename(req), "smptrace-export-all.csv");
});

test("a range goes into the request as typed, and names the file", () => {
  const req = exportRequest(ExportFormat.EPCIS, "5", "90");
  assert.deepEqual(toJson(ExportRequestSchema, req), { format: "EXPORT_FORMAT_EPCIS", fromSeq: "5", toSeq: "90" });
  assert.equal(exportFilename(req), "smptrace-export-entries-5-90.epcis.json");
  assert.equal(exportFilename(exportRequest(ExportFormat.JSONL, "", "12")), "smptrace-export-entries-1-12.jsonl");
  assert.equal(exportFilename(exportRequest(ExportFormat.JSONL, "40", "")), "smptrace-export-entries-40-end.jsonl");
});

test("a bad range is refused with the field's name, before any call", () => {
  assert.throws(() => exportRequest(ExportFormat.CSV, "abc", ""), /^Error: From entry: "abc" is not a journal entry number/);
  assert.throws(() => exportRequest(ExportFormat.CSV, "", "-3"), /^Error: To entry:/);
  assert.throws(() => exportRequest(ExportFormat.CSV, "0", ""), /numbered from 1/);
  assert.throws(() => exportRequest(ExportFormat.CSV, "90", "5"), /To entry \(5\) is before From entry \(90\)/);
  assert.throws(() => exportRequest(ExportFormat.UNSPECIFIED, "", ""), /^Error: Format:/);
});
