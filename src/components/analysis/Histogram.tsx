// A small duration histogram with go tool trace's log buckets (five per power of ten): one bar per
// bucket from the first non-empty one, each clickable to list its instances.

import { formatDuration } from '../../base/units';

/** ln(10^(1/5)), Go's logDiv (traceviewer/histogram.go): for the bucket labels only. */
const LOG_DIV = Math.log(Math.pow(10, 1 / 5));
export const bucketMinNs = (i: number): number => Math.trunc(Math.exp(i * LOG_DIV));

export function Histogram(props: {
  firstBucket: number;
  counts: readonly number[];
  /** The picked bucket, or null. */
  selected: number | null;
  onPick?(bucket: number): void;
  width?: number;
  height?: number;
  label: string;
}) {
  const { counts, firstBucket } = props;
  const h = props.height ?? 28;
  const n = counts.length;
  if (n === 0) return <span className="muted small-text">none complete</span>;
  const bw = Math.max(4, Math.min(14, Math.floor((props.width ?? 160) / n)));
  const max = Math.max(...counts);
  return (
    <svg
      className="histogram"
      width={bw * n}
      height={h}
      role="group"
      aria-label={props.label}
      viewBox={`0 0 ${bw * n} ${h}`}
    >
      {counts.map((c, k) => {
        const b = firstBucket + k;
        const bh = c === 0 ? 0 : Math.max(2, Math.round((c / max) * (h - 2)));
        const title = `${formatDuration(bucketMinNs(b))} – ${formatDuration(bucketMinNs(b + 1))}: ${c}`;
        return (
          <g
            key={b}
            className={`hist-bucket${props.selected === b ? ' selected' : ''}${c === 0 ? ' empty' : ''}`}
            data-testid="hist-bucket"
            data-bucket={b}
            data-count={c}
            onClick={c > 0 && props.onPick ? () => props.onPick?.(b) : undefined}
          >
            <title>{title}</title>
            <rect x={k * bw} y={0} width={bw} height={h} className="hist-hit" />
            <rect x={k * bw + 0.5} y={h - bh} width={bw - 1} height={bh} className="hist-bar" />
          </g>
        );
      })}
    </svg>
  );
}
