// The arithmetic of a bar chart: a "nice" scale for the value axis (1, 2 or
// 5 times a power of ten per step) and each bar's height on it. Pure, so the
// unit tests check it; pages draw the SVG.

/** The value axis: from 0 to `max` in `step`s (ticks at each step). */
export interface Scale {
  max: number;
  step: number;
  ticks: number[];
}

/**
 * The smallest axis of at most `maxTicks` steps (1/2/5 x 10^n each) that
 * holds `largest`. An empty or all-zero series gets 0..1.
 */
export function niceScale(largest: number, maxTicks = 5): Scale {
  const top = Number.isFinite(largest) && largest > 0 ? largest : 0;
  if (top === 0) return { max: 1, step: 1, ticks: [0, 1] };
  const rough = top / maxTicks;
  const power = 10 ** Math.floor(Math.log10(rough));
  let step = power;
  for (const m of [1, 2, 5, 10]) {
    step = m * power;
    if (step >= rough) break;
  }
  // Whole units: a count is never 0.5.
  step = Math.max(1, Math.round(step));
  const max = Math.ceil(top / step) * step;
  const ticks: number[] = [];
  for (let v = 0; v <= max; v += step) ticks.push(v);
  return { max, step, ticks };
}

/** A bar's height in pixels for `value` on `scale` drawn `height` tall. */
export function barHeight(value: number, scale: Scale, height: number): number {
  if (!(value > 0)) return 0;
  return Math.min(height, (value / scale.max) * height);
}
