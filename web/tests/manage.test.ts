import assert from "node:assert/strict";
import { test } from "node:test";
import { create } from "@bufbuild/protobuf";
import { ProductKind, ProductSchema, SterilizationMethod } from "../gen/smptrace/v1/catalog_pb";
import { ReorderPolicySchema } from "../gen/smptrace/v1/inventory_pb";
import { productChanges, productDetail } from "../src/lib/product";
import { draftOf, newDraft, productOf } from "../src/pages/desk/ProductFields";
import { BLANK_NUMBERS, numbersOf, policyKey, policyNumbers, policySummary } from "../src/pages/desk/reorder";
import { carry } from "../src/pages/desk/transfer";

const ink = create(ProductSchema, {
  gtin: "09506000134369",
  version: 1n,
  name: "SMP Ink Black 15ml",
  kind: ProductKind.PIGMENT,
  manufacturer: "InkCo",
  unitsPerPack: 1,
  sterile: true,
  sterilizationMethod: SterilizationMethod.GAMMA,
  paoDays: 180,
  shade: "Black",
});

test("a product's details read as the CLI's product table writes them", () => {
  assert.equal(productDetail(ink), "sterile (gamma) · shade Black · PAO 180 d");
  const cartridge = create(ProductSchema, {
    kind: ProductKind.NEEDLE_CARTRIDGE,
    singleUse: true,
    sterile: true,
    cartridgeConfiguration: "1RL 0.25mm",
  });
  assert.equal(productDetail(cartridge), "single-use · sterile · 1RL 0.25mm");
  assert.equal(productDetail(create(ProductSchema, { kind: ProductKind.CONSUMABLE })), "");
});

test("a version's changes name each changed field, old → new; the same product changes nothing", () => {
  const v2 = create(ProductSchema, { ...ink, version: 2n, paoDays: 120, manufacturer: "InkCo Ltd" });
  assert.deepEqual(productChanges(ink, v2), ["manufacturer: InkCo → InkCo Ltd", "PAO: 180 d → 120 d"]);
  assert.deepEqual(productChanges(ink, create(ProductSchema, { ...ink, version: 3n })), []);
  const unsterile = create(ProductSchema, { ...ink, sterile: false, sterilizationMethod: SterilizationMethod.UNSPECIFIED });
  assert.deepEqual(productChanges(ink, unsterile), ["sterile: yes → no", "sterilisation: gamma → not given"]);
});

test("the product form round-trips a product; a blank PAO is sent as 0 for the server to refuse", () => {
  const d = draftOf(ink);
  assert.equal(d.detail, "Black");
  assert.equal(d.pao, "180");
  const back = productOf(d, ink.gtin, ink.kind);
  assert.equal(back.shade, "Black");
  assert.equal(back.paoDays, 180);
  assert.equal(back.cartridgeConfiguration, "");
  assert.equal(back.sterilizationMethod, SterilizationMethod.GAMMA);
  assert.equal(productOf({ ...d, pao: "" }, ink.gtin, ink.kind).paoDays, 0);
  // A cartridge's detail is its configuration; a new one starts single-use and sterile.
  const c = newDraft(ProductKind.NEEDLE_CARTRIDGE);
  assert.equal(c.singleUse && c.sterile, true);
  assert.equal(productOf({ ...c, detail: " 3RL " }, " 09506000134376 ", ProductKind.NEEDLE_CARTRIDGE).cartridgeConfiguration, "3RL");
});

test("a reorder policy in words: by usage with the defaults, or fixed reorder point and order-up-to level", () => {
  const usage = create(ReorderPolicySchema, { gtin: "09506000134352", leadTimeDays: 10, reviewPeriodDays: 7, safetyStockDays: 7, packSize: 20, usageWindowDays: 28 });
  assert.equal(policySummary(usage), "by usage over 28 d: lead 10 d + review 7 d + safety 7 d · packs of 20");
  const defaults = create(ReorderPolicySchema, { gtin: "x", leadTimeDays: 3 });
  assert.equal(policySummary(defaults), "by usage over 56 d: lead 3 d + review 7 d + safety 0 d · the product's pack");
  const fixed = create(ReorderPolicySchema, { gtin: "x", locationId: "LOC-000003", leadTimeDays: 5, fixedMin: 2, fixedMax: 6, packSize: 1, minimumOrderPacks: 3 });
  assert.equal(policySummary(fixed), "fixed: order up to 6 when 2 or fewer · lead 5 d · packs of 1 · at least 3 packs an order");
  assert.notEqual(policyKey(fixed), policyKey({ gtin: "x", locationId: "" }));
});

test("the policy form: blank is the default (0), a number is sent as typed, anything else names its field", () => {
  assert.deepEqual(policyNumbers(BLANK_NUMBERS), {
    numbers: { leadTimeDays: 0, reviewPeriodDays: 0, safetyStockDays: 0, packSize: 0, minimumOrderPacks: 0, fixedMin: 0, fixedMax: 0, usageWindowDays: 0, shelfLifeDays: 0 },
  });
  const typed = policyNumbers({ ...BLANK_NUMBERS, lead: " 10 ", fixedMax: "6", safety: "-1" });
  assert.ok("numbers" in typed);
  assert.equal(typed.numbers?.leadTimeDays, 10);
  assert.equal(typed.numbers?.fixedMax, 6);
  // Out of range is the server's to refuse, by name.
  assert.equal(typed.numbers?.safetyStockDays, -1);
  assert.deepEqual(policyNumbers({ ...BLANK_NUMBERS, review: "1.5" }), {
    error: 'Days between orders: "1.5" is not a whole number; leave it blank for the default',
  });
  const p = create(ReorderPolicySchema, { gtin: "x", leadTimeDays: 5, fixedMin: 2, fixedMax: 6 });
  assert.deepEqual(numbersOf(p), { ...BLANK_NUMBERS, lead: "5", fixedMin: "2", fixedMax: "6" });
});

test("moving stock: each unit label once; a second read of it is the same unit", () => {
  let c = carry([], "(01)09506000134352(17)271231(10)CT-2291(21)SMP000000013");
  c = carry(c.labels, "(01)09506000134352(17)271231(10)CT-2291(21)SMP000000014");
  assert.equal(c.repeated, false);
  c = carry(c.labels, " (01)09506000134352(17)271231(10)CT-2291(21)SMP000000013 ");
  assert.equal(c.repeated, true);
  assert.equal(c.labels.length, 2);
  c = carry(c.labels, "   ");
  assert.deepEqual(c, { labels: c.labels, repeated: false });
  assert.equal(c.labels.length, 2);
});
