// Queries behind the timeline: the session's axis, what the painters need per trace (interval
// colour classes, regions, task levels, activity), the goroutine lanes (groups, filter, order,
// each group's activity), dlv lane layouts, what a function lights up, the "unblocked by" arrows,
// and the intervals as CSV. The page lays rows out and paints from these (render/).

import { CSV_EOL, csvNumber, csvRecord, csvText } from '../base/csv';
import { Lru } from '../base/lru';
import { GOROUTINE_STATE_NAMES, GS_NOT_EXIST, type TraceModel } from '../model/trace';
import { runningIntervals } from '../analysis/alignment';
import { layoutDlv, type DlvAxisMode, type DlvLayout } from '../analysis/dlvLanes';
import { highlightFunction, type FunctionHighlight } from '../analysis/highlight';
import { clockTrace, sessionAxis, type SessionAxis } from '../analysis/session';
import { intervalClasses } from '../analysis/stateClasses';
import {
  filteredGoroutines,
  laneGroups,
  taskLevels,
  tasksByStart,
  type LaneQuery,
} from '../analysis/timelineRows';
import {
  activity,
  activityPeak,
  goroutineGroups,
  goroutineStats,
  regionIndex,
  type Activity,
  type RegionIndex,
} from '../analysis/traceLanes';
import { previousWait, unblockChain, waitBehind } from '../analysis/unblock';
import type { QueryContext } from './engine';
import type { SearchParams } from './search';

/** Buckets of the activity plots (overview strip, goroutine counts, collapsed groups). */
export const ACTIVITY_BUCKETS = 2048;

// ---- the axis ------------------------------------------------------------------------------------

export interface AxisParams {
  /** The session's files, in the order they were opened (decoded ones only). */
  files: string[];
  /** Manual offsets (ns) by file id. */
  offsets: Record<string, number>;
  /** The trace picked as the session's clock (null: the first that can be one). */
  clock: string | null;
}

/** The session's shared time axis and how each file is placed on it (analysis/session.ts). */
export function axis(c: QueryContext, p: AxisParams): SessionAxis {
  const files = p.files.map((id) => ({ id, decoded: c.file(id) }));
  // The clock trace's running intervals are kept with it.
  const clockId = clockTrace(files, p.clock)?.id;
  return sessionAxis(files, p.offsets, p.clock, (trace) =>
    clockId === undefined
      ? runningIntervals(trace)
      : c.memo(clockId)('running', () => runningIntervals(trace)),
  );
}

// ---- per trace -----------------------------------------------------------------------------------

/** What the painters of a trace's rows need beside the model. */
export interface TraceView {
  /** Colour class of every interval (model/stateClass.ts). */
  classes: Uint8Array;
  /** User regions by goroutine. */
  regions: RegionIndex;
  /** Task stacking levels, and tasks by start with a running max of ends. */
  tasks: {
    depth: Uint16Array;
    levels: number;
    order: Uint32Array;
    starts: Float64Array;
    maxEnd: Float64Array;
  };
  /** Goroutines per state over the whole trace, and its peak. */
  activity: Activity;
  peak: number;
}

export function traceView(c: QueryContext, p: { trace: string }): TraceView {
  const m = c.trace(p.trace);
  // A byte per interval and more per region: shared with the page rather than copied to it.
  return c.keep(p.trace)('traceView', () => {
    const act = activity(m, ACTIVITY_BUCKETS);
    return c.share({
      classes: intervalClasses(m),
      regions: regionIndex(m),
      tasks: { ...taskLevels(m), ...tasksByStart(m) },
      activity: act,
      peak: activityPeak(act),
    });
  });
}

export interface LaneParams extends LaneQuery {
  trace: string;
  /** Only the lanes with results of this search (with `only`, both must hold). */
  search?: SearchParams;
}

export interface LaneLayout {
  groups: Array<{
    name: string;
    /** The members the lane settings keep, in their order (goroutine indexes). */
    members: Int32Array;
    /** Members before filtering. */
    size: number;
  }>;
  /** Goroutines that have a lane, filtered or not. */
  goroutineLanes: number;
  /** The pinned goroutines (indexes, in the order asked; unknown ids left out). */
  pinned: Int32Array;
}

