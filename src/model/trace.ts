// The columnar model of a Go execution trace (STYLE.md habits 2 and 3): goroutine state intervals
// laid out per goroutine (CSR offsets, so a lane binary-searches its own slice), proc running
// intervals, CPU samples, GC/STW/assist ranges, user annotations and metric series, all in typed
// arrays. Stacks and strings are interned once for the whole trace (model/stacks.ts); nothing here
// holds one object per event.
//
// Times are nanoseconds since the trace's first event (Go's first Sync), computed exactly as Go's
// reader computes them: ticks * (1e9 / ticks-per-second) as float64, truncated, per generation
// (Go src/internal/trace/batchcursor.go, go1.26). The wall clock of that first event is kept as a
// bigint when the trace has a clock snapshot (Go 1.25+).
//
// Goroutine states use Go's GoState numbering (src/internal/trace/resources.go, go1.26). IDs
// (goroutine, proc, thread, task) are Go's int64s held as float64: exact below 2^53, and Go's
// "none" (-1) is exact. Every column is a typed array the worker can transfer; the interval
// columns may be views of resizable ArrayBuffers (they grew in place, see IntervalStore).

import { StringTable } from '../base/growable';
import {
  F64Col,
  I32Col,
  U16Col,
  U32Col,
  U8Col,
  grownLength,
  growTo,
  release,
  reserve,
  trimTo,
} from './columns';
import { StackBuilder, type FrameTable, type StackTable } from './stacks';

export const GS_UNDETERMINED = 0;
/** Before creation / after destruction. An interval in this state means "destroyed here". */
export const GS_NOT_EXIST = 1;
export const GS_RUNNABLE = 2;
export const GS_RUNNING = 3;
export const GS_WAITING = 4;
export const GS_SYSCALL = 5;
export const GOROUTINE_STATE_NAMES = [
  'undetermined',
  'notexist',
  'runnable',
  'running',
  'waiting',
  'syscall',
] as const;

/** `GoroutineIntervals.flags`: the interval was begun by a status event at a generation start
 * (Go's GoStatus: the same state re-stated, not a real transition); its reason is carried over. */
export const IV_STATUS = 1;

/** Range kinds (`TraceRanges.kind`). Names are Go's Range names. */
export const RANGE_GC = 1; // "GC concurrent mark phase"
export const RANGE_STW = 2; // "stop-the-world (<kind>)"
export const RANGE_MARK_ASSIST = 3; // "GC mark assist"
export const RANGE_SWEEP = 4; // "GC incremental sweep"
export const RANGE_NAMES = [
  '',
  'GC concurrent mark phase',
  'stop-the-world',
  'GC mark assist',
  'GC incremental sweep',
] as const;
/** `TraceRanges.flags`: the range was already in progress when the trace began (Go: RangeActive). */
export const RANGE_ACTIVE_AT_START = 1;

/** Go reader event kinds (Go's EventKind), for `eventCounts`. */
export const EVENT_KIND_NAMES = [
  'Sync',
  'Metric',
  'Label',
  'StackSample',
  'RangeBegin',
  'RangeActive',
  'RangeEnd',
  'TaskBegin',
  'TaskEnd',
  'RegionBegin',
  'RegionEnd',
  'Log',
  'StateTransition',
  'Experimental',
] as const;
export const EK_SYNC = 0;
export const EK_METRIC = 1;
export const EK_LABEL = 2;
export const EK_STACK_SAMPLE = 3;
export const EK_RANGE_BEGIN = 4;
export const EK_RANGE_ACTIVE = 5;
export const EK_RANGE_END = 6;
export const EK_TASK_BEGIN = 7;
export const EK_TASK_END = 8;
export const EK_REGION_BEGIN = 9;
export const EK_REGION_END = 10;
export const EK_LOG = 11;
export const EK_STATE_TRANSITION = 12;
export const EK_EXPERIMENTAL = 13;

export interface TraceGoroutines {
  length: number;
  /** Go's goroutine ID (int64; exact below 2^53). */
  id: Float64Array;
  /** Goroutine index of the creator (the goroutine running the `go` statement), or -1. */
  parent: Int32Array;
  /** Stack of the `go` statement in the creator, or -1. */
  createStack: Int32Array;
  /** Stack of the new goroutine at creation (its entry function), or -1. */
  startStack: Int32Array;
  /**
   * Start function name (index into `strings`), or -1: the root frame of the first stack seen on
   * the goroutine, as Go's goroutine summary names goroutines (src/internal/trace/summary.go).
   */
  startFunc: Int32Array;
  /** ns of creation, NaN when the goroutine existed before the trace. */
  createdNs: Float64Array;
  /** Intervals of goroutine g are `intervals[intervalStart[g] .. intervalStart[g+1])`. Length + 1. */
  intervalStart: Uint32Array;
}

/**
 * State intervals, grouped by goroutine (see `TraceGoroutines.intervalStart`) and sorted by start
 * within each goroutine. Every goroutine state transition Go's reader reports begins one interval,
 * in the state it enters; an interval ends where the next one of its goroutine begins, or at the
 * end of the trace (`intervalEnd`). A GS_NOT_EXIST interval marks the goroutine's destruction.
 */
