// The timeline's time axis: tick labels, the wall clock of the left edge, the selection's length.

import { formatRfc3339 } from '../base/rfc3339';
import { formatDuration } from '../base/units';
import type { DrawTarget } from './drawTarget';
import type { TimeScale } from './timeScale';
import { AXIS_HEIGHT, LABEL_WIDTH, type TimelinePaint } from './timelineGeometry';

export function paintAxis(
  ctx: DrawTarget,
  width: number,
  ticks: ReturnType<TimeScale['ticks']>,
  st: TimelinePaint,
): void {
  const { theme, scale } = st;
  ctx.fillStyle = theme.axisBg;
  ctx.fillRect(0, 0, width, AXIS_HEIGHT);
  ctx.fillStyle = theme.grid;
  ctx.fillRect(0, AXIS_HEIGHT - 1, width, 1);
  ctx.font = '11px system-ui, sans-serif';
  ctx.textBaseline = 'top';
  for (const t of ticks) {
    if (t.px < LABEL_WIDTH) continue;
    ctx.fillStyle = theme.grid;
    ctx.fillRect(Math.round(t.px), AXIS_HEIGHT - 8, 1, 8);
    ctx.fillStyle = theme.text;
    ctx.fillText(t.label, t.px + 3, 4);
  }
  ctx.fillStyle = theme.muted;
  ctx.fillText(st.unit === 'seq' ? 'trace line #' : 'since trace start', 8, 4);
  if (st.wallBaseNs !== null && st.unit === 'ns') {
    const wall = formatRfc3339(st.wallBaseNs + BigInt(Math.round(scale.startNs)));
    ctx.fillText(`${wall.slice(11, 29)} UTC`, 8, 18);
  }
  if (st.selection) {
    const x1 = Math.max(LABEL_WIDTH, scale.toPx(st.selection.startNs));
    const x2 = Math.min(width, scale.toPx(st.selection.endNs));
    const d = st.selection.endNs - st.selection.startNs;
    const label = st.unit === 'seq' ? `${Math.round(d)} lines` : formatDuration(d);
    ctx.font = '600 11px system-ui, sans-serif';
    const w = ctx.measureText(label).width + 10;
    const cx = Math.max(LABEL_WIDTH, Math.min(width - w, (x1 + x2) / 2 - w / 2));
    ctx.fillStyle = theme.selectionEdge;
    ctx.fillRect(cx, 18, w, 15);
    ctx.fillStyle = '#fff';
    ctx.fillText(label, cx + 5, 20);
  }
}
