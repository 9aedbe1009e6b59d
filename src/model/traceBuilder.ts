// Writes a TraceModel (trace.ts): the decoders of both trace formats call it in Go's event order
// with absolute times, and it rebases the times on the first event, keeps the state it needs
// to derive the model (current goroutine states, open proc intervals, goroutine counts), and lays
// out the columns at the end.

import { StringTable } from '../base/growable';
import { IdIndex } from '../base/idIndex';
import {
  F64Col,
  I32Col,
  U16Col,
  U32Col,
  U8Col,
  finishColumns,
  groupBy,
  scatterF64,
} from './columns';
import { IntervalStore } from './intervalStore';
import { StackBuilder } from './stacks';
import type { TraceSink } from './traceSink';
import {
  EVENT_KIND_NAMES,
  GOROUTINE_COUNT_RESOLUTION_NS,
  RANGE_GC,
  RANGE_MARK_ASSIST,
  RANGE_STW,
  RANGE_SWEEP,
  GS_RUNNABLE,
  GS_RUNNING,
  GS_SYSCALL,
  GS_WAITING,
  IV_STATUS,
  RANGE_ACTIVE_AT_START,
  type MetricSeries,
  type ProcIntervals,
  type TraceModel,
  type TraceProcs,
} from './trace';

/** What the decoder knows of a trace beyond its events. */
export interface ModelMeta {
  version: string;
  threadCount: number;
  partial: boolean;
  lostBytes: number;
  byteLength: number;
}

/**
 * Writes a TraceModel. The decoder calls it in Go's event order with absolute times (ns as Go's
 * reader computes them); the builder rebases them on the first event and lays out the columns.
 */
export class TraceBuilder implements TraceSink {
  readonly strings = new StringTable();
  readonly stackBuilder = new StackBuilder(this.strings);
  /** Root frame function of each interned stack (for goroutine start functions). */
  private readonly stackRootFunc = new I32Col(1024);
  private origin = NaN;
  private last = NaN;

  // Goroutines, by goroutine index.
  private readonly gIndex = new IdIndex(1024);
  private readonly gId = new F64Col(1024);
  private readonly gParent = new I32Col(1024);
  private readonly gCreateStack = new I32Col(1024);
  private readonly gStartStack = new I32Col(1024);
  private readonly gStartFunc = new I32Col(1024);
  private readonly gCreated = new F64Col(1024);
  /**
   * Current state and reason, for status events that re-state a state. Not part of the model, and
   * read and written at every transition: plain arrays (faster than views of resizable buffers,
   * see model/columns.ts).
   */
  private gState = new Uint8Array(1024);
  private gReason = new Uint16Array(1024);
  private readonly intervals: IntervalStore;
  private readonly reasonIndex = new Map<number, number>([[-1, 0]]);
  private readonly reasons: string[] = [''];

  // Procs, by proc index.
  private readonly pIndex = new Map<number, number>();
  private readonly pId = new F64Col(64);
  private readonly pOpen = new F64Col(64);
  private readonly pOpenThread = new F64Col(64);
  private readonly procRows = {
    p: new U32Col(4096),
    start: new F64Col(4096),
    end: new F64Col(4096),
    thread: new F64Col(4096),
  };