export interface GoroutineIntervals {
  length: number;
  /** ns since the trace start at which the transition happened. */
  start: Float64Array;
  /** GS_* state entered. */
  state: Uint8Array;
  /** IV_* flags. */
  flags: Uint8Array;
  /** Index into `reasons`: Go's reason string for waiting (and for runnable after a stop, e.g. "preempted"). 0 is "". */
  reason: Uint16Array;
  /**
   * Stack at the transition, or -1: where the goroutine blocked, was stopped or entered the
   * syscall, its creation stack, or its stack at a generation start (Go's StateTransition.Stack).
   * For a runnable interval begun by an unblock, which has no stack of its own, the stack of the
   * event that unblocked it (in the unblocking goroutine).
   */
  stack: Int32Array;
  /** For an interval begun by an unblock: goroutine index of the goroutine that unblocked it, or -1 (the scheduler, netpoll, a timer). */
  waker: Int32Array;
  /**
   * P ID of the event that made the transition (Go's Event.Proc(): the P its thread held), or -1
   * when it held none. For a transition into Running this is the P the goroutine runs on, which
   * is what Go's MMU and syscall accounting read (src/internal/trace/gc.go and summary.go,
   * go1.27). P IDs are small (0 .. GOMAXPROCS-1); an ID above 32767, which only a damaged trace
   * has, is stored as -1.
   */
  proc: Int16Array;
}

export interface TraceProcs {
  length: number;
  /** Go's P ID. */
  id: Float64Array;
  /** Running intervals of proc p are `intervals[intervalStart[p] .. intervalStart[p+1])`. */
  intervalStart: Uint32Array;
}

/** Intervals in which a P was running (bound to a thread), grouped by proc, sorted by start. */
export interface ProcIntervals {
  length: number;
  start: Float64Array;
  end: Float64Array;
  /** Thread (M) ID that ran the P (int64; exact below 2^53). */
  thread: Float64Array;
}

export interface CpuSamples {
  length: number;
  /** ns since trace start, ascending. */
  time: Float64Array;
  /** Goroutine index, or -1 when no goroutine was running. */
  goroutine: Int32Array;
  /** P ID, or -1. */
  proc: Float64Array;
  /** Thread (M) ID. */
  thread: Float64Array;
  stack: Int32Array;
}

/** GC mark phases, stop-the-world pauses, mark assists and sweeps. */
export interface TraceRanges {
  length: number;
  /** RANGE_* */
  kind: Uint8Array;
  /** ns; for a range active at the trace start, the time Go first reported it. */
  start: Float64Array;
  /** ns, NaN while still open at the end of the trace. */
  end: Float64Array;
  /** Goroutine index (STW: the goroutine that stopped the world; assists: the assisting goroutine), or -1. */
  goroutine: Int32Array;
  /** P ID for sweeps, else -1. */
  proc: Float64Array;
  /** STW kind (e.g. "GC mark termination"), index into `strings`, or -1. */
  name: Int32Array;
  /** Stack of the begin event, or -1. */
  stack: Int32Array;
  /** RANGE_ACTIVE_AT_START */
  flags: Uint8Array;
  /** Begin and Active events that reported this range: Go re-reports a range still in progress at each generation start. */
  reports: Uint16Array;
}

export interface TraceTasks {
  length: number;
  /** Go's task ID. */
  id: Float64Array;
  /** Parent task ID, or -1 for none. */
  parent: Float64Array;
  /** Task type name (index into `strings`); "" when only the end was seen. */
  name: Uint32Array;
  /** ns of trace.NewTask, NaN when it began before the trace. */
  start: Float64Array;
  /** ns of task.End, NaN when it did not end within the trace. */
  end: Float64Array;
  startGoroutine: Int32Array;
  endGoroutine: Int32Array;
  startStack: Int32Array;
  endStack: Int32Array;
}

export interface TraceRegions {
  length: number;
  goroutine: Int32Array;
  /** Task ID the region belongs to (0: the background task). */
  task: Float64Array;
  name: Uint32Array;
  /** ns, NaN when it began before the trace. */
  start: Float64Array;
  /** ns, NaN when it did not end within the trace. */
  end: Float64Array;
  startStack: Int32Array;
  endStack: Int32Array;
}

export interface TraceLogs {
  length: number;
  time: Float64Array;
  goroutine: Int32Array;
  task: Float64Array;
  category: Uint32Array;
  message: Uint32Array;
  stack: Int32Array;
}

export interface TraceLabels {
  length: number;
  time: Float64Array;
  goroutine: Int32Array;
  label: Uint32Array;
}

/** One metric over time (step function: each value holds until the next). */
export interface MetricSeries {
  /** Go's metric name: "/memory/classes/heap/objects:bytes" (heap live), "/gc/heap/goal:bytes", "/sched/gomaxprocs:threads". */
  name: string;
  time: Float64Array;
  value: Float64Array;
}

/**
 * Number of goroutines in each state over time (a step function), derived from the transitions.
 * Sampled at most once per GOROUTINE_COUNT_RESOLUTION_NS: a sample holds the counts at the end of
 * its bucket, so bursts shorter than the resolution are not visible.
 */
