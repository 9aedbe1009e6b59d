// Painting the unified timeline: the time axis, then only the rows inside the viewport, each kind
// with its own painter, all through the one TimeScale. Pure: (ctx, rows, view) -> pixels, plus
// the dlv marks it drew (for hit testing).

import { formatRfc3339 } from '../base/rfc3339';
import { lowerBound, upperBound } from '../base/search';
import { formatBytes, formatCount } from '../base/format';
import { formatDuration } from '../base/units';
import type { Activity } from '../analysis/traceLanes';
import type { HighlightView, TraceView, UnblockArrow } from '../engine/timeline';
import { RANGE_GC, RANGE_STW, type TraceModel } from '../model/trace';
import { StateClass } from '../model/stateClass';
import { DLV_ROW_HEIGHT, dlvDrawList, fitText, paintDlvMarks, type SpanMark } from './dlvSpans';
import {
  activityColours,
  goroutineMarks,
  markBuffer,
  paintStateMarks,
  stateColour,
  type StateMarks,
} from './goroutineLane';
import { MAX_TASK_LEVELS, rowAt, type Row, type RowLayout } from './rowLayout';
import type { TimeScale, AxisUnit } from './timeScale';
import { funcColour, type Theme } from './theme';
import { paintStackedArea, sampleColumns } from './area';

export const LABEL_WIDTH = 220;
export const AXIS_HEIGHT = 34;
export const LANE_PAD = 2;
export type { UnblockArrow };

export interface TimelinePaint {
  theme: Theme;
  scale: TimeScale;
  layout: RowLayout;
  scrollY: number;
  unit: AxisUnit;
  wallBaseNs: bigint | null;
  selection: { startNs: number; endNs: number } | null;
  /** Selected/hovered dlv span and interval. */
  selectedSpan: { fileId: string; span: number } | null;
  hoveredSpan: { fileId: string; span: number } | null;
  selectedInterval: number;
  cursorNs: number | null;
  /** What a picked or previewed function lights up (the engine's `highlight`), or null. */
  highlight: HighlightView | null;
  arrows: readonly UnblockArrow[];
  /** Scratch for goroutine lane marks (render/goroutineLane.ts), reused across lanes and frames. */
  marks?: StateMarks;
}

export function paintTimeline(
  ctx: CanvasRenderingContext2D,
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
  paintArrows(ctx, st, top);
  ctx.restore();

  ctx.fillStyle = theme.grid;
  ctx.fillRect(LABEL_WIDTH - 1, 0, 1, height);

  if (st.selection) {
    const x1 = Math.max(LABEL_WIDTH, scale.toPx(st.selection.startNs));
    const x2 = Math.min(width, scale.toPx(st.selection.endNs));
    if (x2 >= LABEL_WIDTH && x1 <= width) {
      ctx.fillStyle = theme.selection;
      ctx.fillRect(x1, top, Math.max(1, x2 - x1), height - top);
      ctx.fillStyle = theme.selectionEdge;
      ctx.fillRect(x1, 0, 1, height);
      ctx.fillRect(Math.max(x1, x2 - 1), 0, 1, height);
    }
  }
  paintAxis(ctx, width, ticks, st);
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
  return marks;
}

function paintAxis(
  ctx: CanvasRenderingContext2D,
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

function paintGutter(ctx: CanvasRenderingContext2D, row: Row, y: number, st: TimelinePaint): void {
  const { theme } = st;
  const section = row.kind === 'section' || row.kind === 'group';
  ctx.fillStyle = section ? theme.axisBg : theme.panel;
  ctx.fillRect(0, y, LABEL_WIDTH - 1, row.h);
  const hl = st.highlight?.goroutineMask;
  if (row.kind === 'goroutine' && hl && hl[row.g] === 1) {
    ctx.fillStyle = theme.highlight;
    ctx.fillRect(0, y, 4, row.h);
  }
  ctx.textBaseline = 'middle';
  const mid = y + Math.min(row.h, 22) / 2;
  let x = 8;
  if (row.kind === 'group') {
    ctx.fillStyle = theme.muted;
    ctx.font = '10px system-ui, sans-serif';
    ctx.fillText(row.collapsed ? '▶' : '▼', x, mid);
    x += 14;
  } else if (
    row.kind === 'goroutine' ||
    row.kind === 'proc' ||
    (row.kind === 'dlv' && row.label === 'dlv')
  ) {
    x += 12;
  }
  ctx.fillStyle = theme.text;
  ctx.font =
    row.kind === 'section' || row.kind === 'group'
      ? '600 12px system-ui, sans-serif'
      : '600 11px system-ui, sans-serif';
  // Group counts are the point of a group row: right-aligned, and the name is cut before them.
  let countW = 0;
  if (row.kind === 'group' && row.sub) {
    ctx.font = '11px system-ui, sans-serif';
    countW = ctx.measureText(row.sub).width + 6;
    ctx.fillStyle = theme.muted;
    ctx.fillText(row.sub, LABEL_WIDTH - 6 - countW + 6, mid);
    ctx.font = '600 12px system-ui, sans-serif';
    ctx.fillStyle = theme.text;
  }
  const label = fitMeasured(ctx, row.label, LABEL_WIDTH - x - 8 - countW);
  ctx.fillText(label, x, mid);
  const w = ctx.measureText(label).width;
  if (row.sub && row.kind !== 'group') {
    ctx.fillStyle = theme.muted;
    ctx.font = '11px system-ui, sans-serif';
    const room = LABEL_WIDTH - x - w - 14;
    if (room > 20) ctx.fillText(fitText(row.sub, room), x + w + 6, mid);
  }
}

/** Text cut (with an ellipsis) to fit maxPx in the current font, measured, not estimated. */
export function fitMeasured(ctx: CanvasRenderingContext2D, text: string, maxPx: number): string {
  if (ctx.measureText(text).width <= maxPx) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (ctx.measureText(`${text.slice(0, mid)}…`).width <= maxPx) lo = mid;
    else hi = mid - 1;
  }
  return lo > 0 ? `${text.slice(0, lo)}…` : '';
}

