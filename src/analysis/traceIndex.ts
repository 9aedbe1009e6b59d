// Range indexes over a trace's goroutine intervals, built once per model and state (the caller keeps
// them: see TraceIndexes) so that "which goroutines were waiting between t0 and t1" costs about the number of
// intervals that overlap the range, not a scan of every interval (issue 7: updates while dragging
// a range stay under 100 ms on a 4M-interval trace).
//
// Why not intervals sorted by start plus a running maximum of their ends: one long interval (the
// main goroutine waits on a WaitGroup for the whole trace) lifts that maximum for everything after
// it and every query would walk back to the start. Instead the intervals of a state are grouped
// by duration class (powers of two) and, within a class, counting-sorted into time buckets by
// start. An interval of class c overlapping [t0, t1] starts in [t0 - maxDur(c), t1], so a query
// visits, per class, the buckets of that window: what it reads beyond the overlapping intervals
// is at most one bucket at the upper end plus, per class, the intervals that start within
// maxDur(c) before t0 and end before it; their duration is over half of maxDur(c), so there are
// about as many of them as there are overlapping ones. Gotraceui's span index and Perfetto's
// interval-interval joins make a similar duration-aware split.
//
// Stacks. A state is often re-stated without a transition: Go's reader reports every goroutine's
// status at each generation start (GoStatus, flagged IV_STATUS in the model), and the model begins
// a new interval there. Go's own profiles keep the stack of the transition that entered the
// state until the goroutine leaves it (src/cmd/trace/pprof.go, go1.26: makeComputePprofFunc
// ignores same-state transitions), and so do these indexes: `stack` is the stack of the first
// interval of the run (GoStatusStack stacks also include runtime frames such as runtime.gopark
// that block stacks skip, so mixing them would split one wait over two stacks).

import { GS_RUNNABLE, GS_SYSCALL, GS_WAITING, IV_STATUS, type TraceModel } from '../model/trace';

/** Intervals of one goroutine state, laid out for range queries. */
export interface StateIndex {
  state: number;
  /** Number of indexed intervals. */
  length: number;
  /** Per entry: the interval (index into `model.intervals`). */
  iv: Int32Array;
  /** Per entry: goroutine index. */
  g: Int32Array;
  start: Float64Array;
  end: Float64Array;
  /** Per entry: the stack of the transition that began the run (see the header), or -1. */
  stack: Int32Array;
  /**
   * Per entry: where the goroutine itself stands. Equal to `stack` except for a runnable interval
   * begun by an unblock: Go records the unblocking goroutine's stack there, and this holds the
   * goroutine's own stack from the wait it leaves (or the syscall, after a blocked syscall).
   * In the index of any other state the two are equal, and this is `stack` itself.
   */
  ownStack: Int32Array;
  /** Per entry: reason-table index (the model carries a run's reason over status intervals). */
  reason: Uint8Array;
  /** Entries of (class c, bucket b) are [offsets[c * buckets + b], offsets[c * buckets + b + 1]). */
  offsets: Uint32Array;
  classes: number;
  buckets: number;
  bucketNs: number;
  /** Longest duration in each class (ns). */
  classMaxNs: Float64Array;
  /** Scratch for `overlapping` (reused by every query; its results are read before the next). */
  scratch: Int32Array;
}

/**
 * The range indexes of one model, built on first use and shared by the analyses that read
 * intervals by state (range stacks, highlights, spikes). Whoever holds the model owns one: the
 * engine keeps one per file; tests and scripts make their own. Not a cache of results: at most one
 * index per goroutine state, freed with the holder.
 */
export interface TraceIndexes {
  readonly model: TraceModel;
  /** The index of intervals in `state` (GS_WAITING, GS_RUNNABLE or GS_SYSCALL; any state works). */
  state(state: number): StateIndex;
}

/** A TraceIndexes for `m`, holding already the indexes in `known` (by state). */
export function traceIndexes(
  m: TraceModel,
  known: Readonly<Record<number, StateIndex>> = {},
): TraceIndexes {
  const byState: Array<StateIndex | undefined> = [];
  for (const [state, idx] of Object.entries(known)) byState[Number(state)] = idx;
  return {
    model: m,
    state(state) {
      return (byState[state] ??= buildStateIndex(m, state));
    },
  };
}

/** Duration classes: class c >= 1 holds durations in [2^(c-1), 2^c) ns; class 0 is < 1 ns. */
const MAX_CLASSES = 64;
const TWO32 = 4294967296;

function durationClass(d: number): number {
  // 32 - clz32 is floor(log2) + 1 of a 32-bit integer; longer durations go through the high word.
  return d < TWO32 ? 32 - Math.clz32(d) : 64 - Math.clz32(d / TWO32);
}

