// Minimum mutator utilization (MMU), as `go tool trace` computes it for its /mmu page: Go
// src/internal/trace/gc.go, go1.27 (MutatorUtilizationV2, MMUCurve, Examples), ported to the
// model's columns.
//
// The mutator utilization function. Walking the trace in order, Go counts per P how many GC
// things it is doing: a sweep on it, a mark assist of the goroutine running on it, a background
// mark worker running on it (a goroutine labelled "GC (dedicated)" or "GC (fractional)"; "GC
// (idle)" workers do not count). Utilization is 1 - (Ps doing GC) / GOMAXPROCS, 0 during a GC
// stop-the-world; per P (the perProc option) it is 0 or 1 for each P. The options choose what
// counts: stw, background (mark workers), assist, sweep. The events that change it here are the
// Syncs, the GOMAXPROCS metric, the GC ranges, the transitions of goroutines that are mark workers
// or that assist, and the labels; the P of each comes from the model (intervals.proc; for a label
// or an assist boundary, the P its goroutine runs on then).
//
// Go's quirks are kept, since the figures must equal its page:
//   - a worker's label increments its P's count, and so does every later start of that
//     goroutine, while a stop decrements once: from a worker's second start on, its P counts as
//     doing GC forever, and once every P does, utilization stays 0 and no further change is ever
//     recorded. Go's curve then ends there, and MMU windows longer than what remains are cut to
//     the curve's length. On the corpus's spike traces the curve covers the first ~80 ms of a
//     1.2 s trace. `fixWorkerLabels` counts a worker once per run instead (not Go's figures);
//   - a range reported as already active is taken into account only in the first generation,
//     where the time before the report is fixed up for sweeps and for assists of a goroutine that
//     is executing. Go reads the P (and, for assists, the executing check) from the goroutine that
//     emitted the report, which the model does not keep: here they are the range's own P or
//     goroutine (an approximation for ranges active when tracing starts).
//
// The MMU curve is Go's algorithm unchanged (bands of the utilization function with lower bounds,
// refined lowest first until no band can lower the minimum), so that the figures, and the worst
// windows it lists, are Go's. Everything returned is plain data (typed arrays, plain objects).

import { Heap } from '../base/heap';
import { upperBound } from '../base/search';
import * as trace from '../model/trace';
import type { TraceModel } from '../model/trace';

const GS_RUNNING = trace.GS_RUNNING;
const GS_SYSCALL = trace.GS_SYSCALL;
const RANGE_STW = trace.RANGE_STW;
const RANGE_SWEEP = trace.RANGE_SWEEP;
const RANGE_MARK_ASSIST = trace.RANGE_MARK_ASSIST;
const RANGE_ACTIVE_AT_START = trace.RANGE_ACTIVE_AT_START;

/** What counts against the mutator (Go's UtilFlags), and system-wide or per P. */
export interface MmuOptions {
  /** GC stop-the-world pauses. */
  stw?: boolean;
  /** Background mark workers. */
  background?: boolean;
  /** Mark assists. */
  assist?: boolean;
  /** Sweeping. */
  sweep?: boolean;
  /** One utilization function per P instead of one for the whole system. */
  perProc?: boolean;
  /** Count a mark worker once per run (Go counts it again at every start: see the header). */
  fixWorkerLabels?: boolean;
}

/** The /mmu page's defaults: STW, background workers and assists, system-wide. */
export const DEFAULT_MMU_OPTIONS: Readonly<MmuOptions> = {
  stw: true,
  background: true,
  assist: true,
  sweep: false,
  perProc: false,
};

/** A mutator utilization function: `util[k]` holds from `time[k]` until `time[k+1]`. */
export interface UtilSeries {
  time: Float64Array;
  util: Float64Array;
}

// Event kinds, in the order Go's reader gives events at the same time (never needed for real
// traces, whose event times are distinct; a Sync comes first in its generation).
const EV_SYNC = 0;
const EV_PROCS = 1;
const EV_RANGE_BEGIN = 2;
const EV_RANGE_ACTIVE = 3;
const EV_RANGE_END = 4;
const EV_TRANSITION = 5;
const EV_LABEL = 6;

/** The interval of goroutine g containing time t (the last one starting at or before it), or -1. */
function intervalAt(m: TraceModel, g: number, t: number): number {
  if (g < 0) return -1;
  const lo = m.goroutines.intervalStart[g] as number;
  const hi = m.goroutines.intervalStart[g + 1] as number;
  const k = upperBound(m.intervals.start, t, lo, hi) - 1;
  return k >= lo ? k : -1;
}

