// Step 2: start the session. The room, the plan step, the area, and the
// screening questionnaire; the server evaluates the answers with the
// clinic's rules. A BLOCKED screening goes ahead only after a manager
// approves it with their own sign-in (ManagerApproval), then starts with
// that approval's id.

import { create } from "@bufbuild/protobuf";
import { useEffect, useRef, useState } from "preact/hooks";
import { DateSchema } from "../../../gen/smptrace/v1/common_pb";
import type { Location } from "../../../gen/smptrace/v1/catalog_pb";
import {
  PlanStep,
  ScreeningAnswersSchema,
  SessionService,
  type Client,
  type ScreeningAnswers,
  type Session,
} from "../../../gen/smptrace/v1/session_pb";
import { ErrorText } from "../../shell/action";
import { api, requestId } from "../../api/client";
import { errorText, reasonCode } from "../../api/errors";
import { formatDate, parseDate } from "../../lib/time";
import { DateInput } from "../../shell/DateInput";
import { ManagerApproval } from "./ManagerApproval";
import { anyAnswer, QUESTIONS, type Question } from "./questions";

/** A date field's value ("yyyy-mm-dd") as a proto Date; undefined when empty. */
function dateAnswer(value: string) {
  const d = parseDate(value);
  return d ? create(DateSchema, d) : undefined;
}

const ROOM_KEY = "smptrace.kiosk.room";

const STEPS: { step: PlanStep; label: string }[] = [
  { step: PlanStep.FIRST, label: "1st session" },
  { step: PlanStep.SECOND, label: "2nd session" },
  { step: PlanStep.THIRD, label: "3rd session" },
  { step: PlanStep.TOUCH_UP, label: "Touch-up" },
];

export function ScreeningStep(props: {
  client: Client;
  practitioner: string;
  /** The clinic's treatment rooms. */
  rooms: readonly Location[];
  onStarted: (session: Session) => void;
  onBack: () => void;
}) {
  const { rooms } = props;
  const [room, setRoom] = useState(
    localStorage.getItem(ROOM_KEY) ?? (rooms.length === 1 ? rooms[0].locationId : ""),
  );
  const [plan, setPlan] = useState<PlanStep>(PlanStep.FIRST);
  const [area, setArea] = useState("");
  const [answers, setAnswers] = useState<ScreeningAnswers>(create(ScreeningAnswersSchema));
  const [error, setError] = useState("");
  const [blocked, setBlocked] = useState("");
  const [approving, setApproving] = useState(false);
  // A manager's approval is good for one session within the hour: kept for
  // a retry (a start refused for another reason has not used it).
  const [approvalId, setApprovalId] = useState("");
  const [busy, setBusy] = useState(false);
  // A refusal shows below a long form: bring it into view.
  const answer = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (blocked || error) answer.current?.scrollIntoView({ block: "center" });
  }, [blocked, error]);

  function update(change: Partial<ScreeningAnswers>) {
    setAnswers((a) => ({ ...a, ...change, noneApply: change.noneApply ?? false }));
    setBlocked("");
  }

  async function start(overrideApprovalId = approvalId) {
    setError("");
    setBusy(true);
    try {
      const session = await api(SessionService).startSession({
        requestId: requestId(),
        client: props.client.clientId,
        practitioner: props.practitioner,
        locationId: room,
        planStep: plan,
        treatmentArea: area.trim(),
        answers,
        overrideApprovalId,
      });
      localStorage.setItem(ROOM_KEY, room);
      props.onStarted(session);
    } catch (err) {
      if (reasonCode(err) === "screening_blocked") setBlocked(errorText(err));
      else setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  const answered = anyAnswer(answers);
  return (
    <>
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void start();
      }}
    >
      <section class="card" aria-labelledby="where-h">
        <h2 id="where-h">Client {props.client.code}: the procedure</h2>
        <div class="row">
          <div>
            <label for="room">Treatment room</label>
            <select id="room" value={room} onChange={(e) => setRoom(e.currentTarget.value)}>
              <option value="">Choose the room…</option>
              {rooms.map((r) => (
                <option key={r.locationId} value={r.locationId}>
                  {r.name} ({r.locationId})
                </option>
              ))}
            </select>
          </div>
          <div>
            <label for="area">Treatment area</label>
            <input
              id="area"
              value={area}
              placeholder="e.g. crown and hairline"
              autocomplete="off"
              onInput={(e) => setArea(e.currentTarget.value)}
            />
          </div>
        </div>
        <fieldset>
          <legend>Which session of the plan</legend>
          <div class="choices">
            {STEPS.map((s) => (
              <label class="check" key={s.step}>
                <input type="radio" name="plan" checked={plan === s.step} onChange={() => setPlan(s.step)} />
                {s.label}
              </label>
            ))}
          </div>
          <p class="hint">
            2 or 3 sessions make a plan, at least 7 days apart (closer: WARN); touch-ups follow
            years later.
          </p>
        </fieldset>
      </section>

      <section class="card" aria-labelledby="screen-h">
        <h2 id="screen-h">Screening: ask the client every question</h2>
        <div class="legend-verdicts">
          <span class="badge ok">CLEARED</span>
          <span>go ahead.</span>
          <span class="badge warn">WARN</span>
          <span>go ahead; the answer is noted on the record.</span>
          <span class="badge bad">BLOCKED</span>
          <span>
            do not go ahead, unless a manager approves it with their own sign-in (noted as an
            exception on the record).
          </span>
        </div>
        {QUESTIONS.map((q, i) => (
          <QuestionRow key={i} index={i} q={q} answers={answers} update={update} />
        ))}
        <label class="check none-apply">
          <input
            type="checkbox"
            checked={answers.noneApply}
            disabled={answered}
            onChange={(e) => setAnswers((a) => ({ ...a, noneApply: e.currentTarget.checked }))}
          />
          I asked every question and none applies
        </label>
        {!answered && !answers.noneApply && (
          <p class="hint">Answer the questions, or tick "none applies": the record shows the screening took place.</p>
        )}
      </section>

      <div ref={answer}>
      {blocked && (
        <section class="verdict bad" role="alert" aria-labelledby="blocked-h">
          <h2 id="blocked-h">Screening BLOCKED</h2>
          <p>{blocked}</p>
          <p>
            Do not go ahead. A manager may approve this one session with their own sign-in:
            the approval and their reason go on the record as an exception.
          </p>
          <div class="actions">
            <button type="button" class="primary" onClick={() => setApproving(true)}>
              Manager approval…
            </button>
          </div>
        </section>
      )}
      <ErrorText message={error} />
      </div>
      {approvalId && (
        <p class="notice" role="status">
          Approved by a manager ({approvalId}): good for one session started within the hour.
        </p>
      )}
      <div class="actions">
        <button type="button" onClick={props.onBack}>
          ← Another client
        </button>
        <button type="submit" class="primary" disabled={busy || !!blocked}>
          Start the session
        </button>
      </div>
    </form>
      {approving && (
        <ManagerApproval
          clientId={props.client.clientId}
          clientCode={props.client.code}
          onClose={() => setApproving(false)}
          onApproved={(id) => {
            setApproving(false);
            setBlocked("");
            setApprovalId(id);
            void start(id);
          }}
        />
      )}
    </>
  );
}

