// "Unblocked by" arrows: from the waker's lane to the woken goroutine's lane at the moment it
// woke it; the selected wait's own arrow solid, earlier links of the chain lighter.

import type { DrawTarget } from './drawTarget';
import { LABEL_WIDTH, type TimelinePaint } from './timelineGeometry';

export function paintArrows(ctx: DrawTarget, st: TimelinePaint, top: number): void {
  for (const a of st.arrows) paintArrow(ctx, st, top, a);
}

/** One arrow from goroutine `from`'s lane to `to`'s at `timeNs` (nothing when either is hidden). */
export function paintArrow(
  ctx: DrawTarget,
  st: Pick<TimelinePaint, 'layout' | 'scale' | 'theme' | 'scrollY'>,
  top: number,
  a: { timeNs: number; from: number; to: number; primary: boolean },
): void {
  const { layout, scale, theme } = st;
  const rf = layout.rowOfGoroutine(a.from);
  const rt = layout.rowOfGoroutine(a.to);
  if (rf < 0 || rt < 0 || rf === rt) return;
  const from = layout.rows[rf]!;
  const to = layout.rows[rt]!;
  const x = scale.toPx(a.timeNs);
  if (x < LABEL_WIDTH || x > scale.x0 + scale.width) return;
  const y1 = top + from.y - st.scrollY + from.h / 2;
  const y2 = top + to.y - st.scrollY + to.h / 2;
  ctx.strokeStyle = theme.highlight;
  ctx.fillStyle = theme.highlight;
  ctx.globalAlpha = a.primary ? 1 : 0.55;
  ctx.lineWidth = a.primary ? 2 : 1.5;
  if (!a.primary) ctx.setLineDash([4, 3]);
  // A slight bow so arrows along the same time do not hide the lanes' edges.
  const bow = Math.min(24, Math.abs(y2 - y1) / 4);
  ctx.beginPath();
  ctx.moveTo(x, y1);
  ctx.quadraticCurveTo(x + bow, (y1 + y2) / 2, x, y2 + (y2 > y1 ? -5 : 5));
  ctx.stroke();
  ctx.setLineDash([]);
  const dir = y2 > y1 ? 1 : -1;
  ctx.beginPath();
  ctx.moveTo(x, y2);
  ctx.lineTo(x - 4, y2 - 7 * dir);
  ctx.lineTo(x + 4, y2 - 7 * dir);
  ctx.closePath();
  ctx.fill();
  ctx.beginPath();
  ctx.arc(x, y1, 3, 0, Math.PI * 2);
  ctx.fill();
  ctx.globalAlpha = 1;
}