function executing(state: number): boolean {
  return state === GS_RUNNING || state === GS_SYSCALL;
}

const isGcWorkerLabel = (l: string): boolean => l.startsWith('GC ') && l !== 'GC (idle)';

/**
 * Go's mutator utilization functions (MutatorUtilizationV2): one series, or one per P (and per
 * re-added P) with `perProc`. Each ends with utilization 0 at the trace's last event. Empty when
 * the trace never reports GOMAXPROCS.
 */
export function mutatorUtilization(
  m: TraceModel,
  options: MmuOptions = DEFAULT_MMU_OPTIONS,
): UtilSeries[] {
  const perProc = options.perProc === true;
  const fUtilSTW = options.stw === true;
  const fBackground = options.background === true;
  const fAssist = options.assist === true;
  const fSweep = options.sweep === true;
  const iv = m.intervals;
  const r = m.ranges;

  // Which ranges take part.
  const stwNames = new Set<number>();
  for (let i = 0; i < r.length; i++) {
    if (r.kind[i] === RANGE_STW && (m.strings[r.name[i] as number] ?? '').includes('GC')) {
      stwNames.add(r.name[i] as number);
    }
  }
  const isStw = (i: number): boolean =>
    r.kind[i] === RANGE_STW && stwNames.has(r.name[i] as number);
  const handled = (i: number): boolean =>
    (fUtilSTW && isStw(i)) ||
    (fSweep && r.kind[i] === RANGE_SWEEP) ||
    (fAssist && r.kind[i] === RANGE_MARK_ASSIST);

  // Goroutines whose transitions matter: mark workers (all their transitions) and assisting
  // goroutines (their transitions during an assist: only then are they "in GC").
  const worker = new Uint8Array(m.goroutines.length);
  const lb = m.labels;
  if (fBackground) {
    for (let i = 0; i < lb.length; i++) {
      const g = lb.goroutine[i] as number;
      if (g >= 0 && isGcWorkerLabel(m.strings[lb.label[i] as number] ?? '')) worker[g] = 1;
    }
  }

  // The events, as (time, kind, argument) rows.
  const times: number[] = [];
  const kinds: number[] = [];
  const args: number[] = [];
  const push = (t: number, k: number, a: number): void => {
    times.push(t);
    kinds.push(k);
    args.push(a);
  };
  const gen = m.generations;
  for (let k = 0; k < gen.length; k++) push(gen.startNs[k] as number, EV_SYNC, k + 1);
  const procs = m.metrics.find((s) => s.name === '/sched/gomaxprocs:threads');
  if (procs) for (let k = 0; k < procs.time.length; k++) push(procs.time[k] as number, EV_PROCS, k);
  for (let i = 0; i < r.length; i++) {
    if (!handled(i)) continue;
    const active = ((r.flags[i] as number) & RANGE_ACTIVE_AT_START) !== 0;
    push(r.start[i] as number, active ? EV_RANGE_ACTIVE : EV_RANGE_BEGIN, i);
    const e = r.end[i] as number;
    if (e === e) push(e, EV_RANGE_END, i);
  }
  const gs = m.goroutines;
  for (let g = 0; g < gs.length; g++) {
    if (!worker[g]) continue;
    for (let i = gs.intervalStart[g] as number; i < (gs.intervalStart[g + 1] as number); i++) {
      push(iv.start[i] as number, EV_TRANSITION, i);
    }
  }
  if (fAssist) {
    const seen = new Set<number>();
    for (let k = 0; k < r.length; k++) {
      const g = r.goroutine[k] as number;
      if (r.kind[k] !== RANGE_MARK_ASSIST || g < 0 || worker[g]) continue;
      const lo = gs.intervalStart[g] as number;
      const hi = gs.intervalStart[g + 1] as number;
      const e = r.end[k] as number;
      const to = e === e ? upperBound(iv.start, e, lo, hi) : hi;
      for (let i = upperBound(iv.start, r.start[k] as number, lo, hi); i < to; i++) {
        if (seen.has(i)) continue;
        seen.add(i);
        push(iv.start[i] as number, EV_TRANSITION, i);
      }
    }
  }
  if (fBackground) {
    for (let i = 0; i < lb.length; i++) {
      if (isGcWorkerLabel(m.strings[lb.label[i] as number] ?? ''))
        push(lb.time[i] as number, EV_LABEL, i);
    }
  }
  const order = Array.from(times.keys()).sort(
    (a, b) =>
      (times[a] as number) - (times[b] as number) || (kinds[a] as number) - (kinds[b] as number),
  );

  // Go's state.
  const out: Array<{ time: number[]; util: number[] }> = [];
  let stw = 0;
  let psGc: number[] = [];
  let psSeries: number[] = [];
  const inGC = new Uint8Array(gs.length);
  const bgMark = new Uint8Array(gs.length);
  /** Per goroutine: counted as a GC thing on its P right now (only for fixWorkerLabels). */
  const counted = new Uint8Array(gs.length);
  const procHistory: Array<{ time: number; n: number }> = [];
  let nSync = 0;

  const addUtil = (s: { time: number[]; util: number[] }, t: number, u: number): void => {
    const n = s.util.length;
    if (n > 0) {
      if (u === s.util[n - 1]) return;
      if (t === s.time[n - 1]) {
        if (u < (s.util[n - 1] as number)) s.util[n - 1] = u;
        return;
      }
    }
    s.time.push(t);
    s.util.push(u);
  };
  const gcAdd = (p: number, d: number): void => {
    if (p >= 0 && p < psGc.length) psGc[p] = (psGc[p] as number) + d;
  };
  /** P the goroutine of interval-state lookup runs on at time t (for labels and assists). */
  const procOfGoroutineAt = (g: number, t: number): number => {
    const k = intervalAt(m, g, t);
    return k >= 0 ? (iv.proc[k] as number) : -1;
  };
  const gOfInterval = (i: number): number => upperBound(gs.intervalStart, i) - 1;

  for (const e of order) {
    const t = times[e] as number;
    const kind = kinds[e] as number;
    const a = args[e] as number;
    if (kind === EV_SYNC) nSync = a;
    if (kind === EV_PROCS && procs) {
      const n = Math.max(0, Math.floor(procs.value[a] as number));
      if (psGc.length > n) {
        if (perProc)
          for (let p = n; p < psGc.length; p++) addUtil(out[psSeries[p] as number]!, t, 0);
        psGc = psGc.slice(0, n);
        psSeries = psSeries.slice(0, n);
      }
      while (psGc.length < n) {
        let series = 0;
        if (perProc || out.length === 0) {
          series = out.length;
          out.push({ time: [t], util: [1] });
        }
        psGc.push(0);
        psSeries.push(series);
      }
      const last = procHistory[procHistory.length - 1];
      if (!last || last.n !== n) procHistory.push({ time: t, n });
    }
    if (psGc.length === 0) continue;

    switch (kind) {
      case EV_RANGE_ACTIVE:
      case EV_RANGE_BEGIN: {
        const rk = r.kind[a] as number;
        const g = r.goroutine[a] as number;
        const p = rk === RANGE_SWEEP ? (r.proc[a] as number) : procOfGoroutineAt(g, t);
        if (kind === EV_RANGE_ACTIVE) {
          if (nSync > 1) break;
          if (rk === RANGE_MARK_ASSIST || rk === RANGE_SWEEP) {
            let fixUp = rk === RANGE_SWEEP;
            if (rk === RANGE_MARK_ASSIST) {
              const k = intervalAt(m, g, t);
              fixUp = k >= 0 && executing(iv.state[k] as number);
              if (!fixUp) break;
            }
            if (fixUp && !perProc && out.length > 0) {
              // Subtract 1/GOMAXPROCS from everything recorded so far.
              const s = out[0]!;
              let pi = 0;
              for (let mi = 0; mi < s.time.length;) {
                if (
                  pi < procHistory.length - 1 &&
                  procHistory[pi + 1]!.time < (s.time[mi] as number)
                ) {
                  pi++;
                  continue;
                }
                const u = (s.util[mi] as number) - 1 / procHistory[pi]!.n;
                s.util[mi] = u < 0 ? 0 : u;
                mi++;
              }
            }
          }
        }
        if (fUtilSTW && isStw(a)) stw++;
        else if (fSweep && rk === RANGE_SWEEP) gcAdd(p, 1);
        else if (fAssist && rk === RANGE_MARK_ASSIST) {
          gcAdd(p, 1);
          if (g >= 0) {
            inGC[g] = 1;
            counted[g] = 1;
          }
        }
        break;
      }
      case EV_RANGE_END: {
        const rk = r.kind[a] as number;
        const g = r.goroutine[a] as number;
        const p = rk === RANGE_SWEEP ? (r.proc[a] as number) : procOfGoroutineAt(g, t);
        if (fUtilSTW && isStw(a)) stw--;
        else if (fSweep && rk === RANGE_SWEEP) gcAdd(p, -1);
        else if (fAssist && rk === RANGE_MARK_ASSIST) {
          gcAdd(p, -1);
          if (g >= 0) inGC[g] = 0;
        }
        break;
      }
      case EV_TRANSITION: {
        const g = gOfInterval(a);
        const lo = gs.intervalStart[g] as number;
        const now = iv.state[a] as number;
        const before = a > lo ? (iv.state[a - 1] as number) : trace.GS_UNDETERMINED;
        if (inGC[g] || bgMark[g]) {
          const p = iv.proc[a] as number;
          if (!executing(before) && executing(now)) {
            gcAdd(p, 1);
            counted[g] = 1;
          } else if (executing(before) && !executing(now)) {
            gcAdd(p, -1);
            counted[g] = 0;
          }
        }
        break;
      }
      case EV_LABEL: {
        const g = lb.goroutine[a] as number;
        const label = m.strings[lb.label[a] as number] ?? '';
        if (perProc && label === 'GC (dedicated)') break;
        if (options.fixWorkerLabels && counted[g]) {
          bgMark[g] = 1;
          break;
        }
        bgMark[g] = 1;
        counted[g] = 1;
        gcAdd(procOfGoroutineAt(g, t), 1);
        break;
      }
    }

    if (!perProc) {
      let gcPs = 0;
      if (stw > 0) gcPs = psGc.length;
      else for (let p = 0; p < psGc.length; p++) if ((psGc[p] as number) > 0) gcPs++;
      addUtil(out[0]!, t, 1 - gcPs / psGc.length);
    } else {
      for (let p = 0; p < psGc.length; p++) {
        addUtil(out[psSeries[p] as number]!, t, stw > 0 || (psGc[p] as number) > 0 ? 0 : 1);
      }
    }
  }
  if (out.length === 0) return [];
  // The trace's last event closes every remaining series with utilization 0.
  for (let p = 0; p < psSeries.length; p++) addUtil(out[psSeries[p] as number]!, m.durationNs, 0);
  return out.map((s) => ({ time: Float64Array.from(s.time), util: Float64Array.from(s.util) }));
}

