// The practitioner's kiosk: one procedure from client to sealed record, in
// steps — client, (consent, when the clinic asks for it) screening, (the
// ink disclosure, when the clinic asks for it) scan, dispose, close,
// record. The session is the server's: each step shows the
// Session the last call returned, or, at the scan step, that session with
// each scan's use added (uses.ts).

import { useEffect, useState } from "preact/hooks";
import { Role } from "../../../gen/smptrace/v1/admin_pb";
import { CatalogService, LocationKind, type Location } from "../../../gen/smptrace/v1/catalog_pb";
import {
  ScreeningVerdict,
  SessionService,
  SessionStatus,
  type Client,
  type Session,
} from "../../../gen/smptrace/v1/session_pb";
import { ErrorText } from "../../shell/action";
import { api } from "../../api/client";
import { errorText } from "../../api/errors";
import type { Page, PageProps } from "../page";
import { AbortSessionButton } from "./AbortSession";
import { ClientStep } from "./ClientStep";
import { CloseStep } from "./CloseStep";
import { ConsentStep } from "./ConsentStep";
import { DisposeStep } from "./DisposeStep";
import { InkStep } from "./InkStep";
import { RecordView } from "./RecordView";
import { ScanStep } from "./ScanStep";
import { ScreeningStep } from "./ScreeningStep";

type Step =
  | { kind: "client" }
  | { kind: "consent"; client: Client }
  | { kind: "screening"; client: Client }
  | { kind: "inks"; auto: boolean }
  | { kind: "scan" }
  | { kind: "dispose" }
  | { kind: "close" }
  | { kind: "record"; sessionId: string };

const STEP_NAMES: { kind: Step["kind"]; label: string }[] = [
  { kind: "client", label: "1 Client" },
  { kind: "screening", label: "2 Screening" },
  { kind: "scan", label: "3 Scan" },
  { kind: "dispose", label: "4 Dispose" },
  { kind: "close", label: "5 Close" },
  { kind: "record", label: "6 Record" },
];

