import assert from "node:assert/strict";
import { test } from "node:test";
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import {
  ConsumableUseSchema,
  SessionLineSchema,
  SessionSchema,
  SessionStatus,
  VoidedPackage,
} from "../gen/smptrace/v1/session_pb";
import { lineCounts, listIsWhole, withUse } from "../src/pages/kiosk/uses";

const use = (seq: number, more: MessageInitShape<typeof ConsumableUseSchema> = {}) =>
  create(ConsumableUseSchema, { seq: BigInt(seq), singleUse: true, serial: `SMP${seq}`, ...more });
const session = (...uses: ReturnType<typeof use>[]) =>
  create(SessionSchema, { sessionId: "SES-000001", status: SessionStatus.OPEN, consumables: uses });
const line = (consumables: number, voided: number, awaitingDisposal: number) =>
  create(SessionLineSchema, { sessionId: "SES-000001", status: SessionStatus.OPEN, consumables, voided, awaitingDisposal });

test("a scan's use is added to the list; a double read's use takes its own place", () => {
  const s = session(use(1), use(2));
  assert.deepEqual(
    withUse(s, use(3)).consumables.map((u) => Number(u.seq)),
    [1, 2, 3],
  );
  const again = withUse(s, use(1, { containerId: "SHC-000001" }));
  assert.deepEqual(
    again.consumables.map((u) => [Number(u.seq), u.containerId]),
    [
      [1, "SHC-000001"],
      [2, ""],
    ],
  );
  assert.equal(again.consumables[1], s.consumables[1], "the other uses are the same objects (their rows are not redrawn)");
  assert.equal(s.consumables.length, 2, "the session given is not changed");
});

test("counts as the server's SessionLine: voided apart; voided as opened (or before voids said) still awaits disposal", () => {
  assert.deepEqual(
    lineCounts([
      use(1),
      use(2, { containerId: "SHC-000001" }),
      use(3, { pigmentDraw: true, singleUse: false }),
      use(4, { voided: true, voidPackage: VoidedPackage.NOT_OPENED }),
      use(5, { voided: true, voidPackage: VoidedPackage.OPENED }),
      use(6, { voided: true, voidPackage: VoidedPackage.UNSPECIFIED }),
    ]),
    { consumables: 3, voided: 3, awaitingDisposal: 3 },
  );
});

test("the list is whole while it adds up to the answer's counts", () => {
  const s = withUse(session(use(1), use(2)), use(3));
  assert.equal(listIsWhole(s, line(3, 0, 3)), true);
});

test("a use voided elsewhere, a disposal elsewhere, a scan elsewhere: read the session again", () => {
  const s = withUse(session(use(1), use(2)), use(3));
  assert.equal(listIsWhole(s, line(2, 1, 2)), false, "voided at another screen");
  assert.equal(listIsWhole(s, line(3, 0, 2)), false, "disposed of at another screen");
  assert.equal(listIsWhole(s, line(4, 0, 4)), false, "scanned at another screen");
  assert.equal(listIsWhole(s, create(SessionLineSchema, { ...line(3, 0, 3), status: SessionStatus.ABORTED })), false);
  assert.equal(listIsWhole(s, undefined), false, "an answer without counts (recorded by an earlier server)");
});