export interface GoroutineCounts {
  length: number;
  time: Float64Array;
  running: Uint32Array;
  runnable: Uint32Array;
  waiting: Uint32Array;
  syscall: Uint32Array;
}

export interface ClockSnapshot {
  /** Trace time of the snapshot, ns since trace start. */
  traceNs: number;
  /** Wall clock, ns since the Unix epoch. */
  wallNs: bigint;
  /** Monotonic clock, ns. */
  monoNs: bigint;
}

export interface TraceGenerations {
  length: number;
  /** ns of the generation's Sync event. */
  startNs: Float64Array;
  /** Byte range of the generation in the file. */
  byteStart: Float64Array;
  byteEnd: Float64Array;
}

export interface TraceModel {
  kind: 'trace';
  /** Header version, e.g. "1.26". */
  version: string;
  /** Time of the last event minus the first, ns. */
  durationNs: number;
  /** Wall-clock ns (Unix epoch) of the first event, when the trace has a clock snapshot. */
  wallClockStartNs: bigint | null;
  clockSnapshots: ClockSnapshot[];
  generations: TraceGenerations;
  strings: string[];
  frames: FrameTable;
  stacks: StackTable;
  /** Wait/stop reason strings; index 0 is "". */
  reasons: string[];
  goroutines: TraceGoroutines;
  intervals: GoroutineIntervals;
  procs: TraceProcs;
  procIntervals: ProcIntervals;
  cpuSamples: CpuSamples;
  ranges: TraceRanges;
  tasks: TraceTasks;
  regions: TraceRegions;
  logs: TraceLogs;
  labels: TraceLabels;
  /** Go's metrics: heap live, heap goal, GOMAXPROCS. */
  metrics: MetricSeries[];
  /** Goroutines in each state over time. */
  goroutineCounts: GoroutineCounts;
  /** Events of each Go reader kind (EVENT_KIND_NAMES), as Go's reader reports them. */
  eventCounts: Record<string, number>;
  /** Distinct thread (M) IDs on events. */
  threadCount: number;
  /** The trace was damaged or truncated: the model holds what was read before the problem. */
  partial: boolean;
  /** Bytes at the end that were not decoded (0 when complete). */
  lostBytes: number;
  /** Size of the input in bytes. */
  byteLength: number;
}

/** End of interval `i` of goroutine `g`: the next interval's start, or the end of the trace. */
export function intervalEnd(m: TraceModel, g: number, i: number): number {
  const next = i + 1;
  return next < (m.goroutines.intervalStart[g + 1] as number)
    ? (m.intervals.start[next] as number)
    : m.durationNs;
}

/** Goroutine counts are sampled at most once per this many ns (the last value wins). */
export const GOROUTINE_COUNT_RESOLUTION_NS = 50_000;

/** Rows staged in plain arrays before they are copied into the growable columns. */
const STAGE = 1 << 13;

/**
 * Goroutine intervals in event order, one growable column each (see `groupIntervals` for their
 * final layout). Rows are first written to small plain arrays and copied into the columns in
 * bulk: V8 stores into views of resizable buffers several times slower, and this is the hottest
 * store of the decoder.
 */
class IntervalStore {
  /** Rows in the columns; `length` adds the staged ones. */
  private flushed = 0;
  private pos = 0;
  /** Staged rows that trigger a flush: 1 for the first (so that the flush is no new path to
   * code optimized later), then STAGE. */
  private limit = 1;
  g: Uint32Array;
  start: Float64Array;
  state: Uint8Array;
  flags: Uint8Array;
  reason: Uint16Array;
  stack: Int32Array;
  waker: Int32Array;
  proc: Int16Array;
  private readonly sg = new Uint32Array(STAGE);
  private readonly sstart = new Float64Array(STAGE);
  private readonly sstate = new Uint8Array(STAGE);
  private readonly sflags = new Uint8Array(STAGE);
  private readonly sreason = new Uint16Array(STAGE);
  private readonly sstack = new Int32Array(STAGE);
  private readonly swaker = new Int32Array(STAGE);
  private readonly sproc = new Int16Array(STAGE);

  /** `max`: an upper bound of the rows there will be (growing past it still works, by copying). */
  constructor(max: number) {
    const initial = Math.min(max, 1 << 16);
    this.g = reserve(Uint32Array, initial, max);
    this.start = reserve(Float64Array, initial, max);
    this.state = reserve(Uint8Array, initial, max);
    this.flags = reserve(Uint8Array, initial, max);
    this.reason = reserve(Uint16Array, initial, max);
    this.stack = reserve(Int32Array, initial, max);
    this.waker = reserve(Int32Array, initial, max);
    this.proc = reserve(Int16Array, initial, max);
  }

  get length(): number {
    return this.flushed + this.pos;
  }

