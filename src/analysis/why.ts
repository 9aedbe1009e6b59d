// "Why, not only where" (issue 15): who held blocked goroutines up, and doing what.
//
// The charge (testdata/WHY.md). Each blocked interval of goroutine G, waiting from a to b and woken
// at b by goroutine W, is charged to what W was doing during [a, b]: W running, runnable or in a
// system call is charged to (W, that state); where W itself waited and was woken by X, that part
// is charged the same way to what X was doing, recursively; where W waited with no goroutine behind
// its wake (a timer, the netpoller, the GC) or with an unknown waker, to (W, "waiting (REASON)").
// A wait that the runtime ended (no goroutine on the unblock event) is charged to G itself. In
// Go's trace a wait ends with GoUnblock emitted by the waker (Go src/internal/trace/event.go,
// go1.26: StateTransition of EvGoUnblock); the model keeps it as G's next interval, runnable,
// with `waker` (model/trace.ts, analysis/unblock.ts).
//
// Two extensions of the contract, both for data it does not cover: time of W before its first
// interval, or after it was destroyed (a truncated trace, a waker never seen), is charged to
// (W, "unknown"); and a chain that comes back to a wait already on it (a cycle: only possible in
// inconsistent data, or at equal timestamps in synthetic traces) is charged to that wait as if
// no goroutine had woken it, and counted in `cycleNs`. Self-wakes are charged to the waiter.
//
// Cost. Charged one blocked interval at a time, a mutex handoff chain is quadratic: waiter k's
// wait goes back through the k waits before it. The demand is aggregated instead. A blocked
// interval is a demand on its waker's timeline: weight 1 from a (its start, clipped) to b. What
// arrives at a wait J of X over [p, q] is passed to X's waker as one demand on J, and every piece
// of it ends at J's end (X was running when it woke the goroutine behind it, so its waits before
// that end by then): a demand is a multiset of weighted start times with one common end, kept in
// a treap (whyTreap.ts) so that the part inside [p, q] moves as a whole subtree. Waits are
// processed in decreasing order of their end, so a wait has received all its demand when it is
// processed (demand only flows to waits that end earlier); what arrives late (equal times,
// inconsistent data) is processed on its own, which the charge's linearity allows, with the
// chain of waits it came through, to stop cycles.
//
// What that costs: each wait that receives demand walks its waker's intervals over the demand's
// span once, with a treap operation (a logarithm) per interval. A chain of waits costs nothing
// more than its links (the pile-up behind a mutex is linear), but the walks of different waits
// over one waker's timeline are not shared: a goroutine that ends many long, overlapping waits
// (a dispatcher handing jobs to N workers that each wait through N of its cycles; a close() or
// Broadcast waking many goroutines that waited long) is walked once per wait. A synthetic
// dispatcher with 100 workers and 20,000 jobs takes 6M steps; with 1,000 workers, N times more.
// Past `maxSteps` steps (WhyOptions, default STEP_BUDGET) the charge stops following wakers and
// charges what is left to the waits where it stopped, as their own waits, and says how much in
// `budgetNs`. Sharing the walks (a sweep over each waker's timeline, in decreasing time, with
// the waits that hand demand over as links of a dynamic forest) would make it linear.
//
// Stacks. Running: the waker's CPU samples inside the charged piece, each weighted by the blocked
// goroutines it held up at that moment; without samples, its stack where it woke the goroutine
// behind the piece, else its last known stack (latest sample or transition). Runnable: its own
// stack (where it waited before being woken, or where it was preempted); syscall and waiting:
// the stack of the transition that began the state (traceIndex.ts: run and own stacks).

import { lowerBound, upperBound } from '../base/search';
import {
  GS_RUNNABLE,
  GS_RUNNING,
  GS_SYSCALL,
  GS_WAITING,
  type TraceModel,
  wakerOf,
} from '../model/trace';
import { reasonMask, type ReasonFilter } from './reasons';
import type { BlockingSpike } from './spikes';
import { RootedStacks } from './stackRoots';
import { goroutineMask, type GoroutineSubset } from './traceStacks';
import {
  goroutineOfInterval,
  intervalStacks,
  overlapping,
  buildStateIndex,
  buildGoroutineSamples,
  waitRunFirst as runFirst,
  waitRunLast as runLast,
  type GoroutineSamples,
  type StateIndex,
} from './traceIndex';
import type { WeightedStackSet } from './flame';
import { DemandTreap } from './whyTreap';

// ---- indexes ----------------------------------------------------------------------------------------

/**
 * What the charge reads besides the model: build once per model (buildWhyIndexes) and pass to
 * every query. Queries run one at a time on it (they share its scratch arrays).
 */
export interface WhyIndexes {
  /** buildStateIndex(m, GS_WAITING): windows, spikes. */
  waiting: StateIndex;
  /** buildStateIndex(m, GS_SYSCALL): spikes of the syscall series (made by `syscallOf` on first use). */
  syscall: StateIndex | null;
  /** Gives the syscall index: the holder's own (TraceIndexes), or one built here. */
  syscallOf: () => StateIndex;
  samples: GoroutineSamples;
  /**
   * Scratch, zero between queries (made on first use): per interval, 1 + the slot of the wait
   * run it begins in the current query; per goroutine, 1 + its first cause.
   */
  runSlot: Int32Array | null;
  causeHead: Int32Array | null;
}

export function buildWhyIndexes(
  m: TraceModel,
  states: {
    waiting?: StateIndex;
    syscall?: StateIndex | null;
    syscallOf?: () => StateIndex;
    samples?: GoroutineSamples;
  } = {},
): WhyIndexes {
  return {
    waiting: states.waiting ?? buildStateIndex(m, GS_WAITING),
    syscall: states.syscall ?? null,
    syscallOf: states.syscallOf ?? (() => buildStateIndex(m, GS_SYSCALL)),
    samples: states.samples ?? buildGoroutineSamples(m),
    runSlot: null,
    causeHead: null,
  };
}

