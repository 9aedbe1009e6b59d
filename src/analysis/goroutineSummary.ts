// Per-goroutine time accounting as `go tool trace` computes it for its /goroutines pages (Go
// src/internal/trace/summary.go, go1.27: Summarizer, GoroutineSummary, GoroutineExecStats), from
// the model's state intervals, and the same figures restricted to a time range.
//
// Go's summarizer walks the events in order and keeps, per goroutine, the time it entered its
// current state; each transition credits the state it leaves:
//   Running   -> ExecTime
//   Runnable  -> SchedWaitTime
//   Waiting   -> BlockTimeByReason[reason of the transition into Waiting]
//   Syscall   -> SyscallTime, or, from the moment the goroutine's P went idle (another thread took
//                it: ProcSteal, or ProcStop), SyscallBlockTime
// and a goroutine's TotalTime runs from its creation (the GoCreate, or the last Sync before it
// first appeared) to its end (GoDestroy, or a wait with reason "forever") or the trace's end. The
// rules reproduced here, with their quirks, because the figures must equal Go's:
//   - a transition into the same state (a status re-statement at a generation start) is ignored;
//   - a goroutine first seen in a status event (old state Undetermined) was created at the last
//     Sync, and the time from that Sync to the status event counts in the state it is in (for a
//     syscall: SyscallBlockTime when the event had no P, SyscallTime otherwise);
//   - a wait with reason "forever" ends the goroutine like its destruction, and is not counted;
//   - a goroutine is named by the outermost frame of the first transition stack it has (Go's
//     GoroutineSummary.Name: its start function, or whatever root a truncated stack has); the
//     stack an unblock carries is the unblocker's, and Go's transition has none there;
//   - at the trace's end, a syscall still in progress counts whole as SyscallTime and, if its P
//     went idle, the blocked part again as SchedWaitTime (snapshotStat);
//   - UnknownTime is what TotalTime leaves after the non-overlapping figures.
// RangeTime (time a goroutine spent in GC mark assists, in sweeps on its P, in stop-the-world
// pauses it began) follows Go too, with one approximation: a range already in progress when the
// trace began starts at the first Sync (Go's syncTs), and a sweep in progress then is not
// attributed (Go attributes it to the goroutine that emitted the report, which is never the one
// sweeping, and then drops it at the end for the goroutine mismatch).
//
// For a time range [t0, t1] every figure is the part of the same spans inside the range; a
// goroutine is listed when its life overlaps the range. Cost: one pass over the intervals for the
// whole trace; a range binary-searches each goroutine's intervals and reads those that overlap.

import { lowerBound, upperBound } from '../base/search';
import * as trace from '../model/trace';
import type { TraceModel } from '../model/trace';

const GS_UNDETERMINED = trace.GS_UNDETERMINED;
const GS_NOT_EXIST = trace.GS_NOT_EXIST;
const GS_RUNNABLE = trace.GS_RUNNABLE;
const GS_RUNNING = trace.GS_RUNNING;
const GS_WAITING = trace.GS_WAITING;
const GS_SYSCALL = trace.GS_SYSCALL;
const IV_STATUS = trace.IV_STATUS;
const RANGE_STW = trace.RANGE_STW;
const RANGE_MARK_ASSIST = trace.RANGE_MARK_ASSIST;
const RANGE_SWEEP = trace.RANGE_SWEEP;
const RANGE_ACTIVE_AT_START = trace.RANGE_ACTIVE_AT_START;