  add(
    g: number,
    start: number,
    state: number,
    flags: number,
    reason: number,
    stack: number,
    waker: number,
    proc: number,
  ): void {
    const p = this.pos;
    this.sg[p] = g;
    this.sstart[p] = start;
    this.sstate[p] = state;
    this.sflags[p] = flags;
    this.sreason[p] = reason;
    this.sstack[p] = stack;
    this.swaker[p] = waker;
    // Out-of-range IDs (damaged traces) become -1 rather than wrapping around.
    this.sproc[p] = proc >= 0 && proc <= 0x7fff ? proc : -1;
    this.pos = p + 1;
    if (p + 1 === this.limit) this.flush();
  }

  /** Moves the staged rows into the columns. */
  flush(): void {
    const n = this.pos;
    if (n === 0) return;
    const at = this.flushed;
    const need = at + n;
    if (need > this.start.length) {
      const cap = grownLength(this.start.length, need);
      this.g = growTo(this.g, Uint32Array, cap);
      this.start = growTo(this.start, Float64Array, cap);
      this.state = growTo(this.state, Uint8Array, cap);
      this.flags = growTo(this.flags, Uint8Array, cap);
      this.reason = growTo(this.reason, Uint16Array, cap);
      this.stack = growTo(this.stack, Int32Array, cap);
      this.waker = growTo(this.waker, Int32Array, cap);
      this.proc = growTo(this.proc, Int16Array, cap);
    }
    this.g.set(this.sg.subarray(0, n), at);
    this.start.set(this.sstart.subarray(0, n), at);
    this.state.set(this.sstate.subarray(0, n), at);
    this.flags.set(this.sflags.subarray(0, n), at);
    this.reason.set(this.sreason.subarray(0, n), at);
    this.stack.set(this.sstack.subarray(0, n), at);
    this.waker.set(this.swaker.subarray(0, n), at);
    this.proc.set(this.sproc.subarray(0, n), at);
    this.flushed = need;
    this.pos = 0;
    this.limit = STAGE;
  }
}

// Scatters rows to their grouped places. One function per element type: a generic one would be
// polymorphic at its hot store and several times slower.

/**
 * Scatters 32-bit half `half` (0 or 1) of each 8-byte element of `words` (a Uint32Array view of a
 * Float64Array) through `tmp`, and writes it back in its new order.
 */
function scatterHalf(words: Uint32Array, half: number, tmp: Uint32Array, dest: Uint32Array): void {
  const n = tmp.length;
  for (let i = 0; i < n; i++) tmp[dest[i] as number] = words[2 * i + half] as number;
  for (let i = 0; i < n; i++) words[2 * i + half] = tmp[i] as number;
}

function scatterF64(src: Float64Array, out: Float64Array, dest: Uint32Array): Float64Array {
  const n = out.length;
  for (let i = 0; i < n; i++) out[dest[i] as number] = src[i] as number;
  return out;
}

function scatterI32(src: Int32Array, out: Int32Array, dest: Uint32Array): Int32Array {
  const n = out.length;
  for (let i = 0; i < n; i++) out[dest[i] as number] = src[i] as number;
  return out;
}

function scatterU16(src: Uint16Array, out: Uint16Array, dest: Uint32Array): Uint16Array {
  const n = out.length;
  for (let i = 0; i < n; i++) out[dest[i] as number] = src[i] as number;
  return out;
}

function scatterI16(src: Int16Array, out: Int16Array, dest: Uint32Array): Int16Array {
  const n = out.length;
  for (let i = 0; i < n; i++) out[dest[i] as number] = src[i] as number;
  return out;
}

function scatterU8(src: Uint8Array, out: Uint8Array, dest: Uint32Array): Uint8Array {
  const n = out.length;
  for (let i = 0; i < n; i++) out[dest[i] as number] = src[i] as number;
  return out;
}

/** Counting-sort destinations grouping rows by `key` (stable), and the group offsets. */
function groupBy(
  keyOf: (i: number) => number,
  rows: number,
  groups: number,
): { offsets: Uint32Array; dest: Uint32Array } {
  const offsets = new Uint32Array(groups + 1);
  for (let i = 0; i < rows; i++) {
    const k = keyOf(i) + 1;
    offsets[k] = (offsets[k] as number) + 1;
  }
  for (let k = 0; k < groups; k++) {
    offsets[k + 1] = (offsets[k + 1] as number) + (offsets[k] as number);
  }
  const cursor = offsets.slice(0, groups);
  const dest = new Uint32Array(rows);
  for (let i = 0; i < rows; i++) {
    const k = keyOf(i);
    const d = cursor[k] as number;
    dest[i] = d;
    cursor[k] = d + 1;
  }
  return { offsets, dest };
}

interface Finishable {
  length: number;
  finish(): Float64Array | Int32Array | Uint32Array | Uint16Array | Uint8Array;
}
type Finished<C> = { length: number } & {
  [K in keyof C]: C[K] extends { finish(): infer T } ? T : never;
};

function finishColumns<C extends Record<string, Finishable>>(cols: C): Finished<C> {
  const out: Record<string, unknown> = {};
  let length = 0;
  for (const [k, c] of Object.entries(cols)) {
    length = c.length;
    out[k] = c.finish();
  }
  out.length = length;
  return out as Finished<C>;
}

