// Emission: the events the ordering (ordering.ts) lets advance, written into the model builder
// in Go's order with Go's meaning (src/internal/trace/reader.go ReadEvent and event.go, go1.26).
// The queue holds an advanced event's fields as numbers; the fields are read here rather than
// passed: a call with float64 arguments boxes them (the time never fits a small integer), which
// at millions of events is most of the garbage a decoder makes. No event objects are made.

import type { TraceSink } from '../../model/traceSink';
import type { IdTable } from '../../base/idIndex';
import type { Generation } from './generation';
import { TraceFault } from './generation';
import { GO_STATUS_TO_STATE, NO_ID, PROC_STATUS_TO_STATE, PS_RUNNING, type GState } from './states';
import {
  EK_EXPERIMENTAL,
  EK_LABEL,
  EK_LOG,
  EK_METRIC,
  EK_RANGE_ACTIVE,
  EK_RANGE_BEGIN,
  EK_RANGE_END,
  EK_REGION_BEGIN,
  EK_REGION_END,
  EK_STACK_SAMPLE,
  EK_STATE_TRANSITION,
  EK_SYNC,
  EK_TASK_BEGIN,
  EK_TASK_END,
  GS_NOT_EXIST,
  GS_RUNNABLE,
  GS_RUNNING,
  GS_SYSCALL,
  GS_WAITING,
  IV_STATUS,
} from '../../model/trace';
import {
  EvGCActive,
  EvGCBegin,
  EvGCEnd,
  EvGCMarkAssistActive,
  EvGCMarkAssistBegin,
  EvGCMarkAssistEnd,
  EvGCSweepActive,
  EvGCSweepBegin,
  EvGCSweepEnd,
  EvGoBlock,
  EvGoCreate,
  EvGoCreateBlocked,
  EvGoCreateSyscall,
  EvGoDestroy,
  EvGoDestroySyscall,
  EvGoLabel,
  EvGoStart,
  EvGoStatus,
  EvGoStatusStack,
  EvGoStop,
  EvGoSwitch,
  EvGoSwitchDestroy,
  EvGoSyscallBegin,
  EvGoSyscallEnd,
  EvGoSyscallEndBlocked,
  EvGoUnblock,
  EvHeapAlloc,
  EvHeapGoal,
  EvProcStart,
  EvProcStatus,
  EvProcSteal,
  EvProcStop,
  EvProcsChange,
  EvSTWBegin,
  EvSTWEnd,
  EvUserLog,
  EvUserRegionBegin,
  EvUserRegionEnd,
  EvUserTaskBegin,
  EvUserTaskEnd,
  eventName,
} from './spec';

/** The queued P of an event whose P a continued run does not know (see Emitter.pendingP). */
const PENDING_P = -2;

/** Events queued by one advance, emitted after the cursor has moved on (as Go's queue is). */
export const Q_FIELDS = 11;
const Q_CAP = 8;

/**
 * Emits ordered events into the TraceBuilder, as Go's Reader returns them: with Go's time fix-up
 * (a time not after the previous event's becomes previous + 1 ns), Go's validation of stack and
 * string IDs (validateTableIDs), and the model rows of open ranges, tasks and regions.
 */
export class Emitter {
  /** The generation being emitted (its string and stack tables). */
  gen: Generation | null = null;
  /** Time of the last emitted event (absolute ns). */
  lastTs = 0;
  private readonly queue = new Float64Array(Q_FIELDS * Q_CAP);
  qLen = 0;
  /** Threads (Ms) of the emitted events. */
  readonly threads = new Set<number>();
  private lastThread = NO_ID;
  syncs = 0;
  /** Emitted events (all kinds). */
  events = 0;
  /**
   * The event being advanced runs on a thread whose P a continued run does not know
   * (continuation.ts): a transition it queues without a P records its thread instead, for the
   * join to fill the P in (TraceSink.pendingProc).
   */
  pendingP = false;

  private readonly metricNames = {
    procs: '/sched/gomaxprocs:threads',
    heap: '/memory/classes/heap/objects:bytes',
    goal: '/gc/heap/goal:bytes',
  };

  constructor(
    private readonly b: TraceSink,
    /** The ordering's goroutine states, which carry each goroutine's model index. */
    private readonly gStates: IdTable<GState>,
  ) {}

  get threadCount(): number {
    return this.threads.size;
  }

  /** Emits a Sync at the last event's time (Go: at the end of the trace, or before an error). */
  syncAtLast(): void {
    this.sync(this.lastTs);
  }

