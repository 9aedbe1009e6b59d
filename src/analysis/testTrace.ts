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
  GS_RUNNABLE,
  GS_RUNNING,
  GS_SYSCALL,
  GS_WAITING,
  IV_STATUS,
  TraceBuilder,
  type TraceModel,
} from '../model/trace';

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
}

export interface TestTrace {
  /** The trace's last event time (its duration). */
  end: number;
  events: TestTransition[];
  samples?: Array<{ t: number; g: number; stack: string }>;
  /** Task k (0-based) gets Go task ID k + 1. */
  tasks?: Array<{ name: string; start: number; end: number; g?: number }>;
  /** User regions; an absent start or end is outside the trace. `task`: a task ID (0: none). */
  regions?: Array<{ name: string; g: number; start?: number; end?: number; task?: number }>;
  logs?: Array<{ t: number; g: number; category: string; message: string; task?: number }>;
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
  for (const e of spec.events) {
    timed.push({
      t: e.t,
      run: () =>
        b.goTransition(
          e.t,
          gIndex(e.g),
          STATES[e.state],
          e.reason === undefined ? 0 : b.reason(b.strings.intern(e.reason)),
          stackOf(e.stack),
          e.waker === undefined ? -1 : gIndex(e.waker),
          e.status ? IV_STATUS : 0,
        ),
    });
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
    timed.push({ t: task.end, run: () => b.taskEnd(i, task.end, k + 1, g, -1) });
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
          i = b.regionBegin(start, gIndex(r.g), task, name(), -1);
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
          b.strings.intern(l.category),
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
    version: '1.26',
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
