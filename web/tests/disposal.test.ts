import assert from "node:assert/strict";
import { test } from "node:test";
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { ConsumableUseSchema, VoidedPackage } from "../gen/smptrace/v1/session_pb";
import { awaitingDisposal, awaitsDisposal } from "../src/pages/kiosk/disposal";

const use = (seq: number, more: MessageInitShape<typeof ConsumableUseSchema> = {}) =>
  create(ConsumableUseSchema, { seq: BigInt(seq), singleUse: true, serial: `SMP${seq}`, ...more });

test("opened single-use units not in a container await disposal; the rest do not", () => {
  const uses = [
    use(1),
    use(2, { containerId: "SHC-000001" }),
    use(3, { pigmentDraw: true, singleUse: false }),
    use(4, { voided: true, voidPackage: VoidedPackage.NOT_OPENED }),
    use(5, { voided: true, voidPackage: VoidedPackage.OPENED }),
    use(6, { singleUse: false }),
  ];
  assert.deepEqual(
    awaitingDisposal(uses).map((u) => Number(u.seq)),
    [1, 5],
  );
});

// The same table as the server's rule (AwaitsDisposal,
// tests/service/ledger/aggregates_test.cc): one answer per kind of use.
test("the server's rule, row by row", () => {
  const rows: [string, MessageInitShape<typeof ConsumableUseSchema>, boolean][] = [
    ["opened cartridge", {}, true],
    ["disposed cartridge", { containerId: "SHC-000001" }, false],
    ["voided as opened", { voided: true, voidPackage: VoidedPackage.OPENED }, true],
    ["voided before voids said", { voided: true, voidPackage: VoidedPackage.UNSPECIFIED }, true],
    ["voided as not opened", { voided: true, voidPackage: VoidedPackage.NOT_OPENED }, false],
    ["voided as opened, then disposed", { voided: true, voidPackage: VoidedPackage.OPENED, containerId: "SHC-000001" }, false],
    ["pigment draw", { singleUse: false, pigmentDraw: true }, false],
    ["reusable item", { singleUse: false }, false],
  ];
  for (const [name, more, awaits] of rows) assert.equal(awaitsDisposal(use(1, more)), awaits, name);
});