function KioskPage(props: PageProps) {
  const tz = props.who.clinicTimeZone;
  const [step, setStep] = useState<Step>({ kind: "client" });
  const [session, setSession] = useState<Session | undefined>(undefined);
  const [error, setError] = useState("");
  const [rooms, setRooms] = useState<Location[]>([]);

  useEffect(() => {
    api(CatalogService)
      .listLocations({ page: { pageSize: 1000 } })
      .then((r) => setRooms(r.locations.filter((l) => l.kind === LocationKind.ROOM)))
      .catch((err) => setError(errorText(err)));
  }, []);
  // Each step starts at the top (the screening form is long).
  useEffect(() => window.scrollTo(0, 0), [step.kind]);
  const roomName = (id: string) => rooms.find((r) => r.locationId === id)?.name ?? id;

  async function resume(sessionId: string) {
    setError("");
    try {
      const r = await api(SessionService).getSession({ sessionId });
      if (!r.session) return;
      setSession(r.session);
      setStep(r.session.status === SessionStatus.OPEN ? { kind: "scan" } : { kind: "record", sessionId });
    } catch (err) {
      setError(errorText(err));
    }
  }

  function reset() {
    setSession(undefined);
    setStep({ kind: "client" });
  }

  // Consent is part of getting ready for the screening, the inks of getting
  // ready to scan.
  const shownAs = step.kind === "consent" ? "screening" : step.kind === "inks" ? "scan" : step.kind;
  const at = STEP_NAMES.findIndex((s) => s.kind === shownAs);
  return (
    <div class="kiosk">
      <h1 class="sr-only">Kiosk</h1>
      <ol class="steps" aria-label="Steps">
        {STEP_NAMES.map((s, i) => (
          <li key={s.kind} class={i < at ? "done" : ""} aria-current={i === at ? "step" : undefined}>
            {s.label}
          </li>
        ))}
      </ol>
      {session && step.kind !== "record" && (
        <div class="session-bar" role="region" aria-label="Session">
          <strong>{session.sessionId}</strong>
          <span>client {session.clientCode}</span>
          <span>{roomName(session.locationId)}</span>
          <span>{session.treatmentArea}</span>
          <ScreeningSummary session={session} />
          {step.kind === "scan" && (
            <button type="button" onClick={() => setStep({ kind: "inks", auto: false })}>
              Inks
            </button>
          )}
          <span class="push">
            <AbortSessionButton
              session={session}
              onAborted={(s) => {
                setSession(s);
                setStep({ kind: "record", sessionId: s.sessionId });
              }}
            />
          </span>
        </div>
      )}
      <ErrorText message={error} />
      {step.kind === "client" && (
        <ClientStep
          timeZone={tz}
          onClient={(client) => setStep({ kind: "consent", client })}
          onResume={(id) => void resume(id)}
        />
      )}
      {step.kind === "consent" && (
        <ConsentStep
          client={step.client}
          onBack={reset}
          onDone={() => setStep({ kind: "screening", client: step.client })}
        />
      )}
      {step.kind === "screening" && (
        <ScreeningStep
          client={step.client}
          practitioner=""
          rooms={rooms}
          onBack={reset}
          onStarted={(s) => {
            setSession(s);
            setStep({ kind: "inks", auto: true });
          }}
        />
      )}
      {session && step.kind === "inks" && (
        <InkStep session={session} auto={step.auto} onSession={setSession} onDone={() => setStep({ kind: "scan" })} />
      )}
      {session && step.kind === "scan" && (
        <ScanStep session={session} timeZone={tz} onSession={setSession} onNext={() => setStep({ kind: "dispose" })} />
      )}
      {session && step.kind === "dispose" && (
        <DisposeStep
          session={session}
          onSession={setSession}
          onBack={() => setStep({ kind: "scan" })}
          onNext={() => setStep({ kind: "close" })}
        />
      )}
      {session && step.kind === "close" && (
        <CloseStep
          session={session}
          onBack={() => setStep({ kind: "dispose" })}
          onClosed={(s) => {
            setSession(s);
            setStep({ kind: "record", sessionId: s.sessionId });
          }}
        />
      )}
      {step.kind === "record" && (
        <RecordView sessionId={step.sessionId} timeZone={tz} roomName={roomName} onNext={reset} />
      )}
    </div>
  );
}

const VERDICT_BADGES: Record<ScreeningVerdict, { text: string; cls: string }> = {
  [ScreeningVerdict.UNSPECIFIED]: { text: "screening", cls: "warn" },
  [ScreeningVerdict.CLEARED]: { text: "screening CLEARED", cls: "ok" },
  [ScreeningVerdict.WARN]: { text: "screening WARN", cls: "warn" },
  [ScreeningVerdict.BLOCKED]: { text: "screening BLOCKED", cls: "bad" },
};

/** The screening's verdict; its findings and the aftercare one tap away. */
function ScreeningSummary(props: { session: Session }) {
  const sc = props.session.screening;
  if (!sc) return null;
  const badge = VERDICT_BADGES[sc.verdict];
  return (
    <details class="screening-summary">
      <summary>
        <span class={`badge ${badge.cls}`}>{badge.text}</span>
        {sc.override && ` approved by ${sc.override.manager}`} · findings and aftercare
      </summary>
      <ul>
        {sc.findings.map((f) => (
          <li key={f.rule}>
            <strong>{f.rule}</strong>: {f.message}
          </li>
        ))}
        {sc.aftercare.map((a, i) => (
          <li key={`a${i}`}>aftercare: {a}</li>
        ))}
      </ul>
    </details>
  );
}

export const kioskPage: Page = {
  path: "/kiosk",
  title: "Kiosk",
  roles: [Role.PRACTITIONER],
  component: KioskPage,
};