// ---- targets and results ----------------------------------------------------------------------------

/** The blocked intervals to charge. */
export type WhyTarget =
  /** Waits overlapping [startNs, endNs], clipped to it; optionally some reasons / goroutines. */
  | {
      kind: 'window';
      startNs: number;
      endNs: number;
      reasons?: ReasonFilter | null;
      goroutines?: GoroutineSubset;
    }
  /** The whole wait that model interval `interval` belongs to (even one still open). */
  | { kind: 'interval'; interval: number }
  /** A user region instance (index into model.regions): its goroutine's waits inside it. */
  | { kind: 'region'; region: number }
  /** A user task (index into model.tasks): see `taskSpans`. */
  | { kind: 'task'; task: number }
  /** A spike: its series' waits (or system calls) of its goroutines, clipped to the spike. */
  | {
      kind: 'spike';
      spike: Pick<BlockingSpike, 'startNs' | 'endNs' | 'family' | 'reasons' | 'goroutines'>;
    };

export interface WhyOptions {
  /** Causes to describe in `causes` (default 100); the rest are counted in `otherNs`. */
  maxCauses?: number;
  /** Pieces of waker timelines to walk before the charge stops following wakers (STEP_BUDGET). */
  maxSteps?: number;
}

export type CauseKind = 'running' | 'runnable' | 'syscall' | 'waiting' | 'unknown';

export interface WhyCause {
  /** Goroutine index. */
  goroutine: number;
  /** Go's goroutine ID. */
  goId: number;
  startFunction: string;
  /** 'running', 'runnable', 'syscall', 'waiting (REASON)' or 'unknown' (see the header). */
  state: string;
  kind: CauseKind;
  /** The wait reason for kind 'waiting', else null. */
  reason: string | null;
  /** Blocked goroutine-ns charged to this cause. */
  ns: number;
  /** ns / blockedNs. */
  share: number;
  /** Function names of the heaviest stack, leaf first ([] when none is known). */
  stack: string[];
  /** That stack (index into model.stacks), or -1. */
  stackIndex: number;
  /**
   * Where this culprit woke the goroutines it held up (its stack on the unblock event, leaf
   * first), the heaviest by charged time: for a lock holder, the Unlock in the function that held
   * it. [] when it woke none of them itself (it held up a goroutine that woke them).
   */
  wakeStack: string[];
  wakeStackIndex: number;
  /** The function to name the cause by: see `causeFunction`. */
  function: string;
  /** Earliest and latest time charged to this cause (to bring it into view). */
  firstNs: number;
  lastNs: number;
}

export interface WhyCharge {
  /** The span the target covers (the window, the wait, the region, the task, the spike). */
  startNs: number;
  endNs: number;
  /** Sum of the blocked intervals' time (clipped), goroutine-ns. */
  blockedNs: number;
  /** Blocked intervals charged. */
  intervals: number;
  /** Goroutines that were blocked (indexes, ascending). */
  goroutines: Int32Array;
  /** The causes with the most ns, most first (at most `maxCauses`). */
  causes: WhyCause[];
  /** Causes in all, and the ns of those not in `causes`. */
  causeCount: number;
  otherNs: number;
  /** Distinct goroutines among all causes. */
  culpritCount: number;
  /**
   * The charged time of every cause by stack, the input of the Cause flame graph: row k gives
   * `weight` ns to stack `stack` (-1: unknown) of a cause in state `states[state]` ("running",
   * "waiting (sync)", ...), which is `causes[cause]` (-1 when not among the listed ones).
   */
  causeStacks: {
    cause: Int32Array;
    state: Uint16Array;
    stack: Int32Array;
    weight: Float64Array;
    states: string[];
  };
  /** ns charged to a wait because its chain came back to it (see the header). */
  cycleNs: number;
  /**
   * ns charged to a wait as its own because the charge had walked `maxSteps` pieces and stopped
   * following wakers there (see the header); 0 when it followed every chain to its end.
   */
  budgetNs: number;
  /** Work done: pieces of waker timelines walked (about linear in the waits and their wakers). */
  steps: number;
}

// ---- collecting blocked intervals -------------------------------------------------------------------

/**
 * The spans of a task: the goroutine that began it over [start, end], then the task's regions on
 * other goroutines (a task's work elsewhere is in its regions; Go's task summary counts the
 * goroutines with regions or logs in the task, src/internal/trace/summary.go go1.26), the regions
 * of one goroutine that overlap (regions nest) joined into one span, by goroutine and start.
 * Open ends extend to the trace's edges.
 */
export function taskSpans(
  m: TraceModel,
  task: number,
): Array<{ g: number; t0: number; t1: number }> {
  const t = m.tasks;
  const start = t.start[task] as number;
  const end = t.end[task] as number;
  const t0 = start === start ? start : 0;
  const t1 = end === end ? end : m.durationNs;
  const g0 = t.startGoroutine[task] as number;
  const g1 = t.endGoroutine[task] as number;
  const owner = g0 >= 0 ? g0 : g1;
  const id = t.id[task] as number;
  const rg = m.regions;
  const elsewhere: Array<{ g: number; t0: number; t1: number }> = [];
  for (let i = 0; i < rg.length; i++) {
    if (rg.task[i] !== id) continue;
    const g = rg.goroutine[i] as number;
    if (g === owner || g < 0) continue; // inside the owner's span already, or on no goroutine
    const s = rg.start[i] as number;
    const e = rg.end[i] as number;
    elsewhere.push({ g, t0: s === s ? s : 0, t1: e === e ? e : m.durationNs });
  }
  elsewhere.sort((a, b) => a.g - b.g || a.t0 - b.t0);
  const out: Array<{ g: number; t0: number; t1: number }> = [];
  if (owner >= 0) out.push({ g: owner, t0, t1 });
  const first = out.length;
  for (const s of elsewhere) {
    const last = out.length > first ? out[out.length - 1] : undefined;
    if (last && last.g === s.g && s.t0 <= last.t1) last.t1 = Math.max(last.t1, s.t1);
    else out.push(s);
  }
  return out;
}