  private readonly cpuRows = {
    time: new F64Col(),
    goroutine: new I32Col(),
    proc: new F64Col(),
    thread: new F64Col(),
    stack: new I32Col(),
  };
  private readonly rangeRows = {
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
  private readonly taskRows = {
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
  private readonly regionRows = {
    goroutine: new I32Col(),
    task: new F64Col(),
    name: new U32Col(),
    start: new F64Col(),
    end: new F64Col(),
    startStack: new I32Col(),
    endStack: new I32Col(),
  };
  private readonly logRows = {
    time: new F64Col(64),
    goroutine: new I32Col(64),
    task: new F64Col(64),
    category: new U32Col(64),
    message: new U32Col(64),
    stack: new I32Col(64),
  };
  private readonly labelRows = {
    time: new F64Col(64),
    goroutine: new I32Col(64),
    label: new U32Col(64),
  };
  private readonly metricSeries = new Map<string, { time: F64Col; value: F64Col }>();
  private readonly generationRows = {
    startNs: new F64Col(64),
    byteStart: new F64Col(64),
    byteEnd: new F64Col(64),
  };
  private readonly snapshots: Array<{ traceAbs: number; wallNs: bigint; monoNs: bigint }> = [];

  // Rows of open ranges, tasks and regions, by the Go key their end names.
  private gcRow = -1;
  private readonly sweepRow = new Map<number, number>();
  private readonly assistRow = new Map<number, number>();
  /** STW rows per goroutine ID, oldest first (an end closes the oldest, as Go pairs them). */
  private readonly stwRows = new Map<number, number[]>();
  private readonly taskRowById = new Map<number, number>();
  /** Region rows per goroutine ID, innermost last. */
  private readonly regionRowsByG = new Map<number, number[]>();
  readonly eventCounts = new Float64Array(EVENT_KIND_NAMES.length);

  // Goroutine counts by state, sampled (see GOROUTINE_COUNT_RESOLUTION_NS).
  private readonly stateCount = new Float64Array(6);
  private readonly countRows = {
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
    this.intervals = new IntervalStore(Math.max(1024, options.maxIntervals ?? 1 << 24));
  }

  /** Counts one event of Go reader kind `kind` (EK_*). */
  count(kind: number): void {
    const c = this.eventCounts;
    c[kind] = (c[kind] as number) + 1;
  }

  addCounts(counts: Float64Array): void {
    const c = this.eventCounts;
    for (let k = 0; k < counts.length; k++) c[k] = (c[k] as number) + (counts[k] as number);
  }

  /** Records the time of an event in Go's order (every emitted event passes here). */
  time(t: number): void {
    if (this.origin !== this.origin) this.origin = t;
    this.last = t;
  }

  /** The goroutine index of Go goroutine ID `id`, created on first use. */
  goroutine(id: number): number {
    let i = this.gIndex.get(id);
    if (i < 0) {
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
      // More distinct reasons than a byte holds only in a damaged trace: they share the last slot.
      r = Math.min(this.reasons.length, 0xff);
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
    this.intervals.add(g, t - this.origin, to, flags, reason, stack, waker, proc);
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
    const c = this.countRows;
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
    const rows = this.procRows;
    rows.p.push(p);
    rows.start.push(this.pOpen.get(p));
    rows.end.push(end);
    rows.thread.push(this.pOpenThread.get(p));
    this.pOpen.set(p, NaN);
  }

  cpuSample(t: number, g: number, proc: number, thread: number, stack: number): void {
    const rows = this.cpuRows;
    rows.time.push(t - this.origin);
    rows.goroutine.push(g);
    rows.proc.push(proc);
    rows.thread.push(thread);
    rows.stack.push(stack);
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
    const rows = this.rangeRows;
    rows.kind.push(kind);
    rows.start.push(t - this.origin);
    rows.end.push(NaN);
    rows.goroutine.push(g);
    rows.proc.push(proc);
    rows.name.push(name);
    rows.stack.push(stack);
    rows.flags.push(activeAtStart ? RANGE_ACTIVE_AT_START : 0);
    return rows.reports.push(1);
  }

  /** Go reported range `i` again (RangeActive at a later generation's start). */
  rangeReported(i: number): void {
    const r = this.rangeRows.reports;
    r.set(i, Math.min(0xffff, r.get(i) + 1));
  }

  rangeEnd(i: number, t: number): void {
    this.rangeRows.end.set(i, t - this.origin);
  }

  taskBegin(t: number, id: number, parent: number, name: number, g: number, stack: number): number {
    const rows = this.taskRows;
    rows.id.push(id);
    rows.parent.push(parent);
    rows.name.push(name);
    rows.start.push(t - this.origin);
    rows.end.push(NaN);
    rows.startGoroutine.push(g);
    rows.endGoroutine.push(-1);
    rows.startStack.push(stack);
    return rows.endStack.push(-1);
  }

  /** Ends task `i`, or records an end for a task begun before the trace when `i` < 0. */
  taskEnd(i: number, t: number, id: number, g: number, stack: number): void {
    const rows = this.taskRows;
    if (i < 0) {
      rows.id.push(id);
      rows.parent.push(-1);
      rows.name.push(this.strings.intern(''));
      rows.start.push(NaN);
      rows.end.push(t - this.origin);
      rows.startGoroutine.push(-1);
      rows.endGoroutine.push(g);
      rows.startStack.push(-1);
      rows.endStack.push(stack);
      return;
    }
    rows.end.set(i, t - this.origin);
    rows.endGoroutine.set(i, g);
    rows.endStack.set(i, stack);
  }

  regionBegin(t: number, g: number, task: number, name: number, stack: number): number {
    const rows = this.regionRows;
    rows.goroutine.push(g);
    rows.task.push(task);
    rows.name.push(name);
    rows.start.push(t - this.origin);
    rows.end.push(NaN);
    rows.startStack.push(stack);
    return rows.endStack.push(-1);
  }

  /** Ends region `i`, or records one begun before the trace when `i` < 0. */
  regionEnd(i: number, t: number, g: number, task: number, name: number, stack: number): void {
    const rows = this.regionRows;
    if (i < 0) {
      rows.goroutine.push(g);
      rows.task.push(task);
      rows.name.push(name);
      rows.start.push(NaN);
      rows.end.push(t - this.origin);
      rows.startStack.push(-1);
      rows.endStack.push(stack);
      return;
    }
    rows.end.set(i, t - this.origin);
    rows.endStack.set(i, stack);
  }

  log(t: number, g: number, task: number, category: number, message: number, stack: number): void {
    const rows = this.logRows;
    rows.time.push(t - this.origin);
    rows.goroutine.push(g);
    rows.task.push(task);
    rows.category.push(category);
    rows.message.push(message);
    rows.stack.push(stack);
  }

  label(t: number, g: number, label: number): void {
    const rows = this.labelRows;
    rows.time.push(t - this.origin);
    rows.goroutine.push(g);
    rows.label.push(label);
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

  // ---------------------------------------------------------------- Go's ranges, tasks, regions

  stwBegin(t: number, gKey: number, gi: number, kind: number, stack: number): void {
    const row = this.rangeBegin(RANGE_STW, t, gi, -1, kind, stack, false);
    let open = this.stwRows.get(gKey);
    if (!open) this.stwRows.set(gKey, (open = []));
    open.push(row);
  }

  stwEnd(t: number, gKey: number): void {
    const row = this.stwRows.get(gKey)?.shift();
    if (row !== undefined) this.rangeEnd(row, t);
  }

  gcBegin(t: number, gi: number, stack: number): void {
    this.gcRow = this.rangeBegin(RANGE_GC, t, gi, -1, -1, stack, false);
  }

  gcActive(t: number, gi: number): void {
    if (this.gcRow >= 0) this.rangeReported(this.gcRow);
    else this.gcRow = this.rangeBegin(RANGE_GC, t, gi, -1, -1, -1, true);
  }

  gcEnd(t: number): void {
    if (this.gcRow >= 0) this.rangeEnd(this.gcRow, t);
    this.gcRow = -1;
  }

  sweepBegin(t: number, pid: number, gi: number, stack: number): void {
    this.sweepRow.set(pid, this.rangeBegin(RANGE_SWEEP, t, gi, pid, -1, stack, false));
  }

  sweepActive(t: number, pid: number, gi: number): void {
    const row = this.sweepRow.get(pid);
    if (row !== undefined) this.rangeReported(row);
    else this.sweepRow.set(pid, this.rangeBegin(RANGE_SWEEP, t, gi, pid, -1, -1, true));
  }

  sweepEnd(t: number, pid: number): void {
    const row = this.sweepRow.get(pid);
    if (row !== undefined) this.rangeEnd(row, t);
    this.sweepRow.delete(pid);
  }

  assistBegin(t: number, gKey: number, gi: number, stack: number): void {
    this.assistRow.set(gKey, this.rangeBegin(RANGE_MARK_ASSIST, t, gi, -1, -1, stack, false));
  }

  assistActive(t: number, gKey: number, gi: number): void {
    const row = this.assistRow.get(gKey);
    if (row !== undefined) this.rangeReported(row);
    else this.assistRow.set(gKey, this.rangeBegin(RANGE_MARK_ASSIST, t, gi, -1, -1, -1, true));
  }

  assistEnd(t: number, gKey: number): void {
    const row = this.assistRow.get(gKey);
    if (row !== undefined) this.rangeEnd(row, t);
    this.assistRow.delete(gKey);
  }

  userTaskBegin(
    t: number,
    id: number,
    parent: number,
    name: number,
    gi: number,
    stack: number,
  ): void {
    this.taskRowById.set(id, this.taskBegin(t, id, parent, name, gi, stack));
  }

  userTaskEnd(t: number, id: number, gi: number, stack: number): void {
    const row = this.taskRowById.get(id);
    this.taskRowById.delete(id);
    this.taskEnd(row ?? -1, t, id, gi, stack);
  }

  userRegionBegin(
    t: number,
    gKey: number,
    gi: number,
    task: number,
    name: number,
    stack: number,
  ): void {
    let open = this.regionRowsByG.get(gKey);
    if (!open) this.regionRowsByG.set(gKey, (open = []));
    open.push(this.regionBegin(t, gi, task, name, stack));
  }

  userRegionEnd(
    t: number,
    gKey: number,
    gi: number,
    task: number,
    name: number,
    stack: number,
  ): void {
    const open = this.regionRowsByG.get(gKey);
    const row = open && open.length > 0 ? (open.pop() as number) : -1;
    this.regionEnd(row, t, gi, task, name, stack);
  }

  generation(t: number, byteStart: number, byteEnd: number): void {
    this.generationRows.startNs.push(t - this.origin);
    this.generationRows.byteStart.push(byteStart);
    this.generationRows.byteEnd.push(byteEnd);
  }

  /** A clock snapshot; `traceAbs` is the absolute trace time (rebased in finish). */
  clockSnapshot(traceAbs: number, wallNs: bigint, monoNs: bigint): void {
    this.snapshots.push({ traceAbs, wallNs, monoNs });
  }

  /** The model: the builder is spent. */
  finish(meta: ModelMeta): TraceModel {
    return this.build(meta, false);
  }

  /**
   * The model of the events so far, in copies: the builder goes on taking events. A preview of a
   * trace still being decoded (worker/worker.ts), as `finish` would make it had the trace ended
   * at the last event: goroutines and procs in a state stay in it until then.
   */
  snapshot(meta: ModelMeta): TraceModel {
    return this.build(meta, true);
  }

  private build(meta: ModelMeta, copy: boolean): TraceModel {
    const hasEvents = this.origin === this.origin;
    const durationNs = hasEvents ? this.last - this.origin : 0;
    // Procs still running at the end close there.
    const open: number[] = [];
    for (let p = 0; p < this.pId.length; p++) {
      if (this.pOpen.get(p) === this.pOpen.get(p)) open.push(p);
    }
    if (!copy) for (const p of open) this.closeProc(p, durationNs);
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
    const { offsets, intervals } = copy
      ? this.intervals.snapshot(goroutineCount)
      : this.intervals.finish(goroutineCount);
    const procs = this.groupProcs(copy ? open : null, durationNs);
    const take = <T>(c: { finish(): T; copy(): T }): T => (copy ? c.copy() : c.finish());
    const metrics: MetricSeries[] = [];
    for (const [name, s] of this.metricSeries) {
      metrics.push({ name, time: take(s.time), value: take(s.value) });
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
      generations: finishColumns(this.generationRows, copy),
      strings: copy ? this.strings.strings.slice() : this.strings.strings,
      frames,
      stacks,
      reasons: copy ? this.reasons.slice() : this.reasons,
      goroutines: {
        length: goroutineCount,
        id: take(this.gId),
        parent: take(this.gParent),
        createStack: take(this.gCreateStack),
        startStack: take(this.gStartStack),
        startFunc: take(this.gStartFunc),
        createdNs: take(this.gCreated),
        intervalStart: offsets,
      },
      intervals,
      procs: procs.procs,
      procIntervals: procs.intervals,
      cpuSamples: finishColumns(this.cpuRows, copy),
      ranges: finishColumns(this.rangeRows, copy),
      tasks: finishColumns(this.taskRows, copy),
      regions: finishColumns(this.regionRows, copy),
      logs: finishColumns(this.logRows, copy),
      labels: finishColumns(this.labelRows, copy),
      metrics,
      goroutineCounts: finishColumns(this.countRows, copy),
      eventCounts,
      threadCount: meta.threadCount,
      partial: meta.partial,
      lostBytes: meta.lostBytes,
      byteLength: meta.byteLength,
    };
  }

  /**
   * Proc intervals grouped by proc. `open`: procs still running, closed at `end` in copies (a
   * snapshot: the builder's rows are left as they are); null when `finish` closed them already.
   */
  private groupProcs(
    open: number[] | null,
    end: number,
  ): { procs: TraceProcs; intervals: ProcIntervals } {
    const rows = this.procRows;
    let p: Uint32Array;
    let start: Float64Array;
    let stop: Float64Array;
    let thread: Float64Array;
    let len = rows.start.length;
    if (open === null) {
      p = rows.p.finish();
      start = rows.start.finish();
      stop = rows.end.finish();
      thread = rows.thread.finish();
    } else {
      const n = len + open.length;
      p = new Uint32Array(n);
      start = new Float64Array(n);
      stop = new Float64Array(n);
      thread = new Float64Array(n);
      p.set(rows.p.buf.subarray(0, len));
      start.set(rows.start.buf.subarray(0, len));
      stop.set(rows.end.buf.subarray(0, len));
      thread.set(rows.thread.buf.subarray(0, len));
      for (const q of open) {
        p[len] = q;
        start[len] = this.pOpen.get(q);
        stop[len] = end;
        thread[len] = this.pOpenThread.get(q);
        len++;
      }
    }
    const { offsets, dest } = groupBy((i) => p[i] as number, len, this.pId.length);
    return {
      procs: {
        length: this.pId.length,
        id: open === null ? this.pId.finish() : this.pId.copy(),
        intervalStart: offsets,
      },
      intervals: {
        length: len,
        start: scatterF64(start, new Float64Array(len), dest),
        end: scatterF64(stop, new Float64Array(len), dest),
        thread: scatterF64(thread, new Float64Array(len), dest),
      },
    };
  }
}
