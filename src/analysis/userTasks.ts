// User tasks and regions (runtime/trace NewTask, StartRegion/WithRegion) as `go tool trace`
// summarizes them for its /usertasks and /userregions pages (Go src/internal/trace/summary.go and
// src/cmd/trace/tasks.go, regions.go, go1.27), with the duration histograms of histogram.ts and
// the instances behind each bucket.
//
// Which tasks Go lists: every task ID the trace mentions, by a TaskBegin or TaskEnd, as the
// parent of a task, or as the task of a region or a log (getOrAddTask). So regions and logs
// outside any task create the background task (ID 0), and a task whose parent began before the
// trace creates that parent; both have type "" unless a TaskBegin/End named them. A task is
// complete when both its begin and end are in the trace; the histogram has the complete ones.
//
// Which regions Go lists (the goroutine summaries' Regions): every region that ended in the trace
// (one that began before it starts at the trace's start), and every region still open when its
// goroutine ended (it ends there) or when the trace ended, except on system goroutines (Go drops
// those). Plus one region Go makes up: a goroutine created while its creator was inside a region
// inherits that region's task through a region of type "" that starts at the creation (its stack
// the `go` statement's) and ends with the goroutine. Regions are keyed by type and the outermost
// frame of the stack that began them (Go keys by that frame's PC; here by its function, which is
// what testdata/ANALYSIS.md compares).

import type { TraceModel } from '../model/trace';
import { isSystemGoroutine, stackRootFunc, type GoroutineSummaries } from './goroutineSummary';
import { histogramBucket, HistogramBuilder, type TimeHistogram } from './histogram';

/** Go's region summaries, columnar. Plain data. */
export interface UserRegions {
  length: number;
  /** Goroutine index. */
  goroutine: Int32Array;
  /** Task ID (0: the background task). */
  task: Float64Array;
  /** Region type: index into model.strings, or -1 for "" (an inherited region). */
  type: Int32Array;
  /** Begin time, NaN when it began before the trace (Go: no Start event). */
  start: Float64Array;
  /** End time, NaN when it was open at the trace's end (Go: no End event). */
  end: Float64Array;
  /** Go's duration: from the start (or the trace's start) to the end (or the trace's end). */
  durationNs: Float64Array;
  /** Outermost frame of the begin stack: index into model.strings, or -1 for "". */
  startFunc: Int32Array;
  /** Stack of the begin event (for an inherited region: the `go` statement's), or -1. */
  startStack: Int32Array;
  /** The model's region row, or -1 for an inherited region. */
  row: Int32Array;
}

/** Go's task summaries, columnar. Plain data. */
export interface UserTasks {
  length: number;
  /** Go's task ID. */
  id: Float64Array;
  /** Task type: index into model.strings, or -1 for "". */
  type: Int32Array;
  /** Index (in these tasks) of the parent task, or -1. */
  parent: Int32Array;
  /** NaN when the task began before the trace. */
  start: Float64Array;
  /** NaN when it did not end in the trace. */
  end: Float64Array;
  /** Go's duration: from the start (or the trace's start) to the end (or the trace's end). */
  durationNs: Float64Array;
  /** The model's task row, or -1 for a task only mentioned (by a parent, region or log). */
  row: Int32Array;
  /** Goroutines of task k: goroutines[goroutineStart[k] .. goroutineStart[k+1]) (ascending). */
  goroutineStart: Uint32Array;
  goroutines: Int32Array;
  /** Regions (indexes into UserRegions) of task k, by start. */
  regionStart: Uint32Array;
  regions: Int32Array;
  /** Logs (model.logs rows) of task k, in time order. */
  logStart: Uint32Array;
  logs: Int32Array;
}

/**
 * Per goroutine, the regions that began in the trace, in begin order (CSR of model region rows),
 * with each one's enclosing region (regions on a goroutine nest: Go's region stack), for "which
 * region was open at time t" in O(log n + depth).
 */
interface RegionNesting {
  start: Uint32Array;
  rows: Int32Array;
  /** Per entry: the entry (index into rows) of the enclosing region, or -1. */
  parent: Int32Array;
}