function paintRow(
  ctx: CanvasRenderingContext2D,
  row: Row,
  y: number,
  width: number,
  st: TimelinePaint,
  marks: Map<string, SpanMark[]>,
): void {
  const { theme, scale } = st;
  switch (row.kind) {
    case 'section':
      ctx.fillStyle = theme.axisBg;
      ctx.fillRect(LABEL_WIDTH, y, width - LABEL_WIDTH, row.h);
      return;
    case 'file':
      ctx.fillStyle = theme.muted;
      ctx.font = '11px system-ui, sans-serif';
      ctx.textBaseline = 'middle';
      ctx.fillText(row.sub, LABEL_WIDTH + 8, y + row.h / 2);
      return;
    case 'profile': {
      if (row.startNs === null) {
        ctx.fillStyle = theme.muted;
        ctx.font = '11px system-ui, sans-serif';
        ctx.textBaseline = 'middle';
        ctx.fillText(row.sub, LABEL_WIDTH + 8, y + row.h / 2);
        return;
      }
      const x1 = scale.toPx(row.startNs);
      const x2 = scale.toPx(row.startNs + Math.max(row.durationNs, 0));
      ctx.fillStyle = theme.dark ? 'rgba(120,160,255,0.25)' : 'rgba(56,110,220,0.18)';
      ctx.fillRect(x1, y + 3, Math.max(2, x2 - x1), row.h - 6);
      ctx.fillStyle = theme.selectionEdge;
      ctx.fillRect(x1, y + 2, 2, row.h - 4);
      ctx.fillStyle = theme.text;
      ctx.font = '11px system-ui, sans-serif';
      ctx.textBaseline = 'middle';
      ctx.fillText(
        fitText(
          `${row.label} window · ${row.sub}`,
          Math.max(0, x2 - Math.max(x1, LABEL_WIDTH) - 8),
        ),
        Math.max(x1, LABEL_WIDTH) + 6,
        y + row.h / 2,
      );
      return;
    }
    case 'gc':
      paintRanges(ctx, row.trace, y, row.h, st);
      return;
    case 'counts': {
      const { activity, peak } = row.view;
      paintActivity(ctx, activity, peak, row.trace.durationNs, y + row.h - 2, row.h - 6, st);
      ctx.fillStyle = theme.muted;
      ctx.font = '10px system-ui, sans-serif';
      ctx.textBaseline = 'top';
      ctx.fillText(`max ${peak.toFixed(0)}`, LABEL_WIDTH + 4, y + 1);
      return;
    }
    case 'metric':
      paintMetric(ctx, row, y, st);
      return;
    case 'tasks':
      paintTasks(ctx, row, y, st);
      return;
    case 'proc':
      paintProc(ctx, row.trace, row.p, y + 2, row.h - 4, st);
      return;
    case 'group':
      // Scaled to the group's busiest moment, so a large group of mostly short-lived goroutines
      // still shows.
      if (row.collapsed && row.activity)
        paintActivity(
          ctx,
          row.activity,
          row.peak,
          row.trace.durationNs,
          y + row.h - 2,
          row.h - 4,
          st,
        );
      else {
        ctx.fillStyle = theme.axisBg;
        ctx.fillRect(LABEL_WIDTH, y, width - LABEL_WIDTH, row.h);
      }
      return;
    case 'goroutine': {
      const m = goroutineMarks(row.trace, row.view.classes, row.g, scale, st.marks);
      const mask = st.highlight?.goroutineMask;
      paintStateMarks(ctx, m, y + 3, row.h - 6, theme, mask ? mask[row.g] !== 1 : false);
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
      return;
    }
    case 'dlv': {
      const list = dlvDrawList(row.model, row.lane, scale, row.offset);
      marks.set(row.key, list);
      const hl = st.highlight?.dlv.find((d) => d.fileId === row.fileId)?.spans ?? null;
      paintDlvMarks(ctx, row.model, list, y + LANE_PAD, { x0: LABEL_WIDTH, x1: width }, theme, {
        selected: st.selectedSpan?.fileId === row.fileId ? st.selectedSpan.span : -1,
        hovered: st.hoveredSpan?.fileId === row.fileId ? st.hoveredSpan.span : -1,
        highlighted: hl,
      });
      return;
    }
  }
}

