// A TraceSink that records what a decoder writes, compactly, to be written again into another
// sink later (`replayTraceLog`): how a run of generations decoded in a worker reaches the model,
// or the summary, that the parallel decoder (formats/gotrace/parallel.ts) builds in order.
//
// Everything is in typed arrays (transferable between threads) and in the run's own tables:
// goroutines, reasons, strings, frames and stacks are the run's indexes, mapped onto the
// target's when replayed. Replaying calls the target exactly as the decoder would have: the same
// calls, in the same order per kind, with the same absolute times. Calls of different kinds do
// not depend on each other's order (a goroutine's transitions, a P's transitions, the open
// ranges, tasks and regions are each their own state in a sink), so each kind has its own log.

import { StringTable } from '../base/growable';
import { IdIndex } from '../base/idIndex';
import { F64Col, I32Col, PLAIN, U32Col, U8Col } from './columns';
import { IntervalStore } from './intervalStore';
import { StackBuilder, type FrameTable, type StackTable } from './stacks';
import { EVENT_KIND_NAMES } from './trace';
import type { TraceSink } from './traceSink';

/** Operations of the "other" log (`TraceLogData.ops`). */
const OP_STW_BEGIN = 1;
const OP_STW_END = 2;
const OP_GC_BEGIN = 3;
const OP_GC_ACTIVE = 4;
const OP_GC_END = 5;
const OP_SWEEP_BEGIN = 6;
const OP_SWEEP_ACTIVE = 7;
const OP_SWEEP_END = 8;
const OP_ASSIST_BEGIN = 9;
const OP_ASSIST_ACTIVE = 10;
const OP_ASSIST_END = 11;
const OP_TASK_BEGIN = 12;
const OP_TASK_END = 13;
const OP_REGION_BEGIN = 14;
const OP_REGION_END = 15;
const OP_LOG = 16;
const OP_LABEL = 17;
const OP_METRIC = 18;
/** Arguments per op after its time. */
const OP_ARGS = 6;

/** Logs a time can be in (`TraceLogData.early`). */
const IN_TRANSITIONS = 0;
const IN_CREATED = 1;
const IN_PROCS = 2;
const IN_CPU = 3;
const IN_OPS = 4;
const IN_GENERATIONS = 5;
/**
 * Events at the start of a run whose rows are listed (`TraceLogData.early`): Go's time fix-up
 * (an event not after the previous one goes 1 ns after it) may move them once the run's
 * predecessor is known (see `shiftEarlyTimes`).
 */
export const EARLY_EVENTS = 1 << 16;

/** A recorded run: plain data, transferable. */
export interface TraceLogData {
  /** Absolute times of the first and last event (NaN when none). */
  origin: number;
  last: number;
  eventCounts: Float64Array;
  strings: string[];
  frames: FrameTable;
  stacks: StackTable;
  /** Root frame function (a string) of each stack interned as a whole, -1 for prefixes only. */
  stackRootFunc: Int32Array;
  /** Reason strings (indexes into `strings`), by the run's reason index; index 0 is "". */
  reasons: Int32Array;
  /** Go goroutine ID of each of the run's goroutine indexes, in the order they were made. */
  goroutineIds: Float64Array;
  transitions: {
    length: number;
    t: Float64Array;
    g: Uint32Array;
    to: Uint8Array;
    flags: Uint8Array;
    reason: Uint8Array;
    stack: Int32Array;
    waker: Int32Array;
    proc: Int16Array;
  };
  created: {
    length: number;
    t: Float64Array;
    g: Uint32Array;
    parent: Int32Array;
    createStack: Int32Array;
    startStack: Int32Array;
  };
  procs: {
    length: number;
    t: Float64Array;
    pid: Float64Array;
    running: Uint8Array;
    thread: Float64Array;
  };
  cpu: {
    length: number;
    t: Float64Array;
    g: Int32Array;
    proc: Float64Array;
    thread: Float64Array;
    stack: Int32Array;
  };
  /** Ranges, tasks, regions, logs, labels and metrics: op code, time, OP_ARGS arguments. */
  ops: { length: number; op: Uint8Array; t: Float64Array; args: Float64Array };
  /** Metric names, by the index ops carry. */
  metricNames: string[];
  generations: { length: number; t: Float64Array; byteStart: Float64Array; byteEnd: Float64Array };
  snapshots: Array<{ traceAbs: number; wallNs: bigint; monoNs: bigint }>;
  /** Events timed (every event Go's reader returns), and the last one's time. */
  events: number;
  /** For the first EARLY_EVENTS events: event index, log (IN_*), row; in triples. */
  early: Int32Array;
  /** Time of the last early event (index EARLY_EVENTS - 1), NaN when there are fewer events. */
  earlyEndTime: number;
  /** More than 255 distinct reasons: the run cannot be replayed exactly. */
  tooManyReasons: boolean;
  /** Transitions whose P is their thread's before the run: row and thread, in pairs. */
  pendingProcs: Float64Array;
}

