// Every page of the app, in navigation order. To add one: write
// src/pages/<area>/<Name>Page.tsx exporting a `Page` (see page.ts), and list
// it below. A role sees exactly the pages that name it: nothing else is in
// its navigation, and any other address shows "not for your role".
//
// Each page calls only RPCs its roles may call (service/api/roles.cc).

import { accessPage } from "./desk/AccessPage";
import { catalogPage } from "./desk/CatalogPage";
import type { Role } from "../../gen/smptrace/v1/admin_pb";
import { checkpointPage } from "./desk/CheckpointPage";
import { clientsPage } from "./desk/ClientsPage";
import { dashboardPage } from "./desk/DashboardPage";
import { exceptionsPage } from "./desk/ExceptionsPage";
import { exportsPage } from "./desk/ExportsPage";
import { healthPage } from "./desk/HealthPage";
import { lookbackPage } from "./desk/LookbackPage";
import { lotsPage } from "./desk/LotsPage";
import { ordersPage } from "./desk/OrdersPage";
import { principalsPage } from "./desk/PrincipalsPage";
import { recallsPage } from "./desk/RecallsPage";
import { receivePage } from "./desk/ReceivePage";
import { recordsPage } from "./desk/RecordsPage";
import { reorderPage } from "./desk/ReorderPage";
import { transferPage } from "./desk/TransferPage";
import { usagePage } from "./desk/UsagePage";
import { kioskPage } from "./kiosk/KioskPage";
import type { Page } from "./page";

export const pages: readonly Page[] = [
  kioskPage,
  // manager
  dashboardPage,
  receivePage,
  transferPage,
  lotsPage,
  reorderPage,
  ordersPage,
  usagePage,
  clientsPage,
  catalogPage,
  // auditor (lookback and recalls: the manager's too)
  lookbackPage,
  recordsPage,
  recallsPage,
  exceptionsPage,
  accessPage,
  exportsPage,
  checkpointPage,
  // admin
  principalsPage,
  healthPage,
];

/** The pages `role` may use, in navigation order. */
export function pagesFor(role: Role, all: readonly Page[] = pages): Page[] {
  return all.filter((p) => p.roles.includes(role));
}

/** The page at `path` if `role` may use it. */
export function pageAt(path: string, role: Role, all: readonly Page[] = pages): Page | undefined {
  return pagesFor(role, all).find((p) => p.path === path);
}