/** Per-goroutine figures, columnar (index = the model's goroutine index). Plain data. */
export interface GoroutineSummaries {
  /** The range the figures cover (the whole trace: 0 and durationNs). */
  t0: number;
  t1: number;
  /** Number of goroutines in the model (the columns' length). */
  length: number;
  /** 1 when the goroutine is in Go's summary (it has a transition; in a range: its life overlaps it). */
  listed: Uint8Array;
  /** Go's GoroutineSummary.Name: index into `model.strings`, or -1 (Go: ""). */
  name: Int32Array;
  /** When the goroutine was created (or the Sync before it first appeared), ns. */
  creationNs: Float64Array;
  /** First time it ran, NaN if never. Whole trace. */
  startNs: Float64Array;
  /** Its end (destruction, or a wait "forever"), NaN if it lived to the trace's end. */
  endNs: Float64Array;
  /** Time from creation to end (or the trace's end), inside the range. */
  totalNs: Float64Array;
  execNs: Float64Array;
  schedWaitNs: Float64Array;
  syscallNs: Float64Array;
  syscallBlockNs: Float64Array;
  /** Sum of the block times over all reasons. */
  blockNs: Float64Array;
  /** TotalTime minus the non-overlapping figures (never negative). */
  unknownNs: Float64Array;
  /**
   * Block time per wait reason, sparse: goroutine g's entries are [blockStart[g], blockStart[g+1]),
   * each a reason (index into `model.reasons`) and its ns.
   */
  blockStart: Uint32Array;
  blockReason: Uint16Array;
  blockReasonNs: Float64Array;
  /** Names of the special ranges (Go's RangeTime keys, e.g. "GC mark assist"). */
  rangeNames: string[];
  /** Range time, sparse like the block times: a name (index into rangeNames) and ns. */
  rangeStart: Uint32Array;
  rangeName: Uint16Array;
  rangeNs: Float64Array;
}

export interface SummaryRange {
  t0: number;
  t1: number;
}

/** The root (outermost) frame's function of a stack, as an index into `model.strings`. */
export function stackRootFunc(m: TraceModel, stack: number): number {
  if (stack < 0) return -1;
  const parent = m.stacks.parent;
  let s = stack;
  for (let p = parent[s] as number; p >= 0; p = parent[s] as number) s = p;
  return m.frames.func[m.stacks.frame[s] as number] as number;
}

/**
 * Go's goroutine names (GoroutineSummary.Name): per goroutine, the outermost frame of the first
 * transition stack it has, as an index into `model.strings`, or -1. Transitions into the state the
 * goroutine is already in are skipped, as Go skips them, and so is the stack of an unblock (the
 * unblocker's: Go's transition has no stack there).
 */
export function goroutineNames(m: TraceModel): Int32Array {
  const gs = m.goroutines;
  const iv = m.intervals;
  const out = new Int32Array(gs.length).fill(-1);
  for (let g = 0; g < gs.length; g++) {
    const lo = gs.intervalStart[g] as number;
    const hi = gs.intervalStart[g + 1] as number;
    let prev = lo < hi && (iv.flags[lo] as number) & IV_STATUS ? GS_UNDETERMINED : GS_NOT_EXIST;
    for (let i = lo; i < hi; i++) {
      const s = iv.state[i] as number;
      if (s === prev) continue;
      const unblock =
        s === GS_RUNNABLE && prev === GS_WAITING && !((iv.flags[i] as number) & IV_STATUS);
      prev = s;
      const st = iv.stack[i] as number;
      if (st >= 0 && !unblock) {
        out[g] = stackRootFunc(m, st);
        break;
      }
    }
  }
  return out;
}

/** Go's IsSystemGoroutine: "" or a runtime. function other than runtime.main. */
export function isSystemGoroutine(name: string): boolean {
  return name === '' || (name !== 'runtime.main' && name.startsWith('runtime.'));
}

/** Time of the last Sync (generation start) at or before t: Go's syncTs. */
function syncBefore(m: TraceModel, t: number): number {
  const k = upperBound(m.generations.startNs, t) - 1;
  return k >= 0 ? (m.generations.startNs[k] as number) : 0;
}

/** Growable parallel arrays for the sparse per-goroutine entries. */
class Sparse {
  key: Uint16Array;
  ns: Float64Array;
  length = 0;
  constructor(cap: number) {
    this.key = new Uint16Array(cap);
    this.ns = new Float64Array(cap);
  }
  push(k: number, v: number): void {
    if (this.length === this.key.length) {
      const key = new Uint16Array(this.key.length * 2);
      key.set(this.key);
      this.key = key;
      const ns = new Float64Array(this.ns.length * 2);
      ns.set(this.ns);
      this.ns = ns;
    }
    this.key[this.length] = k;
    this.ns[this.length++] = v;
  }
}

/**
 * Go's goroutine summaries, for the whole trace or (with `range`) for the part of each goroutine's
 * life inside [t0, t1]. `names` may be passed when already computed (goroutineNames).
 */
