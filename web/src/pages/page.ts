// What a page of the app is: where it lives, what the navigation calls it,
// which roles see it, and what it renders.

import type { ComponentType } from "preact";
import type { Role } from "../../gen/smptrace/v1/admin_pb";
import type { SignedIn } from "../api/auth";

/** What every page is given. */
export interface PageProps {
  /** Who is signed in: name, role, the clinic and its time zone. */
  who: SignedIn;
}

export interface Page {
  /** The address, e.g. "/kiosk" (unique). */
  path: string;
  /** The navigation label and the page's heading. */
  title: string;
  /** Who may open it: only these roles see it in the navigation. */
  roles: readonly Role[];
  component: ComponentType<PageProps>;
}
