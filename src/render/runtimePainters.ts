// What the runtime did on the lanes: on a processor lane, which goroutine ran (coloured by its
// start function, GC mark workers in the GC colour with their mode, labelled when wide enough),
// over a thin line while the P was held by a thread; on a goroutine lane, the mark assists and
// sweeps it paid for, as a band along its top edge. And the search: results lit on their lanes,
// everything else dimmed. Draw lists come from ./spanMarks.ts; the data from the engine
// (`runtimeLanes`, `search`).

import { gallop, lowerBound, upperBound } from '../base/search';
import type { QueryResults } from '../analysis/query/evaluate';
import type { RuntimeLanes } from '../analysis/runtimeLanes';
import { WORKER_NAMES, WORKER_NONE } from '../model/gcWorker';
import { StateClass } from '../model/stateClass';
import { RANGE_MARK_ASSIST, type TraceModel } from '../model/trace';
import { fitText } from './dlvSpans';
import type { DrawTarget } from './drawTarget';
import { paintStateMarks, stateColour, type StateMarks } from './goroutineLane';
import { spanMarkBuffer, spanMarks, type SpanMarks } from './spanMarks';
import { funcColours, type Theme } from './theme';
import type { TimeScale } from './timeScale';

/** The search as the lanes draw it: its results, and the one n / N stepped to (-1: none). */
export interface SearchPaint {
  results: QueryResults;
  /** Per dlv log: 1 per call that is a result. */
  dlv: ReadonlyArray<{ fileId: string; spans: Uint8Array }>;
  current: number;
}

/** Alpha of what a search leaves out. */
export const DIM_ALPHA = 0.25; // as paintStateMarks dims

export function assistColour(theme: Theme): string {
  return stateColour(StateClass.WaitGC, theme);
}
export function sweepColour(theme: Theme): string {
  return theme.dark ? '#c9a26b' : '#9c6b30';
}

/** The marks of proc index p's goroutine runs in the view. */
export function procLaneMarks(
  rt: RuntimeLanes,
  p: number,
  scale: TimeScale,
  out?: SpanMarks,
): SpanMarks {
  const r = rt.procs;
  const a = r.procStart[p]!;
  const b = r.procStart[p + 1]!;
  // Runs of one P do not overlap: their ends ascend too.
  return spanMarks(
    r.start,
    r.end,
    lowerBound(r.end, scale.startNs, a, b),
    b,
    scale,
    out,
    r.disjoint[p] ? r.longest : undefined,
  );
}

/** The label of a run on a P lane: "G12 main.handle", or the mark worker's mode. */
export function procRunLabel(m: TraceModel, rt: RuntimeLanes, k: number): string {
  const w = rt.procs.worker[k]!;
  const g = rt.procs.goroutine[k]!;
  if (w !== WORKER_NONE) return `${WORKER_NAMES[w]} G${m.goroutines.id[g]}`;
  const sf = m.goroutines.startFunc[g]!;
  return `G${m.goroutines.id[g]} ${sf >= 0 ? (m.strings[sf] ?? '') : ''}`.trim();
}