function regionNesting(m: TraceModel): RegionNesting {
  const r = m.regions;
  const n = m.goroutines.length;
  const start = new Uint32Array(n + 1);
  for (let i = 0; i < r.length; i++) {
    const g = r.goroutine[i] as number;
    const a = r.start[i] as number;
    if (g >= 0 && a === a) start[g + 1] = (start[g + 1] as number) + 1;
  }
  for (let g = 0; g < n; g++) start[g + 1] = (start[g + 1] as number) + (start[g] as number);
  const cur = start.slice(0, n);
  const rows = new Int32Array(start[n] as number);
  // Model rows are in begin order (a region that began before the trace is listed at its end,
  // and is left out here: it was not open in the trace before it ended).
  for (let i = 0; i < r.length; i++) {
    const g = r.goroutine[i] as number;
    const a = r.start[i] as number;
    if (g < 0 || a !== a) continue;
    rows[cur[g] as number] = i;
    cur[g] = (cur[g] as number) + 1;
  }
  const parent = new Int32Array(rows.length).fill(-1);
  const stack: number[] = [];
  const endOf = (k: number): number => {
    const e = r.end[rows[k] as number] as number;
    return e === e ? e : Infinity;
  };
  for (let g = 0; g < n; g++) {
    stack.length = 0;
    for (let k = start[g] as number; k < (start[g + 1] as number); k++) {
      const a = r.start[rows[k] as number] as number;
      while (stack.length > 0 && endOf(stack[stack.length - 1] as number) <= a) stack.pop();
      parent[k] = stack.length > 0 ? (stack[stack.length - 1] as number) : -1;
      stack.push(k);
    }
  }
  return { start, rows, parent };
}

/**
 * Go's region summaries (see the file comment). `s`, the whole-trace goroutine summaries, gives
 * the goroutines' names (system goroutines drop open regions) and ends (an open region ends with
 * its goroutine).
 */
export function userRegions(m: TraceModel, s: GoroutineSummaries): UserRegions {
  const r = m.regions;
  const gs = m.goroutines;
  const dur = m.durationNs;
  // At most every region and one inherited region per goroutine.
  const cap = r.length + gs.length;
  const goroutine = new Int32Array(cap);
  const task = new Float64Array(cap);
  const type = new Int32Array(cap);
  const start = new Float64Array(cap);
  const end = new Float64Array(cap);
  const startStack = new Int32Array(cap);
  const row = new Int32Array(cap);
  let n = 0;
  const push = (
    g: number,
    tsk: number,
    ty: number,
    a: number,
    e: number,
    st: number,
    rw: number,
  ): void => {
    goroutine[n] = g;
    task[n] = tsk;
    type[n] = ty;
    start[n] = a;
    end[n] = e;
    startStack[n] = st;
    row[n++] = rw;
  };
  const nameOf = (g: number): string => {
    const k = s.name[g] as number;
    return k < 0 ? '' : (m.strings[k] ?? '');
  };
  const system = new Int8Array(gs.length).fill(-1);
  const isSystem = (g: number): boolean => {
    if (system[g] === -1) system[g] = isSystemGoroutine(nameOf(g)) ? 1 : 0;
    return system[g] === 1;
  };
  const goEnd = (g: number): number => s.endNs[g] as number;

  // Real regions.
  for (let i = 0; i < r.length; i++) {
    const g = r.goroutine[i] as number;
    let e = r.end[i] as number;
    if (e !== e) {
      // Open at the end of its goroutine or of the trace: Go keeps it unless the goroutine is a
      // system goroutine, and ends it with the goroutine.
      if (g < 0 || isSystem(g)) continue;
      e = goEnd(g);
    }
    push(
      g,
      r.task[i] as number,
      r.name[i] as number,
      r.start[i] as number,
      e,
      r.startStack[i] as number,
      i,
    );
  }

  // Inherited regions, in creation order (a creator's own inherited region counts when it has no
  // region of its own open).
  const nesting = regionNesting(m);
  // Goroutines created in the trace, by creation time. Goroutine indexes are given at first
  // mention, which for these is their creation, so the list is usually sorted already.
  let nc = 0;
  for (let g = 0; g < gs.length; g++) {
    const c = gs.createdNs[g] as number;
    if (c === c && (gs.parent[g] as number) >= 0) nc++;
  }
  const order = new Int32Array(nc);
  {
    const keyed: Array<[number, number]> = [];
    let sortedAlready = true;
    let last = -Infinity;
    for (let g = 0; g < gs.length; g++) {
      const c = gs.createdNs[g] as number;
      if (!(c === c && (gs.parent[g] as number) >= 0)) continue;
      keyed.push([c, g]);
      if (c < last) sortedAlready = false;
      last = c;
    }
    if (!sortedAlready) keyed.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    keyed.forEach((x, k) => (order[k] = x[1]));
  }
  /** Per goroutine: the task of its inherited region (NaN: none), while it is alive. */
  const inherited = new Float64Array(gs.length).fill(NaN);
  for (const g of order) {
    const creator = gs.parent[g] as number;
    const t = gs.createdNs[g] as number;
    let taskId = innermostTask(m, nesting, creator, t);
    if (taskId !== taskId) {
      const own = inherited[creator] as number;
      const ce = goEnd(creator);
      if (own === own && !(ce === ce && ce < t)) taskId = own;
    }
    if (taskId !== taskId) continue;
    inherited[g] = taskId;
    if (isSystem(g)) continue;
    push(g, taskId, -1, t, goEnd(g), gs.createStack[g] as number, -1);
  }

  const out: UserRegions = {
    length: n,
    goroutine: goroutine.slice(0, n),
    task: task.slice(0, n),
    type: type.slice(0, n),
    start: start.slice(0, n),
    end: end.slice(0, n),
    durationNs: new Float64Array(n),
    startFunc: new Int32Array(n),
    startStack: startStack.slice(0, n),
    row: row.slice(0, n),
  };
  const rootOf = new Map<number, number>();
  for (let k = 0; k < n; k++) {
    const a = out.start[k] as number;
    const b = out.end[k] as number;
    out.durationNs[k] = (b === b ? b : dur) - (a === a ? a : 0);
    const st = a === a ? (out.startStack[k] as number) : -1;
    let f = rootOf.get(st);
    if (f === undefined) rootOf.set(st, (f = stackRootFunc(m, st)));
    out.startFunc[k] = f;
  }
  return out;
}

