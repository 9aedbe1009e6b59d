// A time range of an execution trace as weighted stack sets for the flame graph (issue 7):
//
//   cpu      the trace's CPU profile samples in the range, weight 1 each
//   blocked  goroutines waiting, weighted by ns waiting inside the range, at the stack of the
//            transition into Waiting (where they blocked)
//   sched    goroutines runnable but not running (scheduler latency), weighted by ns in the range
//   syscall  goroutines in system calls, weighted by ns in the range
//
// These are the profiles of Go's `go tool trace` (src/cmd/trace/pprof.go, go1.26: computePprofBlock,
// computePprofSched, computePprofSyscall, and pprofOverlappingDuration for the range) with two
// differences: blocked time covers every wait reason unless filtered (Go's block profile keeps
// reasons containing "chan", "sync" or "select", its IO profile "network"), and a wait in progress
// at the range's edges counts its overlap with the range, not its whole duration.
//
// The sets share the model's frame, stack and string tables (no stack is copied); samples are
// aggregated per stack, so a set has one entry per distinct stack however many intervals went in.
// A split by reason puts a synthetic root frame per reason (or reason family) above the stacks,
// through the layered tables of stackRoots.ts. Interval queries go through the range indexes of
// traceIndex.ts and cost about the number of intervals overlapping the range.

import { lowerBound, upperBound } from '../base/search';
import { GS_RUNNABLE, GS_SYSCALL, GS_WAITING, type TraceModel } from '../model/trace';
import type { WeightedStackSet } from './flame';
import { familiesOf, reasonLabel, reasonMask, REASON_FAMILIES, type ReasonFilter } from './reasons';
import { RootedStacks } from './stackRoots';
import { overlapping, type StateIndex, type TraceIndexes } from './traceIndex';

export type TraceStackSource = 'cpu' | 'blocked' | 'sched' | 'syscall';

export const TRACE_STACK_SOURCES: ReadonlyArray<{
  id: TraceStackSource;
  label: string;
  unit: 'count' | 'nanoseconds';
}> = [
  { id: 'cpu', label: 'CPU samples', unit: 'count' },
  { id: 'blocked', label: 'Blocked', unit: 'nanoseconds' },
  { id: 'sched', label: 'Scheduler wait', unit: 'nanoseconds' },
  { id: 'syscall', label: 'Syscall', unit: 'nanoseconds' },
];

/** Goroutine indexes to keep, or null/undefined for all. Treated as immutable once passed. */
export type GoroutineSubset = Int32Array | readonly number[] | ReadonlySet<number> | null;

/** 'reason': a root frame per reason string; 'family': per reason family (reasons.ts). */
export type ReasonSplit = 'none' | 'reason' | 'family';

export interface RangeStackOptions {
  goroutines?: GoroutineSubset;
  /** blocked and sched: keep only these reasons or families (sched: stop reasons like "preempted"). */
  reasons?: ReasonFilter | null;
  /** blocked and sched: a synthetic root frame per reason or family. */
  split?: ReasonSplit;
  /**
   * sched: 'event' (default) gives a runnable interval the stack of the event that made it
   * runnable, as Go's sched profile does (for an unblock that is the unblocking goroutine's
   * stack); 'own' gives it the goroutine's own stack (where it waited before being woken).
   */
  runnableStack?: 'event' | 'own';
}

/**
 * A range's stack set. `sampleStacks` and `weights` belong to the set (one entry per distinct
 * stack); `frames`, `stacks` and `strings` are the model's (or, split by reason, a table layered
 * on them that later queries keep appending to): post them to another thread by copy, never in a
 * transfer list, or the model's own arrays would be detached.
 */
export interface TraceStackSet extends WeightedStackSet {
  source: TraceStackSource;
  t0: number;
  t1: number;
  unit: 'count' | 'nanoseconds';
  /** cpu: samples in the range; otherwise intervals with time in the range. */
  count: number;
  /** Sum of all weights, including `noStack`. */
  total: number;
  /** Weight whose stack is unknown: left out of trees unless split (then under its root). */
  noStack: number;
  /** Distinct goroutines that contributed. */
  goroutineCount: number;
  /** Frames at and after this index are synthetic roots (frames.length when there are none). */
  syntheticFrom: number;
}

// ---- per-model state ----------------------------------------------------------------------------

/**
 * What range-stack queries on one model reuse: its range indexes, scratch buffers (cleared after
 * every query) and the table of reason-rooted stacks (append-only, see stackRoots.ts). The caller
 * owns it with the model (the engine keeps one per file) and passes it to every query.
 */
