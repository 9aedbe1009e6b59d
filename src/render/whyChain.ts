// The chain behind a selected wait on the timeline (issue 15, analysis/whyChain.ts): on each lane
// of the path, its pieces of the wait's time (the wait itself and the waits passed on to their
// wakers outlined, dashed for passed-on ones; what the time is charged to filled), and an arrow
// at each wake from the waker's lane to the woken one's. Pure: (target, chain, rows, view).

import type { WhyChain } from '../analysis/whyChain';
import { paintArrow } from './arrows';
import type { DrawTarget } from './drawTarget';
import { LABEL_WIDTH, type TimelinePaint } from './timelineGeometry';

export type ChainPaint = Pick<WhyChain, 'segments' | 'arrows'>;

export function paintChain(
  ctx: DrawTarget,
  st: Pick<TimelinePaint, 'layout' | 'scale' | 'theme' | 'scrollY'>,
  top: number,
  width: number,
  chain: ChainPaint,
): void {
  const { layout, scale, theme } = st;
  const right = Math.min(width, scale.x0 + scale.width);
  ctx.save();
  for (const seg of chain.segments) {
    const r = layout.rowOfGoroutine(seg.goroutine);
    if (r < 0) continue;
    const row = layout.rows[r]!;
    const x1 = Math.max(LABEL_WIDTH, scale.toPx(seg.startNs));
    const x2 = Math.min(right, scale.toPx(seg.endNs));
    if (x2 < LABEL_WIDTH || x1 > right) continue;
    const w = Math.max(1, x2 - x1);
    const y = top + row.y - st.scrollY;
    if (seg.charged && seg.depth > 0) {
      // What the wait is charged to: filled over the lane.
      ctx.globalAlpha = 0.45;
      ctx.fillStyle = theme.highlight;
      ctx.fillRect(x1, y + 1, w, row.h - 2);
    }
    ctx.globalAlpha = 1;
    ctx.strokeStyle = theme.highlight;
    ctx.lineWidth = seg.depth === 0 ? 2 : 1.5;
    ctx.setLineDash(!seg.charged && seg.depth > 0 ? [4, 3] : []);
    ctx.strokeRect(x1 + 0.5, y + 0.5, Math.max(0, w - 1), row.h - 1);
  }
  ctx.setLineDash([]);
  for (const a of chain.arrows)
    paintArrow(ctx, st, top, {
      timeNs: a.timeNs,
      from: a.fromGoroutine,
      to: a.toGoroutine,
      primary: a.segment === 0,
    });
  ctx.restore();
}