/** A region instance's span on its goroutine. */
export function regionSpan(m: TraceModel, region: number): { g: number; t0: number; t1: number } {
  const r = m.regions;
  const s = r.start[region] as number;
  const e = r.end[region] as number;
  return {
    g: r.goroutine[region] as number,
    t0: s === s ? s : 0,
    t1: e === e ? e : m.durationNs,
  };
}

/** Gives the charger the blocked intervals of a target; returns the span it covers. */
function collect(
  m: TraceModel,
  target: WhyTarget,
  idx: WhyIndexes,
  c: Charger,
): { startNs: number; endNs: number } {
  switch (target.kind) {
    case 'interval': {
      const i = target.interval;
      if (i < 0 || i >= m.intervals.length || m.intervals.state[i] !== GS_WAITING) {
        return { startNs: 0, endNs: 0 };
      }
      const g = goroutineOfInterval(m, i);
      const a = runFirst(m, g, i);
      const b = c.blocked(g, i, -Infinity, Infinity, true);
      return { startNs: m.intervals.start[a] as number, endNs: b };
    }
    case 'region': {
      const s = regionSpan(m, target.region);
      if (s.g >= 0) goroutineSpan(m, c, s.g, s.t0, s.t1);
      return { startNs: s.t0, endNs: s.t1 };
    }
    case 'task': {
      const spans = taskSpans(m, target.task);
      for (const s of spans) goroutineSpan(m, c, s.g, s.t0, s.t1);
      const t0 = spans.reduce((a, s) => Math.min(a, s.t0), Infinity);
      const t1 = spans.reduce((a, s) => Math.max(a, s.t1), -Infinity);
      return { startNs: t0 === Infinity ? 0 : t0, endNs: t1 === -Infinity ? 0 : t1 };
    }
    case 'window': {
      const keep = reasonMask(m.reasons, target.reasons);
      const mask = goroutineMask(m, target.goroutines);
      collectWaits(idx.waiting, c, target.startNs, target.endNs, keep, mask);
      return { startNs: target.startNs, endNs: target.endNs };
    }
    case 'spike': {
      const sp = target.spike;
      const keep = reasonMask(m.reasons, { reasons: sp.reasons.map((r) => r.reason) });
      const mask = goroutineMask(m, sp.goroutines);
      // A filter that keeps nothing (a syscall series has no wait reasons) keeps nothing here.
      const none = new Uint8Array(m.reasons.length);
      collectWaits(idx.waiting, c, sp.startNs, sp.endNs, keep ?? none, mask);
      if (sp.family === 'syscall') {
        idx.syscall ??= idx.syscallOf();
        collectSyscalls(idx.syscall, c, sp.startNs, sp.endNs, mask);
      }
      return { startNs: sp.startNs, endNs: sp.endNs };
    }
  }
}

/** The waits of goroutine g overlapping [t0, t1]. */
function goroutineSpan(m: TraceModel, c: Charger, g: number, t0: number, t1: number): void {
  const iv = m.intervals;
  const first = m.goroutines.intervalStart[g] as number;
  const last = m.goroutines.intervalStart[g + 1] as number;
  let k = Math.max(first, upperBound(iv.start, t0, first, last) - 1);
  for (; k < last && (iv.start[k] as number) < t1; k++) {
    if (iv.state[k] === GS_WAITING) c.blocked(g, k, t0, t1, false);
  }
}

function collectWaits(
  idx: StateIndex,
  c: Charger,
  t0: number,
  t1: number,
  keep: Uint8Array | null,
  mask: Uint8Array | null,
): void {
  const n = overlapping(idx, t0, t1);
  // Copied out: `overlapping` reuses the index's scratch.
  const hits = idx.scratch.slice(0, n);
  for (let k = 0; k < n; k++) {
    const p = hits[k] as number;
    const g = idx.g[p] as number;
    if (mask !== null && mask[g] === 0) continue;
    if (keep !== null && keep[idx.reason[p] as number] === 0) continue;
    c.blocked(g, idx.iv[p] as number, t0, t1, false);
  }
}

function collectSyscalls(
  idx: StateIndex,
  c: Charger,
  t0: number,
  t1: number,
  mask: Uint8Array | null,
): void {
  const n = overlapping(idx, t0, t1);
  for (let k = 0; k < n; k++) {
    const p = idx.scratch[k] as number;
    const g = idx.g[p] as number;
    if (mask !== null && mask[g] === 0) continue;
    const l = Math.max(t0, idx.start[p] as number);
    const r = Math.min(t1, idx.end[p] as number);
    if (r > l) c.blockedSyscall(g, l, r, idx.stack[p] as number);
  }
}

// ---- the charge -------------------------------------------------------------------------------------

/** Cause codes within a goroutine: the states, then one per wait reason. */
const K_RUNNING = 0;
const K_RUNNABLE = 1;
const K_SYSCALL = 2;
const K_UNKNOWN = 3;
const K_WAITING = 4;

/**
 * Pieces walked before the charge stops following wakers (see the header: one busy waker behind
 * many long waits). At about 0.2-1 µs a step, seconds of a worker's time.
 */
export const STEP_BUDGET = 50_000_000;

/** A cause's stacks become a map past this many (a short list is quicker below it). */
const STACK_LIST_MAX = 16;

/** Slot states. */
const PENDING = 0;
const PROCESSED = 1;

/** Charges the blocked intervals of a target. Pure: reads the model, writes only idx's scratch. */
export function whyCharge(
  m: TraceModel,
  target: WhyTarget,
  idx: WhyIndexes,
  options: WhyOptions = {},
): WhyCharge {
  const c = new Charger(m, idx, options.maxSteps ?? STEP_BUDGET);
  try {
    const { startNs, endNs } = collect(m, target, idx, c);
    c.run();
    return c.result(startNs, endNs, options.maxCauses ?? 100);
  } finally {
    c.release();
  }
}

