import assert from "node:assert/strict";
import { test } from "node:test";
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { LotStatus, StockLineSchema } from "../gen/smptrace/v1/inventory_pb";
import { addScan, setQuantity, tallyCount } from "../src/pages/desk/receive";
import { heldLines, stockByLocation } from "../src/pages/desk/stock";
import { enumLabel } from "../src/pages/desk/ui";

test("receiving: the same label again is one more item; the count is the sum", () => {
  let lines = addScan([], "0104012345678901");
  lines = addScan(lines, "(01)04012345678918(10)L2");
  lines = addScan(lines, "0104012345678901");
  lines = addScan(lines, "  ");
  assert.deepEqual(lines, [
    { barcode: "0104012345678901", quantity: 2 },
    { barcode: "(01)04012345678918(10)L2", quantity: 1 },
  ]);
  assert.equal(tallyCount(lines), 3);
  lines = setQuantity(lines, "(01)04012345678918(10)L2", 10);
  assert.equal(tallyCount(lines), 12);
  lines = setQuantity(lines, "0104012345678901", 0);
  assert.deepEqual(lines, [{ barcode: "(01)04012345678918(10)L2", quantity: 10 }]);
  assert.equal(tallyCount([]), 0);
});

const line = (o: MessageInitShape<typeof StockLineSchema>) => create(StockLineSchema, o);

test("stock per location adds the lines of each location; empty lines do not count", () => {
  const lines = [
    line({ locationId: "LOC-1", locationName: "Store", lot: "A", inStock: 10n, usable: 8n, expired: 2n }),
    line({ locationId: "LOC-2", locationName: "Room 1", lot: "A", inStock: 3n, usable: 3n }),
    line({ locationId: "LOC-1", locationName: "Store", lot: "B", inStock: 5n, quarantined: 4n, recalled: 1n }),
    line({ locationId: "LOC-3", locationName: "Room 2", lot: "C", inStock: 0n }),
  ];
  assert.deepEqual(stockByLocation(lines), [
    { locationId: "LOC-1", locationName: "Store", lots: 2, inStock: 15, usable: 8, expired: 2, held: 5 },
    { locationId: "LOC-2", locationName: "Room 1", lots: 1, inStock: 3, usable: 3, expired: 0, held: 0 },
  ]);
});

test("held lots are those on hold or recalled with units in stock, recalled first", () => {
  const lines = [
    line({ lot: "Q", lotStatus: LotStatus.QUARANTINED, inStock: 2n }),
    line({ lot: "OK", lotStatus: LotStatus.RELEASED, inStock: 9n }),
    line({ lot: "R", lotStatus: LotStatus.RECALLED, inStock: 1n }),
    line({ lot: "GONE", lotStatus: LotStatus.RECALLED, inStock: 0n }),
  ];
  assert.deepEqual(heldLines(lines).map((l) => l.lot), ["R", "Q"]);
});

test("enum values read as words", () => {
  assert.equal(enumLabel(LotStatus, LotStatus.QUARANTINED), "quarantined");
  assert.equal(enumLabel(LotStatus, 99), "unknown");
});