export function goroutineSummaries(
  m: TraceModel,
  options: { range?: SummaryRange | null; names?: Int32Array } = {},
): GoroutineSummaries {
  const n = m.goroutines.length;
  const whole = options.range === null || options.range === undefined;
  const t0 = whole ? 0 : Math.max(0, options.range!.t0);
  const t1 = whole ? m.durationNs : Math.min(m.durationNs, options.range!.t1);
  const out: GoroutineSummaries = {
    t0,
    t1,
    length: n,
    listed: new Uint8Array(n),
    name: options.names ?? goroutineNames(m),
    creationNs: new Float64Array(n).fill(NaN),
    startNs: new Float64Array(n).fill(NaN),
    endNs: new Float64Array(n).fill(NaN),
    totalNs: new Float64Array(n),
    execNs: new Float64Array(n),
    schedWaitNs: new Float64Array(n),
    syscallNs: new Float64Array(n),
    syscallBlockNs: new Float64Array(n),
    blockNs: new Float64Array(n),
    unknownNs: new Float64Array(n),
    blockStart: new Uint32Array(n + 1),
    blockReason: new Uint16Array(0),
    blockReasonNs: new Float64Array(0),
    rangeNames: [],
    rangeStart: new Uint32Array(n + 1),
    rangeName: new Uint16Array(0),
    rangeNs: new Float64Array(0),
  };
  const w = new Walker(m, out, t0, whole ? Infinity : t1);
  const blocks = new Sparse(Math.max(16, n));
  const gs = m.goroutines;
  for (let g = 0; g < n; g++) {
    const lo = gs.intervalStart[g] as number;
    const hi = gs.intervalStart[g + 1] as number;
    if (lo < hi) w.goroutine(g, lo, hi, whole);
    out.blockStart[g] = blocks.length;
    w.flushBlocks(blocks);
  }
  out.blockStart[n] = blocks.length;
  out.blockReason = blocks.key.slice(0, blocks.length);
  out.blockReasonNs = blocks.ns.slice(0, blocks.length);
  rangeTimes(m, out, w.finalAt);
  for (let g = 0; g < n; g++) {
    if (!out.listed[g]) continue;
    const sum =
      (out.execNs[g] as number) +
      (out.schedWaitNs[g] as number) +
      (out.syscallNs[g] as number) +
      (out.syscallBlockNs[g] as number) +
      (out.blockNs[g] as number);
    const total = out.totalNs[g] as number;
    out.unknownNs[g] = sum < total ? total - sum : 0;
  }
  return out;
}

/** Go's summarizer state machine for one goroutine at a time (see the file comment). */
class Walker {
  private readonly m: TraceModel;
  private readonly out: GoroutineSummaries;
  private readonly a: number;
  private readonly b: number;
  private readonly forever: number;
  /** P ID -> proc index. */
  private readonly procOf = new Map<number, number>();
  /** Per goroutine: the time Go finalized it (its end), or the trace's end; for range times. */
  readonly finalAt: Float64Array;
  // Block time per reason of the current goroutine.
  private readonly reasonNs: Float64Array;
  private readonly touched: Uint16Array;
  private readonly mark: Uint8Array;
  private nTouched = 0;
  private readonly whole: boolean;
  // Pending state (Go's goroutineSummary), -1 when unset.
  private lastStart = -1;
  private lastRunnable = -1;
  private lastBlock = -1;
  private lastReason = 0;
  private lastSyscall = -1;
  private lastSyscallBlock = -1;
  private created = NaN;
  private ended = NaN;
  private exec = 0;
  private sched = 0;
  private syscall = 0;
  private syscallBlock = 0;

  constructor(m: TraceModel, out: GoroutineSummaries, a: number, b: number) {
    this.m = m;
    this.out = out;
    this.a = a;
    this.b = b;
    this.forever = m.reasons.indexOf('forever');
    for (let p = 0; p < m.procs.length; p++) this.procOf.set(m.procs.id[p] as number, p);
    this.finalAt = new Float64Array(m.goroutines.length).fill(m.durationNs);
    this.reasonNs = new Float64Array(m.reasons.length);
    this.touched = new Uint16Array(m.reasons.length);
    this.mark = new Uint8Array(m.reasons.length);
    this.whole = b === Infinity;
  }