class Charger {
  private readonly m: TraceModel;
  private readonly samples: GoroutineSamples;
  private readonly treap = new DemandTreap();
  /** Per interval: 1 + slot of the wait run it begins (idx scratch, cleared by `release`). */
  private readonly runSlot: Int32Array;
  // Slots: wait runs with demand in this query.
  private readonly sRun: number[] = [];
  private readonly sG: number[] = [];
  private readonly sTree: number[] = [];
  private readonly sREnd: number[] = [];
  private readonly sState: number[] = [];
  /** Max-heap of slots by the end of their wait (Infinity for open waits). */
  private readonly heapEnd: number[] = [];
  private readonly heapSlot: number[] = [];
  // Late demand (see the header): goroutine, run, tree, end, path.
  private readonly lateG: number[] = [];
  private readonly lateRun: number[] = [];
  private readonly lateTree: number[] = [];
  private readonly lateREnd: number[] = [];
  private readonly latePath: number[] = [];
  /**
   * Chains of runs behind late demand, for cycle checks: node p is run pathRun[p] after
   * pathParent[p]. A path value <= -2 is the one-run path of run -2 - value (the common case,
   * made without storing anything); -1 is empty.
   */
  private readonly pathRun: number[] = [];
  private readonly pathParent: number[] = [];
  // Blocked intervals.
  blockedNs = 0;
  intervals = 0;
  private readonly blockedG: number[] = [];
  // Causes: per goroutine a list through cNext (a goroutine has a few kinds at most).
  private readonly causeHead: Int32Array;
  private readonly cNext: number[] = [];
  private readonly cG: number[] = [];
  private readonly cKind: number[] = [];
  private readonly cNs: number[] = [];
  private readonly cFirst: number[] = [];
  private readonly cLast: number[] = [];
  // Stacks per cause: a list of entries (eStack, eW, eNext) from cStack, or a map once long.
  private readonly cStack: number[] = [];
  private readonly cStackLen: number[] = [];
  private readonly cStackMap: Array<Map<number, number> | null> = [];
  private readonly eStack: number[] = [];
  private readonly eW: number[] = [];
  private readonly eNext: number[] = [];
  /** Per cause: wake stack -> ns of the pieces that ended where the cause woke the chain. */
  private readonly cWake: Array<Map<number, number> | null> = [];
  steps = 0;
  private readonly maxSteps: number;
  cycleNs = 0;
  budgetNs = 0;

  constructor(m: TraceModel, idx: WhyIndexes, maxSteps: number) {
    this.m = m;
    this.maxSteps = maxSteps;
    this.samples = idx.samples;
    if (idx.runSlot === null || idx.runSlot.length !== m.intervals.length) {
      idx.runSlot = new Int32Array(m.intervals.length);
    }
    if (idx.causeHead === null || idx.causeHead.length !== m.goroutines.length) {
      idx.causeHead = new Int32Array(m.goroutines.length);
    }
    this.runSlot = idx.runSlot;
    this.causeHead = idx.causeHead;
  }

  /** Returns the scratch to its zero state. */
  release(): void {
    for (const r of this.sRun) this.runSlot[r] = 0;
    for (const g of this.cG) this.causeHead[g] = 0;
  }

  /**
   * A blocked interval: the wait run containing waiting interval i of goroutine g, clipped to
   * [t0, t1]; a run already given is skipped, and so is a run still open at the end of the trace
   * (not blocked time, WHY.md) unless `keepOpen`. Returns the run's end.
   */
  blocked(g: number, i: number, t0: number, t1: number, keepOpen: boolean): number {
    const m = this.m;
    const a = runFirst(m, g, i);
    const gEnd = m.goroutines.intervalStart[g + 1] as number;
    const z = runLast(m, i, gEnd);
    const b = z + 1 < gEnd ? (m.intervals.start[z + 1] as number) : m.durationNs;
    if (this.runSlot[a] !== 0 || (z + 1 >= gEnd && !keepOpen)) return b;
    const l = Math.max(m.intervals.start[a] as number, t0);
    const r = Math.min(b, t1);
    if (!(r > l)) return b;
    this.blockedNs += r - l;
    this.intervals++;
    this.blockedG.push(g);
    this.deposit(g, a, this.treap.node(l, 1), r, -1);
    return b;
  }

  /** A system call of goroutine g over [l, r] (a syscall spike): charged to g itself. */
  blockedSyscall(g: number, l: number, r: number, stack: number): void {
    this.blockedNs += r - l;
    this.intervals++;
    this.blockedG.push(g);
    this.add(this.causeOf(g, K_SYSCALL), r - l, stack, l, r);
  }

  private causeOf(g: number, kind: number): number {
    for (let c = (this.causeHead[g] as number) - 1; c >= 0; c = this.cNext[c] as number) {
      if (this.cKind[c] === kind) return c;
    }
    const c = this.cG.length;
    this.cNext.push((this.causeHead[g] as number) - 1);
    this.causeHead[g] = c + 1;
    this.cG.push(g);
    this.cKind.push(kind);
    this.cNs.push(0);
    this.cFirst.push(Infinity);
    this.cLast.push(-Infinity);
    this.cStack.push(-1);
    this.cStackLen.push(0);
    this.cStackMap.push(null);
    this.cWake.push(null);
    return c;
  }

  private add(cause: number, ns: number, stack: number, t0: number, t1: number): void {
    if (!(ns > 0)) return;
    this.addTotal(cause, ns, t0, t1);
    this.addStack(cause, stack, ns);
  }

  private addTotal(cause: number, ns: number, t0: number, t1: number): void {
    this.cNs[cause] = (this.cNs[cause] as number) + ns;
    if (t0 < (this.cFirst[cause] as number)) this.cFirst[cause] = t0;
    if (t1 > (this.cLast[cause] as number)) this.cLast[cause] = t1;
  }