  /** Emits a Sync event at absolute time `t` (Go's syncEvent, with the time fix-up); returns its time. */
  sync(t: number): number {
    if (t <= this.lastTs) t = this.lastTs + 1;
    this.lastTs = t;
    this.events++;
    this.syncs++;
    this.b.count(EK_SYNC);
    this.b.time(t);
    return t;
  }

  push(
    typ: number,
    t: number,
    m: number,
    p: number,
    g: number,
    a0: number,
    a1: number,
    a2: number,
    a3: number,
    x: number,
    at: number,
  ): void {
    const q = this.queue;
    const o = this.qLen++ * Q_FIELDS;
    q[o] = typ;
    q[o + 1] = t;
    q[o + 2] = m;
    q[o + 3] = p === NO_ID && this.pendingP ? PENDING_P : p;
    q[o + 4] = g;
    q[o + 5] = a0;
    q[o + 6] = a1;
    q[o + 7] = a2;
    q[o + 8] = a3;
    q[o + 9] = x;
    q[o + 10] = at;
  }

  flush(): void {
    const n = this.qLen;
    this.qLen = 0;
    for (let i = 0; i < n; i++) this.emit(i * Q_FIELDS);
  }

  /** A stack ID of the current generation as a model stack index (Go's validateTableIDs). */
  private stack(id: number, typ: number, at: number): number {
    const s = (this.gen as Generation).stacks.get(id);
    if (s === undefined)
      throw new TraceFault(`found invalid stack ID ${id} for event ${eventName(typ)}`, at);
    return s;
  }

  private string(id: number, typ: number, at: number): number {
    const s = (this.gen as Generation).strings.get(id);
    if (s === undefined)
      throw new TraceFault(`found invalid string ID ${id} for event ${eventName(typ)}`, at);
    return s;
  }

  private gIndex(id: number): number {
    if (id === NO_ID) return -1;
    const st = this.gStates.get(id);
    return st ? st.idx : this.b.goroutine(id);
  }

  private stamp(t: number, m: number): number {
    if (t <= this.lastTs) t = this.lastTs + 1;
    this.lastTs = t;
    this.events++;
    if (m !== this.lastThread) {
      this.lastThread = m;
      if (m !== NO_ID) this.threads.add(m);
    }
    this.b.time(t);
    return t;
  }

  /**
   * Emits the queued event at offset `o` of the queue. The fields are read here rather than
   * passed: a call with float64 arguments boxes them (the time never fits a small integer), which
   * at millions of events is most of the garbage the decoder makes.
   */
  private emit(o: number): void {
    const q = this.queue;
    const typ = q[o] as number;
    let t = q[o + 1] as number;
    const m = q[o + 2] as number;
    const p = q[o + 3] as number;
    const g = q[o + 4] as number;
    const a0 = q[o + 5] as number;
    const a1 = q[o + 6] as number;
    const a2 = q[o + 7] as number;
    const at = q[o + 10] as number;
    const b = this.b;
    switch (typ) {
      case EvGoStart: {
        t = this.stamp(t, m);
        b.count(EK_STATE_TRANSITION);
        b.goTransition(t, this.gIndex(a0), GS_RUNNING, 0, -1, -1, 0, this.proc(m, p));
        return;
      }
      case EvGoStop:
      case EvGoBlock: {
        const reason = this.string(a0, typ, at);
        const stack = this.stack(a1, typ, at);
        t = this.stamp(t, m);
        b.count(EK_STATE_TRANSITION);
        b.goTransition(
          t,
          this.gIndex(g),
          typ === EvGoStop ? GS_RUNNABLE : GS_WAITING,
          b.reason(reason),
          stack,
          -1,
          0,
          this.proc(m, p),
        );
        return;
      }
      case EvGoUnblock: {
        const stack = this.stack(a2, typ, at);
        t = this.stamp(t, m);
        b.count(EK_STATE_TRANSITION);
        b.goTransition(
          t,
          this.gIndex(a0),
          GS_RUNNABLE,
          0,
          stack,
          this.gIndex(g),
          0,
          this.proc(m, p),
        );
        return;
      }
      case EvGoSyscallBegin: {
        const stack = this.stack(a1, typ, at);
        t = this.stamp(t, m);
        b.count(EK_STATE_TRANSITION);
        b.goTransition(t, this.gIndex(g), GS_SYSCALL, 0, stack, -1, 0, this.proc(m, p));
        return;
      }
      case EvGoSyscallEnd:
      case EvGoSyscallEndBlocked:
        t = this.stamp(t, m);
        b.count(EK_STATE_TRANSITION);
        b.goTransition(
          t,
          this.gIndex(g),
          typ === EvGoSyscallEnd ? GS_RUNNING : GS_RUNNABLE,
          0,
          -1,
          -1,
          0,
          this.proc(m, p),
        );
        return;
      case EvGoDestroy:
      case EvGoDestroySyscall: {
        t = this.stamp(t, m);
        b.count(EK_STATE_TRANSITION);
        b.goTransition(t, this.gIndex(g), GS_NOT_EXIST, 0, -1, -1, 0, this.proc(m, p));
        return;
      }
      case EvGoCreate:
      case EvGoCreateBlocked: {
        const stack = this.stack(a2, typ, at);
        const newStack = this.stack(a1, typ, at);
        t = this.stamp(t, m);
        b.count(EK_STATE_TRANSITION);
        const gi = this.gIndex(a0);
        b.goCreated(t, gi, this.gIndex(g), stack, newStack);
        b.goTransition(
          t,
          gi,
          typ === EvGoCreate ? GS_RUNNABLE : GS_WAITING,
          0,
          newStack,
          -1,
          0,
          this.proc(m, p),
        );
        return;
      }
      default:
        this.emitOther(o);
        return;
    }
  }