/** A growable column of OP_ARGS numbers per op. */
class ArgCol {
  buf = new Float64Array(OP_ARGS * 64);
  length = 0;
  push(a: number, b: number, c: number, d: number, e: number, f: number): void {
    let o = this.length * OP_ARGS;
    if (o + OP_ARGS > this.buf.length) {
      const next = new Float64Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    const x = this.buf;
    x[o++] = a;
    x[o++] = b;
    x[o++] = c;
    x[o++] = d;
    x[o++] = e;
    x[o] = f;
    this.length++;
  }
  finish(): Float64Array {
    return this.buf.slice(0, this.length * OP_ARGS);
  }
}

export class TraceLog implements TraceSink {
  readonly strings = new StringTable();
  readonly stackBuilder = new StackBuilder(this.strings);
  private readonly stackRootFunc = new I32Col(1024, PLAIN);
  private origin = NaN;
  private last = NaN;
  private readonly eventCounts = new Float64Array(EVENT_KIND_NAMES.length);
  private readonly gIndex = new IdIndex(1024);
  private readonly gId = new F64Col(1024, PLAIN);
  private readonly reasonIndex = new Map<number, number>([[-1, 0]]);
  /** String of each reason index; index 0 is "no reason" (-1). */
  private readonly reasonStrings: number[] = [-1];

  /** Goroutine transitions: the bulk, staged like the builder's (its columns' names differ). */
  private readonly tr: IntervalStore;
  private readonly cr = {
    t: new F64Col(1024, PLAIN),
    g: new U32Col(1024, PLAIN),
    parent: new I32Col(1024, PLAIN),
    createStack: new I32Col(1024, PLAIN),
    startStack: new I32Col(1024, PLAIN),
  };
  private readonly pr = {
    t: new F64Col(1024, PLAIN),
    pid: new F64Col(1024, PLAIN),
    running: new U8Col(1024, PLAIN),
    thread: new F64Col(1024, PLAIN),
  };
  private readonly cs = {
    t: new F64Col(256, PLAIN),
    g: new I32Col(256, PLAIN),
    proc: new F64Col(256, PLAIN),
    thread: new F64Col(256, PLAIN),
    stack: new I32Col(256, PLAIN),
  };
  private readonly opCode = new U8Col(1024, PLAIN);
  private readonly opTime = new F64Col(1024, PLAIN);
  private readonly opArgs = new ArgCol();
  private readonly metricIndex = new Map<string, number>();
  private readonly gens = {
    t: new F64Col(64, PLAIN),
    byteStart: new F64Col(64, PLAIN),
    byteEnd: new F64Col(64, PLAIN),
  };
  private readonly snapshots: TraceLogData['snapshots'] = [];
  /** Index of the current event (the last `time` call), -1 before the first. */
  private event = -1;
  private readonly early = new I32Col(1024, PLAIN);
  private tooManyReasons = false;
  private readonly pending = new F64Col(64, PLAIN);
  private earlyEndTime = NaN;

  /** Lists row `row` of log `where` as the current event's, while it is an early one. */
  private noteEarly(where: number, row: number): void {
    if (this.event < EARLY_EVENTS) {
      const e = this.early;
      e.push(this.event);
      e.push(where);
      e.push(row);
    }
  }

  /** `maxRows`: an upper bound of the transitions to come (the run's bytes: one byte each at least). */
  constructor(maxRows = 1 << 20) {
    this.tr = new IntervalStore(Math.max(1024, maxRows));
  }

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

  count(kind: number): void {
    const c = this.eventCounts;
    c[kind] = (c[kind] as number) + 1;
  }