  private addStack(cause: number, stack: number, ns: number): void {
    const s = stack < 0 ? -1 : stack;
    const map = this.cStackMap[cause];
    let e = -1;
    if (map) {
      e = map.get(s) ?? -1;
    } else {
      for (let k = this.cStack[cause] as number; k >= 0; k = this.eNext[k] as number) {
        if (this.eStack[k] === s) {
          e = k;
          break;
        }
      }
    }
    if (e >= 0) {
      this.eW[e] = (this.eW[e] as number) + ns;
      return;
    }
    e = this.eStack.length;
    this.eStack.push(s);
    this.eW.push(ns);
    this.eNext.push(this.cStack[cause] as number);
    this.cStack[cause] = e;
    const len = (this.cStackLen[cause] as number) + 1;
    this.cStackLen[cause] = len;
    if (map) map.set(s, e);
    else if (len > STACK_LIST_MAX) {
      const made = new Map<number, number>();
      for (let k = e; k >= 0; k = this.eNext[k] as number) made.set(this.eStack[k] as number, k);
      this.cStackMap[cause] = made;
    }
  }

  /** Gives demand `tree` (all ending at rEnd) to wait run `run` of goroutine g. */
  private deposit(g: number, run: number, tree: number, rEnd: number, path: number): void {
    const slot = (this.runSlot[run] as number) - 1;
    if (slot < 0) {
      const s = this.sRun.length;
      this.runSlot[run] = s + 1;
      this.sRun.push(run);
      this.sG.push(g);
      this.sTree.push(tree);
      this.sREnd.push(rEnd);
      this.sState.push(PENDING);
      this.heapPush(this.runEnd(g, run), s);
      return;
    }
    if (this.sState[slot] === PENDING && this.sREnd[slot] === rEnd) {
      this.sTree[slot] = this.treap.union(this.sTree[slot] as number, tree);
      return;
    }
    // Processed already (equal times), or with another end: on its own (the charge is linear).
    this.lateG.push(g);
    this.lateRun.push(run);
    this.lateTree.push(tree);
    this.lateREnd.push(rEnd);
    this.latePath.push(path);
  }

  /** End of wait run `run` of goroutine g (Infinity when open at the end of the trace). */
  private runEnd(g: number, run: number): number {
    const gEnd = this.m.goroutines.intervalStart[g + 1] as number;
    const z = runLast(this.m, run, gEnd);
    return z + 1 < gEnd ? (this.m.intervals.start[z + 1] as number) : Infinity;
  }

