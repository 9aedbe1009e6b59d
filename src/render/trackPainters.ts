// The trace's global tracks: GC and stop-the-world bands, goroutine counts (stacked activity),
// metric series (heap live with the GC goal), and user tasks by level.

import { lowerBound, upperBound } from '../base/search';
import { formatBytes, formatCount } from '../base/format';
import type { Activity } from '../analysis/traceLanes';
import { StateClass } from '../model/stateClass';
import { RANGE_GC, RANGE_STW, type TraceModel } from '../model/trace';
import { paintStackedArea, sampleColumns } from './area';
import { fitText } from './dlvSpans';
import type { DrawTarget } from './drawTarget';
import { activityColours, stateColour } from './goroutineLane';
import { MAX_TASK_LEVELS, type Row } from './rowLayout';
import { funcColours } from './theme';
import { LABEL_WIDTH, type TimelinePaint } from './timelineGeometry';

export function paintRanges(
  ctx: DrawTarget,
  m: TraceModel,
  y: number,
  h: number,
  st: TimelinePaint,
): void {
  const { scale, theme } = st;
  const r = m.ranges;
  for (let i = 0; i < r.length; i++) {
    const k = r.kind[i]!;
    if (k !== RANGE_GC && k !== RANGE_STW) continue;
    const t0 = r.start[i]!;
    const t1 = Number.isNaN(r.end[i]!) ? m.durationNs : r.end[i]!;
    if (t1 < scale.startNs || t0 > scale.endNs) continue;
    const x1 = scale.toPx(t0);
    const x2 = scale.toPx(t1);
    if (k === RANGE_GC) {
      ctx.fillStyle = stateColour(StateClass.WaitGC, theme);
      ctx.fillRect(x1, y + 2, Math.max(1, x2 - x1), h / 2 - 2);
    } else {
      ctx.fillStyle = theme.stw;
      ctx.fillRect(x1, y + h / 2, Math.max(1, x2 - x1), h / 2 - 2);
    }
  }
}

export function paintMetric(
  ctx: DrawTarget,
  row: Extract<Row, { kind: 'metric' }>,
  y: number,
  st: TimelinePaint,
): void {
  const { theme } = st;
  const { max } = row;
  if (max <= 0) return;
  const h = row.h - 6;
  const base = y + row.h - 2;
  stepPath(ctx, row.series, max, base, h, st, true);
  ctx.fillStyle = theme.dark ? 'rgba(90,160,255,0.35)' : 'rgba(47,111,222,0.25)';
  ctx.fill();
  if (row.line) {
    stepPath(ctx, row.line, max, base, h, st, false);
    ctx.strokeStyle = theme.dark ? '#e5a550' : '#c2711a';
    ctx.lineWidth = 1.5;
    ctx.stroke();
  }
  ctx.fillStyle = theme.muted;
  ctx.font = '10px system-ui, sans-serif';
  ctx.textBaseline = 'top';
  ctx.fillText(
    `max ${row.unit === 'bytes' ? formatBytes(max) : formatCount(max)}`,
    LABEL_WIDTH + 4,
    y + 1,
  );
}

/**
 * The visible part of a step series as a path (closed to the baseline for an area). Samples less
 * than half a pixel apart are one step at the highest of them, so spikes stay visible and a pixel
 * costs two or three vertices however many samples it holds (the heap's live bytes rise at every
 * sample between collections: drawn a vertex per higher sample, the 9.4 MB trace's full view made
 * 111,666 lineTo calls a frame).
 */