/**
 * Calls `visit(i, g, start, end, runStack, ownStack)` for each interval in `state`, per goroutine
 * in interval order, with the run and own stacks of the header and StateIndex.ownStack.
 */
function forEachInState(
  m: TraceModel,
  state: number,
  visit: (i: number, g: number, start: number, end: number, run: number, own: number) => void,
): void {
  const iv = m.intervals;
  const states = iv.state;
  const { intervalStart } = m.goroutines;
  const dur = m.durationNs;
  for (let g = 0; g < m.goroutines.length; g++) {
    const first = intervalStart[g] as number;
    const last = intervalStart[g + 1] as number;
    let runStack = -1;
    let ownStack = -1;
    let prevState = -1;
    for (let i = first; i < last; i++) {
      const s = states[i] as number;
      const stack = iv.stack[i] as number;
      const status = ((iv.flags[i] as number) & IV_STATUS) !== 0;
      if (status && s === prevState) {
        // Same run: keep the transition's stacks; a run begun without one takes the status stack.
        if (runStack < 0) runStack = stack;
        if (ownStack < 0) ownStack = stack;
      } else {
        runStack = stack;
        ownStack =
          s === GS_RUNNABLE && !status && (prevState === GS_WAITING || prevState === GS_SYSCALL)
            ? ownStack
            : stack;
      }
      prevState = s;
      if (s !== state) continue;
      const end = i + 1 < last ? (iv.start[i + 1] as number) : dur;
      visit(i, g, iv.start[i] as number, end, runStack, ownStack);
    }
  }
}

// Built in two passes over the intervals, the first counting entries per (duration class, time
// bucket of the start), the second writing each entry straight to its sorted place: recomputing
// costs less than temporary columns would (the first write to fresh memory is the dear part, see
// model/columns.ts).
/** The index of the intervals in `state` (see the header); TraceIndexes keeps one per state. */
export function buildStateIndex(m: TraceModel, state: number): StateIndex {
  const iv = m.intervals;
  const states = iv.state;
  let n = 0;
  for (let i = 0; i < iv.length; i++) if (states[i] === state) n++;
  // About 32 intervals per bucket, between 256 and 4096 buckets: bounded offset tables
  // (classes * buckets entries) and small per-query slack.
  const buckets = Math.max(256, Math.min(4096, 1 << Math.ceil(Math.log2(Math.max(1, n / 32)))));
  const bucketNs = Math.max(1, m.durationNs / buckets);
  const bucketOf = (start: number): number =>
    Math.min(buckets - 1, Math.max(0, Math.floor(start / bucketNs)));

  // Pass 1: entries per key over all MAX_CLASSES classes, and the longest duration per class.
  const counts = new Uint32Array(MAX_CLASSES * buckets + 1);
  const classMax = new Float64Array(MAX_CLASSES).fill(-1);
  forEachInState(m, state, (_i, _g, start, end) => {
    const c = durationClass(end - start);
    const kk = c * buckets + bucketOf(start);
    counts[kk + 1] = (counts[kk + 1] as number) + 1;
    if (end - start > (classMax[c] as number)) classMax[c] = end - start;
  });
  for (let j = 1; j < counts.length; j++)
    counts[j] = (counts[j] as number) + (counts[j - 1] as number);

  // Pass 2: each entry to its place; stable within a key (per goroutine, in time order).
  const cursor = counts.slice(0, counts.length - 1);
  // Only a runnable interval's own stack can differ from its run's (forEachInState): the other
  // states' indexes hold one array for both (4 of their 34 bytes per entry).
  const stack = new Int32Array(n);
  const out = {
    iv: new Int32Array(n),
    g: new Int32Array(n),
    start: new Float64Array(n),
    end: new Float64Array(n),
    stack,
    ownStack: state === GS_RUNNABLE ? new Int32Array(n) : stack,
    reason: new Uint8Array(n),
  };
  const reasons = iv.reason;
  forEachInState(m, state, (i, g, start, end, run, own) => {
    const kk = durationClass(end - start) * buckets + bucketOf(start);
    const p = cursor[kk] as number;
    cursor[kk] = p + 1;
    out.iv[p] = i;
    out.g[p] = g;
    out.start[p] = start;
    out.end[p] = end;
    out.stack[p] = run;
    out.ownStack[p] = own;
    out.reason[p] = reasons[i] as number;
  });

  // The offset table keeps only the classes present (an empty class adds no entries, so its rows
  // are dropped without moving anything).
  const present: number[] = [];
  for (let c = 0; c < MAX_CLASSES; c++) if ((classMax[c] as number) >= 0) present.push(c);
  const classes = present.length;
  const offsets = new Uint32Array(classes * buckets + 1);
  present.forEach((c, ci) =>
    offsets.set(counts.subarray(c * buckets, (c + 1) * buckets), ci * buckets),
  );
  offsets[classes * buckets] = n;
  return {
    state,
    length: n,
    ...out,
    offsets,
    classes,
    buckets,
    bucketNs,
    classMaxNs: Float64Array.from(present, (c) => classMax[c] as number),
    scratch: new Int32Array(n),
  };
}

