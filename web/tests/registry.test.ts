import assert from "node:assert/strict";
import { test } from "node:test";
import type { FunctionComponent } from "preact";
import { Role } from "../gen/smptrace/v1/admin_pb";
import { parseRole, parseSignInOptions, roleLabel } from "../src/api/auth";
import type { Page } from "../src/pages/page";
import { pageAt, pages, pagesFor } from "../src/pages/registry";

test("a practitioner's navigation is the kiosk, and only the kiosk", () => {
  assert.deepEqual(
    pagesFor(Role.PRACTITIONER).map((p) => p.path),
    ["/kiosk"],
  );
});

test("no other role sees the kiosk (StartSession and ScanConsumable are the practitioner's)", () => {
  for (const role of [Role.MANAGER, Role.AUDITOR, Role.ADMIN, Role.UNSPECIFIED]) {
    assert.equal(pageAt("/kiosk", role), undefined, Role[role]);
    assert.ok(!pagesFor(role).some((p) => p.path === "/kiosk"), Role[role]);
  }
});

test("every page has a unique path, a title and at least one role", () => {
  const paths = pages.map((p) => p.path);
  assert.equal(new Set(paths).size, paths.length);
  for (const p of pages) {
    assert.match(p.path, /^\/[a-z-]+$/);
    assert.ok(p.title.length > 0);
    assert.ok(p.roles.length > 0, p.path);
  }
});

test("a new page appears for its roles only, in registry order", () => {
  const Stub: FunctionComponent = () => null;
  const all: Page[] = [
    ...pages.filter((p) => p.path === "/kiosk"),
    { path: "/dashboard", title: "Dashboard", roles: [Role.MANAGER], component: Stub },
    { path: "/lookback", title: "Lookback", roles: [Role.AUDITOR, Role.MANAGER], component: Stub },
  ];
  assert.deepEqual(
    pagesFor(Role.MANAGER, all).map((p) => p.path),
    ["/dashboard", "/lookback"],
  );
  assert.deepEqual(
    pagesFor(Role.AUDITOR, all).map((p) => p.path),
    ["/lookback"],
  );
  assert.equal(pageAt("/dashboard", Role.AUDITOR, all), undefined);
  assert.equal(pageAt("/dashboard", Role.MANAGER, all)?.title, "Dashboard");
});

test("each desk role sees its own pages, in order, and no one else's", () => {
  assert.deepEqual(
    pagesFor(Role.MANAGER).map((p) => p.path),
    ["/dashboard", "/receive", "/transfer", "/lots", "/reorder", "/orders", "/usage", "/clients", "/catalog", "/lookback", "/recalls"],
  );
  assert.deepEqual(
    pagesFor(Role.AUDITOR).map((p) => p.path),
    ["/lookback", "/records", "/recalls", "/exceptions", "/access", "/exports", "/checkpoints"],
  );
  assert.deepEqual(
    pagesFor(Role.ADMIN).map((p) => p.path),
    ["/principals", "/health"],
  );
  // Contact details are the manager's page; exports the auditor's.
  assert.equal(pageAt("/clients", Role.AUDITOR), undefined);
  assert.equal(pageAt("/clients", Role.PRACTITIONER), undefined);
  assert.equal(pageAt("/exports", Role.MANAGER), undefined);
  assert.equal(pageAt("/principals", Role.MANAGER), undefined);
  // Moving stock, reorder policies and the catalogue are the manager's: the
  // practitioner's kiosk has none of them (Transfer itself they may call).
  for (const path of ["/transfer", "/reorder", "/catalog"]) {
    assert.equal(pageAt(path, Role.PRACTITIONER), undefined, path);
    assert.equal(pageAt(path, Role.AUDITOR), undefined, path);
  }
  assert.deepEqual(pagesFor(Role.UNSPECIFIED), []);
});

test("the role the server names at sign-in is the proto's enum", () => {
  assert.equal(parseRole("PRACTITIONER"), Role.PRACTITIONER);
  assert.equal(parseRole("MANAGER"), Role.MANAGER);
  assert.equal(parseRole("AUDITOR"), Role.AUDITOR);
  assert.equal(parseRole("ADMIN"), Role.ADMIN);
  assert.equal(parseRole("ROLE_MANAGER"), Role.MANAGER);
  for (const bad of ["", "UNSPECIFIED", "manager", "ROOT", "toString"]) {
    assert.equal(parseRole(bad), Role.UNSPECIFIED, bad);
  }
  assert.equal(roleLabel(Role.PRACTITIONER), "practitioner");
  // Signed in with the kiosk's role, the navigation is the kiosk.
  assert.deepEqual(pagesFor(parseRole("PRACTITIONER")).map((p) => p.path), ["/kiosk"]);
});

test("the sign-in screen offers the development principal only under --insecure_dev", () => {
  assert.deepEqual(parseSignInOptions({ clinicName: "Scalp Studio" }), { clinicName: "Scalp Studio" });
  assert.deepEqual(
    parseSignInOptions({ clinicName: "", insecureDev: true, devPrincipal: "insecure-dev", devRole: "ADMIN" }),
    { clinicName: "", devPrincipal: "insecure-dev", devRole: Role.ADMIN },
  );
  // Anything else is a secured server: a token is needed.
  assert.deepEqual(parseSignInOptions({ insecureDev: "yes", devPrincipal: "x" }), { clinicName: "" });
  assert.deepEqual(parseSignInOptions(undefined), { clinicName: "" });
});