/** The task of the innermost region of goroutine g open at time t, or NaN. */
function innermostTask(m: TraceModel, nest: RegionNesting, g: number, t: number): number {
  const lo = nest.start[g] as number;
  const hi = nest.start[g + 1] as number;
  if (lo === hi) return NaN;
  const r = m.regions;
  // The last region that began before t, then out through its enclosing regions to one still open.
  let l = lo;
  let h = hi;
  while (l < h) {
    const mid = (l + h) >>> 1;
    if ((r.start[nest.rows[mid] as number] as number) < t) l = mid + 1;
    else h = mid;
  }
  for (let k = l - 1; k >= lo; k = nest.parent[k] as number) {
    const i = nest.rows[k] as number;
    const e = r.end[i] as number;
    if (!(e === e) || e > t) return r.task[i] as number;
  }
  return NaN;
}

/** Go's task summaries (see the file comment). */
export function userTasks(m: TraceModel, regions: UserRegions): UserTasks {
  const tk = m.tasks;
  const lg = m.logs;
  const emptyString = m.strings.indexOf('');
  const oldFormat = isOldFormat(m.version);
  const complete = (i: number): boolean => tk.start[i] === tk.start[i] && tk.end[i] === tk.end[i];

  // Every task ID the trace mentions, sorted and unique: tasks are indexed by binary search.
  const mentioned = new Float64Array(2 * tk.length + regions.length + lg.length);
  let c = 0;
  for (let i = 0; i < tk.length; i++) {
    mentioned[c++] = tk.id[i] as number;
    const p = tk.parent[i] as number;
    if (p > 0) mentioned[c++] = p;
    else if (oldFormat && complete(i)) {
      // Go's converter of old traces gives the TaskEnd of a task it saw begin the parent ID as
      // written, 0 for none, where the TaskBegin had NoTask (src/internal/trace/tracev1.go,
      // go1.27); the summarizer then adds the background task as its parent, and Go's table
      // lists one task of type "".
      mentioned[c++] = 0;
    }
  }
  // Regions (Go's RegionBegin, and RegionEnd without a begin; not the inherited ones) and logs
  // name their tasks.
  for (let k = 0; k < regions.length; k++) {
    if ((regions.row[k] as number) >= 0) mentioned[c++] = regions.task[k] as number;
  }
  for (let i = 0; i < lg.length; i++) mentioned[c++] = lg.task[i] as number;
  const sorted = mentioned.subarray(0, c).sort();
  let n = 0;
  for (let j = 0; j < c; j++)
    if (j === 0 || sorted[j] !== sorted[n - 1]) sorted[n++] = sorted[j] as number;
  const id = sorted.slice(0, n);
  const indexOf = (taskId: number): number => {
    let l = 0;
    let h = n;
    while (l < h) {
      const mid = (l + h) >>> 1;
      if ((id[mid] as number) < taskId) l = mid + 1;
      else h = mid;
    }
    return l;
  };

  const type = new Int32Array(n).fill(-1);
  const parent = new Int32Array(n).fill(-1);
  const start = new Float64Array(n).fill(NaN);
  const end = new Float64Array(n).fill(NaN);
  const row = new Int32Array(n).fill(-1);
  // (task, goroutine) pairs, grouped and deduplicated at the end.
  const pairTask = new Int32Array(2 * tk.length + regions.length + lg.length);
  const pairG = new Int32Array(pairTask.length);
  let np = 0;
  const addG = (k: number, g: number): void => {
    if (g < 0) return;
    pairTask[np] = k;
    pairG[np++] = g;
  };
  for (let i = 0; i < tk.length; i++) {
    const k = indexOf(tk.id[i] as number);
    const nm = tk.name[i] as number;
    type[k] = nm === emptyString ? -1 : nm;
    const a = tk.start[i] as number;
    const b = tk.end[i] as number;
    if (a === a) start[k] = a;
    if (b === b) end[k] = b;
    row[k] = i;
    addG(k, tk.startGoroutine[i] as number);
    addG(k, tk.endGoroutine[i] as number);
    const p = tk.parent[i] as number;
    if (p > 0 && parent[k] === -1) parent[k] = indexOf(p);
  }
  const regionTask = new Int32Array(regions.length).fill(-1);
  for (let k = 0; k < regions.length; k++) {
    if ((regions.row[k] as number) < 0) continue;
    const t = indexOf(regions.task[k] as number);
    regionTask[k] = t;
    addG(t, regions.goroutine[k] as number);
  }
  const logTask = new Int32Array(lg.length);
  for (let i = 0; i < lg.length; i++) {
    const t = indexOf(lg.task[i] as number);
    logTask[i] = t;
    addG(t, lg.goroutine[i] as number);
  }
  const dur = m.durationNs;
  const durationNs = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const a = start[k] as number;
    const b = end[k] as number;
    durationNs[k] = (b === b ? b : dur) - (a === a ? a : 0);
  }
  // Goroutines: grouped by task, then sorted and deduplicated within each task.
  const gCsr = csrOf(n, np, (p) => pairTask[p] as number);
  const goroutineStart = new Uint32Array(n + 1);
  const gList = new Int32Array(np);
  let w = 0;
  for (let k = 0; k < n; k++) {
    goroutineStart[k] = w;
    const a = gCsr.start[k] as number;
    const b = gCsr.start[k + 1] as number;
    const from = w;
    for (let j = a; j < b; j++) gList[w++] = pairG[gCsr.items[j] as number] as number;
    if (w - from > 1) gList.subarray(from, w).sort();
    let u = from;
    for (let j = from; j < w; j++) {
      if (j === from || gList[j] !== gList[u - 1]) gList[u++] = gList[j] as number;
    }
    w = u;
  }
  goroutineStart[n] = w;
  // Regions in the model's order (begin order; a region that began before the trace at its end),
  // which is the order Go appends them to the task.
  const regionCsr = csrOf(n, regions.length, (k) => regionTask[k] as number);
  const logCsr = csrOf(n, lg.length, (i) => logTask[i] as number);
  return {
    length: n,
    id,
    type,
    parent,
    start,
    end,
    durationNs,
    row,
    goroutineStart,
    goroutines: gList.slice(0, w),
    regionStart: regionCsr.start,
    regions: regionCsr.items,
    logStart: logCsr.start,
    logs: logCsr.items,
  };
}