  /** Length of [x, y] inside the range. */
  private clip(x: number, y: number): number {
    const lo = x > this.a ? x : this.a;
    const hi = y < this.b ? y : this.b;
    return hi > lo ? hi - lo : 0;
  }

  private addBlock(reason: number, x: number, y: number): void {
    const d = this.clip(x, y);
    // Go lists a reason even when its time is 0; a range lists only the reasons with time in it.
    if (d === 0 && !this.whole) return;
    if (this.mark[reason] === 0) {
      this.mark[reason] = 1;
      this.touched[this.nTouched++] = reason;
    }
    this.reasonNs[reason] = (this.reasonNs[reason] as number) + d;
  }

  /** Moves the current goroutine's block times into `sink` (sorted by reason) and clears them. */
  flushBlocks(sink: Sparse): void {
    const t = this.touched.subarray(0, this.nTouched).sort();
    for (let k = 0; k < t.length; k++) {
      const r = t[k] as number;
      sink.push(r, this.reasonNs[r] as number);
      this.reasonNs[r] = 0;
      this.mark[r] = 0;
    }
    this.nTouched = 0;
  }

  private reset(): void {
    this.lastStart = -1;
    this.lastRunnable = -1;
    this.lastBlock = -1;
    this.lastSyscall = -1;
    this.lastSyscallBlock = -1;
  }

  /** A fresh summary (Go replaces the goroutine's summary on creation). */
  private begin(created: number): void {
    this.reset();
    this.created = created;
    this.ended = NaN;
    this.exec = 0;
    this.sched = 0;
    this.syscall = 0;
    this.syscallBlock = 0;
    for (let k = 0; k < this.nTouched; k++) {
      const r = this.touched[k] as number;
      this.reasonNs[r] = 0;
      this.mark[r] = 0;
    }
    this.nTouched = 0;
  }

  /**
   * When the P that goroutine interval `i` (entering Syscall at `t`, leaving at `exit`) ran on
   * went idle during the syscall, or -1: Go's lastSyscallBlockTime.
   */
  private syscallBlockedAt(i: number, t: number, exit: number): number {
    const m = this.m;
    const pid = m.intervals.proc[i] as number;
    if (pid < 0) return -1;
    const p = this.procOf.get(pid);
    if (p === undefined) return -1;
    const lo = m.procs.intervalStart[p] as number;
    const hi = m.procs.intervalStart[p + 1] as number;
    const k = upperBound(m.procIntervals.start, t, lo, hi) - 1;
    if (k < lo) return -1;
    const end = m.procIntervals.end[k] as number;
    // The P ran the goroutine into the syscall; it went idle during it if its run ended before
    // the syscall did (a run still open at the trace's end was closed there, which is no idle).
    return end >= t && end < exit && end < m.durationNs ? end : -1;
  }

  /** Start of the next transition of interval i's goroutine into another state, or Infinity. */
  private exitOf(i: number, hi: number): number {
    const iv = this.m.intervals;
    const s = iv.state[i] as number;
    for (let j = i + 1; j < hi; j++) if (iv.state[j] !== s) return iv.start[j] as number;
    return Infinity;
  }

