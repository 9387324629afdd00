import assert from "node:assert/strict";
import { test } from "node:test";
import { Role } from "../gen/smptrace/v1/admin_pb";
import { parseRole, roleLabel } from "../src/api/auth";

test("the role the server names is the proto's role, with or without its prefix", () => {
  assert.equal(parseRole("MANAGER"), Role.MANAGER);
  assert.equal(parseRole("ROLE_AUDITOR"), Role.AUDITOR);
  assert.equal(parseRole("PRACTITIONER"), Role.PRACTITIONER);
  assert.equal(parseRole("ADMIN"), Role.ADMIN);
  assert.equal(parseRole("janitor"), Role.UNSPECIFIED);
  assert.equal(parseRole(""), Role.UNSPECIFIED);
  assert.equal(roleLabel(parseRole("MANAGER")), "manager");
});