// ---- the MMU curve (Go's MMUCurve) -------------------------------------------------------------

/** One series prepared for MMU queries (Go's mmuSeries), plain data. */
export interface MmuSeries {
  time: Float64Array;
  util: Float64Array;
  /** sums[j]: integral of the utilization from time[0] to time[j]. */
  sums: Float64Array;
  bandDur: number;
  /** Per band: minimum utilization, integral up to its left edge, integrator position there. */
  bandMin: Float64Array;
  bandCum: Float64Array;
  bandPos: Int32Array;
}

export interface MmuCurve {
  series: MmuSeries[];
  /** Time covered by the utilization functions (earliest start, latest end), ns. */
  startNs: number;
  endNs: number;
}

/** Bands per series (Go's bandsPerSeries). */
const BANDS_PER_SERIES = 1000;

/** Go's NewMMUCurve. */
export function buildMmuCurve(utils: UtilSeries[]): MmuCurve {
  const series = utils.filter((u) => u.time.length > 0).map(newSeries);
  let startNs = Infinity;
  let endNs = -Infinity;
  for (const s of series) {
    startNs = Math.min(startNs, s.time[0] as number);
    endNs = Math.max(endNs, s.time[s.time.length - 1] as number);
  }
  return series.length === 0 ? { series, startNs: 0, endNs: 0 } : { series, startNs, endNs };
}

