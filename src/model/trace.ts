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
// Goroutine states use Go's GoState numbering (src/internal/trace/resources.go, go1.26).

import { Column, StringTable } from '../base/growable';
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
  /** Go's metric name ("/gc/heap/goal:bytes") or a derived one ("goroutines:running"). */
  name: string;
  time: Float64Array;
  value: Float64Array;
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
  /** Heap live ("/memory/classes/heap/objects:bytes"), heap goal, GOMAXPROCS, goroutine counts. */
  metrics: MetricSeries[];
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
const COUNT_RESOLUTION_NS = 1000;

/**
 * Writes a TraceModel. The decoder calls it in Go's event order with absolute times (ns as Go's
 * reader computes them); the builder rebases them on the first event and lays out the columns.
 */
export class TraceBuilder {
  readonly strings = new StringTable();
  readonly stackBuilder = new StackBuilder(this.strings);
  /** Root frame function of each interned stack (for goroutine start functions). */
  private readonly stackRootFunc = new Column(Int32Array);
  private origin = NaN;
  private last = NaN;

  // Goroutines.
  private readonly gIndex = new Map<number, number>();
  private readonly g = {
    id: new Column(Float64Array),
    parent: new Column(Int32Array),
    createStack: new Column(Int32Array),
    startStack: new Column(Int32Array),
    startFunc: new Column(Int32Array),
    createdNs: new Column(Float64Array),
    state: new Column(Uint8Array),
    reason: new Column(Uint16Array),
  };
  // Intervals in event order; grouped by goroutine in finish().
  private readonly iv = {
    g: new Column(Uint32Array, 1 << 16),
    start: new Column(Float64Array, 1 << 16),
    state: new Column(Uint8Array, 1 << 16),
    flags: new Column(Uint8Array, 1 << 16),
    reason: new Column(Uint16Array, 1 << 16),
    stack: new Column(Int32Array, 1 << 16),
    waker: new Column(Int32Array, 1 << 16),
  };
  private readonly reasonIndex = new Map<number, number>([[-1, 0]]);
  private readonly reasons: string[] = [''];

  // Procs.
  private readonly pIndex = new Map<number, number>();
  private readonly pId = new Column(Float64Array, 64);
  private readonly pOpen = new Column(Float64Array, 64);
  private readonly pOpenThread = new Column(Float64Array, 64);
  private readonly pi = {
    p: new Column(Uint32Array),
    start: new Column(Float64Array),
    end: new Column(Float64Array),
    thread: new Column(Float64Array),
  };

  private readonly cpu = {
    time: new Column(Float64Array),
    goroutine: new Column(Int32Array),
    proc: new Column(Float64Array),
    thread: new Column(Float64Array),
    stack: new Column(Int32Array),
  };
  private readonly rg = {
    kind: new Column(Uint8Array, 256),
    start: new Column(Float64Array, 256),
    end: new Column(Float64Array, 256),
    goroutine: new Column(Int32Array, 256),
    proc: new Column(Float64Array, 256),
    name: new Column(Int32Array, 256),
    stack: new Column(Int32Array, 256),
    flags: new Column(Uint8Array, 256),
    reports: new Column(Uint16Array, 256),
  };
  private readonly tk = {
    id: new Column(Float64Array, 256),
    parent: new Column(Float64Array, 256),
    name: new Column(Uint32Array, 256),
    start: new Column(Float64Array, 256),
    end: new Column(Float64Array, 256),
    startGoroutine: new Column(Int32Array, 256),
    endGoroutine: new Column(Int32Array, 256),
    startStack: new Column(Int32Array, 256),
    endStack: new Column(Int32Array, 256),
  };
  private readonly rn = {
    goroutine: new Column(Int32Array, 256),
    task: new Column(Float64Array, 256),
    name: new Column(Uint32Array, 256),
    start: new Column(Float64Array, 256),
    end: new Column(Float64Array, 256),
    startStack: new Column(Int32Array, 256),
    endStack: new Column(Int32Array, 256),
  };
  private readonly lg = {
    time: new Column(Float64Array, 64),
    goroutine: new Column(Int32Array, 64),
    task: new Column(Float64Array, 64),
    category: new Column(Uint32Array, 64),
    message: new Column(Uint32Array, 64),
    stack: new Column(Int32Array, 64),
  };
  private readonly lb = {
    time: new Column(Float64Array, 64),
    goroutine: new Column(Int32Array, 64),
    label: new Column(Uint32Array, 64),
  };
  private readonly metricSeries = new Map<
    string,
    { time: Column<Float64Array>; value: Column<Float64Array> }
  >();
  private readonly gen = {
    startNs: new Column(Float64Array, 64),
    byteStart: new Column(Float64Array, 64),
    byteEnd: new Column(Float64Array, 64),
  };
  private readonly snapshots: Array<{ traceAbs: number; wallNs: bigint; monoNs: bigint }> = [];
  readonly eventCounts = new Float64Array(EVENT_KIND_NAMES.length);

