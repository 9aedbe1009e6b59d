// The timeline's time axis: tick labels and the wall clock of the left edge (the selection's
// length is drawn over it by ./timeline.ts's overlay).

import { formatRfc3339 } from '../base/rfc3339';
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
}