function newSeries(u: UtilSeries): MmuSeries {
  const n = u.time.length;
  const sums = new Float64Array(n);
  let prevT = 0;
  let prevU = 0;
  let sum = 0;
  for (let j = 0; j < n; j++) {
    const t = u.time[j] as number;
    sum += prevU * (t - prevT);
    sums[j] = sum;
    prevT = t;
    prevU = u.util[j] as number;
  }
  const numBands = Math.min(BANDS_PER_SERIES, n);
  const dur = (u.time[n - 1] as number) - (u.time[0] as number);
  let bandDur = Math.floor((dur + numBands - 1) / numBands);
  if (bandDur < 1) bandDur = 1;
  const s: MmuSeries = {
    time: u.time,
    util: u.util,
    sums,
    bandDur,
    bandMin: new Float64Array(numBands + 1),
    bandCum: new Float64Array(numBands + 1),
    bandPos: new Int32Array(numBands + 1),
  };
  const left = new Integrator(s, 0);
  for (let i = 0; i <= numBands; i++) {
    const startTime = i * bandDur + (u.time[0] as number);
    const endTime = startTime + bandDur;
    const cum = left.advance(startTime);
    let minUtil = 1;
    for (let k = left.pos; k < n && (u.time[k] as number) < endTime; k++) {
      minUtil = Math.min(minUtil, u.util[k] as number);
    }
    s.bandMin[i] = minUtil;
    s.bandCum[i] = cum;
    s.bandPos[i] = left.pos;
  }
  return s;
}

