// Painting the unified timeline through one TimeScale: the picture on a canvas (the grid, only the
// rows inside the viewport, each kind by its painter in ./rowPainters.ts, the arrows, the axis),
// and where what follows the pointer goes over it (the selection and its length, the cursor:
// `overlayLayout`, shown as elements by components/TimelineOverlay.tsx). While a selection is
// dragged or the pointer moves, only those elements move; the picture is not drawn again. Pure:
// (target, rows, view) -> pixels, plus the dlv marks the picture drew (for hit testing).

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

/** Where the overlay's parts go, in CSS px of the timeline. */
export interface OverlayLayout {
  /** The selection's shade from below the axis to the bottom (null when out of view). */
  shade: { x: number; w: number; top: number; h: number } | null;
  /** Its length, in a box in the axis (null without a selection). */
  label: { text: string; x: number; y: number; w: number; h: number } | null;
  /** The cursor's line, from below the axis to the bottom (null when none or out of view). */
  cursor: { x: number; top: number; h: number } | null;
}

/** The overlay's box for the selection's length, over the axis. */
const LABEL_TOP = 18;
const LABEL_H = 15;
export const OVERLAY_LABEL_FONT = '600 11px system-ui, sans-serif';

/**
 * Where the overlay puts the selection's shade, its length label and the cursor line: the page
 * shows them as elements over the picture (components/TimelineOverlay.tsx; an overlay canvas the
 * size of the timeline cost a 5 MB copy every frame the cursor moved, in Chromium without a GPU).
 * `measure` gives a text's width in OVERLAY_LABEL_FONT.
 */
export function overlayLayout(
  width: number,
  height: number,
  st: OverlayPaint,
  measure: (text: string) => number,
): OverlayLayout {
  const { scale } = st;
  const top = AXIS_HEIGHT;
  const out: OverlayLayout = { shade: null, label: null, cursor: null };
  // Not measured yet (or no room below the axis): nothing to place.
  if (width <= LABEL_WIDTH || height <= top) return out;
  if (st.selection) {
    const x1 = Math.max(LABEL_WIDTH, scale.toPx(st.selection.startNs));
    const x2 = Math.min(width, scale.toPx(st.selection.endNs));
    if (x2 >= LABEL_WIDTH && x1 <= width)
      out.shade = { x: x1, w: Math.max(1, x2 - x1), top, h: height - top };
    const d = st.selection.endNs - st.selection.startNs;
    const text = st.unit === 'seq' ? `${Math.round(d)} lines` : formatDuration(d);
    const w = measure(text) + 10;
    // On whole pixels: the element is moved by a transform, and text between pixels blurs.
    const x = Math.round(Math.max(LABEL_WIDTH, Math.min(width - w, (x1 + x2) / 2 - w / 2)));
    out.label = { text, x, y: LABEL_TOP, w, h: LABEL_H };
  }
  if (st.cursorNs !== null) {
    const x = Math.round(scale.toPx(st.cursorNs)) + 0.5;
    if (x >= LABEL_WIDTH) out.cursor = { x, top, h: height - top };
  }
  return out;
}