/** The goroutine lanes: groups by start function, filtered and sorted. */
export function lanes(c: QueryContext, p: LaneParams): LaneLayout {
  const m = c.trace(p.trace);
  const memo = c.memo(p.trace);
  const groups = memo('goroutineGroups', () => goroutineGroups(m));
  // Totals per goroutine are only needed to sort by them (computing them walks every interval).
  const stats = p.sort === 'id' ? null : memo('goroutineStats', () => goroutineStats(m));
  let only = p.only;
  if (p.search) {
    const v = c.query('search', p.search);
    // A bad query filters nothing (its message is under the box).
    if (v.ok) {
      const ids = Array.from(v.goroutineIds);
      const listed = only === null ? null : new Set(only);
      only = listed === null ? ids : ids.filter((id) => listed.has(id));
    }
  }
  let pinned = new Int32Array(0);
  if (p.pinned && p.pinned.length > 0) {
    const want = new Map<number, number>();
    p.pinned.forEach((id, k) => want.set(id, k));
    const found: Array<[number, number]> = [];
    for (let g = 0; g < m.goroutines.length && found.length < want.size; g++) {
      const k = want.get(m.goroutines.id[g]!);
      if (k !== undefined) found.push([k, g]);
    }
    pinned = Int32Array.from(found.sort((a, b) => a[0] - b[0]).map(([, g]) => g));
  }
  return {
    goroutineLanes: groups.reduce((n, g) => n + g.goroutines.length, 0),
    groups: laneGroups(m, groups, stats, { ...p, only }),
    pinned,
  };
}

/** Groups beyond this many get no activity plot (a trace with thousands of start functions). */
const MAX_GROUP_ACTIVITIES = 512;

/**
 * Each lane group's members per state over time (for its collapsed row), and its peak, in the
 * order of `lanes` for the same params (null for an empty group or beyond the first 512). A query
 * of its own: the rows can be laid out and drawn before these arrive.
 */
export function laneActivity(
  c: QueryContext,
  p: LaneParams,
): Array<{ activity: Activity; peak: number } | null> {
  const m = c.trace(p.trace);
  // One memo entry holding its own LRU: up to 512 groups' plots would push everything else out of
  // the file's memo.
  const plots = c.memo(p.trace)(
    'groupActivities',
    () => new Lru<string, Activity>({ maxEntries: 2 * MAX_GROUP_ACTIVITIES }),
  );
  let plotted = 0;
  return c.query('lanes', p).groups.map((g) => {
    if (g.members.length === 0 || plotted >= MAX_GROUP_ACTIVITIES) return null;
    plotted++;
    // Keyed by the members, not the settings: sorting or an unrelated filter reuses it.
    const act = plots.getOrCreate(`${g.name}:${membersKey(g.members)}`, () =>
      activity(m, ACTIVITY_BUCKETS, g.members),
    );
    return { activity: act, peak: activityPeak(act) };
  });
}

/** A key for a set of goroutines (order-independent): count, sum and an FNV hash of the sorted list. */
function membersKey(members: Int32Array): string {
  const sorted = members.slice().sort();
  let h = 2166136261;
  for (let i = 0; i < sorted.length; i++) h = Math.imul(h ^ sorted[i]!, 16777619);
  return `${sorted.length}:${h >>> 0}`;
}

export interface DlvLayoutParams {
  logs: Array<{ file: string; mode: DlvAxisMode }>;
}

/** The layouts of dlv logs' lanes (on their time axis, or in line order), by `file:mode`. */
export function dlvLayouts(c: QueryContext, p: DlvLayoutParams): Record<string, DlvLayout> {
  const out: Record<string, DlvLayout> = {};
  for (const { file, mode } of p.logs)
    out[`${file}:${mode}`] = c.memo(file)(`layout:${mode}`, () => layoutDlv(c.dlv(file), mode));
  return out;
}

// ---- highlight -----------------------------------------------------------------------------------

export interface HighlightParams {
  /** The trace, or null when the session has none. */
  trace: string | null;
  /** The session's dlv logs. */
  dlv: string[];
  func: string;
}

