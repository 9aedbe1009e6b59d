// What the runtime did where, for the timeline's lanes: which goroutine ran on each P (processor
// lanes), the GC mark worker mode of each of those runs, and the GC work each goroutine paid for
// (mark assists and sweeps drawn on its own lane). Pure: (model) -> typed arrays, computed once
// per trace (the engine memoizes it).
//
// Who ran on a P. Every transition into Running carries the P the goroutine runs on (Go's
// Event.Proc() of the GoStart; model intervals.proc, Go src/internal/trace/event.go, go1.27), so
// a goroutine's Running interval [start, next transition) is one run on that P. Go re-states every
// goroutine's state at each generation start (GoStatus, IV_STATUS): a Running interval re-stated on
// the same P continues the run. Runs of one P never overlap in a valid trace; they are sorted by
// start per P (CSR by proc index, in m.procs order). A Running interval whose P is unknown (-1, or
// a P the model has no row for) is on no P lane.
//
// GC mark worker modes. The runtime labels a mark worker's goroutine each time it starts running
// it: a GoLabel event right after its GoStart, "GC (dedicated)", "GC (fractional)" or "GC (idle)"
// (Go src/runtime/traceruntime.go traceGoStart, go1.27; gcMarkWorkerModeStrings in mgc.go). A run
// takes the label written on its goroutine at or after its start and before its end. A run of a
// goroutine started by runtime.gcBgMarkWorker without a label (a trace begun mid-run) is a worker
// of unknown mode.
//
// User logs (trace.Log) on the lane of the goroutine that wrote them, by time.
//
// Assists and sweeps. Go's ranges "GC mark assist" (goroutine-scoped) and "GC incremental sweep"
// (P-scoped; the model keeps the goroutine that was running on the P when it began) are kept per
// goroutine, sorted by start, for the goroutine lanes.

import { longestSpanIndex } from '../base/longestSpan';
import {
  WORKER_DEDICATED,
  WORKER_FRACTIONAL,
  WORKER_IDLE,
  WORKER_NONE,
  WORKER_UNKNOWN,
} from '../model/gcWorker';
import {
  GS_RUNNING,
  IV_STATUS,
  RANGE_MARK_ASSIST,
  RANGE_SWEEP,
  type TraceModel,
} from '../model/trace';

const WORKER_LABELS: Record<string, number> = {
  'GC (dedicated)': WORKER_DEDICATED,
  'GC (fractional)': WORKER_FRACTIONAL,
  'GC (idle)': WORKER_IDLE,
};

/** Goroutine runs on each P. Runs of proc index p are [procStart[p], procStart[p + 1]). */
export interface ProcRuns {
  procStart: Uint32Array;
  start: Float64Array;
  end: Float64Array;
  /** Goroutine index. */
  goroutine: Int32Array;
  /** The run's first interval (model.intervals): what a click selects. */
  interval: Uint32Array;
  /** WORKER_* */
  worker: Uint8Array;
  /**
   * base/longestSpan.ts's index of (start, end): the lane's marks at a wide zoom cost a search per
   * pixel instead of a visit to every run (millions of runs on the 176 MB trace).
   */
  longest: Int32Array;
  /**
   * Per P: 1 when its runs are disjoint (each ends at or after its start and starts at or after
   * the previous one's end), which the index's use in render/spanMarks.ts requires; a P whose
   * runs are not (equal starts of a zero-length run and a longer one, a damaged file) is drawn by
   * visiting its runs.
   */
  disjoint: Uint8Array;
}

/** Mark assists and sweeps per goroutine: g's are range rows ranges[start[g] .. start[g + 1]). */
export interface GoroutineGcWork {
  start: Uint32Array;
  /** Rows of model.ranges (RANGE_MARK_ASSIST or RANGE_SWEEP), by goroutine, then by start. */
  ranges: Uint32Array;
  /** Each row's kind, start and end (a range still open ends at the end of the trace). */
  kind: Uint8Array;
  startNs: Float64Array;
  endNs: Float64Array;
}

/** User logs per goroutine: g's are rows[start[g] .. start[g + 1]) of model.logs, by time. */
export interface GoroutineLogs {
  start: Uint32Array;
  rows: Uint32Array;
  time: Float64Array;
}

export interface RuntimeLanes {
  procs: ProcRuns;
  gc: GoroutineGcWork;
  logs: GoroutineLogs;
}

export function runtimeLanes(m: TraceModel): RuntimeLanes {
  return { procs: procRuns(m), gc: goroutineGcWork(m), logs: goroutineLogs(m) };
}

export function goroutineLogs(m: TraceModel): GoroutineLogs {
  const l = m.logs;
  const { start, rows } = rowsByGoroutine(m, l.length, l.goroutine, l.time);
  return { start, rows, time: Float64Array.from(rows, (i) => l.time[i] as number) };
}

/**
 * Rows `0 .. n` of a table grouped by goroutine (CSR: goroutine g's are `rows[start[g] ..
 * start[g+1])`), each goroutine's in order of `time`, then of row; rows without a goroutine (they
 * have no lane) and those `keep` refuses are left out.
 */