/** A trace of the format before Go 1.22 (Go reads those through its converter, tracev1.go). */
export function isOldFormat(version: string): boolean {
  const [major, minor] = version.split('.').map(Number);
  return major === 1 && minor !== undefined && minor < 22;
}

/** Groups the items 0..count-1 (in their order) by `keyOf` into n lists; a key < 0 leaves an item out. */
function csrOf(
  n: number,
  count: number,
  keyOf: (x: number) => number,
): { start: Uint32Array; items: Int32Array } {
  const start = new Uint32Array(n + 1);
  for (let x = 0; x < count; x++) {
    const k = keyOf(x);
    if (k >= 0) start[k + 1] = (start[k + 1] as number) + 1;
  }
  for (let k = 0; k < n; k++) start[k + 1] = (start[k + 1] as number) + (start[k] as number);
  const cur = start.slice(0, n);
  const out = new Int32Array(start[n] as number);
  for (let x = 0; x < count; x++) {
    const k = keyOf(x);
    if (k < 0) continue;
    out[cur[k] as number] = x;
    cur[k] = (cur[k] as number) + 1;
  }
  return { start, items: out };
}

// ---- tables ------------------------------------------------------------------------------------

export interface TaskType {
  type: string;
  /** All tasks of the type (Go's Count: complete and incomplete). */
  count: number;
  complete: number;
  incomplete: number;
  /** Durations of the complete tasks. */
  histogram: TimeHistogram;
}