/**
 * Entries of `idx` whose interval overlaps [t0, t1] (start < t1 and end > t0; an interval that
 * only touches the range is left out: it has no time in it). Returns the number found; their
 * entry positions are `idx.scratch[0 .. count)`, valid until the next query on the same index.
 */
export function overlapping(idx: StateIndex, t0: number, t1: number): number {
  const { offsets, buckets, bucketNs, start, end, scratch } = idx;
  let count = 0;
  if (!(t1 > t0) || idx.length === 0) return 0;
  const bHi = Math.min(buckets - 1, Math.floor(t1 / bucketNs));
  if (bHi < 0) return 0;
  for (let c = 0; c < idx.classes; c++) {
    const bLo = Math.max(0, Math.floor((t0 - (idx.classMaxNs[c] as number)) / bucketNs));
    if (bLo > bHi) continue;
    const base = c * buckets;
    const lo = offsets[base + bLo] as number;
    const hi = offsets[base + bHi + 1] as number;
    for (let p = lo; p < hi; p++) {
      if ((start[p] as number) < t1 && (end[p] as number) > t0) scratch[count++] = p;
    }
  }
  return count;
}

/**
 * CPU samples grouped by goroutine (CSR), in time order within each goroutine: what the why
 * charge and the slow-vs-typical stacks read. Build once per model and pass it in.
 */
export interface GoroutineSamples {
  /** Samples of goroutine g are [offsets[g], offsets[g + 1]). Length goroutines + 1. */
  offsets: Uint32Array;
  time: Float64Array;
  stack: Int32Array;
}

export function buildGoroutineSamples(m: TraceModel): GoroutineSamples {
  const cs = m.cpuSamples;
  const n = m.goroutines.length;
  const offsets = new Uint32Array(n + 1);
  for (let i = 0; i < cs.length; i++) {
    const g = cs.goroutine[i] as number;
    if (g >= 0 && g < n) offsets[g + 1] = (offsets[g + 1] as number) + 1;
  }
  for (let g = 0; g < n; g++) offsets[g + 1] = (offsets[g + 1] as number) + (offsets[g] as number);
  const total = offsets[n] as number;
  const time = new Float64Array(total);
  const stack = new Int32Array(total);
  const cursor = offsets.slice(0, n);
  // Samples are in time order (model/trace.ts CpuSamples), so each goroutine's slice is too.
  for (let i = 0; i < cs.length; i++) {
    const g = cs.goroutine[i] as number;
    if (g < 0 || g >= n) continue;
    const k = cursor[g] as number;
    cursor[g] = k + 1;
    time[k] = cs.time[i] as number;
    stack[k] = cs.stack[i] as number;
  }
  return { offsets, time, stack };
}

// Lookups of one interval, which the page makes too: model/lookup.ts.
export { goroutineOfInterval, waitRunFirst, waitRunLast } from '../model/lookup';

/** End of interval `i` (which belongs to goroutine `g`). */
export function intervalEndOf(m: TraceModel, g: number, i: number): number {
  return i + 1 < (m.goroutines.intervalStart[g + 1] as number)
    ? (m.intervals.start[i + 1] as number)
    : m.durationNs;
}

/**
 * The stacks of interval `i` of goroutine `g` as the indexes define them (see StateIndex): `run`,
 * the stack of the transition that began the run, and `own`, where the goroutine itself stands.
 * Walks back to the start of the run (for single intervals; the indexes compute these in bulk).
 */
export function intervalStacks(m: TraceModel, g: number, i: number): { run: number; own: number } {
  const iv = m.intervals;
  const first = m.goroutines.intervalStart[g] as number;
  // The run's first interval: walk back over status re-statements of the same state.
  let k = i;
  while (k > first && (iv.flags[k] as number) & IV_STATUS && iv.state[k - 1] === iv.state[k]) {
    k--;
  }
  let run = iv.stack[k] as number;
  for (let j = k + 1; run < 0 && j <= i; j++) run = iv.stack[j] as number;
  const s = iv.state[k] as number;
  const prev = k > first ? (iv.state[k - 1] as number) : -1;
  if (
    s === GS_RUNNABLE &&
    !((iv.flags[k] as number) & IV_STATUS) &&
    (prev === GS_WAITING || prev === GS_SYSCALL)
  ) {
    let own = intervalStacks(m, g, k - 1).own;
    for (let j = k + 1; own < 0 && j <= i; j++) own = iv.stack[j] as number;
    return { run, own };
  }
  return { run, own: run };
}