function rowsByGoroutine(
  m: TraceModel,
  n: number,
  goroutine: Int32Array,
  time: Float64Array,
  keep: (i: number) => boolean = () => true,
): { start: Uint32Array; rows: Uint32Array } {
  const G = m.goroutines.length;
  const start = new Uint32Array(G + 1);
  const rows: number[] = [];
  for (let i = 0; i < n; i++) {
    const g = goroutine[i] as number;
    if (g < 0 || g >= G || !keep(i)) continue;
    rows.push(i);
    start[g + 1] = (start[g + 1] as number) + 1;
  }
  for (let g = 0; g < G; g++) start[g + 1] = (start[g + 1] as number) + (start[g] as number);
  rows.sort(
    (a, b) =>
      (goroutine[a] as number) - (goroutine[b] as number) ||
      (time[a] as number) - (time[b] as number) ||
      a - b,
  );
  return { start, rows: Uint32Array.from(rows) };
}

export function procRuns(m: TraceModel): ProcRuns {
  const P = m.procs.length;
  const procOf = procIndexOf(m);
  const gs = m.goroutines;
  const iv = m.intervals;
  const workerLabel = labelsByGoroutine(m);
  const gcWorkerFunc = m.strings.indexOf('runtime.gcBgMarkWorker');
  // Runs collected in goroutine order into columns sized for the most there can be (one per
  // Running interval), then counting-sorted by P and sorted by start within (sortRunsByStart).
  // Typed columns and no comparator: 9M runs of a 176 MB trace took 12 s with JS arrays and
  // Array.prototype.sort.
  let cap = 0;
  for (let i = 0; i < iv.length; i++) if (iv.state[i] === GS_RUNNING) cap++;
  const rs = new Float64Array(cap);
  const re = new Float64Array(cap);
  const rg = new Int32Array(cap);
  const ri = new Uint32Array(cap);
  const rp = new Int32Array(cap);
  const rw = new Uint8Array(cap);
  let n = 0;
  for (let g = 0; g < gs.length; g++) {
    const a = gs.intervalStart[g] as number;
    const b = gs.intervalStart[g + 1] as number;
    const labels = workerLabel.get(g);
    const isWorker = gcWorkerFunc >= 0 && gs.startFunc[g] === gcWorkerFunc;
    const first = n;
    let open = -1; // position in the run columns of the run g is in, or -1
    for (let i = a; i < b; i++) {
      if (iv.state[i] !== GS_RUNNING) {
        open = -1;
        continue;
      }
      const p = procOf(iv.proc[i] as number);
      const end = i + 1 < b ? (iv.start[i + 1] as number) : m.durationNs;
      if (open >= 0 && p >= 0 && (iv.flags[i] as number) & IV_STATUS && rp[open] === p) {
        re[open] = end; // the same run, re-stated at a generation start
        continue;
      }
      open = -1;
      if (p < 0) continue;
      open = n;
      rs[n] = iv.start[i] as number;
      re[n] = end;
      rg[n] = g;
      ri[n] = i;
      rp[n] = p;
      rw[n] = isWorker ? WORKER_UNKNOWN : WORKER_NONE;
      n++;
    }
    // Each label names the run it falls in (both in time order: one merge).
    let k = first;
    for (const [time, mode] of labels ?? []) {
      while (k + 1 < n && (rs[k + 1] as number) <= time) k++;
      if (k >= n) break;
      const s0 = rs[k] as number;
      if (s0 <= time && time < Math.max(re[k] as number, s0 + 1)) rw[k] = mode;
    }
  }
  const procStart = new Uint32Array(P + 1);
  for (let k = 0; k < n; k++)
    procStart[(rp[k] as number) + 1] = (procStart[(rp[k] as number) + 1] as number) + 1;
  for (let p = 0; p < P; p++)
    procStart[p + 1] = (procStart[p + 1] as number) + (procStart[p] as number);
  const order = new Uint32Array(n);
  const fill = procStart.slice(0, P);
  for (let k = 0; k < n; k++) {
    const p = rp[k] as number;
    const at = fill[p] as number;
    order[at] = k;
    fill[p] = at + 1;
  }
  // Equal starts by end: a zero-length run before a longer one from the same time, so that the
  // runs stay disjoint (see `disjoint`).
  for (let p = 0; p < P; p++)
    sortRunsByStart(order.subarray(procStart[p], procStart[p + 1]), rs, re);
  const out: ProcRuns = {
    procStart,
    start: new Float64Array(n),
    end: new Float64Array(n),
    goroutine: new Int32Array(n),
    interval: new Uint32Array(n),
    worker: new Uint8Array(n),
    longest: new Int32Array(0),
    disjoint: new Uint8Array(P),
  };
  for (let j = 0; j < n; j++) {
    const k = order[j] as number;
    out.start[j] = rs[k] as number;
    out.end[j] = re[k] as number;
    out.goroutine[j] = rg[k] as number;
    out.interval[j] = ri[k] as number;
    out.worker[j] = rw[k] as number;
  }
  out.longest = longestSpanIndex(out.start, out.end);
  for (let p = 0; p < P; p++) {
    let ok = 1;
    for (let j = procStart[p] as number; ok && j < (procStart[p + 1] as number); j++) {
      const s = out.start[j] as number;
      if (!(out.end[j]! >= s) || (j > procStart[p]! && s < out.end[j - 1]!)) ok = 0;
    }
    out.disjoint[p] = ok;
  }
  return out;
}