export interface RegionType {
  type: string;
  /** Outermost frame of the begin stack ("" when the region began before the trace). */
  startFunction: string;
  count: number;
  /** Regions that began and ended in the trace (the others are in the histogram too, as Go has them). */
  complete: number;
  histogram: TimeHistogram;
}

const str = (m: TraceModel, k: number): string => (k < 0 ? '' : (m.strings[k] ?? ''));

/** The /usertasks table: per task type, sorted by type as Go sorts it. */
export function taskTypes(m: TraceModel, tasks: UserTasks): TaskType[] {
  const by = new Map<string, { count: number; complete: number; h: HistogramBuilder }>();
  for (let k = 0; k < tasks.length; k++) {
    const name = str(m, tasks.type[k] as number);
    let e = by.get(name);
    if (!e) by.set(name, (e = { count: 0, complete: 0, h: new HistogramBuilder() }));
    e.count++;
    if (isComplete(tasks, k)) {
      e.complete++;
      e.h.add(tasks.durationNs[k] as number);
    }
  }
  return [...by]
    .map(([type, e]) => ({
      type,
      count: e.count,
      complete: e.complete,
      incomplete: e.count - e.complete,
      histogram: e.h.finish(),
    }))
    .sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
}

function isComplete(tasks: UserTasks, k: number): boolean {
  const a = tasks.start[k] as number;
  const b = tasks.end[k] as number;
  return a === a && b === b;
}

/** The /userregions table: per (type, start function), sorted by type then start function. */
export function regionTypes(m: TraceModel, regions: UserRegions): RegionType[] {
  const by = new Map<string, RegionType & { h: HistogramBuilder }>();
  for (let k = 0; k < regions.length; k++) {
    const type = str(m, regions.type[k] as number);
    const startFunction = str(m, regions.startFunc[k] as number);
    const key = `${type}\u0000${startFunction}`;
    let e = by.get(key);
    if (!e) {
      e = {
        type,
        startFunction,
        count: 0,
        complete: 0,
        histogram: emptyHistogram(),
        h: new HistogramBuilder(),
      };
      by.set(key, e);
    }
    e.count++;
    const a = regions.start[k] as number;
    const b = regions.end[k] as number;
    if (a === a && b === b) e.complete++;
    e.h.add(regions.durationNs[k] as number);
  }
  return [...by.values()]
    .map(({ h, ...e }) => ({ ...e, histogram: h.finish() }))
    .sort(
      (a, b) =>
        (a.type < b.type ? -1 : a.type > b.type ? 1 : 0) ||
        (a.startFunction < b.startFunction ? -1 : a.startFunction > b.startFunction ? 1 : 0),
    );
}