  private heapPush(end: number, slot: number): void {
    const e = this.heapEnd;
    const r = this.heapSlot;
    let i = e.length;
    e.push(end);
    r.push(slot);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((e[parent] as number) >= end) break;
      e[i] = e[parent] as number;
      r[i] = r[parent] as number;
      i = parent;
    }
    e[i] = end;
    r[i] = slot;
  }

  private heapPop(): number {
    const e = this.heapEnd;
    const r = this.heapSlot;
    const top = r[0] as number;
    const lastE = e.pop() as number;
    const lastR = r.pop() as number;
    const n = e.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= n) break;
        if (c + 1 < n && (e[c + 1] as number) > (e[c] as number)) c++;
        if ((e[c] as number) <= lastE) break;
        e[i] = e[c] as number;
        r[i] = r[c] as number;
        i = c;
      }
      e[i] = lastE;
      r[i] = lastR;
    }
    return top;
  }

  private onPath(path: number, run: number): boolean {
    let p = path;
    while (p !== -1) {
      if (p <= -2) return run === -2 - p;
      if (this.pathRun[p] === run) return true;
      p = this.pathParent[p] as number;
    }
    return false;
  }

  run(): void {
    while (this.heapSlot.length > 0) {
      const s = this.heapPop();
      this.sState[s] = PROCESSED;
      const run = this.sRun[s] as number;
      this.process(
        this.sG[s] as number,
        run,
        this.sTree[s] as number,
        this.sREnd[s] as number,
        -2 - run,
      );
      while (this.lateRun.length > 0) {
        const g = this.lateG.pop() as number;
        const lr = this.lateRun.pop() as number;
        const tree = this.lateTree.pop() as number;
        const rEnd = this.lateREnd.pop() as number;
        const parent = this.latePath.pop() as number;
        this.pathRun.push(lr);
        this.pathParent.push(parent);
        this.process(g, lr, tree, rEnd, this.pathRun.length - 1);
      }
    }
  }

  /** Charges demand `tree` (ending at rEnd) on wait run `run` of goroutine g. */
  private process(g: number, run: number, tree: number, rEnd: number, path: number): void {
    const m = this.m;
    const iv = m.intervals;
    const gEnd = m.goroutines.intervalStart[g + 1] as number;
    const z = runLast(m, run, gEnd);
    const next = z + 1;
    let waker = -1;
    if (next < gEnd && iv.state[next] === GS_RUNNABLE) waker = wakerOf(iv, g, next);
    const follow = waker >= 0 && waker !== g && waker < m.goroutines.length;
    if (!follow || this.steps > this.maxSteps) {
      // No goroutine behind the wake (or the waiter itself): the waiter's own wait.
      const ns = this.chargeAll(
        tree,
        rEnd,
        this.causeOf(g, K_WAITING + (iv.reason[run] as number)),
        runStack(m, g, run),
      );
      if (follow) this.budgetNs += ns;
      return;
    }
    // The waker's stack where it woke g: what it was doing at the end of the last piece.
    const wakeStack = rEnd === (iv.start[next] as number) ? (iv.stack[next] as number) : -1;
    this.walk(waker, tree, rEnd, path, wakeStack);
  }

  /** Charges all of `tree` (pieces up to rEnd) to one cause; returns the ns charged. */
  private chargeAll(tree: number, rEnd: number, cause: number, stack: number): number {
    const t = this.treap;
    t.split(tree, rEnd, false);
    const inside = t.lo;
    const ns = rEnd * t.totalC(inside) - t.totalCL(inside);
    this.add(cause, ns, stack, t.minKey(inside), rEnd);
    return ns > 0 ? ns : 0;
  }

  /**
   * Walks goroutine x's intervals over the demand's time, charging what x did and passing what
   * fell on its waits to their wakers.
   */
  private walk(x: number, tree: number, rEnd: number, path: number, wakeStack: number): void {
    const m = this.m;
    const iv = m.intervals;
    const t = this.treap;
    const first = m.goroutines.intervalStart[x] as number;
    const last = m.goroutines.intervalStart[x + 1] as number;
    let p = t.minKey(tree);
    if (!(p < rEnd)) return;
    let d = tree;
    /** Weight of the demand that began at or before p (it covers every later piece). */
    let carried = 0;
    let k = upperBound(iv.start, p, first, last) - 1;
    if (k < first) {
      // Before the first interval of x: nothing known.
      const q = Math.min(rEnd, first < last ? (iv.start[first] as number) : rEnd);
      carried = this.piece(x, -1, p, q, d, carried, path, wakeStack, rEnd);
      d = t.hi;
      p = q;
      k = first;
    }
    while (p < rEnd && k < last) {
      this.steps++;
      const s = iv.state[k] as number;
      let nextK = k + 1;
      if (s === GS_WAITING) nextK = runLast(m, k, last) + 1;
      const segEnd = nextK < last ? (iv.start[nextK] as number) : m.durationNs;
      const q = Math.min(segEnd, rEnd);
      if (q > p) {
        carried = this.piece(x, k, p, q, d, carried, path, wakeStack, rEnd);
        d = t.hi;
        p = q;
      }
      k = nextK;
    }
    if (p < rEnd) {
      // Past the end of the trace's intervals (cannot happen with a consistent model).
      this.piece(x, -1, p, rEnd, d, carried, path, wakeStack, rEnd);
    }
  }

  /**
   * One piece [p, q] of goroutine x (its interval k, or -1 for unknown time) under demand d with
   * `carried` weight from before p. Leaves the demand after q in treap.hi; returns the weight
   * carried past q.
   */
  private piece(
    x: number,
    k: number,
    p: number,
    q: number,
    d: number,
    carried: number,
    path: number,
    wakeStack: number,
    rEnd: number,
  ): number {
    const m = this.m;
    const iv = m.intervals;
    const t = this.treap;
    t.split(d, p, true);
    carried += t.totalC(t.lo);
    t.split(t.hi, q, false);
    const mid = t.lo;
    const rest = t.hi;
    const midC = t.totalC(mid);
    const ns = carried * (q - p) + q * midC - t.totalCL(mid);
    const s = k < 0 ? -1 : (iv.state[k] as number);
    if (ns > 0) {
      if (s === GS_RUNNING) {
        this.chargeRunning(x, k, p, q, mid, carried, ns, q === rEnd ? wakeStack : -1);
      } else if (s === GS_RUNNABLE) {
        this.add(this.causeOf(x, K_RUNNABLE), ns, intervalStacks(m, x, k).own, p, q);
      } else if (s === GS_SYSCALL) {
        this.add(this.causeOf(x, K_SYSCALL), ns, intervalStacks(m, x, k).run, p, q);
      } else if (s === GS_WAITING) {
        this.forward(x, k, p, q, mid, carried, ns, path);
      } else {
        this.add(this.causeOf(x, K_UNKNOWN), ns, -1, p, q);
      }
    }
    t.hi = rest;
    return carried + midC;
  }

  private chargeRunning(
    x: number,
    k: number,
    p: number,
    q: number,
    mid: number,
    carried: number,
    ns: number,
    wakeStack: number,
  ): void {
    const cause = this.causeOf(x, K_RUNNING);
    this.addTotal(cause, ns, p, q);
    if (wakeStack >= 0) {
      let w = this.cWake[cause];
      if (!w) {
        w = new Map();
        this.cWake[cause] = w;
      }
      w.set(wakeStack, (w.get(wakeStack) ?? 0) + ns);
    }
    // Samples in [p, q), each weighted by the goroutines held up at its time.
    const s = this.samples;
    const a = s.offsets[x] as number;
    const b = s.offsets[x + 1] as number;
    const lo = lowerBound(s.time, p, a, b);
    const hi = lowerBound(s.time, q, lo, b);
    let total = 0;
    for (let j = lo; j < hi; j++)
      total += carried + this.treap.weightUpTo(mid, s.time[j] as number);
    if (total > 0) {
      for (let j = lo; j < hi; j++) {
        const w = carried + this.treap.weightUpTo(mid, s.time[j] as number);
        if (w > 0) this.addStack(cause, s.stack[j] as number, (ns * w) / total);
      }
      return;
    }
    this.addStack(cause, wakeStack >= 0 ? wakeStack : this.lastKnownStack(x, k, q), ns);
  }

  /** Goroutine x's latest stack at or before t: a CPU sample or an own transition stack. */
  private lastKnownStack(x: number, k: number, t: number): number {
    const m = this.m;
    const iv = m.intervals;
    const s = this.samples;
    const a = s.offsets[x] as number;
    const b = s.offsets[x + 1] as number;
    const j = upperBound(s.time, t, a, b) - 1;
    let best = j >= a ? (s.stack[j] as number) : -1;
    const bestT = j >= a ? (s.time[j] as number) : -Infinity;
    const first = m.goroutines.intervalStart[x] as number;
    for (let i = k, n = 0; i >= first && n < 64; i--, n++) {
      if ((iv.start[i] as number) < bestT) break;
      const own = intervalStacks(m, x, i).own;
      if (own >= 0) {
        best = own;
        break;
      }
    }
    return best;
  }

  /** A piece on a wait of x (interval k): passed on to its waker, or x's own wait. */
  private forward(
    x: number,
    k: number,
    p: number,
    q: number,
    mid: number,
    carried: number,
    ns: number,
    path: number,
  ): void {
    const m = this.m;
    const iv = m.intervals;
    const run = runFirst(m, x, k);
    const gEnd = m.goroutines.intervalStart[x + 1] as number;
    const z = runLast(m, k, gEnd);
    const next = z + 1;
    const waker = next < gEnd && iv.state[next] === GS_RUNNABLE ? wakerOf(iv, x, next) : -1;
    const cycle = waker >= 0 && waker !== x && this.onPath(path, run);
    const cut = waker >= 0 && waker !== x && !cycle && this.steps > this.maxSteps;
    if (waker < 0 || waker === x || cycle || cut) {
      // No goroutine behind the wake, the waiter itself, back on the chain, or out of steps:
      // x's own wait.
      this.add(
        this.causeOf(x, K_WAITING + (iv.reason[run] as number)),
        ns,
        runStack(m, x, run),
        p,
        q,
      );
      if (cycle) this.cycleNs += ns;
      if (cut) this.budgetNs += ns;
      return;
    }
    const t = this.treap;
    let chunk = mid;
    if (carried > 0) chunk = t.union(chunk, t.node(p, carried));
    this.deposit(x, run, chunk, q, path);
  }

  /** Distinct goroutines with a cause (causeHead is set for exactly those). */
  private culprits(): number {
    let k = 0;
    for (let c = 0; c < this.cG.length; c++) {
      // The goroutine's list starts at its newest cause: count each goroutine there once.
      if ((this.causeHead[this.cG[c] as number] as number) - 1 === c) k++;
    }
    return k;
  }

  result(startNs: number, endNs: number, maxCauses: number): WhyCharge {
    const m = this.m;
    const n = this.cG.length;
    const blockedNs = this.blockedNs;
    const order = Array.from({ length: n }, (_, i) => i).sort(
      (a, b) =>
        (this.cNs[b] as number) - (this.cNs[a] as number) ||
        (this.cG[a] as number) - (this.cG[b] as number) ||
        (this.cKind[a] as number) - (this.cKind[b] as number),
    );
    const listed = Math.min(n, Math.max(0, maxCauses));
    const rank = new Int32Array(n).fill(-1);
    for (let i = 0; i < listed; i++) rank[order[i] as number] = i;
    // Stack rows of every cause, and the listed causes' heaviest and wake stacks.
    const rows = this.eStack.length;
    const cause = new Int32Array(rows);
    const state = new Uint16Array(rows);
    const stack = new Int32Array(rows);
    const weight = new Float64Array(rows);
    const states: string[] = [];
    const stateOf = new Map<number, number>();
    const best = new Int32Array(n).fill(-1);
    let r = 0;
    for (let c = 0; c < n; c++) {
      const kind = this.cKind[c] as number;
      let si = stateOf.get(kind);
      if (si === undefined) {
        si = states.length;
        states.push(stateName(m, kind));
        stateOf.set(kind, si);
      }
      let bestW = 0;
      for (let e = this.cStack[c] as number; e >= 0; e = this.eNext[e] as number) {
        const s = this.eStack[e] as number;
        const w = this.eW[e] as number;
        cause[r] = rank[c] as number;
        state[r] = si;
        stack[r] = s;
        weight[r] = w;
        r++;
        if (s >= 0 && w > bestW) {
          bestW = w;
          best[c] = s;
        }
      }
    }
    let otherNs = 0;
    for (let i = listed; i < n; i++) otherNs += this.cNs[order[i] as number] as number;
    const causes: WhyCause[] = [];
    for (let i = 0; i < listed; i++) {
      const c = order[i] as number;
      const g = this.cG[c] as number;
      const kind = this.cKind[c] as number;
      const reason = kind >= K_WAITING ? (m.reasons[kind - K_WAITING] ?? '') : null;
      let ws = -1;
      let wakeW = 0;
      for (const [s, w] of this.cWake[c] ?? []) {
        if (w > wakeW) {
          wakeW = w;
          ws = s;
        }
      }
      const ns = Math.round(this.cNs[c] as number);
      const st = best[c] as number;
      const stackList = stackNames(m, st);
      const wakeStack = stackNames(m, ws);
      causes.push({
        goroutine: g,
        goId: m.goroutines.id[g] as number,
        startFunction: startFunction(m, g),
        state: stateName(m, kind),
        kind: KIND_NAMES[Math.min(kind, K_WAITING)] as CauseKind,
        reason,
        ns,
        share: blockedNs > 0 ? ns / blockedNs : 0,
        stack: stackList,
        stackIndex: st,
        wakeStack,
        wakeStackIndex: ws,
        function: causeFunction(wakeStack, stackList),
        firstNs: this.cFirst[c] as number,
        lastNs: this.cLast[c] as number,
      });
    }
    const gs = Int32Array.from(this.blockedG).sort();
    let u = 0;
    for (let i = 0; i < gs.length; i++)
      if (i === 0 || gs[i] !== gs[i - 1]) gs[u++] = gs[i] as number;
    return {
      startNs,
      endNs,
      blockedNs,
      intervals: this.intervals,
      goroutines: gs.slice(0, u),
      causes,
      causeCount: n,
      otherNs: Math.round(otherNs),
      culpritCount: this.culprits(),
      causeStacks: { cause, state, stack, weight, states },
      cycleNs: this.cycleNs,
      budgetNs: this.budgetNs,
      steps: this.steps,
    };
  }
}