  /** `emit` for the less frequent events, by family (see `advanceOther`). */
  private emitOther(o: number): void {
    switch (this.queue[o] as number) {
      case EvGoSwitch:
      case EvGoSwitchDestroy:
      case EvGoCreateSyscall:
      case EvGoStatus:
      case EvGoStatusStack:
        this.emitGoOther(o);
        return;
      case EvProcStart:
      case EvProcStop:
      case EvProcSteal:
      case EvProcStatus:
        this.emitProc(o);
        return;
      case EvProcsChange:
      case EvHeapAlloc:
      case EvHeapGoal:
        this.emitMetric(o);
        return;
      case EvSTWBegin:
      case EvSTWEnd:
      case EvGCBegin:
      case EvGCActive:
      case EvGCEnd:
      case EvGCSweepBegin:
      case EvGCSweepActive:
      case EvGCSweepEnd:
      case EvGCMarkAssistBegin:
      case EvGCMarkAssistActive:
      case EvGCMarkAssistEnd:
        this.emitRange(o);
        return;
      case EvUserTaskBegin:
      case EvUserTaskEnd:
        this.emitTask(o);
        return;
      case EvUserRegionBegin:
      case EvUserRegionEnd:
        this.emitRegion(o);
        return;
      case EvGoLabel:
      case EvUserLog:
        this.emitAnnotation(o);
        return;
      default: {
        // Experimental events (AllocFree): counted, not modelled.
        const q = this.queue;
        this.stamp(q[o + 1] as number, q[o + 2] as number);
        this.b.count(EK_EXPERIMENTAL);
        return;
      }
    }
  }

  /** Emits goroutine transitions other than the common ones (see `emit`). */
  private emitGoOther(o: number): void {
    const q = this.queue;
    const typ = q[o] as number;
    let t = q[o + 1] as number;
    const m = q[o + 2] as number;
    const p = q[o + 3] as number;
    const g = q[o + 4] as number;
    const a0 = q[o + 5] as number;
    const a2 = q[o + 7] as number;
    const a3 = q[o + 8] as number;
    const at = q[o + 10] as number;
    const b = this.b;
    switch (typ) {
      case EvGoSwitch:
      case EvGoSwitchDestroy:
        t = this.stamp(t, m);
        b.count(EK_STATE_TRANSITION);
        b.goTransition(t, this.gIndex(a0), GS_RUNNABLE, 0, -1, this.gIndex(g), 0, this.proc(m, p));
        return;
      case EvGoCreateSyscall: {
        t = this.stamp(t, m);
        b.count(EK_STATE_TRANSITION);
        const gi = this.gIndex(a0);
        b.goCreated(t, gi, -1, -1, -1);
        b.goTransition(t, gi, GS_SYSCALL, 0, -1, -1, 0, this.proc(m, p));
        return;
      }
      case EvGoStatus:
      case EvGoStatusStack: {
        const stack = typ === EvGoStatusStack ? this.stack(a3, typ, at) : -1;
        t = this.stamp(t, m);
        b.count(EK_STATE_TRANSITION);
        b.goTransition(
          t,
          this.gIndex(a0),
          GO_STATUS_TO_STATE[a2] as number,
          0,
          stack,
          -1,
          IV_STATUS,
          this.proc(m, p),
        );
        return;
      }
    }
  }