export interface RangeStacks {
  readonly ix: TraceIndexes;
  readonly scratch: Scratch;
}

/** A fresh RangeStacks for the model of `ix`. */
export function rangeStacks(ix: TraceIndexes): RangeStacks {
  const m = ix.model;
  const n = m.stacks.length + 1;
  return {
    ix,
    scratch: {
      weight: new Float64Array(n),
      seen: new Uint8Array(n),
      touched: new Int32Array(n),
      gStamp: new Uint32Array(m.goroutines.length),
      stamp: 0,
      rooted: null,
      reasonRoot: null,
      familyRoot: null,
    },
  };
}

interface Scratch {
  /** Per stack weight accumulator (extended table size), all zero between queries. */
  weight: Float64Array;
  seen: Uint8Array;
  touched: Int32Array;
  /** Per goroutine: the query stamp that last counted it. */
  gStamp: Uint32Array;
  stamp: number;
  rooted: RootedStacks | null;
  /** Root frame per reason index for each split mode (-1 until made). */
  reasonRoot: Int32Array | null;
  familyRoot: Int32Array | null;
}

function ensureCapacity(s: Scratch, n: number): void {
  if (s.weight.length >= n) return;
  // Keeps what a running query has accumulated (rooted stacks are appended while it runs).
  const cap = Math.max(n, s.weight.length * 2);
  const weight = new Float64Array(cap);
  const seen = new Uint8Array(cap);
  const touched = new Int32Array(cap);
  weight.set(s.weight);
  seen.set(s.seen);
  touched.set(s.touched);
  s.weight = weight;
  s.seen = seen;
  s.touched = touched;
}

/** The rooted tables of a model, with every reason and family label made up front. */
function roots(
  m: TraceModel,
  s: Scratch,
  split: ReasonSplit,
): { r: RootedStacks; byReason: Int32Array } {
  if (!s.rooted) {
    s.rooted = new RootedStacks(m);
    s.rooted.addLabels([...m.reasons.map(reasonLabel), ...REASON_FAMILIES.map((f) => f.label)]);
  }
  const r = s.rooted;
  if (split === 'reason') {
    s.reasonRoot ??= Int32Array.from(m.reasons, (x) => r.frameOf(reasonLabel(x)));
    return { r, byReason: s.reasonRoot };
  }
  if (!s.familyRoot) {
    const fam = familiesOf(m.reasons);
    s.familyRoot = Int32Array.from(fam, (f) =>
      r.frameOf((REASON_FAMILIES[f] ?? REASON_FAMILIES[0]!).label),
    );
  }
  return { r, byReason: s.familyRoot };
}

/** Per goroutine: 1 when in the subset; null for all. */
export function goroutineMask(
  m: TraceModel,
  subset: GoroutineSubset | undefined,
): Uint8Array | null {
  if (subset === null || subset === undefined) return null;
  const mask = new Uint8Array(m.goroutines.length);
  for (const g of subset as Iterable<number>) if (g >= 0 && g < mask.length) mask[g] = 1;
  return mask;
}

// ---- queries --------------------------------------------------------------------------------------

/**
 * The stack set of `source` over [t0, t1] (ns on the trace's axis). A returned set is never
 * modified afterwards; the caller memoizes (the engine keeps recent sets per file).
 */
export function traceStackSet(
  rs: RangeStacks,
  source: TraceStackSource,
  t0: number,
  t1: number,
  options: RangeStackOptions = {},
): TraceStackSet {
  const m = rs.ix.model;
  const s = rs.scratch;
  return source === 'cpu'
    ? cpuSet(m, s, t0, t1, options)
    : intervalSet(
        m,
        s,
        source,
        rs.ix.state(
          source === 'blocked' ? GS_WAITING : source === 'sched' ? GS_RUNNABLE : GS_SYSCALL,
        ),
        t0,
        t1,
        options,
      );
}

