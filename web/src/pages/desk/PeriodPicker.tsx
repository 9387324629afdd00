// Two calendar days in the clinic's time zone, both included, with quick
// choices (today, the last 7 / 30 days). The page turns them into [from, to)
// with lib/period.ts.

import { lastDays } from "../../lib/period";
import { DateInput } from "../../shell/DateInput";

export function PeriodPicker(props: {
  idPrefix: string;
  from: string;
  to: string;
  timeZone: string;
  onChange: (from: string, to: string) => void;
}) {
  const preset = (days: number) => {
    const p = lastDays(days, new Date(), props.timeZone);
    props.onChange(p.from, p.to);
  };
  return (
    <fieldset class="period">
      <legend>Period (days in {props.timeZone}, both included)</legend>
      <div class="row">
        <div>
          <label for={`${props.idPrefix}-from`}>From</label>
          <DateInput id={`${props.idPrefix}-from`} value={props.from} onChange={(v) => props.onChange(v, props.to)} />
        </div>
        <div>
          <label for={`${props.idPrefix}-to`}>To</label>
          <DateInput id={`${props.idPrefix}-to`} value={props.to} onChange={(v) => props.onChange(props.from, v)} />
        </div>
      </div>
      <div class="actions">
        <button type="button" class="small" onClick={() => preset(1)}>
          Today
        </button>
        <button type="button" class="small" onClick={() => preset(7)}>
          Last 7 days
        </button>
        <button type="button" class="small" onClick={() => preset(30)}>
          Last 30 days
        </button>
        <button type="button" class="small" onClick={() => props.onChange("", "")}>
          All time
        </button>
      </div>
    </fieldset>
  );
}