  goroutine(g: number, lo: number, hi: number, whole: boolean): void {
    const m = this.m;
    const iv = m.intervals;
    const out = this.out;
    const first = iv.start[lo] as number;
    const bornUndetermined = ((iv.flags[lo] as number) & IV_STATUS) !== 0;
    // Where to start: the whole list, or the run (same-state intervals) that overlaps t0.
    let from = lo;
    if (!whole) {
      // First interval ending after t0: intervals before it have no time in the range.
      let k = upperBound(iv.start, this.a, lo, hi) - 1;
      if (k < lo) k = lo;
      while (k > lo && iv.state[k - 1] === iv.state[k]) k--;
      from = k;
    }
    this.begin(bornUndetermined ? syncBefore(m, first) : first);
    let prev =
      from === lo
        ? bornUndetermined
          ? GS_UNDETERMINED
          : GS_NOT_EXIST
        : (iv.state[from - 1] as number);
    let started = NaN;
    let i = from;
    // Columns and the range's end in locals: this loop reads every interval of the trace.
    const startCol = iv.start;
    const stateCol = iv.state;
    const reasonCol = iv.reason;
    const until = this.b;
    for (; i < hi; i++) {
      const t = startCol[i] as number;
      if (t >= until) break;
      const s = stateCol[i] as number;
      if (s === prev) continue;
      // Transition out of `prev`.
      switch (prev) {
        case GS_UNDETERMINED: {
          const sync = syncBefore(m, t);
          this.begin(sync);
          if (s === GS_RUNNING) this.exec += this.clip(sync, t);
          else if (s === GS_WAITING) this.addBlock(reasonCol[i] as number, sync, t);
          else if (s === GS_RUNNABLE) this.sched += this.clip(sync, t);
          else if (s === GS_SYSCALL) {
            if ((iv.proc[i] as number) < 0) this.syscallBlock += this.clip(sync, t);
            else this.syscall += this.clip(sync, t);
          }
          break;
        }
        case GS_NOT_EXIST:
          this.begin(t);
          break;
        case GS_RUNNING:
          if (this.lastStart >= 0) this.exec += this.clip(this.lastStart, t);
          this.lastStart = -1;
          break;
        case GS_WAITING:
          if (this.lastBlock >= 0) this.addBlock(this.lastReason, this.lastBlock, t);
          this.lastBlock = -1;
          break;
        case GS_RUNNABLE:
          if (this.lastRunnable >= 0) this.sched += this.clip(this.lastRunnable, t);
          this.lastRunnable = -1;
          break;
        case GS_SYSCALL:
          this.leaveSyscall(t);
          break;
      }
      // Transition into `s`.
      switch (s) {
        case GS_RUNNING:
          this.lastStart = t;
          if (started !== started) started = t;
          break;
        case GS_RUNNABLE:
          this.lastRunnable = t;
          break;
        case GS_WAITING: {
          const r = reasonCol[i] as number;
          if (r !== this.forever) {
            this.lastBlock = t;
            this.lastReason = r;
          } else {
            this.finalize(t);
          }
          break;
        }
        case GS_NOT_EXIST:
          this.finalize(t);
          break;
        case GS_SYSCALL: {
          this.lastSyscall = t;
          this.lastSyscallBlock = this.syscallBlockedAt(i, t, this.exitOf(i, hi));
          break;
        }
      }
      prev = s;
    }
    // Past the range: what is still pending either ends at a later transition (credited as that
    // transition would, clipped) or runs to the trace's end (Go's snapshotStat at Finalize).
    let exit = Infinity;
    if (i < hi) {
      for (let j = i; j < hi; j++) {
        if (iv.state[j] !== prev) {
          exit = iv.start[j] as number;
          break;
        }
      }
    }
    if (exit !== Infinity) {
      if (this.lastStart >= 0) this.exec += this.clip(this.lastStart, exit);
      if (this.lastRunnable >= 0) this.sched += this.clip(this.lastRunnable, exit);
      if (this.lastBlock >= 0) this.addBlock(this.lastReason, this.lastBlock, exit);
      if (this.lastSyscall >= 0) this.leaveSyscall(exit);
      // Its end, for TotalTime: a later destruction or "forever" wait.
      if (this.ended !== this.ended) this.ended = laterEnd(m, lo, i, hi, this.forever);
    } else {
      const end = m.durationNs;
      if (this.lastStart >= 0) this.exec += this.clip(this.lastStart, end);
      if (this.lastRunnable >= 0) this.sched += this.clip(this.lastRunnable, end);
      if (this.lastBlock >= 0) this.addBlock(this.lastReason, this.lastBlock, end);
      if (this.lastSyscall >= 0) this.syscall += this.clip(this.lastSyscall, end);
      if (this.lastSyscallBlock >= 0) this.sched += this.clip(this.lastSyscallBlock, end);
    }
    const created = this.created;
    const ended = this.ended;
    const total = this.clip(created, ended === ended ? ended : m.durationNs);
    if (!whole && !(total > 0) && this.nTouched === 0) {
      // Not alive in the range.
      return;
    }
    out.listed[g] = 1;
    out.creationNs[g] = created;
    out.endNs[g] = ended;
    if (ended === ended) this.finalAt[g] = ended;
    out.startNs[g] = whole ? started : firstRunning(m, lo, hi);
    out.totalNs[g] = total;
    out.execNs[g] = this.exec;
    out.schedWaitNs[g] = this.sched;
    out.syscallNs[g] = this.syscall;
    out.syscallBlockNs[g] = this.syscallBlock;
    let block = 0;
    for (let k = 0; k < this.nTouched; k++)
      block += this.reasonNs[this.touched[k] as number] as number;
    out.blockNs[g] = block;
  }