/**
 * Writes a TraceModel. The decoder calls it in Go's event order with absolute times (ns as Go's
 * reader computes them); the builder rebases them on the first event and lays out the columns.
 */
export class TraceBuilder {
  readonly strings = new StringTable();
  readonly stackBuilder = new StackBuilder(this.strings);
  /** Root frame function of each interned stack (for goroutine start functions). */
  private readonly stackRootFunc = new I32Col(1024);
  private origin = NaN;
  private last = NaN;

  // Goroutines, by goroutine index.
  private readonly gIndex = new Map<number, number>();
  private readonly gId = new F64Col(1024);
  private readonly gParent = new I32Col(1024);
  private readonly gCreateStack = new I32Col(1024);
  private readonly gStartStack = new I32Col(1024);
  private readonly gStartFunc = new I32Col(1024);
  private readonly gCreated = new F64Col(1024);
  /**
   * Current state and reason, for status events that re-state a state. Not part of the model, and
   * read and written at every transition: plain arrays (faster than views of resizable buffers).
   */
  private gState = new Uint8Array(1024);
  private gReason = new Uint16Array(1024);
  private readonly iv: IntervalStore;
  private readonly reasonIndex = new Map<number, number>([[-1, 0]]);
  private readonly reasons: string[] = [''];

  // Procs, by proc index.
  private readonly pIndex = new Map<number, number>();
  private readonly pId = new F64Col(64);
  private readonly pOpen = new F64Col(64);
  private readonly pOpenThread = new F64Col(64);
  private readonly pi = {
    p: new U32Col(4096),
    start: new F64Col(4096),
    end: new F64Col(4096),
    thread: new F64Col(4096),
  };

  private readonly cpu = {
    time: new F64Col(),
    goroutine: new I32Col(),
    proc: new F64Col(),
    thread: new F64Col(),
    stack: new I32Col(),
  };
  private readonly rg = {
    kind: new U8Col(),
    start: new F64Col(),
    end: new F64Col(),
    goroutine: new I32Col(),
    proc: new F64Col(),
    name: new I32Col(),
    stack: new I32Col(),
    flags: new U8Col(),
    reports: new U16Col(),
  };
  private readonly tk = {
    id: new F64Col(),
    parent: new F64Col(),
    name: new U32Col(),
    start: new F64Col(),
    end: new F64Col(),
    startGoroutine: new I32Col(),
    endGoroutine: new I32Col(),
    startStack: new I32Col(),
    endStack: new I32Col(),
  };
  private readonly rn = {
    goroutine: new I32Col(),
    task: new F64Col(),
    name: new U32Col(),
    start: new F64Col(),
    end: new F64Col(),
    startStack: new I32Col(),
    endStack: new I32Col(),
  };
  private readonly lg = {
    time: new F64Col(64),
    goroutine: new I32Col(64),
    task: new F64Col(64),
    category: new U32Col(64),
    message: new U32Col(64),
    stack: new I32Col(64),
  };
  private readonly lb = {
    time: new F64Col(64),
    goroutine: new I32Col(64),
    label: new U32Col(64),
  };
  private readonly metricSeries = new Map<string, { time: F64Col; value: F64Col }>();
  private readonly gen = {
    startNs: new F64Col(64),
    byteStart: new F64Col(64),
    byteEnd: new F64Col(64),
  };
  private readonly snapshots: Array<{ traceAbs: number; wallNs: bigint; monoNs: bigint }> = [];
  readonly eventCounts = new Float64Array(EVENT_KIND_NAMES.length);

  // Goroutine counts by state, sampled (see GOROUTINE_COUNT_RESOLUTION_NS).
  private readonly stateCount = new Float64Array(6);
  private readonly counts = {
    time: new F64Col(4096),
    running: new U32Col(4096),
    runnable: new U32Col(4096),
    waiting: new U32Col(4096),
    syscall: new U32Col(4096),
  };
  private countBucket = -Infinity;

  /**
   * `maxIntervals`: an upper bound of the goroutine transitions to come (the decoder passes the
   * input's size: every transition takes at least a byte). Memory for them is reserved up front
   * and committed as they come.
   */
  constructor(options: { maxIntervals?: number } = {}) {
    this.iv = new IntervalStore(Math.max(1024, options.maxIntervals ?? 1 << 24));
  }

  /** Counts one event of Go reader kind `kind` (EK_*). */
  count(kind: number): void {
    const c = this.eventCounts;
    c[kind] = (c[kind] as number) + 1;
  }

  /** Records the time of an event in Go's order (every emitted event passes here). */
  time(t: number): void {
    if (this.origin !== this.origin) this.origin = t;
    this.last = t;
  }

  /** The goroutine index of Go goroutine ID `id`, created on first use. */
  goroutine(id: number): number {
    let i = this.gIndex.get(id);
    if (i === undefined) {
      i = this.gId.push(id);
      this.gParent.push(-1);
      this.gCreateStack.push(-1);
      this.gStartStack.push(-1);
      this.gStartFunc.push(-1);
      this.gCreated.push(NaN);
      if (i === this.gState.length) {
        // New entries are 0: GS_UNDETERMINED, reason "".
        const state = new Uint8Array(2 * i);
        state.set(this.gState);
        this.gState = state;
        const reason = new Uint16Array(2 * i);
        reason.set(this.gReason);
        this.gReason = reason;
      }
      this.gIndex.set(id, i);
    }
    return i;
  }