function QuestionRow(props: {
  index: number;
  q: Question;
  answers: ScreeningAnswers;
  update: (change: Partial<ScreeningAnswers>) => void;
}) {
  const { q, answers, update } = props;
  const id = `q${props.index}`;
  const text = (
    <div>
      <p class="q" id={`${id}-q`}>
        {q.question}
      </p>
      <p class="rule" id={`${id}-rule`}>
        {q.rule}
      </p>
    </div>
  );
  switch (q.kind) {
    case "yes-no":
      return (
        <div class="question">
          {text}
          <label class="check">
            <input
              type="checkbox"
              aria-labelledby={`${id}-q`}
              aria-describedby={`${id}-rule`}
              checked={answers[q.field]}
              onChange={(e) => update({ [q.field]: e.currentTarget.checked })}
            />
            Yes
          </label>
        </div>
      );
    case "date":
      return (
        <div class="question">
          {text}
          <div>
            <label class="hint" for={`${id}-date`}>
              Day it last happened (empty: never)
            </label>
            <DateInput
              id={`${id}-date`}
              describedBy={`${id}-q ${id}-rule`}
              value={formatDate(answers[q.field])}
              onChange={(v) => update({ [q.field]: dateAnswer(v) })}
            />
          </div>
        </div>
      );
    case "finasteride":
      return (
        <div class="question">
          {text}
          <div>
            <label class="check">
              <input
                type="checkbox"
                aria-describedby={`${id}-rule`}
                checked={answers.finasterideCurrent}
                onChange={(e) =>
                  update({ finasterideCurrent: e.currentTarget.checked, finasterideStopped: undefined })
                }
              />
              Still taking it
            </label>
            <label class="hint" for={`${id}-date`}>
              Or the day it was stopped (empty: never taken)
            </label>
            <DateInput
              id={`${id}-date`}
              disabled={answers.finasterideCurrent}
              value={formatDate(answers.finasterideStopped)}
              onChange={(v) => update({ finasterideStopped: dateAnswer(v) })}
            />
          </div>
        </div>
      );
  }
}
