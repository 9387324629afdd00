import assert from "node:assert/strict";
import { test } from "node:test";
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { ConsumableUseSchema, VoidedPackage } from "../gen/smptrace/v1/session_pb";
import { awaitingDisposal } from "../src/pages/kiosk/disposal";

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