  /** Index into the reason table of string `s` (an index into `strings`); -1 gives "". */
  reason(s: number): number {
    let r = this.reasonIndex.get(s);
    if (r === undefined) {
      // More distinct reasons than a Uint16 holds only in a damaged trace: they share the last slot.
      r = Math.min(this.reasons.length, 0xffff);
      if (r === this.reasons.length) this.reasons.push(this.strings.strings[s] ?? '');
      this.reasonIndex.set(s, r);
    }
    return r;
  }

  /**
   * A goroutine state transition of goroutine index `g` into `to` at absolute time `t`.
   * `reason` is a reason-table index (see `reason`), `flags` IV_*, `proc` the P ID of the
   * event's context (-1: none).
   */
  goTransition(
    t: number,
    g: number,
    to: number,
    reason: number,
    stack: number,
    waker: number,
    flags: number,
    proc = -1,
  ): void {
    const state = this.gState;
    const reasons = this.gReason;
    const from = state[g] as number;
    // Read unconditionally: status events come only at generation starts, and a load first
    // reached after the method was optimized would throw the optimized code away.
    const carried = reasons[g] as number;
    if (flags & IV_STATUS && from === to) reason = carried;
    this.iv.add(g, t - this.origin, to, flags, reason, stack, waker, proc);
    state[g] = to;
    reasons[g] = reason;
    if (stack >= 0) {
      const sf = this.gStartFunc.buf;
      if ((sf[g] as number) < 0) sf[g] = this.rootFunc(stack);
    }
    if (from !== to) {
      const c = this.stateCount;
      c[from] = (c[from] as number) - 1;
      c[to] = (c[to] as number) + 1;
      this.sampleCounts(t);
    }
  }

  /** Creation details of a goroutine created within the trace (Go's GoCreate). */
  goCreated(t: number, g: number, parent: number, createStack: number, startStack: number): void {
    this.gParent.set(g, parent);
    this.gCreateStack.set(g, createStack);
    this.gStartStack.set(g, startStack);
    this.gCreated.set(g, t - this.origin);
  }

  private rootFunc(stack: number): number {
    return stack < this.stackRootFunc.length ? this.stackRootFunc.get(stack) : -1;
  }

  /**
   * Interns a stack given its frame indexes (from `stackBuilder.frame`) from the root (outermost)
   * to the leaf; `rootFunc` is the root frame's function (index into `strings`). -1 when empty.
   */
  internStack(rootFirst: ArrayLike<number>, count: number, rootFunc: number): number {
    const sb = this.stackBuilder;
    let s = -1;
    for (let i = 0; i < count; i++) s = sb.stack(s, rootFirst[i] as number);
    if (s >= 0) {
      const r = this.stackRootFunc;
      while (r.length <= s) r.push(-1);
      r.set(s, rootFunc);
    }
    return s;
  }

  private sampleCounts(t: number): void {
    const c = this.counts;
    const s = this.stateCount;
    const bucket = Math.floor(t / GOROUTINE_COUNT_RESOLUTION_NS);
    if (bucket === this.countBucket) {
      const i = c.time.length - 1;
      c.running.set(i, s[GS_RUNNING] as number);
      c.runnable.set(i, s[GS_RUNNABLE] as number);
      c.waiting.set(i, s[GS_WAITING] as number);
      c.syscall.set(i, s[GS_SYSCALL] as number);
      return;
    }
    this.countBucket = bucket;
    c.time.push(t - this.origin);
    c.running.push(s[GS_RUNNING] as number);
    c.runnable.push(s[GS_RUNNABLE] as number);
    c.waiting.push(s[GS_WAITING] as number);
    c.syscall.push(s[GS_SYSCALL] as number);
  }

  private procIndex(id: number): number {
    let i = this.pIndex.get(id);
    if (i === undefined) {
      i = this.pId.push(id);
      this.pOpen.push(NaN);
      this.pOpenThread.push(-1);
      this.pIndex.set(id, i);
    }
    return i;
  }

  /** A proc state transition; `running` is the state entered (Go's ProcRunning). */
  procTransition(t: number, id: number, running: boolean, thread: number): void {
    const p = this.procIndex(id);
    const open = this.pOpen.get(p);
    if (running) {
      if (open !== open) {
        this.pOpen.set(p, t - this.origin);
        this.pOpenThread.set(p, thread);
      }
    } else if (open === open) {
      this.closeProc(p, t - this.origin);
    }
  }

  private closeProc(p: number, end: number): void {
    const pi = this.pi;
    pi.p.push(p);
    pi.start.push(this.pOpen.get(p));
    pi.end.push(end);
    pi.thread.push(this.pOpenThread.get(p));
    this.pOpen.set(p, NaN);
  }

  cpuSample(t: number, g: number, proc: number, thread: number, stack: number): void {
    const c = this.cpu;
    c.time.push(t - this.origin);
    c.goroutine.push(g);
    c.proc.push(proc);
    c.thread.push(thread);
    c.stack.push(stack);
  }

