export interface Bar {
  label: string;
  value: number;
}

const WIDTH = 400;
const ROW = 52;
const BAR = 22;
const VALUE_SPACE = 64;

/**
 * A horizontal bar chart in SVG: each bar with its label above it and its value after it. Only
 * attributes and classes, no inline styles (the CSP allows none). Hidden from assistive
 * technology, because the table that goes with it carries the same numbers.
 */
export function BarChart({ bars }: { bars: readonly Bar[] }) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const height = bars.length * ROW;
  return (
    <svg className="th-chart" viewBox={`0 0 ${WIDTH} ${height}`} aria-hidden="true" focusable="false">
      {bars.map((bar, i) => {
        const y = i * ROW;
        const width = ((WIDTH - VALUE_SPACE) * bar.value) / max;
        return (
          <g key={bar.label}>
            <text className="th-chart__label" x={0} y={y + 18}>
              {bar.label}
            </text>
            <rect className="th-chart__bar" x={0} y={y + 24} width={width} height={BAR} />
            <text className="th-chart__value" x={width + 6} y={y + 24 + BAR - 5}>
              {bar.value.toLocaleString('en-GB')}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