  addCounts(counts: Float64Array): void {
    const c = this.eventCounts;
    for (let k = 0; k < counts.length; k++) c[k] = (c[k] as number) + (counts[k] as number);
  }

  time(t: number): void {
    if (this.origin !== this.origin) this.origin = t;
    this.last = t;
    if (++this.event === EARLY_EVENTS - 1) this.earlyEndTime = t;
  }

  goroutine(id: number): number {
    let i = this.gIndex.get(id);
    if (i < 0) {
      i = this.gId.push(id);
      this.gIndex.set(id, i);
    }
    return i;
  }

  reason(s: number): number {
    let r = this.reasonIndex.get(s);
    if (r === undefined) {
      // Indexes are a byte, as in the model: a run with more distinct reasons (a damaged trace)
      // cannot be replayed exactly, and says so.
      r = Math.min(this.reasonStrings.length, 0xff);
      if (r === this.reasonStrings.length) this.reasonStrings.push(s);
      else this.tooManyReasons = true;
      this.reasonIndex.set(s, r);
    }
    return r;
  }

  goTransition(
    t: number,
    g: number,
    to: number,
    reason: number,
    stack: number,
    waker: number,
    flags: number,
    proc: number,
  ): void {
    if (this.event < EARLY_EVENTS) this.noteEarly(IN_TRANSITIONS, this.tr.length);
    this.tr.add(g, t, to, flags, reason, stack, waker, proc);
  }

  pendingProc(thread: number): void {
    this.pending.push(this.tr.length);
    this.pending.push(thread);
  }

  goCreated(t: number, g: number, parent: number, createStack: number, startStack: number): void {
    const c = this.cr;
    this.noteEarly(IN_CREATED, c.t.push(t));
    c.g.push(g);
    c.parent.push(parent);
    c.createStack.push(createStack);
    c.startStack.push(startStack);
  }

  procTransition(t: number, pid: number, running: boolean, thread: number): void {
    const c = this.pr;
    this.noteEarly(IN_PROCS, c.t.push(t));
    c.pid.push(pid);
    c.running.push(running ? 1 : 0);
    c.thread.push(thread);
  }

  cpuSample(t: number, g: number, proc: number, thread: number, stack: number): void {
    const c = this.cs;
    this.noteEarly(IN_CPU, c.t.push(t));
    c.g.push(g);
    c.proc.push(proc);
    c.thread.push(thread);
    c.stack.push(stack);
  }

  private op(op: number, t: number, a = 0, b = 0, c = 0, d = 0, e = 0, f = 0): void {
    this.opCode.push(op);
    this.noteEarly(IN_OPS, this.opTime.push(t));
    this.opArgs.push(a, b, c, d, e, f);
  }

  stwBegin(t: number, gKey: number, gi: number, kind: number, stack: number): void {
    this.op(OP_STW_BEGIN, t, gKey, gi, kind, stack);
  }
  stwEnd(t: number, gKey: number): void {
    this.op(OP_STW_END, t, gKey);
  }
  gcBegin(t: number, gi: number, stack: number): void {
    this.op(OP_GC_BEGIN, t, gi, stack);
  }
  gcActive(t: number, gi: number): void {
    this.op(OP_GC_ACTIVE, t, gi);
  }
  gcEnd(t: number): void {
    this.op(OP_GC_END, t);
  }
  sweepBegin(t: number, pid: number, gi: number, stack: number): void {
    this.op(OP_SWEEP_BEGIN, t, pid, gi, stack);
  }
  sweepActive(t: number, pid: number, gi: number): void {
    this.op(OP_SWEEP_ACTIVE, t, pid, gi);
  }
  sweepEnd(t: number, pid: number): void {
    this.op(OP_SWEEP_END, t, pid);
  }
  assistBegin(t: number, gKey: number, gi: number, stack: number): void {
    this.op(OP_ASSIST_BEGIN, t, gKey, gi, stack);
  }
  assistActive(t: number, gKey: number, gi: number): void {
    this.op(OP_ASSIST_ACTIVE, t, gKey, gi);
  }
  assistEnd(t: number, gKey: number): void {
    this.op(OP_ASSIST_END, t, gKey);
  }
  userTaskBegin(
    t: number,
    id: number,
    parent: number,
    name: number,
    gi: number,
    stack: number,
  ): void {
    this.op(OP_TASK_BEGIN, t, id, parent, name, gi, stack);
  }
  userTaskEnd(t: number, id: number, gi: number, stack: number): void {
    this.op(OP_TASK_END, t, id, gi, stack);
  }
  userRegionBegin(
    t: number,
    gKey: number,
    gi: number,
    task: number,
    name: number,
    stack: number,
  ): void {
    this.op(OP_REGION_BEGIN, t, gKey, gi, task, name, stack);
  }
  userRegionEnd(
    t: number,
    gKey: number,
    gi: number,
    task: number,
    name: number,
    stack: number,
  ): void {
    this.op(OP_REGION_END, t, gKey, gi, task, name, stack);
  }
  log(t: number, g: number, task: number, category: number, message: number, stack: number): void {
    this.op(OP_LOG, t, g, task, category, message, stack);
  }
  label(t: number, g: number, label: number): void {
    this.op(OP_LABEL, t, g, label);
  }
  metric(name: string, t: number, value: number): void {
    let i = this.metricIndex.get(name);
    if (i === undefined) {
      i = this.metricIndex.size;
      this.metricIndex.set(name, i);
    }
    this.op(OP_METRIC, t, i, value);
  }

