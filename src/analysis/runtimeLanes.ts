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
  const G = m.goroutines.length;
  const l = m.logs;
  const start = new Uint32Array(G + 1);
  const rows: number[] = [];
  for (let i = 0; i < l.length; i++) {
    const g = l.goroutine[i] as number;
    if (g < 0 || g >= G) continue; // a log without a goroutine has no lane
    rows.push(i);
    start[g + 1] = (start[g + 1] as number) + 1;
  }
  for (let g = 0; g < G; g++) start[g + 1] = (start[g + 1] as number) + (start[g] as number);
  rows.sort(
    (a, b) =>
      (l.goroutine[a] as number) - (l.goroutine[b] as number) ||
      (l.time[a] as number) - (l.time[b] as number) ||
      a - b,
  );
  const out = Uint32Array.from(rows);
  return { start, rows: out, time: Float64Array.from(out, (i) => l.time[i] as number) };
}

export function procRuns(m: TraceModel): ProcRuns {
  const P = m.procs.length;
  const pIndex = new Map<number, number>();
  for (let p = 0; p < P; p++) pIndex.set(m.procs.id[p] as number, p);
  const gs = m.goroutines;
  const iv = m.intervals;
  const workerLabel = labelsByGoroutine(m);
  const gcWorkerFunc = m.strings.indexOf('runtime.gcBgMarkWorker');
  // Runs collected in goroutine order, then counting-sorted by P and sorted by start within.
  const rs: number[] = [];
  const re: number[] = [];
  const rg: number[] = [];
  const ri: number[] = [];
  const rp: number[] = [];
  const rw: number[] = [];
  for (let g = 0; g < gs.length; g++) {
    const a = gs.intervalStart[g] as number;
    const b = gs.intervalStart[g + 1] as number;
    const labels = workerLabel.get(g);
    const isWorker = gcWorkerFunc >= 0 && gs.startFunc[g] === gcWorkerFunc;
    const first = rs.length;
    let open = -1; // position in the run lists of the run g is in, or -1
    for (let i = a; i < b; i++) {
      const s = iv.state[i] as number;
      const t = iv.start[i] as number;
      const end = i + 1 < b ? (iv.start[i + 1] as number) : m.durationNs;
      const p = s === GS_RUNNING ? (pIndex.get(iv.proc[i] as number) ?? -1) : -1;
      if (open >= 0 && p >= 0 && (iv.flags[i] as number) & IV_STATUS && rp[open] === p) {
        re[open] = end; // the same run, re-stated at a generation start
        continue;
      }
      open = -1;
      if (p < 0) continue;
      open = rs.length;
      rs.push(t);
      re.push(end);
      rg.push(g);
      ri.push(i);
      rp.push(p);
      rw.push(isWorker ? WORKER_UNKNOWN : WORKER_NONE);
    }
    // Each label names the run it falls in (both in time order: one merge).
    let k = first;
    for (const [time, mode] of labels ?? []) {
      while (k + 1 < rs.length && (rs[k + 1] as number) <= time) k++;
      if (k >= rs.length) break;
      const s0 = rs[k] as number;
      if (s0 <= time && time < Math.max(re[k] as number, s0 + 1)) rw[k] = mode;
    }
  }
  const n = rs.length;
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
  for (let p = 0; p < P; p++) {
    const part = Array.from(order.subarray(procStart[p], procStart[p + 1]));
    part.sort((x, y) => (rs[x] as number) - (rs[y] as number) || x - y);
    order.set(part, procStart[p]);
  }
  const out: ProcRuns = {
    procStart,
    start: new Float64Array(n),
    end: new Float64Array(n),
    goroutine: new Int32Array(n),
    interval: new Uint32Array(n),
    worker: new Uint8Array(n),
  };
  for (let j = 0; j < n; j++) {
    const k = order[j] as number;
    out.start[j] = rs[k] as number;
    out.end[j] = re[k] as number;
    out.goroutine[j] = rg[k] as number;
    out.interval[j] = ri[k] as number;
    out.worker[j] = rw[k] as number;
  }
  return out;
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
  const G = m.goroutines.length;
  const r = m.ranges;
  const start = new Uint32Array(G + 1);
  const rows: number[] = [];
  for (let i = 0; i < r.length; i++) {
    const k = r.kind[i];
    const g = r.goroutine[i] as number;
    if ((k !== RANGE_MARK_ASSIST && k !== RANGE_SWEEP) || g < 0 || g >= G) continue;
    rows.push(i);
    start[g + 1] = (start[g + 1] as number) + 1;
  }
  for (let g = 0; g < G; g++) start[g + 1] = (start[g + 1] as number) + (start[g] as number);
  rows.sort(
    (a, b) =>
      (r.goroutine[a] as number) - (r.goroutine[b] as number) ||
      (r.start[a] as number) - (r.start[b] as number) ||
      a - b,
  );
  const ranges = Uint32Array.from(rows);
  const end = (i: number) => (Number.isNaN(r.end[i]) ? m.durationNs : (r.end[i] as number));
  return {
    start,
    ranges,
    kind: Uint8Array.from(ranges, (i) => r.kind[i] as number),
    startNs: Float64Array.from(ranges, (i) => r.start[i] as number),
    endNs: Float64Array.from(ranges, end),
  };
}