function stepPath(
  ctx: DrawTarget,
  series: { time: Float64Array; value: Float64Array },
  max: number,
  base: number,
  h: number,
  st: TimelinePaint,
  area: boolean,
): void {
  const { scale } = st;
  const { time, value } = series;
  const from = Math.max(0, upperBound(time, scale.startNs) - 1);
  ctx.beginPath();
  const x0 = Math.max(LABEL_WIDTH, scale.toPx(time[from]!));
  let lastY = base - (value[from]! / max) * h;
  if (area) {
    ctx.moveTo(x0, base);
    ctx.lineTo(x0, lastY);
  } else ctx.moveTo(x0, lastY);
  let lastX = x0;
  // The highest sample since the last step within the same pixel, and where it is.
  let peakY = Infinity;
  let peakX = x0;
  for (let i = from + 1; i < time.length; i++) {
    const x = Math.max(LABEL_WIDTH, scale.toPx(time[i]!));
    const v = base - (value[i]! / max) * h;
    if (x - lastX < 0.5) {
      if (v < peakY) {
        peakY = v;
        peakX = x;
      }
      continue;
    }
    if (peakY < lastY) {
      ctx.lineTo(peakX, peakY);
      lastY = peakY;
    }
    peakY = Infinity;
    ctx.lineTo(x, lastY);
    ctx.lineTo(x, v);
    lastX = x;
    lastY = v;
    if (time[i]! > scale.endNs) break;
  }
  if (peakY < lastY) {
    ctx.lineTo(peakX, peakY);
    lastY = peakY;
  }
  const xe = scale.toPx(scale.endNs) + 1;
  ctx.lineTo(xe, lastY);
  if (area) {
    ctx.lineTo(xe, base);
    ctx.closePath();
  }
}

export function paintTasks(
  ctx: DrawTarget,
  row: Extract<Row, { kind: 'tasks' }>,
  y: number,
  st: TimelinePaint,
): void {
  const { scale, theme } = st;
  const m = row.trace;
  const t = m.tasks;
  ctx.font = '10px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  const lh = 14;
  // Tasks by start with a running max of ends: scan only those that can be visible.
  const { order, starts, maxEnd, depth } = row.view.tasks;
  const lo = lowerBound(maxEnd, scale.startNs);
  // Where each level last drew a tiny task: the tasks come by start, the levels interleaved.
  const lastX = new Float64Array(MAX_TASK_LEVELS).fill(-Infinity);
  // Thousands of tasks share a few names: one colour per name per paint, set when it changes.
  const colour = (st.colours ??= funcColours(theme));
  let lastName = -1;
  for (let k = lo; k < order.length && starts[k]! <= scale.endNs; k++) {
    const i = order[k]!;
    const s = starts[k]!;
    const e = Number.isNaN(t.end[i]!) ? m.durationNs : t.end[i]!;
    if (e < scale.startNs) continue;
    const level = depth[i]!;
    if (level >= MAX_TASK_LEVELS) continue;
    const x1 = scale.toPx(s);
    const x2 = scale.toPx(e);
    const w = Math.max(1, x2 - x1);
    // Many tiny tasks in one pixel of one level: one mark is enough.
    if (w < 1.5 && x1 < lastX[level]! + 1) continue;
    lastX[level] = x1;
    const nameId = t.name[i]!;
    const name = m.strings[nameId] ?? '';
    if (nameId !== lastName) {
      ctx.fillStyle = colour(`task.${name}`);
      lastName = nameId;
    }
    ctx.fillRect(x1, y + 2 + level * lh, w, lh - 2);
    if (w > 30) {
      lastName = -1;
      ctx.fillStyle = theme.dark ? '#f0f2f5' : '#14171a';
      ctx.fillText(
        fitText(name, w - 6),
        Math.max(x1, LABEL_WIDTH) + 3,
        y + 2 + level * lh + (lh - 2) / 2,
      );
    }
  }
}

/** Goroutines running, runnable, in syscalls and waiting, stacked, scaled to `peak`. */
export function paintActivity(
  ctx: DrawTarget,
  a: Activity,
  peak: number,
  durationNs: number,
  base: number,
  h: number,
  st: TimelinePaint,
): void {
  const { scale, theme } = st;
  const x0 = Math.max(LABEL_WIDTH, Math.floor(scale.toPx(0)));
  const x1 = Math.min(scale.x0 + scale.width, Math.ceil(scale.toPx(durationNs)));
  const layers = sampleColumns([a.running, a.runnable, a.syscall, a.waiting], x0, x1, (x) =>
    Math.floor(scale.toNs(x) / a.bucketNs),
  );
  paintStackedArea(ctx, { layers, colours: activityColours(theme) }, x0, base, h, peak);
}
