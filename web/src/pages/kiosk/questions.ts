// The screening questionnaire in plain words, with what the clinic's rules
// make of each answer (deploy/screening.conf: these are its defaults; the
// server applies the clinic's own configuration and its verdict is final).

import type { ScreeningAnswers } from "../../../gen/smptrace/v1/session_pb";

/** A question answered with the day it last happened (or never). */
export interface DateQuestion {
  kind: "date";
  field:
    | "lastTopicalHairLossTreatment"
    | "lastMicroneedling"
    | "hairRestorationSurgery"
    | "lastIsotretinoin";
  question: string;
  rule: string;
}

/** A yes/no question. */
export interface YesNoQuestion {
  kind: "yes-no";
  field:
    | "skinNotHealed"
    | "usesHairFibres"
    | "extremeAnxietyOrDepression"
    | "bloodThinnersDayBefore"
    | "supplementsDayBefore"
    | "alcoholWithin24h"
    | "scalpNotExfoliated";
  question: string;
  rule: string;
}

/** Finasteride: never, stopped on a day, or still taking it. */
export interface FinasterideQuestion {
  kind: "finasteride";
  question: string;
  rule: string;
}

export type Question = DateQuestion | YesNoQuestion | FinasterideQuestion;

export const QUESTIONS: readonly Question[] = [
  {
    kind: "date",
    field: "lastTopicalHairLossTreatment",
    question: "When did the client last use minoxidil, a medicated shampoo or another hair-loss treatment on the scalp?",
    rule: "Within 30 days before today: BLOCKED.",
  },
  {
    kind: "finasteride",
    question: "Does the client take finasteride?",
    rule: "Still taking it, or stopped less than 30 days ago: BLOCKED.",
  },
  {
    kind: "date",
    field: "lastMicroneedling",
    question: "When did the client last have microneedling?",
    rule: "Less than 4 weeks ago: BLOCKED. 4 to 6 weeks ago: WARN.",
  },
  {
    kind: "date",
    field: "hairRestorationSurgery",
    question: "When did the client have hair restoration surgery (a transplant)?",
    rule: "Less than 6 months ago: BLOCKED.",
  },
  {
    kind: "date",
    field: "lastIsotretinoin",
    question: "When did the client last take isotretinoin (Accutane)?",
    rule: "Within the last year: BLOCKED.",
  },
  {
    kind: "yes-no",
    field: "skinNotHealed",
    question: "Is the skin of the scalp not fully healed (cuts, rash, recent treatment)?",
    rule: "With microneedling or hair fibres: BLOCKED. Otherwise: WARN.",
  },
  {
    kind: "yes-no",
    field: "usesHairFibres",
    question: "Does the client use hair fibres?",
    rule: "Fine when the skin is healed.",
  },
  {
    kind: "yes-no",
    field: "extremeAnxietyOrDepression",
    question: "Does the client report extreme anxiety or depression?",
    rule: "WARN: go ahead with care; noted on the record.",
  },
  {
    kind: "yes-no",
    field: "bloodThinnersDayBefore",
    question: "Yesterday or today: aspirin, ibuprofen, anti-inflammatories or steroids?",
    rule: "BLOCKED (they thin the blood).",
  },
  {
    kind: "yes-no",
    field: "supplementsDayBefore",
    question: "Yesterday or today: garlic, ginger, ginkgo, fish oil or vitamin E supplements?",
    rule: "WARN.",
  },
  {
    kind: "yes-no",
    field: "alcoholWithin24h",
    question: "Any alcohol in the last 24 hours?",
    rule: "BLOCKED.",
  },
  {
    kind: "yes-no",
    field: "scalpNotExfoliated",
    question: "Was the scalp NOT exfoliated last night?",
    rule: "WARN.",
  },
];

/** True when any question has an answer (so "none apply" cannot be said). */
export function anyAnswer(a: ScreeningAnswers): boolean {
  return QUESTIONS.some((q) => {
    switch (q.kind) {
      case "date":
        return a[q.field] !== undefined;
      case "yes-no":
        return a[q.field];
      case "finasteride":
        return a.finasterideCurrent || a.finasterideStopped !== undefined;
    }
  });
}
