// Lanes: a goroutine's states (level of detail in ./goroutineLane.ts), its user regions, the
// selected and highlighted intervals and CPU sample ticks; and a processor's running time.

import { lowerBound } from '../base/search';
import type { TraceView } from '../engine/timeline';
import { StateClass } from '../model/stateClass';
import type { TraceModel } from '../model/trace';
import type { DrawTarget } from './drawTarget';
import { goroutineMarks, markBuffer, paintStateMarks, stateColour } from './goroutineLane';
import type { Row } from './rowLayout';
import { paintGcWork, paintLogMarks, paintProcRuns, paintSearchLane } from './runtimePainters';
import { spanMarkBuffer } from './spanMarks';
import { funcColours } from './theme';
import type { TimelinePaint } from './timelineGeometry';

/** A goroutine's lane: its state marks, regions, outlines of picked intervals, sample ticks. */
export function paintGoroutineLane(
  ctx: DrawTarget,
  row: Extract<Row, { kind: 'goroutine' }>,
  y: number,
  st: TimelinePaint,
): void {
  const { theme, scale } = st;
  const m = goroutineMarks(row.trace, row.view.classes, row.g, scale, (st.marks ??= markBuffer()));
  const mask = st.highlight?.goroutineMask;
  const spans = (st.spans ??= spanMarkBuffer());
  if (st.search)
    paintSearchLane(ctx, m, st.search, row.g, y + 1, row.h - 2, { theme, scale, marks: spans });
  else paintStateMarks(ctx, m, y + 3, row.h - 6, theme, mask ? mask[row.g] !== 1 : false);
  if (st.runtime) {
    paintGcWork(ctx, st.runtime, row.g, y, { theme, scale, marks: spans });
    paintLogMarks(ctx, st.runtime, row.g, y + 1, row.h - 2, { theme, scale, marks: spans });
  }
  paintRegions(ctx, row.trace, row.view, row.g, y + row.h - 3, st);
  if (st.selectedInterval >= 0)
    outlineInterval(ctx, row.trace, row.g, st.selectedInterval, y + 1, row.h - 2, st);
  const hl = st.highlight;
  if (hl && hl.intervals.length > 0)
    outlineHighlighted(ctx, row.trace, row.g, hl.intervals, y + 1, row.h - 2, st);
  if (hl?.sampleStart && hl.sampleTimes) {
    const a = hl.sampleStart[row.g]!;
    const b = hl.sampleStart[row.g + 1]!;
    if (b > a) paintSampleTicks(ctx, hl.sampleTimes.subarray(a, b), y, 4, st);
  }
}

/** CPU samples of goroutine g that the highlight selects, as ticks on its lane. */
function paintSampleTicks(
  ctx: DrawTarget,
  times: Float64Array,
  y: number,
  h: number,
  st: TimelinePaint,
): void {
  const { scale, theme } = st;
  ctx.fillStyle = theme.highlight;
  let last = -Infinity;
  for (let k = 0; k < times.length; k++) {
    const t = times[k]!;
    if (t < scale.startNs || t > scale.endNs) continue;
    const x = Math.round(scale.toPx(t));
    if (x === last) continue;
    last = x;
    ctx.fillRect(x - 1, y, 2, h);
  }
}

