// Small synthetic traces for the analysis tests, written through the model's TraceBuilder as a
// decoder would (Firefox Profiler's getProfileFromTextSamples in spirit). Times are ns from 0;
// goroutines are named by Go ID; stacks are folded text, outermost frame first:
//
//   traceOf({
//     end: 200,
//     events: [
//       { t: 0, g: 1, state: 'waiting', reason: 'sync', stack: 'main.main;main.lookup;sync.(*Mutex).Lock' },
//       { t: 100, g: 1, state: 'runnable', waker: 2, stack: 'main.main;main.refresh;sync.(*Mutex).Unlock' },
//     ],
//   })

import {
  GS_NOT_EXIST,
  RANGE_GC,
  RANGE_MARK_ASSIST,
  RANGE_STW,
  RANGE_SWEEP,
  GS_RUNNABLE,
  GS_RUNNING,
  GS_SYSCALL,
  GS_WAITING,
  IV_STATUS,
  type TraceModel,
} from '../model/trace';
import type { DecodedFile } from '../model/file';
import { TraceBuilder } from '../model/traceBuilder';

const STATES = {
  notexist: GS_NOT_EXIST,
  runnable: GS_RUNNABLE,
  running: GS_RUNNING,
  waiting: GS_WAITING,
  syscall: GS_SYSCALL,
} as const;

export interface TestTransition {
  t: number;
  /** Go goroutine ID. */
  g: number;
  state: keyof typeof STATES;
  reason?: string;
  /** Folded stack, outermost first ("a;b;c"), or absent for none. */
  stack?: string;
  /** Go ID of the unblocking goroutine. */
  waker?: number;
  /** A status re-statement at a generation start (IV_STATUS). */
  status?: boolean;
  /** P ID of the event (intervals.proc); absent: none. */
  p?: number;
  /** A creation (GoCreate): Go ID of the creating goroutine (-1: none) and its `go` stack. */
  parent?: number;
  createStack?: string;
}

/** A GC range: STW (`name` is its kind, e.g. "GC mark termination"), assist (of `g`), sweep (on `p`). */
export interface TestRange {
  kind: 'gc' | 'stw' | 'assist' | 'sweep';
  start: number;
  /** Absent: still open at the end. */
  end?: number;
  g?: number;
  p?: number;
  name?: string;
  /** Reported as already in progress (RangeActive). */
  active?: boolean;
}

export interface TestTrace {
  /** The trace's last event time (its duration). */
  end: number;
  events: TestTransition[];
  samples?: Array<{ t: number; g: number; stack: string }>;
  /** Task k (0-based) gets Go task ID k + 1; an absent end did not end in the trace. */
  tasks?: Array<{ name: string; start: number; end?: number; g?: number }>;
  /**
   * User regions; an absent start or end is outside the trace (began before it, still open at
   * its end). `task`: a task ID (0: none). `stack`: the begin stack.
   */
  regions?: Array<{
    name: string;
    g: number;
    start?: number;
    end?: number;
    task?: number;
    stack?: string;
  }>;
  logs?: Array<{ t: number; g: number; category?: string; message: string; task?: number }>;
  /** Header version (default "1.26"). */
  version?: string;
  /** Generation starts (Sync events). */
  syncs?: number[];
  /** GOMAXPROCS metric values over time. */
  gomaxprocs?: Array<{ t: number; n: number }>;
  labels?: Array<{ t: number; g: number; label: string }>;
  ranges?: TestRange[];
  /** Times a P was running (bound to a thread). */
  procRuns?: Array<{ p: number; start: number; end: number }>;
}

export interface BuiltTrace {
  m: TraceModel;
  /** Goroutine index of a Go goroutine ID. */
  g(id: number): number;
  /** Stack index of a folded stack (interned when new, so only for stacks the trace has). */
  stack(folded: string): number;
}