  /** Emits proc transitions (see `emit`). */
  private emitProc(o: number): void {
    const q = this.queue;
    const typ = q[o] as number;
    let t = q[o + 1] as number;
    const m = q[o + 2] as number;
    const p = q[o + 3] as number;
    const a0 = q[o + 5] as number;
    const a1 = q[o + 6] as number;
    const b = this.b;
    switch (typ) {
      case EvProcStart:
        t = this.stamp(t, m);
        b.count(EK_STATE_TRANSITION);
        b.procTransition(t, a0, true, m);
        return;
      case EvProcStop:
        t = this.stamp(t, m);
        b.count(EK_STATE_TRANSITION);
        b.procTransition(t, p, false, m);
        return;
      case EvProcSteal:
        t = this.stamp(t, m);
        b.count(EK_STATE_TRANSITION);
        b.procTransition(t, a0, false, m);
        return;
      case EvProcStatus:
        t = this.stamp(t, m);
        b.count(EK_STATE_TRANSITION);
        b.procTransition(t, a0, PROC_STATUS_TO_STATE[a1] === PS_RUNNING, m);
        return;
    }
  }

  /** Emits metrics (see `emit`). */
  private emitMetric(o: number): void {
    const q = this.queue;
    const typ = q[o] as number;
    let t = q[o + 1] as number;
    const m = q[o + 2] as number;
    const a0 = q[o + 5] as number;
    const a1 = q[o + 6] as number;
    const at = q[o + 10] as number;
    const b = this.b;
    switch (typ) {
      case EvProcsChange:
        this.stack(a1, typ, at);
        t = this.stamp(t, m);
        b.count(EK_METRIC);
        b.metric(this.metricNames.procs, t, a0);
        return;
      case EvHeapAlloc:
      case EvHeapGoal:
        t = this.stamp(t, m);
        b.count(EK_METRIC);
        b.metric(typ === EvHeapAlloc ? this.metricNames.heap : this.metricNames.goal, t, a0);
        return;
    }
  }

  /** Emits GC, STW, sweep and mark-assist ranges (see `emit`). */
  private emitRange(o: number): void {
    const q = this.queue;
    const typ = q[o] as number;
    let t = q[o + 1] as number;
    const m = q[o + 2] as number;
    const p = q[o + 3] as number;
    const g = q[o + 4] as number;
    const a0 = q[o + 5] as number;
    const a1 = q[o + 6] as number;
    const at = q[o + 10] as number;
    const b = this.b;
    switch (typ) {
      case EvSTWBegin: {
        const kind = this.string(a0, typ, at);
        const stack = this.stack(a1, typ, at);
        t = this.stamp(t, m);
        b.count(EK_RANGE_BEGIN);
        b.stwBegin(t, g, this.gIndex(g), kind, stack);
        return;
      }
      case EvSTWEnd:
        t = this.stamp(t, m);
        b.count(EK_RANGE_END);
        b.stwEnd(t, g);
        return;
      case EvGCBegin: {
        const stack = this.stack(a1, typ, at);
        t = this.stamp(t, m);
        b.count(EK_RANGE_BEGIN);
        b.gcBegin(t, this.gIndex(g), stack);
        return;
      }
      case EvGCActive:
        t = this.stamp(t, m);
        b.count(EK_RANGE_ACTIVE);
        b.gcActive(t, this.gIndex(g));
        return;
      case EvGCEnd:
        t = this.stamp(t, m);
        b.count(EK_RANGE_END);
        b.gcEnd(t);
        return;
      case EvGCSweepBegin: {
        const stack = this.stack(a0, typ, at);
        t = this.stamp(t, m);
        b.count(EK_RANGE_BEGIN);
        b.sweepBegin(t, p, this.gIndex(g), stack);
        return;
      }
      case EvGCSweepActive:
        t = this.stamp(t, m);
        b.count(EK_RANGE_ACTIVE);
        b.sweepActive(t, a0, this.gIndex(g));
        return;
      case EvGCSweepEnd:
        t = this.stamp(t, m);
        b.count(EK_RANGE_END);
        b.sweepEnd(t, p);
        return;
      case EvGCMarkAssistBegin: {
        const stack = this.stack(a0, typ, at);
        t = this.stamp(t, m);
        b.count(EK_RANGE_BEGIN);
        b.assistBegin(t, g, this.gIndex(g), stack);
        return;
      }
      case EvGCMarkAssistActive:
        t = this.stamp(t, m);
        b.count(EK_RANGE_ACTIVE);
        b.assistActive(t, a0, this.gIndex(a0));
        return;
      case EvGCMarkAssistEnd:
        t = this.stamp(t, m);
        b.count(EK_RANGE_END);
        b.assistEnd(t, g);
        return;
    }
  }

