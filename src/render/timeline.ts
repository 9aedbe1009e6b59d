// Painting the unified timeline, on two canvases through the one TimeScale: the picture (the grid,
// only the rows inside the viewport, each kind by its painter in ./rowPainters.ts, the arrows, the
// axis) and, over it, what follows the pointer (the selection and its length, the cursor). While
// a selection is dragged or the pointer moves, only the overlay is drawn again: a few rectangles
// instead of every visible lane. Pure: (target, rows, view) -> pixels, plus the dlv marks the
// picture drew (for hit testing).

import { formatDuration } from '../base/units';
import type { DrawTarget } from './drawTarget';
import type { SpanMark } from './dlvSpans';
import { markBuffer } from './goroutineLane';
import { paintArrows } from './arrows';
import { paintChain } from './whyChain';
import { rowAt } from './rowLayout';
import { paintRow } from './rowPainters';
import { paintAxis } from './timelineAxis';
import { AXIS_HEIGHT, LABEL_WIDTH, type TimelinePaint } from './timelineGeometry';
import { paintGutter } from './timelineGutter';

export { AXIS_HEIGHT, LABEL_WIDTH, LANE_PAD, type TimelinePaint } from './timelineGeometry';

export function paintTimeline(
  ctx: DrawTarget,
  width: number,
  height: number,
  st: TimelinePaint,
): Map<string, SpanMark[]> {
  const { theme, scale, layout } = st;
  const marks = new Map<string, SpanMark[]>();
  st.marks ??= markBuffer();
  ctx.fillStyle = theme.bg;
  ctx.fillRect(0, 0, width, height);
  const ticks = scale.ticks(st.unit);
  const top = AXIS_HEIGHT;

  ctx.save();
  ctx.beginPath();
  ctx.rect(0, top, width, height - top);
  ctx.clip();
  ctx.strokeStyle = theme.grid;
  ctx.lineWidth = 1;
  for (const t of ticks) {
    ctx.beginPath();
    ctx.moveTo(Math.round(t.px) + 0.5, top);
    ctx.lineTo(Math.round(t.px) + 0.5, height);
    ctx.stroke();
  }

  // Only rows in the viewport: binary search the first, stop past the last.
  const first = Math.max(0, rowAt(layout, st.scrollY));
  const bottom = st.scrollY + (height - top);
  for (let i = first; i < layout.rows.length; i++) {
    const row = layout.rows[i]!;
    if (row.y > bottom) break;
    const y = top + row.y - st.scrollY;
    if (i % 2 === 1 && row.kind !== 'section' && row.kind !== 'group') {
      ctx.fillStyle = theme.laneAlt;
      ctx.fillRect(0, y, width, row.h);
    }
    ctx.save();
    ctx.beginPath();
    ctx.rect(LABEL_WIDTH, y, width - LABEL_WIDTH, row.h);
    ctx.clip();
    paintRow(ctx, row, y, width, st, marks);
    ctx.restore();
    paintGutter(ctx, row, y, st);
  }
  if (st.chain) paintChain(ctx, st, top, width, st.chain);
  paintArrows(ctx, st, top);
  ctx.restore();

  ctx.fillStyle = theme.grid;
  ctx.fillRect(LABEL_WIDTH - 1, 0, 1, height);
  paintAxis(ctx, width, ticks, st);
  return marks;
}

/** What the overlay draws: the selection and the cursor, through the picture's scale. */
export type OverlayPaint = Pick<
  TimelinePaint,
  'theme' | 'scale' | 'selection' | 'cursorNs' | 'unit'
>;

/** The overlay over the picture (a transparent canvas of the same size). */
export function paintTimelineOverlay(
  ctx: DrawTarget,
  width: number,
  height: number,
  st: OverlayPaint,
): void {
  const { theme, scale } = st;
  ctx.clearRect(0, 0, width, height);
  const top = AXIS_HEIGHT;
  if (st.selection) {
    const x1 = Math.max(LABEL_WIDTH, scale.toPx(st.selection.startNs));
    const x2 = Math.min(width, scale.toPx(st.selection.endNs));
    if (x2 >= LABEL_WIDTH && x1 <= width) {
      ctx.fillStyle = theme.selection;
      ctx.fillRect(x1, top, Math.max(1, x2 - x1), height - top);
      ctx.fillStyle = theme.selectionEdge;
      ctx.fillRect(x1, top, 1, height - top);
      ctx.fillRect(Math.max(x1, x2 - 1), top, 1, height - top);
    }
    // Its length, in the axis.
    const d = st.selection.endNs - st.selection.startNs;
    const label = st.unit === 'seq' ? `${Math.round(d)} lines` : formatDuration(d);
    ctx.font = '600 11px system-ui, sans-serif';
    ctx.textBaseline = 'top';
    const w = ctx.measureText(label).width + 10;
    const cx = Math.max(LABEL_WIDTH, Math.min(width - w, (x1 + x2) / 2 - w / 2));
    ctx.fillStyle = theme.selectionEdge;
    ctx.fillRect(cx, 18, w, 15);
    ctx.fillStyle = '#fff';
    ctx.fillText(label, cx + 5, 20);
  }
  if (st.cursorNs !== null) {
    const x = Math.round(scale.toPx(st.cursorNs)) + 0.5;
    if (x >= LABEL_WIDTH) {
      ctx.strokeStyle = theme.muted;
      ctx.setLineDash([3, 3]);
      ctx.beginPath();
      ctx.moveTo(x, AXIS_HEIGHT);
      ctx.lineTo(x, height);
      ctx.stroke();
      ctx.setLineDash([]);
    }
  }
}