  generation(t: number, byteStart: number, byteEnd: number): void {
    this.noteEarly(IN_GENERATIONS, this.gens.t.push(t));
    this.gens.byteStart.push(byteStart);
    this.gens.byteEnd.push(byteEnd);
  }

  clockSnapshot(traceAbs: number, wallNs: bigint, monoNs: bigint): void {
    this.snapshots.push({ traceAbs, wallNs, monoNs });
  }

  finish(): TraceLogData {
    const { frames, stacks } = this.stackBuilder.finish();
    const cols = <C extends Record<string, { length: number; finish(): unknown }>>(c: C) => {
      const out: Record<string, unknown> = {};
      let length = 0;
      for (const [k, v] of Object.entries(c)) {
        length = v.length;
        out[k] = v.finish();
      }
      out.length = length;
      return out;
    };
    return {
      origin: this.origin,
      last: this.last,
      eventCounts: this.eventCounts,
      strings: this.strings.strings,
      frames,
      stacks,
      stackRootFunc: this.stackRootFunc.finish(),
      reasons: Int32Array.from(this.reasonStrings),
      goroutineIds: this.gId.finish(),
      transitions: transitionsOf(this.tr.finishInOrder()),
      created: cols(this.cr) as TraceLogData['created'],
      procs: cols(this.pr) as TraceLogData['procs'],
      cpu: cols(this.cs) as TraceLogData['cpu'],
      ops: {
        length: this.opCode.length,
        op: this.opCode.finish(),
        t: this.opTime.finish(),
        args: this.opArgs.finish(),
      },
      metricNames: [...this.metricIndex.keys()],
      generations: cols(this.gens) as TraceLogData['generations'],
      snapshots: this.snapshots,
      events: this.event + 1,
      early: this.early.finish(),
      earlyEndTime: this.earlyEndTime,
      tooManyReasons: this.tooManyReasons,
      pendingProcs: this.pending.finish(),
    };
  }
}

/** Maps of a log's indexes onto a target sink's, made once per log by `replayTraceLog`. */
interface Maps {
  str: Int32Array;
  stack: Int32Array;
  g: Int32Array;
  reason: Int32Array;
}

/**
 * Writes a recorded run into `into` as the decoder would have written it directly (see the file
 * comment), and returns its goroutine map (the run's index -> the target's).
 */
export function replayTraceLog(log: TraceLogData, into: TraceSink): Int32Array {
  const m = mapTables(log, into);
  if (log.origin === log.origin) into.time(log.origin);
  into.addCounts(log.eventCounts);
  const G = m.g;
  const S = m.stack;
  const st = (s: number): number => (s < 0 ? -1 : (S[s] as number));
  const gi = (g: number): number => (g < 0 ? -1 : (G[g] as number));

  // Goroutine transitions: the bulk of a trace.
  const tr = log.transitions;
  const R = m.reason;
  for (let i = 0; i < tr.length; i++) {
    const s = tr.stack[i] as number;
    const w = tr.waker[i] as number;
    into.goTransition(
      tr.t[i] as number,
      G[tr.g[i] as number] as number,
      tr.to[i] as number,
      R[tr.reason[i] as number] as number,
      s < 0 ? -1 : (S[s] as number),
      w < 0 ? -1 : (G[w] as number),
      tr.flags[i] as number,
      tr.proc[i] as number,
    );
  }
  const cr = log.created;
  for (let i = 0; i < cr.length; i++) {
    into.goCreated(
      cr.t[i] as number,
      G[cr.g[i] as number] as number,
      gi(cr.parent[i] as number),
      st(cr.createStack[i] as number),
      st(cr.startStack[i] as number),
    );
  }
  const pr = log.procs;
  for (let i = 0; i < pr.length; i++) {
    into.procTransition(
      pr.t[i] as number,
      pr.pid[i] as number,
      pr.running[i] === 1,
      pr.thread[i] as number,
    );
  }
  const cs = log.cpu;
  for (let i = 0; i < cs.length; i++) {
    into.cpuSample(
      cs.t[i] as number,
      gi(cs.g[i] as number),
      cs.proc[i] as number,
      cs.thread[i] as number,
      st(cs.stack[i] as number),
    );
  }
  replayOps(log, into, m);
  const gens = log.generations;
  for (let i = 0; i < gens.length; i++) {
    into.generation(gens.t[i] as number, gens.byteStart[i] as number, gens.byteEnd[i] as number);
  }
  for (const s of log.snapshots) into.clockSnapshot(s.traceAbs, s.wallNs, s.monoNs);
  if (log.last === log.last) into.time(log.last);
  return G;
}

function replayOps(log: TraceLogData, into: TraceSink, m: Maps): void {
  const ops = log.ops;
  const a = ops.args;
  const S = m.stack;
  const str = m.str;
  const st = (s: number): number => (s < 0 ? -1 : (S[s] as number));
  const gi = (g: number): number => (g < 0 ? -1 : (m.g[g] as number));
  const s = (x: number): number => str[x] as number;
  for (let i = 0; i < ops.length; i++) {
    const t = ops.t[i] as number;
    const o = i * OP_ARGS;
    const x0 = a[o] as number;
    const x1 = a[o + 1] as number;
    const x2 = a[o + 2] as number;
    const x3 = a[o + 3] as number;
    const x4 = a[o + 4] as number;
    switch (ops.op[i]) {
      case OP_STW_BEGIN:
        into.stwBegin(t, x0, gi(x1), s(x2), st(x3));
        break;
      case OP_STW_END:
        into.stwEnd(t, x0);
        break;
      case OP_GC_BEGIN:
        into.gcBegin(t, gi(x0), st(x1));
        break;
      case OP_GC_ACTIVE:
        into.gcActive(t, gi(x0));
        break;
      case OP_GC_END:
        into.gcEnd(t);
        break;
      case OP_SWEEP_BEGIN:
        into.sweepBegin(t, x0, gi(x1), st(x2));
        break;
      case OP_SWEEP_ACTIVE:
        into.sweepActive(t, x0, gi(x1));
        break;
      case OP_SWEEP_END:
        into.sweepEnd(t, x0);
        break;
      case OP_ASSIST_BEGIN:
        into.assistBegin(t, x0, gi(x1), st(x2));
        break;
      case OP_ASSIST_ACTIVE:
        into.assistActive(t, x0, gi(x1));
        break;
      case OP_ASSIST_END:
        into.assistEnd(t, x0);
        break;
      case OP_TASK_BEGIN:
        into.userTaskBegin(t, x0, x1, s(x2), gi(x3), st(x4));
        break;
      case OP_TASK_END:
        into.userTaskEnd(t, x0, gi(x1), st(x2));
        break;
      case OP_REGION_BEGIN:
        into.userRegionBegin(t, x0, gi(x1), x2, s(x3), st(x4));
        break;
      case OP_REGION_END:
        into.userRegionEnd(t, x0, gi(x1), x2, s(x3), st(x4));
        break;
      case OP_LOG:
        into.log(t, gi(x0), x1, s(x2), s(x3), st(x4));
        break;
      case OP_LABEL:
        into.label(t, gi(x0), s(x1));
        break;
      case OP_METRIC:
        into.metric(log.metricNames[x0] as string, t, x1);
        break;
    }
  }
}

/** Interns the log's strings, frames, stacks, reasons and goroutines into `into`, in their order. */
function mapTables(log: TraceLogData, into: TraceSink): Maps {
  const str = new Int32Array(log.strings.length);
  for (let i = 0; i < log.strings.length; i++)
    str[i] = into.strings.intern(log.strings[i] as string);
  const f = log.frames;
  const frame = new Int32Array(f.length);
  const strings = log.strings;
  for (let i = 0; i < f.length; i++) {
    frame[i] = into.stackBuilder.frame(
      strings[f.func[i] as number] as string,
      strings[f.file[i] as number] as string,
      f.line[i] as number,
      f.inlined[i] === 1,
    );
  }
  // Stacks in the order they were made (a parent before its children), each with its root
  // function when it was interned as a whole: `internStack` on the target does both.
  const stacks = log.stacks;
  const stack = new Int32Array(stacks.length);
  for (let i = 0; i < stacks.length; i++) {
    const p = stacks.parent[i] as number;
    const fr = frame[stacks.frame[i] as number] as number;
    const rf = i < log.stackRootFunc.length ? (log.stackRootFunc[i] as number) : -1;
    stack[i] = into.stackBuilder.stack(p < 0 ? -1 : (stack[p] as number), fr);
    if (rf >= 0) {
      // Interned as a whole by the decoder: again here, so the target keeps its root function.
      const rootFirst: number[] = [];
      for (let k = i; k >= 0; k = stacks.parent[k] as number) {
        rootFirst.push(frame[stacks.frame[k] as number] as number);
      }
      rootFirst.reverse();
      into.internStack(rootFirst, rootFirst.length, str[rf] as number);
    }
  }
  const reason = new Int32Array(log.reasons.length);
  for (let i = 0; i < log.reasons.length; i++) {
    const s = log.reasons[i] as number;
    reason[i] = into.reason(s < 0 ? -1 : (str[s] as number));
  }
  const g = new Int32Array(log.goroutineIds.length);
  for (let i = 0; i < g.length; i++) g[i] = into.goroutine(log.goroutineIds[i] as number);
  return { str, stack, g, reason };
}

/**
 * Applies Go's time fix-up across the boundary before a run: decoded on its own, the run's events
 * were fixed up as if nothing came before; after an event at `lastTs`, event i of the run is at
 * max(its time, lastTs + 1 + i) (Go's rule, applied from `lastTs` instead of 0, gives exactly
 * that). Returns the run's last event time after the shift, or NaN when the shift reaches past
 * the early events listed, which the caller then cannot join.
 */
export function shiftEarlyTimes(log: TraceLogData, lastTs: number): number {
  if (log.events === 0) return lastTs;
  const early = log.early;
  const cols = [
    log.transitions.t,
    log.created.t,
    log.procs.t,
    log.cpu.t,
    log.ops.t,
    log.generations.t,
  ];
  // Event i >= EARLY_EVENTS is not moved when the last early one needs no move (times increase).
  if (log.events > EARLY_EVENTS && !(log.earlyEndTime >= lastTs + EARLY_EVENTS)) return NaN;
  for (let k = 0; k < early.length; k += 3) {
    const i = early[k] as number;
    const col = cols[early[k + 1] as number] as Float64Array;
    const row = early[k + 2] as number;
    const min = lastTs + 1 + i;
    if ((col[row] as number) < min) col[row] = min;
  }
  if (log.origin < lastTs + 1) log.origin = lastTs + 1;
  const lastMin = lastTs + log.events;
  if (log.last < lastMin) log.last = lastMin;
  return log.last;
}

function transitionsOf(c: ReturnType<IntervalStore['finishInOrder']>): TraceLogData['transitions'] {
  return {
    length: c.length,
    t: c.start,
    g: c.g,
    to: c.state,
    flags: c.flags,
    reason: c.reason,
    stack: c.stack,
    waker: c.waker,
    proc: c.proc,
  };
}

/**
 * Fills in the P of the transitions a run recorded without one (`pendingProc`): the P each
 * thread had before the run (`procOf`), -1 for none, as the model stores it (intervalStore.ts).
 */
export function fillPendingProcs(log: TraceLogData, procOf: (thread: number) => number): void {
  const rows = log.pendingProcs;
  const proc = log.transitions.proc;
  for (let i = 0; i < rows.length; i += 2) {
    const p = procOf(rows[i + 1] as number);
    proc[rows[i] as number] = p >= 0 && p <= 0x7fff ? p : -1;
  }
}