  // Goroutine counts by state, sampled (see COUNT_RESOLUTION_NS).
  private readonly stateCount = new Float64Array(6);
  private readonly counts = {
    time: new Column(Float64Array),
    running: new Column(Float64Array),
    runnable: new Column(Float64Array),
    waiting: new Column(Float64Array),
    syscall: new Column(Float64Array),
  };
  private countBucket = -Infinity;

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

  private rel(t: number): number {
    return t - this.origin;
  }

  /** The goroutine index of Go goroutine ID `id`, created on first use. */
  goroutine(id: number): number {
    let i = this.gIndex.get(id);
    if (i === undefined) {
      const g = this.g;
      i = g.id.push(id);
      g.parent.push(-1);
      g.createStack.push(-1);
      g.startStack.push(-1);
      g.startFunc.push(-1);
      g.createdNs.push(NaN);
      g.state.push(GS_UNDETERMINED);
      g.reason.push(0);
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
   * `reason` is a reason-table index (see `reason`), `flags` IV_*.
   */
  goTransition(
    t: number,
    g: number,
    to: number,
    reason: number,
    stack: number,
    waker: number,
    flags: number,
  ): void {
    const gs = this.g;
    const from = gs.state.get(g);
    if (flags & IV_STATUS && from === to) reason = gs.reason.get(g);
    const iv = this.iv;
    iv.g.push(g);
    iv.start.push(this.rel(t));
    iv.state.push(to);
    iv.flags.push(flags);
    iv.reason.push(reason);
    iv.stack.push(stack);
    iv.waker.push(waker);
    gs.state.set(g, to);
    gs.reason.set(g, reason);
    if (stack >= 0 && gs.startFunc.get(g) < 0) gs.startFunc.set(g, this.rootFunc(stack));
    if (from !== to) {
      const c = this.stateCount;
      c[from] = (c[from] as number) - 1;
      c[to] = (c[to] as number) + 1;
      this.sampleCounts(t);
    }
  }

  /** Creation details of a goroutine created within the trace (Go's GoCreate). */
  goCreated(t: number, g: number, parent: number, createStack: number, startStack: number): void {
    const gs = this.g;
    gs.parent.set(g, parent);
    gs.createStack.set(g, createStack);
    gs.startStack.set(g, startStack);
    gs.createdNs.set(g, this.rel(t));
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
    const bucket = Math.floor(t / COUNT_RESOLUTION_NS);
    const s = this.stateCount;
    if (bucket === this.countBucket) {
      const i = c.time.length - 1;
      c.running.set(i, s[GS_RUNNING] as number);
      c.runnable.set(i, s[GS_RUNNABLE] as number);
      c.waiting.set(i, s[GS_WAITING] as number);
      c.syscall.set(i, s[GS_SYSCALL] as number);
      return;
    }
    this.countBucket = bucket;
    c.time.push(this.rel(t));
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
        this.pOpen.set(p, this.rel(t));
        this.pOpenThread.set(p, thread);
      }
    } else if (open === open) {
      this.closeProc(p, this.rel(t));
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
    c.time.push(this.rel(t));
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
    r.start.push(this.rel(t));
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
    this.rg.end.set(i, this.rel(t));
  }

  taskBegin(t: number, id: number, parent: number, name: number, g: number, stack: number): number {
    const k = this.tk;
    k.id.push(id);
    k.parent.push(parent);
    k.name.push(name);
    k.start.push(this.rel(t));
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
      k.end.push(this.rel(t));
      k.startGoroutine.push(-1);
      k.endGoroutine.push(g);
      k.startStack.push(-1);
      k.endStack.push(stack);
      return;
    }
    k.end.set(i, this.rel(t));
    k.endGoroutine.set(i, g);
    k.endStack.set(i, stack);
  }