export function traceOf(spec: TestTrace): BuiltTrace {
  const b = new TraceBuilder();
  const stacks = new Map<string, number>();
  const stackOf = (folded: string | undefined): number => {
    if (folded === undefined || folded === '') return -1;
    let s = stacks.get(folded);
    if (s === undefined) {
      const names = folded.split(';');
      const frames = names.map((n, i) => b.stackBuilder.frame(n, 'test.go', i + 1));
      s = b.internStack(frames, frames.length, b.strings.intern(names[0] as string));
      stacks.set(folded, s);
    }
    return s;
  };
  const ids = new Map<number, number>();
  const gIndex = (id: number): number => {
    let g = ids.get(id);
    if (g === undefined) {
      g = b.goroutine(id);
      ids.set(id, g);
    }
    return g;
  };
  type Timed = { t: number; run: () => void };
  const timed: Timed[] = [];
  for (const t of spec.syncs ?? []) timed.push({ t, run: () => b.generation(t, 0, 0) });
  for (const x of spec.gomaxprocs ?? []) {
    timed.push({ t: x.t, run: () => b.metric('/sched/gomaxprocs:threads', x.t, x.n) });
  }
  for (const x of spec.procRuns ?? []) {
    timed.push({ t: x.start, run: () => b.procTransition(x.start, x.p, true, 1) });
    timed.push({ t: x.end, run: () => b.procTransition(x.end, x.p, false, 1) });
  }
  for (const e of spec.events) {
    timed.push({
      t: e.t,
      run: () => {
        if (e.parent !== undefined) {
          b.goCreated(
            e.t,
            gIndex(e.g),
            e.parent < 0 ? -1 : gIndex(e.parent),
            stackOf(e.createStack),
            stackOf(e.stack),
          );
        }
        b.goTransition(
          e.t,
          gIndex(e.g),
          STATES[e.state],
          e.reason === undefined ? 0 : b.reason(b.strings.intern(e.reason)),
          stackOf(e.stack),
          e.waker === undefined ? -1 : gIndex(e.waker),
          e.status ? IV_STATUS : 0,
          e.p ?? -1,
        );
      },
    });
  }
  for (const x of spec.labels ?? []) {
    timed.push({ t: x.t, run: () => b.label(x.t, gIndex(x.g), b.strings.intern(x.label)) });
  }
  const RANGE_KINDS = {
    gc: RANGE_GC,
    stw: RANGE_STW,
    assist: RANGE_MARK_ASSIST,
    sweep: RANGE_SWEEP,
  };
  for (const x of spec.ranges ?? []) {
    let row = -1;
    timed.push({
      t: x.start,
      run: () => {
        row = b.rangeBegin(
          RANGE_KINDS[x.kind],
          x.start,
          x.g === undefined ? -1 : gIndex(x.g),
          x.p ?? -1,
          x.name === undefined ? -1 : b.strings.intern(x.name),
          -1,
          x.active ?? false,
        );
      },
    });
    const end = x.end;
    if (end !== undefined) timed.push({ t: end, run: () => b.rangeEnd(row, end) });
  }
  for (const s of spec.samples ?? []) {
    timed.push({ t: s.t, run: () => b.cpuSample(s.t, gIndex(s.g), 0, 1, stackOf(s.stack)) });
  }
  (spec.tasks ?? []).forEach((task, k) => {
    let i = -1;
    const g = task.g === undefined ? -1 : gIndex(task.g);
    timed.push({
      t: task.start,
      run: () => {
        i = b.taskBegin(task.start, k + 1, -1, b.strings.intern(task.name), g, -1);
      },
    });
    const end = task.end;
    if (end !== undefined) timed.push({ t: end, run: () => b.taskEnd(i, end, k + 1, g, -1) });
  });
  for (const r of spec.regions ?? []) {
    let i = -1;
    const task = r.task ?? 0;
    const name = () => b.strings.intern(r.name);
    if (r.start !== undefined) {
      const start = r.start;
      timed.push({
        t: start,
        run: () => {
          i = b.regionBegin(start, gIndex(r.g), task, name(), stackOf(r.stack));
        },
      });
    }
    if (r.end !== undefined) {
      const end = r.end;
      timed.push({ t: end, run: () => b.regionEnd(i, end, gIndex(r.g), task, name(), -1) });
    }
  }
  for (const l of spec.logs ?? []) {
    timed.push({
      t: l.t,
      run: () =>
        b.log(
          l.t,
          gIndex(l.g),
          l.task ?? 0,
          b.strings.intern(l.category ?? ''),
          b.strings.intern(l.message),
          -1,
        ),
    });
  }
  // Go's order is time order; a stable sort keeps the listed order of events at the same ns.
  timed.sort((x, y) => x.t - y.t);
  b.time(0);
  for (const e of timed) {
    b.time(e.t);
    e.run();
  }
  b.time(spec.end);
  const m = b.finish({
    version: spec.version ?? '1.26',
    threadCount: 1,
    partial: false,
    lostBytes: 0,
    byteLength: 0,
  });
  return {
    m,
    g: (id) => {
      const g = ids.get(id);
      if (g === undefined) throw new Error(`no goroutine ${id}`);
      return g;
    },
    stack: (folded) => {
      const s = stacks.get(folded);
      if (s === undefined) throw new Error(`no stack ${folded}`);
      return s;
    },
  };
}

/** A model as a decoder's successful outcome (for the engine, which holds decoded files). */
export function decodedTrace(m: TraceModel): DecodedFile {
  return {
    format: 'go-trace',
    model: m,
    gzip: false,
    nameMismatch: null,
    warnings: [],
    partialError: null,
  };
}