export function paintProcRuns(
  ctx: DrawTarget,
  m: TraceModel,
  rt: RuntimeLanes,
  p: number,
  y: number,
  h: number,
  o: { theme: Theme; scale: TimeScale; search: SearchPaint | null; marks?: SpanMarks },
): void {
  const { theme, scale } = o;
  // The P held by a thread: a thin line along the bottom (no line: idle).
  const a = m.procs.intervalStart[p]!;
  const b = m.procs.intervalStart[p + 1]!;
  const pi = m.procIntervals;
  ctx.fillStyle = theme.muted;
  let last = -Infinity;
  for (let i = lowerBound(pi.end, scale.startNs, a, b); i < b; i++) {
    if (pi.start[i]! > scale.endNs) break;
    const x1 = scale.toPx(pi.start[i]!);
    const x2 = scale.toPx(pi.end[i]!);
    if (x2 < last + 1 && x2 - x1 < 1) continue;
    ctx.fillRect(x1, y + h - 1, Math.max(1, x2 - x1), 1);
    last = Math.max(x1, x2);
    // The P's intervals do not overlap, so the ones ending before last + 1 are those the test
    // above would skip: jump past them (at a wide zoom a pixel holds thousands).
    const l = last;
    i = gallop(i + 1, b, (k) => scale.toPx(pi.end[k]!) < l + 1) - 1;
  }
  const marks = procLaneMarks(rt, p, scale, o.marks);
  const colour = funcColours(theme);
  const gc = stateColour(StateClass.WaitGC, theme);
  const r = rt.procs;
  const lit = o.search?.results.goroutines ?? null;
  ctx.font = '10px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  for (let k = 0; k < marks.length; k++) {
    const run = marks.item[k]!;
    const g = r.goroutine[run]!;
    const sf = m.goroutines.startFunc[g]!;
    ctx.globalAlpha = lit && lit[g] !== 1 ? DIM_ALPHA : 1;
    ctx.fillStyle =
      r.worker[run] !== WORKER_NONE ? gc : colour(sf >= 0 ? (m.strings[sf] ?? '') : '');
    const x = marks.x[k]!;
    const w = marks.w[k]!;
    // A pixel's gap after a run wide enough to spare it: neighbours of one colour stay apart.
    ctx.fillRect(x, y, w >= 4 ? w - 1 : Math.max(1, w), h - 2);
    if (w >= 40 && marks.merged[k] === 0) {
      ctx.fillStyle = theme.text;
      ctx.fillText(fitText(procRunLabel(m, rt, run), w - 6), x + 3, y + (h - 2) / 2);
    }
  }
  ctx.globalAlpha = 1;
}

/** The marks of goroutine g's assists and sweeps in the view. */
export function gcWorkMarks(
  rt: RuntimeLanes,
  g: number,
  scale: TimeScale,
  out?: SpanMarks,
): SpanMarks {
  const w = rt.gc;
  return spanMarks(w.startNs, w.endNs, w.start[g]!, w.start[g + 1]!, scale, out);
}

/** Goroutine g's assists and sweeps as a band along the top of its lane. */
export function paintGcWork(
  ctx: DrawTarget,
  rt: RuntimeLanes,
  g: number,
  y: number,
  o: { theme: Theme; scale: TimeScale; marks?: SpanMarks },
): void {
  const w = rt.gc;
  if (w.start[g] === w.start[g + 1]) return;
  const marks = gcWorkMarks(rt, g, o.scale, o.marks);
  const assist = assistColour(o.theme);
  const sweep = sweepColour(o.theme);
  for (let k = 0; k < marks.length; k++) {
    ctx.fillStyle = w.kind[marks.item[k]!] === RANGE_MARK_ASSIST ? assist : sweep;
    ctx.fillRect(marks.x[k]!, y, Math.max(1, marks.w[k]!), 3);
  }
}

/** Goroutine g's user logs as ticks across its lane (a pixel of several logs: one tick). */
export function paintLogMarks(
  ctx: DrawTarget,
  rt: RuntimeLanes,
  g: number,
  y: number,
  h: number,
  o: { theme: Theme; scale: TimeScale; marks?: SpanMarks },
): void {
  const l = rt.logs;
  const a = l.start[g]!;
  const b = l.start[g + 1]!;
  if (a === b) return;
  const marks = spanMarks(
    l.time,
    l.time,
    lowerBound(l.time, o.scale.startNs, a, b),
    b,
    o.scale,
    o.marks,
  );
  ctx.fillStyle = logColour(o.theme);
  for (let k = 0; k < marks.length; k++) {
    const x = Math.round(marks.x[k]!);
    ctx.fillRect(x - 1, y, 2, h);
    ctx.fillRect(x - 3, y, 6, 2);
  }
}

export function logColour(theme: Theme): string {
  return theme.dark ? '#f0f2f5' : '#14171a';
}