  /** Begins (or, with `activeAtStart`, reports as already running) a range; returns its index. */
  rangeBegin(
    kind: number,
    t: number,
    g: number,
    proc: number,
    name: number,
    stack: number,
    activeAtStart: boolean,
  ): number {
    const r = this.rg;
    r.kind.push(kind);
    r.start.push(t - this.origin);
    r.end.push(NaN);
    r.goroutine.push(g);
    r.proc.push(proc);
    r.name.push(name);
    r.stack.push(stack);
    r.flags.push(activeAtStart ? RANGE_ACTIVE_AT_START : 0);
    return r.reports.push(1);
  }

  /** Go reported range `i` again (RangeActive at a later generation's start). */
  rangeReported(i: number): void {
    const r = this.rg.reports;
    r.set(i, Math.min(0xffff, r.get(i) + 1));
  }

  rangeEnd(i: number, t: number): void {
    this.rg.end.set(i, t - this.origin);
  }

  taskBegin(t: number, id: number, parent: number, name: number, g: number, stack: number): number {
    const k = this.tk;
    k.id.push(id);
    k.parent.push(parent);
    k.name.push(name);
    k.start.push(t - this.origin);
    k.end.push(NaN);
    k.startGoroutine.push(g);
    k.endGoroutine.push(-1);
    k.startStack.push(stack);
    return k.endStack.push(-1);
  }

  /** Ends task `i`, or records an end for a task begun before the trace when `i` < 0. */
  taskEnd(i: number, t: number, id: number, g: number, stack: number): void {
    const k = this.tk;
    if (i < 0) {
      k.id.push(id);
      k.parent.push(-1);
      k.name.push(this.strings.intern(''));
      k.start.push(NaN);
      k.end.push(t - this.origin);
      k.startGoroutine.push(-1);
      k.endGoroutine.push(g);
      k.startStack.push(-1);
      k.endStack.push(stack);
      return;
    }
    k.end.set(i, t - this.origin);
    k.endGoroutine.set(i, g);
    k.endStack.set(i, stack);
  }

  regionBegin(t: number, g: number, task: number, name: number, stack: number): number {
    const r = this.rn;
    r.goroutine.push(g);
    r.task.push(task);
    r.name.push(name);
    r.start.push(t - this.origin);
    r.end.push(NaN);
    r.startStack.push(stack);
    return r.endStack.push(-1);
  }

  /** Ends region `i`, or records one begun before the trace when `i` < 0. */
  regionEnd(i: number, t: number, g: number, task: number, name: number, stack: number): void {
    const r = this.rn;
    if (i < 0) {
      r.goroutine.push(g);
      r.task.push(task);
      r.name.push(name);
      r.start.push(NaN);
      r.end.push(t - this.origin);
      r.startStack.push(-1);
      r.endStack.push(stack);
      return;
    }
    r.end.set(i, t - this.origin);
    r.endStack.set(i, stack);
  }

  log(t: number, g: number, task: number, category: number, message: number, stack: number): void {
    const l = this.lg;
    l.time.push(t - this.origin);
    l.goroutine.push(g);
    l.task.push(task);
    l.category.push(category);
    l.message.push(message);
    l.stack.push(stack);
  }

  label(t: number, g: number, label: number): void {
    const l = this.lb;
    l.time.push(t - this.origin);
    l.goroutine.push(g);
    l.label.push(label);
  }

  metric(name: string, t: number, value: number): void {
    let s = this.metricSeries.get(name);
    if (!s) {
      s = { time: new F64Col(), value: new F64Col() };
      this.metricSeries.set(name, s);
    }
    s.time.push(t - this.origin);
    s.value.push(value);
  }

  generation(t: number, byteStart: number, byteEnd: number): void {
    this.gen.startNs.push(t - this.origin);
    this.gen.byteStart.push(byteStart);
    this.gen.byteEnd.push(byteEnd);
  }

  /** A clock snapshot; `traceAbs` is the absolute trace time (rebased in finish). */
  clockSnapshot(traceAbs: number, wallNs: bigint, monoNs: bigint): void {
    this.snapshots.push({ traceAbs, wallNs, monoNs });
  }

