import assert from "node:assert/strict";
import { test } from "node:test";
import { idleDecision, warningSeconds } from "../src/shell/idle";

const S = 1000;

test("quiet, long before the timeout: nothing", () => {
  assert.deepEqual(idleDecision(100 * S, 0, 0, 900), { action: "none", remainingSeconds: 800 });
});

test("the warning shows a minute before a 15-minute timeout", () => {
  assert.equal(warningSeconds(900), 60);
  assert.equal(idleDecision(839 * S, 0, 0, 900).action, "none");
  assert.deepEqual(idleDecision(840 * S, 0, 0, 900), { action: "warn", remainingSeconds: 60 });
});

test("a short kiosk timeout warns a third of it before", () => {
  assert.equal(warningSeconds(90), 30);
  assert.equal(idleDecision(60 * S, 0, 0, 90).action, "warn");
});

test("the time is up: expired", () => {
  assert.deepEqual(idleDecision(900 * S, 0, 0, 900), { action: "expired", remainingSeconds: 0 });
});

test("a person working without server calls keeps the session (touch)", () => {
  // Typed at 30 s; a minute after the last request: ping the server.
  assert.equal(idleDecision(59 * S, 0, 30 * S, 900).action, "none");
  assert.equal(idleDecision(60 * S, 0, 30 * S, 900).action, "touch");
  // Also when the warning would show.
  assert.equal(idleDecision(850 * S, 0, 845 * S, 900).action, "touch");
});

test("activity before the last request does not count again", () => {
  assert.equal(idleDecision(849 * S, 10 * S, 5 * S, 900).action, "none");
  assert.equal(idleDecision(850 * S, 10 * S, 5 * S, 900).action, "warn");
});