/** The user log of goroutine g within slackNs of ns (the nearest), a row of model.logs, or -1. */
export function logAt(rt: RuntimeLanes, g: number, ns: number, slackNs: number): number {
  const l = rt.logs;
  const a = l.start[g]!;
  const b = l.start[g + 1]!;
  let best = -1;
  let bestD = slackNs;
  for (let k = lowerBound(l.time, ns - slackNs, a, b); k < b && l.time[k]! <= ns + slackNs; k++) {
    const d = Math.abs(l.time[k]! - ns);
    if (d <= bestD) {
      best = l.rows[k]!;
      bestD = d;
    }
  }
  return best;
}

/** The assist or sweep of goroutine g at ns (a row of rt.gc), or -1. */
export function gcWorkAt(rt: RuntimeLanes, g: number, ns: number): number {
  const w = rt.gc;
  const a = w.start[g]!;
  const hi = upperBound(w.startNs, ns, a, w.start[g + 1]!);
  // Assists and sweeps of one goroutine hardly overlap: the last two begun are enough.
  for (let k = hi - 1; k >= Math.max(a, hi - 2); k--) if (w.endNs[k]! >= ns) return k;
  return -1;
}

/** The search results on goroutine g's lane in the view. */
export function searchLaneMarks(
  s: SearchPaint,
  g: number,
  scale: TimeScale,
  out?: SpanMarks,
): SpanMarks {
  const r = s.results;
  // Results of a lane are in start order; their ends are not, so the scan starts at the lane's
  // first result (a lane holds the results of one goroutine).
  return spanMarks(r.start, r.end, r.laneStart[g]!, r.laneStart[g + 1]!, scale, out);
}

/**
 * A goroutine lane under a search: every state dimmed, then the results' time at full strength
 * (the states redrawn inside them) with the highlight along their edges, and the current result
 * outlined.
 */
export function paintSearchLane(
  ctx: DrawTarget,
  states: StateMarks,
  s: SearchPaint,
  g: number,
  y: number,
  h: number,
  o: { theme: Theme; scale: TimeScale; marks?: SpanMarks },
): void {
  const { theme } = o;
  paintStateMarks(ctx, states, y + 2, h - 4, theme, true);
  if (s.results.goroutines[g] !== 1) return;
  const marks = searchLaneMarks(s, g, o.scale, o.marks ?? spanMarkBuffer());
  if (marks.length === 0) return;
  ctx.save();
  ctx.beginPath();
  for (let k = 0; k < marks.length; k++) ctx.rect(marks.x[k]!, y, Math.max(1, marks.w[k]!), h);
  ctx.clip();
  paintStateMarks(ctx, states, y + 2, h - 4, theme, false);
  ctx.restore();
  ctx.fillStyle = theme.highlight;
  for (let k = 0; k < marks.length; k++) {
    const x = marks.x[k]!;
    const w = Math.max(1, marks.w[k]!);
    if (w < 3) ctx.fillRect(x - 0.5, y, 2, h);
    else {
      ctx.fillRect(x, y, w, 2);
      ctx.fillRect(x, y + h - 2, w, 2);
    }
  }
  const c = s.current;
  const r = s.results;
  if (c >= 0 && c < r.count && r.goroutine[c] === g) {
    const x1 = o.scale.toPx(r.start[c]!);
    const x2 = o.scale.toPx(r.end[c]!);
    ctx.strokeStyle = theme.selectionEdge;
    ctx.lineWidth = 2;
    ctx.strokeRect(x1 - 1, y, Math.max(2, x2 - x1) + 2, h);
  }
}

/** The run of proc index p at time ns (start <= ns < end), or -1. */
export function procRunAt(runs: RuntimeLanes['procs'], p: number, ns: number): number {
  let lo = runs.procStart[p] as number;
  let hi = runs.procStart[p + 1] as number;
  const a = lo;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((runs.start[mid] as number) <= ns) lo = mid + 1;
    else hi = mid;
  }
  const k = lo - 1;
  return k >= a && ns < (runs.end[k] as number) ? k : -1;
}
