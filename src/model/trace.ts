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
// "none" (-1) is exact. Every column is a typed array; large columns may be views of resizable
// ArrayBuffers (transferable) or, built in an isolated page's worker, of growable
// SharedArrayBuffers (shared, not transferred): they grew in place, see model/columns.ts.
//
// The decoders write a model through TraceBuilder (traceBuilder.ts).

import { lowerBound } from '../base/search';
import type { FrameTable, StackTable } from './stacks';

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
  /**
   * Index into `reasons`: Go's reason string for waiting (and for runnable after a stop, e.g.
   * "preempted"). 0 is "". One byte: Go has a few dozen reasons; past 255 distinct ones (a
   * damaged trace) they share the last.
   */
  reason: Uint8Array;
  /**
   * Stack at the transition, or -1: where the goroutine blocked, was stopped or entered the
   * syscall, its creation stack, or its stack at a generation start (Go's StateTransition.Stack).
   * For a runnable interval begun by an unblock, which has no stack of its own, the stack of the
   * event that unblocked it (in the unblocking goroutine).
   */
  stack: Int32Array;
  /**
   * The intervals begun by an unblock from a goroutine, ascending (about one interval in six on
   * the spike program's traces, so they are kept apart rather than as a column of -1s: 4 bytes
   * an interval saved). Read them with `wakerOf`.
   */
  wakerAt: Uint32Array;
  /**
   * `wakerG[k]`: goroutine index of the goroutine whose unblock began interval `wakerAt[k]`.
   * Intervals not in `wakerAt` have no waker goroutine (not an unblock, or one by the scheduler,
   * netpoll or a timer).
   */
  wakerG: Int32Array;
  /**
   * Per goroutine (length goroutines + 1): goroutine g's intervals with a waker are
   * `wakerAt[wakerStart[g] .. wakerStart[g+1])`, so that `wakerOf` searches only those.
   */
  wakerStart: Uint32Array;
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

/**
 * For interval i of goroutine g, begun by an unblock: goroutine index of the goroutine that
 * unblocked it, or -1 (not an unblock, or the scheduler, netpoll, a timer).
 */
export function wakerOf(iv: GoroutineIntervals, g: number, i: number): number {
  const end = iv.wakerStart[g + 1] as number;
  const k = lowerBound(iv.wakerAt, i, iv.wakerStart[g] as number, end);
  return k < end && iv.wakerAt[k] === i ? (iv.wakerG[k] as number) : -1;
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