  /** Emits user tasks (see `emit`). */
  private emitTask(o: number): void {
    const q = this.queue;
    const typ = q[o] as number;
    let t = q[o + 1] as number;
    const m = q[o + 2] as number;
    const g = q[o + 4] as number;
    const a0 = q[o + 5] as number;
    const a1 = q[o + 6] as number;
    const a2 = q[o + 7] as number;
    const a3 = q[o + 8] as number;
    const at = q[o + 10] as number;
    const b = this.b;
    switch (typ) {
      case EvUserTaskBegin: {
        const name = this.string(a2, typ, at);
        const stack = this.stack(a3, typ, at);
        t = this.stamp(t, m);
        b.count(EK_TASK_BEGIN);
        b.userTaskBegin(t, a0, a1, name, this.gIndex(g), stack);
        return;
      }
      case EvUserTaskEnd: {
        const stack = this.stack(a1, typ, at);
        t = this.stamp(t, m);
        b.count(EK_TASK_END);
        b.userTaskEnd(t, a0, this.gIndex(g), stack);
        return;
      }
    }
  }

  /** Emits user regions (see `emit`). */
  private emitRegion(o: number): void {
    const q = this.queue;
    const typ = q[o] as number;
    let t = q[o + 1] as number;
    const m = q[o + 2] as number;
    const g = q[o + 4] as number;
    const a0 = q[o + 5] as number;
    const a1 = q[o + 6] as number;
    const a2 = q[o + 7] as number;
    const at = q[o + 10] as number;
    const b = this.b;
    const name = this.string(a1, typ, at);
    const stack = this.stack(a2, typ, at);
    t = this.stamp(t, m);
    if (typ === EvUserRegionBegin) {
      b.count(EK_REGION_BEGIN);
      b.userRegionBegin(t, g, this.gIndex(g), a0, name, stack);
    } else {
      b.count(EK_REGION_END);
      b.userRegionEnd(t, g, this.gIndex(g), a0, name, stack);
    }
  }

  /** Emits labels and logs (see `emit`). */
  private emitAnnotation(o: number): void {
    const q = this.queue;
    const typ = q[o] as number;
    let t = q[o + 1] as number;
    const m = q[o + 2] as number;
    const g = q[o + 4] as number;
    const a0 = q[o + 5] as number;
    const a1 = q[o + 6] as number;
    const a2 = q[o + 7] as number;
    const a3 = q[o + 8] as number;
    const at = q[o + 10] as number;
    const b = this.b;
    switch (typ) {
      case EvGoLabel: {
        const label = this.string(a0, typ, at);
        t = this.stamp(t, m);
        b.count(EK_LABEL);
        b.label(t, this.gIndex(g), label);
        return;
      }
      case EvUserLog: {
        const key = this.string(a1, typ, at);
        const value = this.string(a2, typ, at);
        const stack = this.stack(a3, typ, at);
        t = this.stamp(t, m);
        b.count(EK_LOG);
        b.log(t, this.gIndex(g), a0, key, value, stack);
        return;
      }
    }
  }

  /**
   * The P to record with a transition of thread `m`: the queued one, or, when the run does not
   * know it, -1 with the thread noted for the join to fill in (called right before the
   * transition is written, so the note names its row).
   */
  private proc(m: number, p: number): number {
    if (p !== PENDING_P) return p;
    this.b.pendingProc?.(m);
    return NO_ID;
  }

  emitCpuSample(g: Generation, i: number): void {
    // Go never validates a sample's stack ID (its spec puts the ID elsewhere); an unknown one
    // would make Go's Stack() panic. Here it is a sample without a stack.
    const s = g.stacks.get(g.cpuStack[i] as number) ?? -1;
    const m = g.cpuM[i] as number;
    const t = this.stamp(g.cpuTime[i] as number, m);
    this.b.count(EK_STACK_SAMPLE);
    const gid = g.cpuG[i] as number;
    this.b.cpuSample(t, this.gIndex(gid), g.cpuP[i] as number, m, s);
  }
}