function cpuSet(
  m: TraceModel,
  s: Scratch,
  t0: number,
  t1: number,
  o: RangeStackOptions,
): TraceStackSet {
  const cs = m.cpuSamples;
  const mask = goroutineMask(m, o.goroutines);
  // Samples are in time order; the range is closed: a sample at t1 belongs to it.
  const lo = lowerBound(cs.time, t0);
  const hi = upperBound(cs.time, t1);
  ensureCapacity(s, m.stacks.length + 1);
  const { weight, seen, touched } = s;
  const stamp = ++s.stamp;
  let nTouched = 0;
  let count = 0;
  let noStack = 0;
  let goroutines = 0;
  for (let i = lo; i < hi; i++) {
    const g = cs.goroutine[i] as number;
    if (mask !== null && (g < 0 || mask[g] === 0)) continue;
    count++;
    if (g >= 0 && s.gStamp[g] !== stamp) {
      s.gStamp[g] = stamp;
      goroutines++;
    }
    const st = cs.stack[i] as number;
    if (st < 0) {
      noStack++;
      continue;
    }
    if (!seen[st]) {
      seen[st] = 1;
      touched[nTouched++] = st;
    }
    weight[st] = (weight[st] as number) + 1;
  }
  return finish(s, nTouched, {
    source: 'cpu',
    t0,
    t1,
    unit: 'count',
    count,
    total: count,
    noStack,
    goroutineCount: goroutines,
    frames: m.frames,
    stacks: m.stacks,
    strings: m.strings,
    syntheticFrom: m.frames.length,
  });
}

function intervalSet(
  m: TraceModel,
  s: Scratch,
  source: TraceStackSource,
  idx: StateIndex,
  t0: number,
  t1: number,
  o: RangeStackOptions,
): TraceStackSet {
  const mask = goroutineMask(m, o.goroutines);
  const keep = source === 'syscall' ? null : reasonMask(m.reasons, o.reasons);
  const split = source === 'syscall' ? 'none' : (o.split ?? 'none');
  const stacksOf = source === 'sched' && o.runnableStack === 'own' ? idx.ownStack : idx.stack;
  const rooted = split === 'none' ? null : roots(m, s, split);
  const n = overlapping(idx, t0, t1);
  const { scratch, start, end, g: gOf, reason } = idx;
  const stamp = ++s.stamp;
  let nTouched = 0;
  let count = 0;
  let total = 0;
  let noStack = 0;
  let goroutines = 0;
  for (let k = 0; k < n; k++) {
    const p = scratch[k] as number;
    const g = gOf[p] as number;
    if (mask !== null && mask[g] === 0) continue;
    const r = reason[p] as number;
    if (keep !== null && keep[r] === 0) continue;
    const a = start[p] as number;
    const b = end[p] as number;
    const w = (b < t1 ? b : t1) - (a > t0 ? a : t0);
    if (!(w > 0)) continue;
    count++;
    total += w;
    if (s.gStamp[g] !== stamp) {
      s.gStamp[g] = stamp;
      goroutines++;
    }
    let st = stacksOf[p] as number;
    if (rooted !== null) {
      st = rooted.r.rooted(rooted.byReason[r] as number, st);
      ensureCapacity(s, rooted.r.stackCount);
    } else if (st < 0) {
      noStack += w;
      continue;
    }
    const { weight, seen, touched } = s;
    if (!seen[st]) {
      seen[st] = 1;
      touched[nTouched++] = st;
    }
    weight[st] = (weight[st] as number) + w;
  }
  const tables = rooted
    ? {
        frames: rooted.r.frames,
        stacks: rooted.r.stacks,
        strings: rooted.r.strings,
        syntheticFrom: rooted.r.syntheticFrom,
      }
    : { frames: m.frames, stacks: m.stacks, strings: m.strings, syntheticFrom: m.frames.length };
  return finish(s, nTouched, {
    source,
    t0,
    t1,
    unit: 'nanoseconds',
    count,
    total,
    noStack,
    goroutineCount: goroutines,
    ...tables,
  });
}

/** Copies the touched stacks out of the scratch (and clears it) into a compact set. */
function finish(
  s: Scratch,
  nTouched: number,
  meta: Omit<TraceStackSet, 'sampleStacks' | 'weights'>,
): TraceStackSet {
  const sampleStacks = new Int32Array(nTouched);
  const weights = new Float64Array(nTouched);
  const { weight, seen, touched } = s;
  for (let k = 0; k < nTouched; k++) {
    const st = touched[k] as number;
    sampleStacks[k] = st;
    weights[k] = weight[st] as number;
    weight[st] = 0;
    seen[st] = 0;
  }
  return { ...meta, sampleStacks, weights };
}

/** The reason split's root label of a frame in a set, or null when the frame is a real one. */
export function syntheticLabel(set: TraceStackSet, frame: number): string | null {
  if (frame < set.syntheticFrom || frame >= set.frames.length) return null;
  return set.strings[set.frames.func[frame] as number] ?? null;
}