function paintArrows(ctx: CanvasRenderingContext2D, st: TimelinePaint, top: number): void {
  const { layout, scale, theme } = st;
  for (const a of st.arrows) {
    const rf = layout.rowOfGoroutine(a.from);
    const rt = layout.rowOfGoroutine(a.to);
    if (rf < 0 || rt < 0 || rf === rt) continue;
    const from = layout.rows[rf]!;
    const to = layout.rows[rt]!;
    const x = scale.toPx(a.timeNs);
    if (x < LABEL_WIDTH || x > scale.x0 + scale.width) continue;
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
}

/** CPU samples of goroutine g that the highlight selects, as ticks on its lane. */
function paintSampleTicks(
  ctx: CanvasRenderingContext2D,
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
  ctx: CanvasRenderingContext2D,
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
  let lastX = -Infinity;
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
    ctx.fillStyle = funcColour(`region.${m.strings[r.name[i]!] ?? ''}`, theme);
    ctx.fillRect(x1, y, Math.max(1, x2 - x1), 3);
  }
}

function outlineInterval(
  ctx: CanvasRenderingContext2D,
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
  ctx: CanvasRenderingContext2D,
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

function paintRanges(
  ctx: CanvasRenderingContext2D,
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

function paintMetric(
  ctx: CanvasRenderingContext2D,
  row: Extract<Row, { kind: 'metric' }>,
  y: number,
  st: TimelinePaint,
): void {
  const { theme } = st;
  let max = seriesMax(row.series);
  if (row.line) max = Math.max(max, seriesMax(row.line));
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

function seriesMax(s: { value: Float64Array }): number {
  let max = 0;
  for (let i = 0; i < s.value.length; i++) max = Math.max(max, s.value[i]!);
  return max;
}

/** The visible part of a step series as a path (closed to the baseline for an area). */
function stepPath(
  ctx: CanvasRenderingContext2D,
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
  for (let i = from + 1; i < time.length; i++) {
    const x = Math.max(LABEL_WIDTH, scale.toPx(time[i]!));
    const v = base - (value[i]! / max) * h;
    if (x - lastX < 0.5) {
      // Same pixel: keep the highest value so spikes stay visible.
      if (v < lastY) {
        ctx.lineTo(x, v);
        lastY = v;
      }
      continue;
    }
    ctx.lineTo(x, lastY);
    ctx.lineTo(x, v);
    lastX = x;
    lastY = v;
    if (time[i]! > scale.endNs) break;
  }
  const xe = scale.toPx(scale.endNs) + 1;
  ctx.lineTo(xe, lastY);
  if (area) {
    ctx.lineTo(xe, base);
    ctx.closePath();
  }
}

function paintTasks(
  ctx: CanvasRenderingContext2D,
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
  let lastX = -Infinity;
  let lastLevel = -1;
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
    if (w < 1.5 && level === lastLevel && x1 < lastX + 1) continue;
    lastX = x1;
    lastLevel = level;
    const name = m.strings[t.name[i]!] ?? '';
    ctx.fillStyle = funcColour(`task.${name}`, theme);
    ctx.fillRect(x1, y + 2 + level * lh, w, lh - 2);
    if (w > 30) {
      ctx.fillStyle = theme.dark ? '#f0f2f5' : '#14171a';
      ctx.fillText(
        fitText(name, w - 6),
        Math.max(x1, LABEL_WIDTH) + 3,
        y + 2 + level * lh + (lh - 2) / 2,
      );
    }
  }
}

function paintProc(
  ctx: CanvasRenderingContext2D,
  m: TraceModel,
  p: number,
  y: number,
  h: number,
  st: TimelinePaint,
): void {
  const { scale, theme } = st;
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

/** Goroutines running, runnable, in syscalls and waiting, stacked, scaled to `peak`. */
function paintActivity(
  ctx: CanvasRenderingContext2D,
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

export { DLV_ROW_HEIGHT };