const KIND_NAMES: readonly CauseKind[] = ['running', 'runnable', 'syscall', 'unknown', 'waiting'];

/** 'running', 'runnable', 'syscall', 'unknown' or 'waiting (REASON)' of a cause kind code. */
function stateName(m: TraceModel, kind: number): string {
  return kind >= K_WAITING
    ? `waiting (${m.reasons[kind - K_WAITING] ?? ''})`
    : (KIND_NAMES[kind] as string);
}

/** The stack of the transition that began wait run `run` of g (traceIndex.ts: the run stack). */
function runStack(m: TraceModel, g: number, run: number): number {
  return intervalStacks(m, g, run).run;
}

/**
 * The function a cause is named by ("held up by G5318 main.refreshCache"): the first function of
 * the program itself (not the standard library or the runtime) in the stack where the culprit
 * woke the chain (for a lock holder, the caller of Unlock: the function that held the lock), else
 * in its heaviest stack, else the first function outside the runtime and sync, else the leaf.
 * Both stacks are leaf first.
 */
export function causeFunction(wakeStack: readonly string[], stack: readonly string[]): string {
  for (const s of [wakeStack, stack]) {
    const user = s.find(isProgramFunction);
    if (user !== undefined) return user;
  }
  for (const s of [wakeStack, stack]) {
    const f = s.find((n) => !/^(runtime|sync|internal\/)/.test(n));
    if (f !== undefined) return f;
  }
  return wakeStack[0] ?? stack[0] ?? '';
}