/** User regions of goroutine g as a thin bar under its lane, coloured by region name. */
function paintRegions(
  ctx: DrawTarget,
  m: TraceModel,
  view: TraceView,
  g: number,
  y: number,
  st: TimelinePaint,
): void {
  const idx = view.regions;
  const a = idx.start[g]!;
  const b = idx.start[g + 1]!;
  if (a === b) return;
  const { scale, theme } = st;
  const r = m.regions;
  const colour = (st.colours ??= funcColours(theme));
  let lastX = -Infinity;
  let lastName = -1;
  for (let k = a; k < b; k++) {
    const i = idx.order[k]!;
    const s = Number.isNaN(r.start[i]!) ? 0 : r.start[i]!;
    if (s > scale.endNs) break;
    const e = Number.isNaN(r.end[i]!) ? m.durationNs : r.end[i]!;
    if (e < scale.startNs) continue;
    const x1 = scale.toPx(s);
    const x2 = scale.toPx(e);
    if (x2 - x1 < 1 && x1 < lastX + 1) continue;
    lastX = x1;
    // Setting a colour parses it: only when the region's name changes.
    if (r.name[i] !== lastName) {
      lastName = r.name[i]!;
      ctx.fillStyle = colour(`region.${m.strings[lastName] ?? ''}`);
    }
    ctx.fillRect(x1, y, Math.max(1, x2 - x1), 3);
  }
}

function outlineInterval(
  ctx: DrawTarget,
  m: TraceModel,
  g: number,
  iv: number,
  y: number,
  h: number,
  st: TimelinePaint,
): void {
  const a = m.goroutines.intervalStart[g]!;
  const b = m.goroutines.intervalStart[g + 1]!;
  if (iv < a || iv >= b) return;
  const t0 = m.intervals.start[iv]!;
  const t1 = iv + 1 < b ? m.intervals.start[iv + 1]! : m.durationNs;
  const x1 = st.scale.toPx(t0);
  const x2 = st.scale.toPx(t1);
  ctx.strokeStyle = st.theme.selectionEdge;
  ctx.lineWidth = 2;
  ctx.strokeRect(x1, y, Math.max(2, x2 - x1), h);
}

function outlineHighlighted(
  ctx: DrawTarget,
  m: TraceModel,
  g: number,
  intervals: Int32Array,
  y: number,
  h: number,
  st: TimelinePaint,
): void {
  const a = m.goroutines.intervalStart[g]!;
  const b = m.goroutines.intervalStart[g + 1]!;
  ctx.fillStyle = st.theme.highlight;
  const { scale } = st;
  // The lit intervals are ascending: those of g are one run of them, found by binary search.
  for (let k = lowerBound(intervals, a); k < intervals.length; k++) {
    const i = intervals[k]!;
    if (i >= b) break;
    const t0 = m.intervals.start[i]!;
    if (t0 > scale.endNs) break;
    const t1 = i + 1 < b ? m.intervals.start[i + 1]! : m.durationNs;
    if (t1 < scale.startNs) continue;
    const x1 = scale.toPx(t0);
    const x2 = scale.toPx(t1);
    ctx.fillRect(x1, y, Math.max(1, x2 - x1), 2);
    ctx.fillRect(x1, y + h - 2, Math.max(1, x2 - x1), 2);
  }
}

export function paintProc(
  ctx: DrawTarget,
  m: TraceModel,
  p: number,
  y: number,
  h: number,
  st: TimelinePaint,
): void {
  const { scale, theme } = st;
  if (st.runtime) {
    const o = { theme, scale, search: st.search ?? null, marks: (st.spans ??= spanMarkBuffer()) };
    paintProcRuns(ctx, m, st.runtime, p, y, h, o);
    return;
  }
  const a = m.procs.intervalStart[p]!;
  const b = m.procs.intervalStart[p + 1]!;
  const { start, end } = m.procIntervals;
  const lo = lowerBound(end, scale.startNs, a, b);
  ctx.fillStyle = stateColour(StateClass.Running, theme);
  let lastPx = -Infinity;
  for (let i = lo; i < b; i++) {
    const t0 = start[i]!;
    if (t0 > scale.endNs) break;
    const x1 = scale.toPx(t0);
    const x2 = scale.toPx(end[i]!);
    if (x2 < lastPx + 1 && x2 - x1 < 1) continue; // same pixel as the previous mark
    ctx.fillRect(x1, y, Math.max(1, x2 - x1), h);
    lastPx = Math.max(x1, x2);
  }
}