function emptyHistogram(): TimeHistogram {
  return { count: 0, firstBucket: 0, counts: [] };
}

// ---- instances ---------------------------------------------------------------------------------

/** Which instances of a type to list: a histogram bucket, or a duration range (inclusive, as Go's latmin/latmax). */
export interface InstanceFilter {
  bucket?: number;
  minNs?: number;
  maxNs?: number;
  /** Tasks: true keeps complete tasks only, false incomplete only; absent keeps both. */
  complete?: boolean;
  /** At most this many (the longest, as the list is sorted by duration... ascending; see `order`). */
  limit?: number;
  /** 'asc' (Go's order: shortest first) or 'desc' (slowest first). */
  order?: 'asc' | 'desc';
}

function passes(d: number, f: InstanceFilter): boolean {
  if (f.bucket !== undefined && histogramBucket(d) !== f.bucket) return false;
  if (f.minNs !== undefined && d < f.minNs) return false;
  if (f.maxNs !== undefined && d > f.maxNs) return false;
  return true;
}

function sortAndLimit(ks: number[], dur: Float64Array, f: InstanceFilter): number[] {
  const dir = f.order === 'desc' ? -1 : 1;
  ks.sort((x, y) => dir * ((dur[x] as number) - (dur[y] as number)) || x - y);
  return f.limit !== undefined ? ks.slice(0, f.limit) : ks;
}

/** Task indexes of a type that pass the filter, sorted by duration. */
export function taskInstanceIndexes(
  m: TraceModel,
  tasks: UserTasks,
  type: string,
  f: InstanceFilter = {},
): number[] {
  const ks: number[] = [];
  const histogramOnly = f.bucket !== undefined;
  for (let k = 0; k < tasks.length; k++) {
    if (str(m, tasks.type[k] as number) !== type) continue;
    const complete = isComplete(tasks, k);
    // A bucket is one of the complete tasks' histogram.
    if ((histogramOnly || f.minNs !== undefined || f.maxNs !== undefined) && !complete) continue;
    if (f.complete !== undefined && f.complete !== complete) continue;
    if (!passes(tasks.durationNs[k] as number, f)) continue;
    ks.push(k);
  }
  return sortAndLimit(ks, tasks.durationNs, f);
}

/** Region indexes of a (type, start function) that pass the filter, sorted by duration. */
export function regionInstanceIndexes(
  m: TraceModel,
  regions: UserRegions,
  type: string,
  startFunction: string | null,
  f: InstanceFilter = {},
): number[] {
  const ks: number[] = [];
  for (let k = 0; k < regions.length; k++) {
    if (str(m, regions.type[k] as number) !== type) continue;
    if (startFunction !== null && str(m, regions.startFunc[k] as number) !== startFunction)
      continue;
    if (!passes(regions.durationNs[k] as number, f)) continue;
    ks.push(k);
  }
  return sortAndLimit(ks, regions.durationNs, f);
}

export interface RegionInstance {
  /** Index in UserRegions. */
  region: number;
  type: string;
  startFunction: string;
  goroutine: number;
  goroutineId: number;
  taskId: number;
  /** On the trace's axis (0 / durationNs when it began before or ended after the trace). */
  startNs: number;
  endNs: number;
  durationNs: number;
  /** False when it began before the trace or did not end in it (Go: no Start or End event). */
  complete: boolean;
}

export interface LogEntry {
  /** model.logs row. */
  log: number;
  timeNs: number;
  goroutine: number;
  goroutineId: number;
  taskId: number;
  category: string;
  message: string;
}

export interface TaskInstance {
  /** Index in UserTasks. */
  task: number;
  id: number;
  type: string;
  parentId: number | null;
  startNs: number;
  endNs: number;
  durationNs: number;
  complete: boolean;
  /** Goroutines that began or ended it, or had regions or logs in it. */
  goroutines: Array<{ goroutine: number; id: number }>;
  regions: RegionInstance[];
  logs: LogEntry[];
}