/** P index of a P id, or -1: a table for the small ids Go uses, a Map for any others. */
function procIndexOf(m: TraceModel): (id: number) => number {
  const P = m.procs.length;
  let max = -1;
  for (let p = 0; p < P; p++) max = Math.max(max, m.procs.id[p] as number);
  if (max < 1 << 16) {
    const table = new Int32Array(max + 1).fill(-1);
    for (let p = 0; p < P; p++) {
      const id = m.procs.id[p] as number;
      if (id >= 0) table[id] = p;
    }
    return (id) => (id >= 0 && id <= max ? (table[id] as number) : -1);
  }
  const map = new Map<number, number>();
  for (let p = 0; p < P; p++) map.set(m.procs.id[p] as number, p);
  return (id) => map.get(id) ?? -1;
}

/**
 * Sorts `order` (positions into `key`) by key, ties by `then` when given, then by position, in
 * about linear time: a counting sort into as many time buckets as entries, then each bucket in
 * place (insertion sort when small; a crowded bucket, which a trace of zero-length runs could
 * make, by the native sort).
 */
export function sortRunsByStart(order: Uint32Array, key: Float64Array, then?: Float64Array): void {
  const n = order.length;
  if (n < 2) return;
  const compare = (x: number, y: number): number =>
    (key[x] as number) - (key[y] as number) ||
    (then ? (then[x] as number) - (then[y] as number) : 0) ||
    x - y;
  let lo = Infinity;
  let hi = -Infinity;
  for (let j = 0; j < n; j++) {
    const v = key[order[j] as number] as number;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(hi > lo)) {
    if (then) order.sort(compare);
    else order.sort();
    return;
  }
  const B = n;
  const scale = B / (hi - lo);
  const bucketOf = (v: number): number => Math.min(B - 1, Math.floor((v - lo) * scale));
  const starts = new Uint32Array(B + 1);
  for (let j = 0; j < n; j++) {
    const b = bucketOf(key[order[j] as number] as number);
    starts[b + 1] = (starts[b + 1] as number) + 1;
  }
  for (let b = 0; b < B; b++) starts[b + 1] = (starts[b + 1] as number) + (starts[b] as number);
  const fill = starts.slice(0, B);
  const sorted = new Uint32Array(n);
  for (let j = 0; j < n; j++) {
    const k = order[j] as number;
    const b = bucketOf(key[k] as number);
    sorted[fill[b] as number] = k;
    fill[b] = (fill[b] as number) + 1;
  }
  const before = (x: number, y: number): boolean => compare(x, y) < 0;
  for (let b = 0; b < B; b++) {
    const from = starts[b] as number;
    const to = starts[b + 1] as number;
    if (to - from < 2) continue;
    if (to - from > 32) {
      const part = Array.from(sorted.subarray(from, to));
      part.sort(compare);
      sorted.set(part, from);
      continue;
    }
    for (let i = from + 1; i < to; i++) {
      const k = sorted[i] as number;
      let j = i - 1;
      while (j >= from && before(k, sorted[j] as number)) {
        sorted[j + 1] = sorted[j] as number;
        j--;
      }
      sorted[j + 1] = k;
    }
  }
  order.set(sorted);
}

/** Mark worker labels per goroutine index: [time, WORKER_*] in time order. */
function labelsByGoroutine(m: TraceModel): Map<number, Array<[number, number]>> {
  const out = new Map<number, Array<[number, number]>>();
  const l = m.labels;
  for (let i = 0; i < l.length; i++) {
    const mode = WORKER_LABELS[m.strings[l.label[i] as number] ?? ''];
    const g = l.goroutine[i] as number;
    if (mode === undefined || g < 0) continue;
    let list = out.get(g);
    if (!list) out.set(g, (list = []));
    list.push([l.time[i] as number, mode]);
  }
  for (const list of out.values()) list.sort((a, b) => a[0] - b[0]);
  return out;
}

export function goroutineGcWork(m: TraceModel): GoroutineGcWork {
  const r = m.ranges;
  const { start, rows: ranges } = rowsByGoroutine(m, r.length, r.goroutine, r.start, (i) => {
    const k = r.kind[i];
    return k === RANGE_MARK_ASSIST || k === RANGE_SWEEP;
  });
  const end = (i: number) => (Number.isNaN(r.end[i]) ? m.durationNs : (r.end[i] as number));
  return {
    start,
    ranges,
    kind: Uint8Array.from(ranges, (i) => r.kind[i] as number),
    startNs: Float64Array.from(ranges, (i) => r.start[i] as number),
    endNs: Float64Array.from(ranges, end),
  };
}