  regionBegin(t: number, g: number, task: number, name: number, stack: number): number {
    const r = this.rn;
    r.goroutine.push(g);
    r.task.push(task);
    r.name.push(name);
    r.start.push(this.rel(t));
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
      r.end.push(this.rel(t));
      r.startStack.push(-1);
      r.endStack.push(stack);
      return;
    }
    r.end.set(i, this.rel(t));
    r.endStack.set(i, stack);
  }

  log(t: number, g: number, task: number, category: number, message: number, stack: number): void {
    const l = this.lg;
    l.time.push(this.rel(t));
    l.goroutine.push(g);
    l.task.push(task);
    l.category.push(category);
    l.message.push(message);
    l.stack.push(stack);
  }

  label(t: number, g: number, label: number): void {
    const l = this.lb;
    l.time.push(this.rel(t));
    l.goroutine.push(g);
    l.label.push(label);
  }

  metric(name: string, t: number, value: number): void {
    let s = this.metricSeries.get(name);
    if (!s) {
      s = { time: new Column(Float64Array, 256), value: new Column(Float64Array, 256) };
      this.metricSeries.set(name, s);
    }
    s.time.push(this.rel(t));
    s.value.push(value);
  }

  generation(t: number, byteStart: number, byteEnd: number): void {
    this.gen.startNs.push(this.rel(t));
    this.gen.byteStart.push(byteStart);
    this.gen.byteEnd.push(byteEnd);
  }

  /** A clock snapshot; `traceAbs` is the absolute trace time (rebased in finish). */
  clockSnapshot(traceAbs: number, wallNs: bigint, monoNs: bigint): void {
    this.snapshots.push({ traceAbs, wallNs, monoNs });
  }

  get intervalCount(): number {
    return this.iv.start.length;
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
    const g = this.g;
    const goroutineCount = g.id.length;
    const { offsets, intervals } = this.groupIntervals(goroutineCount);
    const procs = this.groupProcs();
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
      generations: {
        length: this.gen.startNs.length,
        startNs: this.gen.startNs.finish(),
        byteStart: this.gen.byteStart.finish(),
        byteEnd: this.gen.byteEnd.finish(),
      },
      strings: this.strings.strings,
      frames,
      stacks,
      reasons: this.reasons,
      goroutines: {
        length: goroutineCount,
        id: g.id.finish(),
        parent: g.parent.finish(),
        createStack: g.createStack.finish(),
        startStack: g.startStack.finish(),
        startFunc: g.startFunc.finish(),
        createdNs: g.createdNs.finish(),
        intervalStart: offsets,
      },
      intervals,
      procs: procs.procs,
      procIntervals: procs.intervals,
      cpuSamples: {
        length: this.cpu.time.length,
        time: this.cpu.time.finish(),
        goroutine: this.cpu.goroutine.finish(),
        proc: this.cpu.proc.finish(),
        thread: this.cpu.thread.finish(),
        stack: this.cpu.stack.finish(),
      },
      ranges: finishColumns(this.rg),
      tasks: finishColumns(this.tk),
      regions: finishColumns(this.rn),
      logs: finishColumns(this.lg),
      labels: finishColumns(this.lb),
      metrics: this.finishMetrics(),
      eventCounts,
      threadCount: meta.threadCount,
      partial: meta.partial,
      lostBytes: meta.lostBytes,
      byteLength: meta.byteLength,
    };
  }

  /** Groups the intervals by goroutine (a stable counting sort: time order is kept within each). */
  private groupIntervals(n: number): { offsets: Uint32Array; intervals: GoroutineIntervals } {
    const iv = this.iv;
    const len = iv.start.length;
    const offsets = new Uint32Array(n + 1);
    for (let i = 0; i < len; i++) {
      const g = iv.g.get(i);
      offsets[g + 1] = (offsets[g + 1] as number) + 1;
    }
    for (let g = 0; g < n; g++)
      offsets[g + 1] = (offsets[g + 1] as number) + (offsets[g] as number);
    const cursor = offsets.slice(0, n);
    const dest = new Uint32Array(len);
    for (let i = 0; i < len; i++) {
      const g = iv.g.get(i);
      const d = cursor[g] as number;
      dest[i] = d;
      cursor[g] = d + 1;
    }
    return {
      offsets,
      intervals: {
        length: len,
        start: scatter(iv.start, new Float64Array(len), dest),
        state: scatter(iv.state, new Uint8Array(len), dest),
        flags: scatter(iv.flags, new Uint8Array(len), dest),
        reason: scatter(iv.reason, new Uint16Array(len), dest),
        stack: scatter(iv.stack, new Int32Array(len), dest),
        waker: scatter(iv.waker, new Int32Array(len), dest),
      },
    };
  }

  private groupProcs(): { procs: TraceProcs; intervals: ProcIntervals } {
    const n = this.pId.length;
    const pi = this.pi;
    const len = pi.start.length;
    const offsets = new Uint32Array(n + 1);
    for (let i = 0; i < len; i++) {
      const p = pi.p.get(i);
      offsets[p + 1] = (offsets[p + 1] as number) + 1;
    }
    for (let p = 0; p < n; p++)
      offsets[p + 1] = (offsets[p + 1] as number) + (offsets[p] as number);
    const cursor = offsets.slice(0, n);
    const dest = new Uint32Array(len);
    for (let i = 0; i < len; i++) {
      const p = pi.p.get(i);
      const d = cursor[p] as number;
      dest[i] = d;
      cursor[p] = d + 1;
    }
    return {
      procs: { length: n, id: this.pId.finish(), intervalStart: offsets },
      intervals: {
        length: len,
        start: scatter(pi.start, new Float64Array(len), dest),
        end: scatter(pi.end, new Float64Array(len), dest),
        thread: scatter(pi.thread, new Float64Array(len), dest),
      },
    };
  }

  private finishMetrics(): MetricSeries[] {
    const out: MetricSeries[] = [];
    for (const [name, s] of this.metricSeries) {
      out.push({ name, time: s.time.finish(), value: s.value.finish() });
    }
    const c = this.counts;
    if (c.time.length > 0) {
      const time = c.time.finish();
      out.push({ name: 'goroutines:running', time, value: c.running.finish() });
      out.push({ name: 'goroutines:runnable', time: time.slice(), value: c.runnable.finish() });
      out.push({ name: 'goroutines:waiting', time: time.slice(), value: c.waiting.finish() });
      out.push({ name: 'goroutines:syscall', time: time.slice(), value: c.syscall.finish() });
    }
    return out;
  }
}

type AnyColumn = Column<Float64Array | Int32Array | Uint32Array | Uint16Array | Uint8Array>;

function scatter<T extends Float64Array | Int32Array | Uint32Array | Uint16Array | Uint8Array>(
  src: AnyColumn,
  dst: T,
  dest: Uint32Array,
): T {
  const n = dest.length;
  for (let i = 0; i < n; i++) dst[dest[i] as number] = src.get(i);
  return dst;
}

type Finished<C> = { length: number } & {
  [K in keyof C]: C[K] extends Column<infer T> ? T : never;
};

function finishColumns<C extends Record<string, AnyColumn>>(cols: C): Finished<C> {
  const out: Record<string, unknown> = {};
  let length = 0;
  for (const [k, c] of Object.entries(cols)) {
    out[k] = c.finish();
    length = c.length;
  }
  out.length = length;
  return out as Finished<C>;
}
