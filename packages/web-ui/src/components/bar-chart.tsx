export interface Bar {
  label: string;
  value: number;
}

/**
 * A horizontal bar chart: each bar's label as text above it (so a long label wraps on a phone), the
 * bar, and its value after it. Each bar is an SVG rectangle sized by an attribute, as a share of the
 * largest value: the CSP allows no inline style. Hidden from assistive technology, because the table
 * that always goes with it carries the same numbers.
 */
export function BarChart({ bars, format = (value) => value.toLocaleString('en-GB') }: { bars: readonly Bar[]; format?: (value: number) => string }) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  return (
    <ul className="th-chart" aria-hidden="true" data-testid="bar-chart">
      {bars.map((bar) => (
        <li className="th-chart__item" key={bar.label}>
          <span className="th-chart__label">{bar.label}</span>
          <span className="th-chart__row">
            <svg className="th-chart__track" viewBox="0 0 100 10" preserveAspectRatio="none" focusable="false">
              <rect className="th-chart__bar" x={0} y={0} width={(100 * bar.value) / max} height={10} data-value={bar.value} />
            </svg>
            <span className="th-chart__value">{format(bar.value)}</span>
          </span>
        </li>
      ))}
    </ul>
  );
}
