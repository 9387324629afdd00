// A bar chart in SVG (no library): one bar per value, a value axis with
// round ticks (lib/chart.ts), labels under the bars. The same numbers are
// in a table for screen readers and for copying.

import { barHeight, niceScale } from "../../lib/chart";

export interface Bar {
  label: string;
  value: number;
}

const H = 160;
const LEFT = 36;
const BAR = 26;
const GAP = 8;
const BOTTOM = 34;

export function BarChart(props: { bars: readonly Bar[]; title: string; unit: string }) {
  const scale = niceScale(Math.max(0, ...props.bars.map((b) => b.value)));
  const width = LEFT + props.bars.length * (BAR + GAP) + GAP;
  const y = (v: number) => 8 + H - barHeight(v, scale, H);
  return (
    <figure class="chart">
      <svg
        viewBox={`0 0 ${width} ${H + 8 + BOTTOM}`}
        width={width}
        height={H + 8 + BOTTOM}
        role="img"
        aria-label={`${props.title}: ${props.bars.map((b) => `${b.label} ${b.value}`).join(", ")}`}
      >
        {scale.ticks.map((t) => (
          <g key={t}>
            <line x1={LEFT - 4} x2={width} y1={y(t)} y2={y(t)} class="gridline" />
            <text x={LEFT - 6} y={y(t) + 4} class="tick" text-anchor="end">
              {t}
            </text>
          </g>
        ))}
        {props.bars.map((b, i) => {
          const x = LEFT + GAP + i * (BAR + GAP);
          const h = barHeight(b.value, scale, H);
          return (
            <g key={b.label}>
              <rect x={x} y={8 + H - h} width={BAR} height={h} class="bar">
                <title>
                  {b.label}: {b.value} {props.unit}
                </title>
              </rect>
              <text x={x + BAR / 2} y={H + 8 + 14} class="tick" text-anchor="middle">
                {b.label.slice(5)}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption class="hint">{props.title}</figcaption>
    </figure>
  );
}