export interface HighlightView {
  func: string;
  /** Per goroutine of the trace: 1 when its lane lights up; null when none does. */
  goroutineMask: Uint8Array | null;
  /** Go ids of those goroutines, ascending by index (for "only these lanes"). */
  goroutineIds: Int32Array;
  /** Intervals whose stack contains the function, ascending. */
  intervals: Int32Array;
  /** CPU sample times per goroutine: g's are sampleTimes[sampleStart[g] .. sampleStart[g+1]). */
  sampleStart: Int32Array | null;
  sampleTimes: Float64Array | null;
  samples: number;
  /** Per dlv log with calls of the function: 1 per span that is one. */
  dlv: Array<{ fileId: string; spans: Uint8Array; count: number }>;
  dlvSpans: number;
  /** Where the trace's intervals and samples of it cluster (the overview's bars). */
  histogram: FunctionHighlight['histogram'] | null;
}

/**
 * What the timeline lights up for a function (picked in the flame graph, or previewed): every
 * interval and CPU sample whose stack contains it, the lanes involved (dlv calls light their
 * goroutine's lane too) and every dlv call of it.
 */
export function highlight(c: QueryContext, p: HighlightParams): HighlightView {
  const m = p.trace === null ? null : c.trace(p.trace);
  const h = m && p.trace !== null ? highlightFunction(c.indexes(p.trace), p.func) : null;
  const dlv: HighlightView['dlv'] = [];
  let dlvSpans = 0;
  const dlvIds = new Set<number>();
  for (const id of p.dlv) {
    const d = c.dlv(id);
    const f = d.strings.indexOf(p.func);
    if (f < 0) continue;
    const spans = new Uint8Array(d.spanCount);
    let count = 0;
    for (let i = 0; i < d.spanCount; i++) {
      if (d.spans.func[i] !== f) continue;
      spans[i] = 1;
      count++;
      dlvIds.add(d.spans.goroutine[i]!);
    }
    if (count === 0) continue;
    dlv.push({ fileId: id, spans, count });
    dlvSpans += count;
  }
  let mask: Uint8Array | null = null;
  let sampleStart: Int32Array | null = null;
  let sampleTimes: Float64Array | null = null;
  const ids: number[] = [];
  if (m && h) {
    mask = new Uint8Array(m.goroutines.length);
    for (const g of h.goroutines) mask[g] = 1;
    // dlv calls light up their goroutine's lane too.
    if (dlvIds.size > 0)
      for (let g = 0; g < m.goroutines.length; g++)
        if (dlvIds.has(m.goroutines.id[g]!)) mask[g] = 1;
    for (let g = 0; g < mask.length; g++) if (mask[g]) ids.push(m.goroutines.id[g]!);
    if (ids.length === 0) mask = null;
    if (h.samples.length > 0) {
      // Counting sort of the samples by goroutine (samples are in time order already).
      const cs = m.cpuSamples;
      sampleStart = new Int32Array(m.goroutines.length + 1);
      for (const i of h.samples) {
        const g = cs.goroutine[i]!;
        if (g >= 0) sampleStart[g + 1]!++;
      }
      for (let g = 0; g < m.goroutines.length; g++) sampleStart[g + 1]! += sampleStart[g]!;
      const fill = sampleStart.slice(0, m.goroutines.length);
      sampleTimes = new Float64Array(sampleStart[m.goroutines.length]!);
      for (const i of h.samples) {
        const g = cs.goroutine[i]!;
        if (g >= 0) sampleTimes[fill[g]!++] = cs.time[i]!;
      }
    }
  }
  return {
    func: p.func,
    goroutineMask: mask,
    goroutineIds: Int32Array.from(ids),
    intervals: h?.intervals ?? new Int32Array(0),
    sampleStart,
    sampleTimes,
    samples: h?.samples.length ?? 0,
    dlv,
    dlvSpans,
    histogram: h?.histogram ?? null,
  };
}

// ---- unblocked by --------------------------------------------------------------------------------

/** An "unblocked by" arrow: from the waker's lane to the woken goroutine's lane at `timeNs`. */
export interface UnblockArrow {
  timeNs: number;
  /** Goroutine indexes. */
  from: number;
  to: number;
  /** The selected wait's own arrow (solid); earlier links of the chain are drawn lighter. */
  primary: boolean;
}