/** Tracks a position in a utilization function and integrates it (Go's integrator). */
class Integrator {
  constructor(
    private readonly u: MmuSeries,
    public pos: number,
  ) {}

  /** Integral of the utilization from time[0] to `time` (monotonically increasing calls). */
  advance(time: number): number {
    const t = this.u.time;
    let pos = this.pos;
    const maxSeq = 8;
    if (pos + maxSeq < t.length && (t[pos + maxSeq] as number) > time) {
      while (pos + 1 < t.length && (t[pos + 1] as number) <= time) pos++;
    } else {
      pos = upperBound(t, time, pos) - 1;
    }
    this.pos = pos;
    let partial = 0;
    if (time !== t[pos]) partial = (this.u.util[pos] as number) * (time - (t[pos] as number));
    return (this.u.sums[pos] as number) + partial;
  }

  /** The smallest time after `time` at which the utilization changes (Infinity: none). */
  next(time: number): number {
    const t = this.u.time;
    for (let k = this.pos; k < t.length; k++) if ((t[k] as number) > time) return t[k] as number;
    return Infinity;
  }
}

function bandTime(s: MmuSeries, i: number): { start: number; end: number } {
  const start = i * s.bandDur + (s.time[0] as number);
  return { start, end: start + s.bandDur };
}

/** A window and its mean mutator utilization (Go's UtilWindow). */
export interface UtilWindow {
  /** Start of the window, ns on the trace's axis. */
  startNs: number;
  endNs: number;
  utilization: number;
}

interface Window {
  time: number;
  mu: number;
}

/** Go's accumulator (MMU and worst windows; the distribution is not needed here). */
class Accumulator {
  mmu = 1;
  bound = 1;
  readonly worst: Heap<Window>;
  constructor(readonly nWorst: number) {
    this.worst = new Heap<Window>([], (a, b) => (a.mu !== b.mu ? a.mu > b.mu : a.time > b.time));
  }

  /** Adds a window at `time` with utilization `mu`; true when no further window can matter. */
  addMU(time: number, mu: number, window: number): boolean {
    if (mu < this.mmu) this.mmu = mu;
    this.bound = this.mmu;
    if (this.nWorst === 0) return mu === 0;
    const h = this.worst;
    if (h.length < this.nWorst || mu < (h.items[0] as Window).mu) {
      let keep = false;
      for (let i = 0; i < h.items.length; i++) {
        const ui = h.items[i] as Window;
        if (time + window > ui.time && ui.time + window > time) {
          if (ui.mu <= mu) keep = true;
          else h.remove(i);
          break;
        }
      }
      if (!keep) {
        h.push({ time, mu });
        if (h.length > this.nWorst) h.pop();
      }
    }
    if (h.length < this.nWorst) this.bound = 1;
    else this.bound = Math.max(this.bound, (h.items[0] as Window).mu);
    return h.length === this.nWorst && (h.items[0] as Window).mu === 0;
  }
}

function curveMmu(c: MmuCurve, windowIn: number, acc: Accumulator): void {
  const window = Math.trunc(windowIn);
  if (window <= 0) {
    acc.mmu = 0;
    return;
  }
  interface BandUtil {
    series: number;
    i: number;
    utilBound: number;
  }
  const bands: BandUtil[] = [];
  const windows: number[] = [];
  c.series.forEach((s, si) => {
    const max = (s.time[s.time.length - 1] as number) - (s.time[0] as number);
    const w = window > max ? max : window;
    windows.push(w);
    for (const b of mkBandUtil(s, si, w)) bands.push(b);
  });
  const h = new Heap<BandUtil>(bands, (a, b) => a.utilBound < b.utilBound);
  h.init();
  while (h.length > 0 && (h.items[0] as BandUtil).utilBound < acc.bound) {
    const b = h.items[0] as BandUtil;
    bandMmu(c.series[b.series] as MmuSeries, b.i, windows[b.series] as number, acc);
    h.pop();
  }
}