  private leaveSyscall(t: number): void {
    if (this.lastSyscall >= 0) {
      if (this.lastSyscallBlock >= 0) {
        this.syscallBlock += this.clip(this.lastSyscallBlock, t);
        this.syscall += this.clip(this.lastSyscall, this.lastSyscallBlock);
      } else {
        this.syscall += this.clip(this.lastSyscall, t);
      }
    }
    this.lastSyscall = -1;
    this.lastSyscallBlock = -1;
  }

  /** Go's finalize with a trigger: the goroutine ends at t; pending state was credited already. */
  private finalize(t: number): void {
    this.ended = t;
    this.reset();
  }
}

/** The end (destruction or "forever" wait) of a goroutine at or after interval i, or NaN. */
function laterEnd(m: TraceModel, lo: number, i: number, hi: number, forever: number): number {
  const iv = m.intervals;
  for (let j = i; j < hi; j++) {
    const s = iv.state[j] as number;
    if (s === GS_NOT_EXIST) return iv.start[j] as number;
    if (s === GS_WAITING && iv.reason[j] === forever && (j === lo || iv.state[j - 1] !== s)) {
      return iv.start[j] as number;
    }
  }
  return NaN;
}

function firstRunning(m: TraceModel, lo: number, hi: number): number {
  const iv = m.intervals;
  for (let i = lo; i < hi; i++) if (iv.state[i] === GS_RUNNING) return iv.start[i] as number;
  return NaN;
}

/** Go's RangeTime per goroutine (see the file comment), clipped to the summaries' range. */
function rangeTimes(m: TraceModel, out: GoroutineSummaries, finalAt: Float64Array): void {
  const r = m.ranges;
  const names = new Map<string, number>();
  const acc = new Map<number, Map<number, number>>();
  for (let i = 0; i < r.length; i++) {
    const kind = r.kind[i] as number;
    if (kind !== RANGE_STW && kind !== RANGE_MARK_ASSIST && kind !== RANGE_SWEEP) continue;
    const g = r.goroutine[i] as number;
    if (g < 0 || !out.listed[g]) continue;
    const active = ((r.flags[i] as number) & RANGE_ACTIVE_AT_START) !== 0;
    if (active && kind === RANGE_SWEEP) continue;
    let start = r.start[i] as number;
    if (active) start = syncBefore(m, start);
    const endRaw = r.end[i] as number;
    const end = endRaw === endRaw ? endRaw : (finalAt[g] as number);
    const lo = start > out.t0 ? start : out.t0;
    const hi = end < out.t1 ? end : out.t1;
    const d = hi > lo ? hi - lo : 0;
    const name =
      kind === RANGE_STW
        ? `stop-the-world (${m.strings[r.name[i] as number] ?? ''})`
        : (trace.RANGE_NAMES[kind] as string);
    let k = names.get(name);
    if (k === undefined) {
      k = names.size;
      names.set(name, k);
    }
    let per = acc.get(g);
    if (!per) acc.set(g, (per = new Map()));
    per.set(k, (per.get(k) ?? 0) + d);
  }
  out.rangeNames = [...names.keys()];
  const key: number[] = [];
  const ns: number[] = [];
  for (let g = 0; g < out.length; g++) {
    out.rangeStart[g] = key.length;
    const per = acc.get(g);
    if (!per) continue;
    for (const [k, d] of [...per].sort((x, y) => x[0] - y[0])) {
      key.push(k);
      ns.push(d);
    }
  }
  out.rangeStart[out.length] = key.length;
  out.rangeName = Uint16Array.from(key);
  out.rangeNs = Float64Array.from(ns);
}

/** The block time of goroutine g for reason index r (0 when none). */
export function blockTimeOf(s: GoroutineSummaries, g: number, reason: number): number {
  const lo = s.blockStart[g] as number;
  const hi = s.blockStart[g + 1] as number;
  const k = lowerBound(s.blockReason, reason, lo, hi);
  return k < hi && s.blockReason[k] === reason ? (s.blockReasonNs[k] as number) : 0;
}