export interface UnblockView {
  arrows: UnblockArrow[];
  /**
   * One step back along the chain (the U key): the waker's own previous wait (what held it up),
   * or, when it had not waited, the waker's interval at the moment it woke the goroutine; -1.
   */
  follow: number;
}

/** The interval of goroutine g at time ns (not a "not exist" mark), or -1. */
function intervalAtTime(m: TraceModel, g: number, ns: number): number {
  const a = m.goroutines.intervalStart[g]!;
  const b = m.goroutines.intervalStart[g + 1]!;
  let lo = a;
  let hi = b;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (m.intervals.start[mid]! <= ns) lo = mid + 1;
    else hi = mid;
  }
  const i = lo - 1;
  return i < a || m.intervals.state[i] === GS_NOT_EXIST ? -1 : i;
}

/** The "unblocked by" chain of the selected interval's wait, as arrows, and the U step. */
export function unblock(c: QueryContext, p: { trace: string; interval: number }): UnblockView {
  const m = c.trace(p.trace);
  const w = waitBehind(m, p.interval);
  if (w < 0) return { arrows: [], follow: -1 };
  const chain = unblockChain(m, w, 8);
  const arrows = chain
    .filter((u) => u.kind === 'goroutine' && u.waker >= 0)
    .map((u, k) => ({ timeNs: u.timeNs, from: u.waker, to: u.goroutine, primary: k === 0 }));
  const step = chain[0];
  let follow = -1;
  if (step && step.kind === 'goroutine' && step.waker >= 0) {
    const prev = previousWait(m, step.waker, step.timeNs);
    follow = prev >= 0 ? prev : intervalAtTime(m, step.waker, step.timeNs);
  }
  return { arrows, follow };
}

// ---- CSV -----------------------------------------------------------------------------------------

const MAX_CSV_ROWS = 1_000_000;

export interface CsvParams {
  trace: string;
  range: { startNs: number; endNs: number };
  filter: string;
  only: number[] | null;
}

/** The innermost function of a stack, or ''. */
function topFunction(m: TraceModel, stack: number): string {
  if (stack < 0) return '';
  return m.strings[m.frames.func[m.stacks.frame[stack]!]!] ?? '';
}

/** Goroutine intervals overlapping the range, for the lanes the filter keeps, as CSV text. */
export function intervalsCsv(
  c: QueryContext,
  p: CsvParams,
): { text: string; rows: number; cut: boolean } {
  const m = c.trace(p.trace);
  const groups = c.memo(p.trace)('goroutineGroups', () => goroutineGroups(m));
  const keep = filteredGoroutines(m, groups, p);
  const goroutines = keep ?? Int32Array.from({ length: m.goroutines.length }, (_, g) => g);
  // Names and reasons come from the file: quoted and neutralised (base/csv.ts).
  const lines = ['goroutine,start_function,state,reason,start_ns,end_ns,duration_ns,function'];
  let rows = 0;
  let cut = false;
  for (const g of goroutines) {
    const a = m.goroutines.intervalStart[g]!;
    const b = m.goroutines.intervalStart[g + 1]!;
    const sf = m.goroutines.startFunc[g]!;
    const name = sf >= 0 ? (m.strings[sf] ?? '') : '';
    for (let i = a; i < b; i++) {
      const t0 = m.intervals.start[i]!;
      const t1 = i + 1 < b ? m.intervals.start[i + 1]! : m.durationNs;
      if (t1 < p.range.startNs || t0 > p.range.endNs || m.intervals.state[i] === GS_NOT_EXIST)
        continue;
      if (rows >= MAX_CSV_ROWS) {
        cut = true;
        break;
      }
      lines.push(
        csvRecord([
          csvNumber(m.goroutines.id[g]!),
          csvText(name),
          csvText(GOROUTINE_STATE_NAMES[m.intervals.state[i]!] ?? ''),
          csvText(m.reasons[m.intervals.reason[i]!] ?? ''),
          csvNumber(Math.round(t0)),
          csvNumber(Math.round(t1)),
          csvNumber(Math.round(t1 - t0)),
          csvText(topFunction(m, m.intervals.stack[i]!)),
        ]),
      );
      rows++;
    }
    if (cut) break;
  }
  return { text: `${lines.join(CSV_EOL)}${CSV_EOL}`, rows, cut };
}