function mkBandUtil(
  s: MmuSeries,
  series: number,
  window: number,
): Array<{ series: number; i: number; utilBound: number }> {
  const bandDur = s.bandDur;
  const minBands = Math.floor((window + bandDur - 1) / bandDur);
  const maxBands = Math.floor((window + 2 * (bandDur - 1)) / bandDur);
  const tailDur = window % bandDur;
  const nBands = s.bandMin.length;
  let nUtil = nBands - maxBands + 1;
  if (nUtil < 0) nUtil = 0;
  const out: Array<{ series: number; i: number; utilBound: number }> = [];
  for (let i = 0; i < nUtil; i++) {
    let util = 0;
    const l = s.bandMin[i] as number;
    const r1 = s.bandMin[i + minBands - 1] as number;
    const r2 = s.bandMin[i + maxBands - 1] as number;
    const minBand = Math.min(l, Math.min(r1, r2));
    if (minBands === 1) {
      util += minBand * window;
    } else {
      util += minBand * bandDur;
      let midBand = 0;
      if (minBand === l) midBand = Math.min(r1, r2);
      else if (minBand === r1) midBand = Math.min(l, r2);
      else if (minBand === r2) midBand = Math.min(l, r1);
      util += midBand * tailDur;
    }
    if (minBands > 2)
      util += (s.bandCum[i + minBands - 1] as number) - (s.bandCum[i + 1] as number);
    out.push({ series, i, utilBound: util / window });
  }
  return out;
}

function bandMmu(s: MmuSeries, bandIdx: number, window: number, acc: Accumulator): void {
  const t = s.time;
  const left = new Integrator(s, s.bandPos[bandIdx] as number);
  const right = new Integrator(s, s.bandPos[bandIdx] as number);
  let { start: time, end: endTime } = bandTime(s, bandIdx);
  const utilEnd = (t[t.length - 1] as number) - window;
  if (utilEnd < endTime) endTime = utilEnd;
  for (;;) {
    const mu = (right.advance(time + window) - left.advance(time)) / window;
    if (acc.addMU(time, mu, window)) break;
    if (time === endTime) break;
    const minTime = time + Math.trunc((mu - acc.bound) * window);
    const t1 = left.next(time);
    const t2 = right.next(time + window) - window;
    time = t1 < t2 ? t1 : t2;
    if (time < minTime) time = minTime;
    if (time >= endTime) time = endTime;
  }
}

/** The minimum mutator utilization over all windows of `windowNs` (Go's MMUCurve.MMU). */
export function mmu(c: MmuCurve, windowNs: number): number {
  if (c.series.length === 0) return 1;
  const acc = new Accumulator(0);
  curveMmu(c, windowNs, acc);
  return acc.mmu;
}

/**
 * The `n` worst disjoint windows of `windowNs` (Go's MMUCurve.Examples, the /mmu page's details),
 * lowest utilization first.
 */
export function worstWindows(c: MmuCurve, windowNs: number, n = 10): UtilWindow[] {
  if (c.series.length === 0) return [];
  const acc = new Accumulator(n);
  curveMmu(c, windowNs, acc);
  const w = Math.trunc(windowNs);
  return [...acc.worst.items]
    .sort((a, b) => a.mu - b.mu || a.time - b.time)
    .map((x) => ({ startNs: x.time, endNs: x.time + w, utilization: x.mu }));
}

/** `count` window sizes spaced evenly on a log axis from `minNs` to `maxNs` (integers, ns). */
export function logWindows(minNs: number, maxNs: number, count = 100): number[] {
  const lo = Math.log(Math.max(1, minNs));
  const hi = Math.log(Math.max(minNs, maxNs));
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const w = Math.round(Math.exp(count === 1 ? lo : lo + (i / (count - 1)) * (hi - lo)));
    if (out.length === 0 || w !== out[out.length - 1]) out.push(w);
  }
  return out;
}

export interface MmuPoint {
  windowNs: number;
  utilization: number;
}

/** The MMU curve at the given windows (default: 100 from 1 µs to the trace's length). */
export function mmuCurvePoints(m: TraceModel, c: MmuCurve, windows?: number[]): MmuPoint[] {
  const ws = windows ?? logWindows(1000, Math.max(1000, m.durationNs));
  return ws.map((w) => ({ windowNs: w, utilization: mmu(c, w) }));
}