  finish(meta: {
    version: string;
    threadCount: number;
    partial: boolean;
    lostBytes: number;
    byteLength: number;
  }): TraceModel {
    const hasEvents = this.origin === this.origin;
    const durationNs = hasEvents ? this.last - this.origin : 0;
    // Procs still running at the end close there.
    for (let p = 0; p < this.pId.length; p++) {
      if (this.pOpen.get(p) === this.pOpen.get(p)) this.closeProc(p, durationNs);
    }
    const { frames, stacks } = this.stackBuilder.finish();
    const first = this.snapshots[0];
    const wallClockStartNs =
      first && hasEvents ? first.wallNs - BigInt(Math.round(first.traceAbs - this.origin)) : null;
    const eventCounts: Record<string, number> = {};
    EVENT_KIND_NAMES.forEach((name, i) => {
      const n = this.eventCounts[i] as number;
      if (n > 0) eventCounts[name] = n;
    });
    const goroutineCount = this.gId.length;
    const { offsets, intervals } = this.groupIntervals(goroutineCount);
    const procs = this.groupProcs();
    const metrics: MetricSeries[] = [];
    for (const [name, s] of this.metricSeries) {
      metrics.push({ name, time: s.time.finish(), value: s.value.finish() });
    }
    return {
      kind: 'trace',
      version: meta.version,
      durationNs,
      wallClockStartNs,
      clockSnapshots: this.snapshots.map((s) => ({
        traceNs: s.traceAbs - this.origin,
        wallNs: s.wallNs,
        monoNs: s.monoNs,
      })),
      generations: finishColumns(this.gen),
      strings: this.strings.strings,
      frames,
      stacks,
      reasons: this.reasons,
      goroutines: {
        length: goroutineCount,
        id: this.gId.finish(),
        parent: this.gParent.finish(),
        createStack: this.gCreateStack.finish(),
        startStack: this.gStartStack.finish(),
        startFunc: this.gStartFunc.finish(),
        createdNs: this.gCreated.finish(),
        intervalStart: offsets,
      },
      intervals,
      procs: procs.procs,
      procIntervals: procs.intervals,
      cpuSamples: finishColumns(this.cpu),
      ranges: finishColumns(this.rg),
      tasks: finishColumns(this.tk),
      regions: finishColumns(this.rn),
      logs: finishColumns(this.lg),
      labels: finishColumns(this.lb),
      metrics,
      goroutineCounts: finishColumns(this.counts),
      eventCounts,
      threadCount: meta.threadCount,
      partial: meta.partial,
      lostBytes: meta.lostBytes,
      byteLength: meta.byteLength,
    };
  }

  /**
   * Groups the intervals by goroutine, keeping time order within each (a stable counting sort).
   * The goroutine column becomes each row's destination; then each column in turn is scattered
   * into one 4-byte scratch column and copied back (the times as two halves), so the grouped
   * columns stay in the memory they grew in: the peak is the intervals plus 4 bytes a row, and
   * little fresh memory is touched (which is slow: the OS zero-fills every new page).
   */
  private groupIntervals(n: number): { offsets: Uint32Array; intervals: GoroutineIntervals } {
    const iv = this.iv;
    iv.flush();
    const len = iv.length;
    const dest = iv.g;
    const offsets = new Uint32Array(n + 1);
    for (let i = 0; i < len; i++) {
      const k = (dest[i] as number) + 1;
      offsets[k] = (offsets[k] as number) + 1;
    }
    for (let k = 0; k < n; k++)
      offsets[k + 1] = (offsets[k + 1] as number) + (offsets[k] as number);
    const cursor = offsets.slice(0, n);
    for (let i = 0; i < len; i++) {
      const g = dest[i] as number;
      const d = cursor[g] as number;
      dest[i] = d;
      cursor[g] = d + 1;
    }
    // One 4-byte scratch column; the 8-byte times go through it as two 32-bit halves.
    const scratch = new ArrayBuffer(len * 4);
    const u32 = new Uint32Array(scratch, 0, len);
    const i32 = new Int32Array(scratch, 0, len);
    const u16 = new Uint16Array(scratch, 0, len);
    const u8 = new Uint8Array(scratch, 0, len);
    const start = trimTo(iv.start, Float64Array, len);
    const words = new Uint32Array(start.buffer, 0, 2 * len);
    scatterHalf(words, 0, u32, dest);
    scatterHalf(words, 1, u32, dest);
    const state = trimTo(iv.state, Uint8Array, len);
    state.set(scatterU8(state, u8, dest));
    const flags = trimTo(iv.flags, Uint8Array, len);
    flags.set(scatterU8(flags, u8, dest));
    const reason = trimTo(iv.reason, Uint16Array, len);
    reason.set(scatterU16(reason, u16, dest));
    const stack = trimTo(iv.stack, Int32Array, len);
    stack.set(scatterI32(stack, i32, dest));
    const waker = trimTo(iv.waker, Int32Array, len);
    waker.set(scatterI32(waker, i32, dest));
    const proc = trimTo(iv.proc, Int16Array, len);
    proc.set(scatterI16(proc, new Int16Array(scratch, 0, len), dest));
    release(iv.g);
    return {
      offsets,
      intervals: { length: len, start, state, flags, reason, stack, waker, proc },
    };
  }

  private groupProcs(): { procs: TraceProcs; intervals: ProcIntervals } {
    const pi = this.pi;
    const len = pi.start.length;
    const pcol = pi.p.finish();
    const { offsets, dest } = groupBy((i) => pcol[i] as number, len, this.pId.length);
    return {
      procs: { length: this.pId.length, id: this.pId.finish(), intervalStart: offsets },
      intervals: {
        length: len,
        start: scatterF64(pi.start.finish(), new Float64Array(len), dest),
        end: scatterF64(pi.end.finish(), new Float64Array(len), dest),
        thread: scatterF64(pi.thread.finish(), new Float64Array(len), dest),
      },
    };
  }
}