export function regionInstance(m: TraceModel, regions: UserRegions, k: number): RegionInstance {
  const a = regions.start[k] as number;
  const b = regions.end[k] as number;
  const g = regions.goroutine[k] as number;
  return {
    region: k,
    type: str(m, regions.type[k] as number),
    startFunction: str(m, regions.startFunc[k] as number),
    goroutine: g,
    goroutineId: g >= 0 ? (m.goroutines.id[g] as number) : -1,
    taskId: regions.task[k] as number,
    startNs: a === a ? a : 0,
    endNs: b === b ? b : m.durationNs,
    durationNs: regions.durationNs[k] as number,
    complete: a === a && b === b,
  };
}

export function logEntry(m: TraceModel, i: number): LogEntry {
  const lg = m.logs;
  const g = lg.goroutine[i] as number;
  return {
    log: i,
    timeNs: lg.time[i] as number,
    goroutine: g,
    goroutineId: g >= 0 ? (m.goroutines.id[g] as number) : -1,
    taskId: lg.task[i] as number,
    category: m.strings[lg.category[i] as number] ?? '',
    message: m.strings[lg.message[i] as number] ?? '',
  };
}

export function taskInstance(
  m: TraceModel,
  tasks: UserTasks,
  regions: UserRegions,
  k: number,
): TaskInstance {
  const a = tasks.start[k] as number;
  const b = tasks.end[k] as number;
  const p = tasks.parent[k] as number;
  const goroutines: TaskInstance['goroutines'] = [];
  for (
    let j = tasks.goroutineStart[k] as number;
    j < (tasks.goroutineStart[k + 1] as number);
    j++
  ) {
    const g = tasks.goroutines[j] as number;
    goroutines.push({ goroutine: g, id: m.goroutines.id[g] as number });
  }
  const regionList: RegionInstance[] = [];
  for (let j = tasks.regionStart[k] as number; j < (tasks.regionStart[k + 1] as number); j++) {
    regionList.push(regionInstance(m, regions, tasks.regions[j] as number));
  }
  const logs: LogEntry[] = [];
  for (let j = tasks.logStart[k] as number; j < (tasks.logStart[k + 1] as number); j++) {
    logs.push(logEntry(m, tasks.logs[j] as number));
  }
  return {
    task: k,
    id: tasks.id[k] as number,
    type: str(m, tasks.type[k] as number),
    parentId: p >= 0 ? (tasks.id[p] as number) : null,
    startNs: a === a ? a : 0,
    endNs: b === b ? b : m.durationNs,
    durationNs: tasks.durationNs[k] as number,
    complete: a === a && b === b,
    goroutines,
    regions: regionList,
    logs,
  };
}

/** Task instances of a type (e.g. one histogram bucket), sorted by duration, with their details. */
export function taskInstances(
  m: TraceModel,
  tasks: UserTasks,
  regions: UserRegions,
  type: string,
  f: InstanceFilter = {},
): TaskInstance[] {
  return taskInstanceIndexes(m, tasks, type, f).map((k) => taskInstance(m, tasks, regions, k));
}

/** Region instances of a (type, start function), sorted by duration. */
export function regionInstances(
  m: TraceModel,
  regions: UserRegions,
  type: string,
  startFunction: string | null,
  f: InstanceFilter = {},
): RegionInstance[] {
  return regionInstanceIndexes(m, regions, type, startFunction, f).map((k) =>
    regionInstance(m, regions, k),
  );
}

/** Regions (indexes into UserRegions) of goroutine g overlapping [t0, t1], by start. */
export function regionsOfGoroutine(
  regions: UserRegions,
  g: number,
  t0 = -Infinity,
  t1 = Infinity,
): number[] {
  const out: number[] = [];
  for (let k = 0; k < regions.length; k++) {
    if (regions.goroutine[k] !== g) continue;
    const a = regions.start[k] as number;
    const b = regions.end[k] as number;
    if ((a === a ? a : -Infinity) <= t1 && (b === b ? b : Infinity) >= t0) out.push(k);
  }
  return out.sort((x, y) => {
    const a = regions.start[x] as number;
    const b = regions.start[y] as number;
    return (a === a ? a : -1) - (b === b ? b : -1);
  });
}