/**
 * Whether a function belongs to the program rather than Go's standard library: package main, or
 * an import path whose first element has a dot (a module path such as github.com/x/y); standard
 * library paths never do (Go src/cmd/go/internal/search/search.go, go1.26: IsStandardImportPath).
 */
export function isProgramFunction(name: string): boolean {
  if (name.startsWith('main.')) return true;
  const slash = name.indexOf('/');
  const dot = name.indexOf('.');
  return slash > 0 && dot >= 0 && dot < slash;
}

/** A goroutine's start function name ('' when unknown). */
export function startFunction(m: TraceModel, g: number): string {
  const f = m.goroutines.startFunc[g] as number;
  return f >= 0 ? (m.strings[f] ?? '') : '';
}

/** Function names of a stack, leaf first. */
export function stackNames(m: TraceModel, stack: number): string[] {
  const out: string[] = [];
  const { frame, parent } = m.stacks;
  for (let s = stack; s >= 0; s = parent[s] as number) {
    out.push(m.strings[m.frames.func[frame[s] as number] as number] ?? '');
  }
  return out;
}

// ---- the Cause flame graph ------------------------------------------------------------------------

/** The stacks of a charge, as the flame graph reads them (see `causeStackSet`). */
export interface CauseStackSet extends WeightedStackSet {
  source: 'cause';
  t0: number;
  t1: number;
  unit: 'nanoseconds';
  /** Causes in the set. */
  count: number;
  /** Sum of all weights: the charge's blocked ns. */
  total: number;
  /** Weight whose stack is unknown (kept under its state's root frame). */
  noStack: number;
  /** Distinct culprit goroutines. */
  goroutineCount: number;
  /** Frames at and after this index are the synthetic state roots. */
  syntheticFrom: number;
}

/**
 * The culprits' stacks weighted by the blocked time they caused, a root frame per culprit state
 * ("running", "runnable", "syscall", "waiting (sync)", ...), as the Blocked source roots its
 * stacks per wait reason (traceStacks.ts, through the layered tables of stackRoots.ts). Running
 * culprits contribute their CPU samples inside the charged time, the others the stack of their
 * state (see the header). `rooted` extends the model's tables (pass one the caller keeps, as the
 * engine keeps one per trace, to share it between queries).
 */
export function causeStackSet(
  m: TraceModel,
  charge: WhyCharge,
  rooted: RootedStacks = new RootedStacks(m),
): CauseStackSet {
  const { state, stack, weight, states } = charge.causeStacks;
  rooted.addLabels(states);
  const rootOf = states.map((label) => rooted.frameOf(label));
  const byStack = new Map<number, number>();
  let total = 0;
  let noStack = 0;
  for (let k = 0; k < stack.length; k++) {
    const w = weight[k] as number;
    const s = stack[k] as number;
    total += w;
    if (s < 0) noStack += w;
    const st = rooted.rooted(rootOf[state[k] as number] as number, s);
    byStack.set(st, (byStack.get(st) ?? 0) + w);
  }
  const sampleStacks = new Int32Array(byStack.size);
  const weights = new Float64Array(byStack.size);
  let i = 0;
  for (const [st, w] of byStack) {
    sampleStacks[i] = st;
    weights[i] = w;
    i++;
  }
  return {
    source: 'cause',
    t0: charge.startNs,
    t1: charge.endNs,
    unit: 'nanoseconds',
    count: charge.causeCount,
    total,
    noStack,
    goroutineCount: charge.culpritCount,
    frames: rooted.frames,
    stacks: rooted.stacks,
    strings: rooted.strings,
    syntheticFrom: rooted.syntheticFrom,
    sampleStacks,
    weights,
  };
}

// ---- spikes -----------------------------------------------------------------------------------------

/** Who held a spike up, for the spike list. */
export interface SpikeWhy {
  blockedNs: number;
  /** The first causes, most ns first. */
  causes: WhyCause[];
  /** "held up by G5318 main.refreshCache: running 75%", or null when nothing was charged. */
  text: string | null;
}

/** A cause in a few words: "G5318 main.refreshCache: running 75%". */
export function causeText(c: WhyCause): string {
  const fn = c.function === '' ? c.startFunction : c.function;
  return `G${c.goId}${fn === '' ? '' : ` ${fn}`}: ${c.state} ${Math.round(100 * c.share)}%`;
}

/** The charge of each spike (its own goroutines and series, see spikes.ts), first `top` causes. */
export function spikesWhy(
  m: TraceModel,
  spikes: readonly BlockingSpike[],
  idx: WhyIndexes,
  top = 3,
): SpikeWhy[] {
  return spikes.map((spike) => {
    const ch = whyCharge(m, { kind: 'spike', spike }, idx);
    const first = ch.causes[0];
    return {
      blockedNs: ch.blockedNs,
      causes: ch.causes.slice(0, top),
      text: first ? `held up by ${causeText(first)}` : null,
    };
  });
}
