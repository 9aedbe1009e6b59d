// Go's ordering of v2 trace events: which event may advance, and what it means.
//
// Each thread (M) writes its own batches, so events are totally ordered per M by time, but only
// partially ordered across Ms: by sequence numbers on goroutine and proc events, and by the state
// machines of goroutines, procs and threads. A GoStart, say, cannot advance until an event on
// another M has made its goroutine runnable with the preceding sequence number. The state
// machines and their checks are Go's (src/internal/trace/order.go, go1.26), with Go's error
// messages; an event that advances is queued for the emitter (emit.ts).

import type { TraceSink } from '../../model/traceSink';
import { IdIndex, type IdTable } from '../../base/idIndex';
import type { MCursor, MState } from './cursor';
import type { EntryLog, OrderExit } from './continuation';
import { GC_FIRST_ACTIVE, GC_FIRST_BEGIN, M_G, M_P } from './continuation';
import type { Emitter } from './emit';
import { TraceFault, type Generation } from './generation';
import {
  GO_STATUS_TO_STATE,
  NO_ID,
  PROC_STATUS_TO_STATE,
  PS_IDLE,
  PS_NOT_EXIST,
  PS_RUNNING,
  PS_UNDETERMINED,
  type GState,
  type PState,
  type RangeEntry,
} from './states';
import { GS_UNDETERMINED } from '../../model/trace';
import {
  EvFirstExperimental,
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
  EvLastExperimental,
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
  GO_STATUS_NAMES,
  GoRunnableStatus,
  GoRunningStatus,
  GoSyscallStatus,
  GoWaitingStatus,
  PROC_STATUS_NAMES,
  ProcIdleStatus,
  ProcRunningStatus,
  ProcSyscallAbandoned,
  ProcSyscallStatus,
  eventName,
} from './spec';

/** Go's StartEv of each range-ending or -active event: the Begin event the range is named by. */
function rangeStart(typ: number): number {
  switch (typ) {
    case EvSTWEnd:
      return EvSTWBegin;
    case EvGCActive:
    case EvGCEnd:
      return EvGCBegin;
    case EvGCSweepActive:
    case EvGCSweepEnd:
      return EvGCSweepBegin;
    case EvGCMarkAssistActive:
    case EvGCMarkAssistEnd:
      return EvGCMarkAssistBegin;
    default:
      return typ;
  }
}

function hasRange(ranges: RangeEntry[], typ: number, desc: number): boolean {
  for (const r of ranges) if (r.typ === typ && r.desc === desc) return true;
  return false;
}

/**
 * Go's ordering (src/internal/trace/order.go, go1.26): the state machines of goroutines, procs,
 * threads, GC, tasks and regions that decide whether an event can advance now, validate it, and
 * put what it means on the emitter's queue (one wire event can queue several: GoSwitch is an
 * unblock, a block and a start).
 */
export class Ordering {
  private readonly pStates = new Map<number, PState>();
  private readonly mStates = new Map<number, MState>();
  /** IDs of active tasks (Go keeps their name and parent; the model takes them from TaskBegin). */
  private readonly activeTasks = new Set<number>();
  private gcSeq = 0;
  private gcState = 0; // 0 undetermined, 1 not running, 2 running
  private initialGen = 0;
  /** The generation being ordered. */
  gen: Generation | null = null;
  /**
   * For a run of generations that does not start the trace (continuation.ts): what it assumed of
   * the state before it. Null when ordering from the trace's start.
   */
  private readonly entry: EntryLog | null;
  /** With `entry`: goroutine IDs the run has met (1), so that one it deleted is not taken for unknown. */
  private readonly metG: IdIndex | null;
  /** With `entry`: task IDs the run has begun or ended. */
  private readonly metTasks: Set<number> | null;

  constructor(
    private readonly b: TraceSink,
    private readonly out: Emitter,
    /** Goroutine states by Go goroutine ID (shared with the emitter, which reads their model index). */
    private readonly gStates: IdTable<GState>,
    entry: EntryLog | null = null,
  ) {
    this.entry = entry;
    this.metG = entry ? new IdIndex(1024) : null;
    this.metTasks = entry ? new Set() : null;
  }

  /** The state at the end of the run, as plain data (continuation.ts); see Orderer.exit. */
  exit(): Omit<OrderExit, 'lastTs' | 'firstSync' | 'threads' | 'events' | 'syncs'> {
    const strings = this.b.strings.strings;
    const g: OrderExit['g'] = [];
    this.gStates.forEach((st, id) => {
      const regions: Array<[number, string]> = [];
      const rs = st.regions ?? [];
      for (let i = 0; i < rs.length; i += 2) {
        regions.push([rs[i] as number, strings[rs[i + 1] as number] ?? '']);
      }
      g.push({
        id,
        status: st.status,
        regions,
        ranges: (st.ranges ?? []).map((r) => [r.typ, r.desc]),
        entryGen: st.entryGen,
      });
    });
    const gGone: number[] = [];
    this.metG?.forEach((_, id) => {
      if (!this.gStates.has(id)) gGone.push(id);
    });
    return {
      g,
      gGone,
      p: [...this.pStates].map(([id, st]) => ({
        id,
        status: st.status,
        ranges: st.ranges.map((r) => [r.typ, r.desc]),
      })),
      m: [...this.mStates].map(([id, st]) => ({ id, g: st.g, p: st.p, assumed: st.assumed })),
      gcKnown: this.entry === null || this.gcState !== 0 || this.entry.gc !== 0,
      gcSeq: this.gcSeq,
      gcState: this.gcState,
      tasks: [...(this.metTasks ?? this.activeTasks)].map((id) => [id, this.activeTasks.has(id)]),
    };
  }

  /** With `entry`: whether goroutine `id` is one the run knows nothing of. */
  private unknownG(id: number): boolean {
    return this.metG !== null && !this.metG.has(id);
  }

  private pushEv(c: MCursor, m: number, p: number, g: number, x = 0): void {
    this.out.push(c.typ, c.time, m, p, g, c.a0, c.a1, c.a2, c.a3, x, c.evPos);
  }

  /** Go's ordering.Advance: true when the cursor's event advanced (and was queued). */
  advance(c: MCursor): boolean {
    const gen = (this.gen as Generation).gen;
    if (this.initialGen === 0) this.initialGen = gen; // set by the first event Go orders
    const m = c.m;
    let ms: MState | null = null;
    let cp = NO_ID;
    let cg = NO_ID;
    if (m !== NO_ID) {
      ms = c.ms;
      if (ms === null) {
        ms = this.mStates.get(m) ?? null;
        if (ms === null) {
          ms = { g: NO_ID, p: NO_ID, assumed: this.entry !== null ? M_G | M_P : 0 };
          this.mStates.set(m, ms);
        }
        c.ms = ms;
      }
      cp = ms.p;
      cg = ms.g;
      // A run that does not start the trace reads a thread's fields it has not set yet.
      if (ms.assumed !== 0) {
        const read = (READS[c.typ] as number) & ms.assumed;
        if (read !== 0) (this.entry as EntryLog).noteMNone(m, read);
      }
      // A P the run does not know, recorded with the event's transitions: filled in at the join.
      this.out.pendingP = (ms.assumed & M_P) !== 0;
    } else {
      this.out.pendingP = false;
    }
    switch (c.typ) {
      case EvGoCreate:
      case EvGoCreateBlocked: {
        this.require(c, m, cp, cg, MUST, MUST, MAY);
        const cur = this.gStates.get(cg);
        if (cur && cur.status !== GoRunningStatus) {
          throw this.evFault(c, `${eventName(c.typ)} event for goroutine that's not Running`);
        }
        if (this.gStates.has(c.a0)) {
          throw this.evFault(c, `tried to create goroutine (${c.a0}) that already exists`);
        }
        if (this.entry !== null) this.createdUnknown(c.a0, cur === undefined ? cg : NO_ID);
        const status = c.typ === EvGoCreateBlocked ? GoWaitingStatus : GoRunnableStatus;
        this.newG(c.a0, status, gen);
        this.pushEv(c, m, cp, cg);
        return true;
      }
      case EvGoStart: {
        const st = this.gStates.get(c.a0);
        if (!st || st.status !== GoRunnableStatus || !succeeds(gen, c.a1, st)) return false;
        this.require(c, m, cp, cg, MUST, MUST, MUST_NOT);
        st.status = GoRunningStatus;
        st.seqGen = gen;
        st.seq = c.a1;
        this.pushEv(c, m, cp, cg);
        setG(ms as MState, c.a0);
        return true;
      }
      case EvGoDestroy:
      case EvGoStop:
      case EvGoBlock: {
        this.require(c, m, cp, cg, MUST, MUST, MUST);
        const st = this.runningG(c, cg);
        if (c.typ === EvGoDestroy) this.gStates.delete(cg);
        else st.status = c.typ === EvGoStop ? GoRunnableStatus : GoWaitingStatus;
        this.pushEv(c, m, cp, cg);
        setG(ms as MState, NO_ID);
        return true;
      }
      case EvGoUnblock: {
        const st = this.gStates.get(c.a0);
        if (!st || st.status !== GoWaitingStatus || !succeeds(gen, c.a1, st)) return false;
        st.status = GoRunnableStatus;
        st.seqGen = gen;
        st.seq = c.a1;
        this.pushEv(c, m, cp, cg);
        return true;
      }
      case EvGoSyscallBegin: {
        this.require(c, m, cp, cg, MUST, MUST, MUST);
        const st = this.runningG(c, cg);
        st.status = GoSyscallStatus;
        const ps = this.pStates.get(cp);
        if (!ps) throw this.evFault(c, `uninitialized proc ${cp} found during GoSyscallBegin`);
        ps.status = ProcSyscallStatus;
        // The P sequence number disambiguates which syscall a later ProcSteal takes the P from.
        if (!succeeds(gen, c.a0, ps)) {
          throw this.evFault(
            c,
            `failed to advance GoSyscallBegin: can't make sequence: ${ps.seq} (gen=${ps.seqGen}) -> ${c.a0} (gen=${gen})`,
          );
        }
        ps.seqGen = gen;
        ps.seq = c.a0;
        this.pushEv(c, m, cp, cg);
        return true;
      }
      case EvGoSyscallEnd: {
        this.require(c, m, cp, cg, MUST, MUST, MUST);
        const st = this.gStates.get(cg);
        if (!st)
          throw this.evFault(c, `event GoSyscallEnd for goroutine (${cg}) that doesn't exist`);
        if (st.status !== GoSyscallStatus) {
          throw this.evFault(c, "GoSyscallEnd event for goroutine that's not Syscall");
        }
        st.status = GoRunningStatus;
        const ps = this.pStates.get(cp);
        if (!ps) throw this.evFault(c, `uninitialized proc ${cp} found during GoSyscallEnd`);
        if (ps.status !== ProcSyscallStatus) {
          throw this.evFault(
            c,
            `expected proc ${cp} in state Syscall, but got ${PROC_STATUS_NAMES[ps.status] ?? 'Bad'} instead`,
          );
        }
        ps.status = ProcRunningStatus;
        this.pushEv(c, m, cp, cg);
        return true;
      }
      default:
        return this.advanceOther(c, ms, m, cp, cg, gen);
    }
  }

  /**
   * `advance` for the less frequent events: apart from the goroutine transitions that make up
   * most of a trace, out of the hot function (smaller to compile, and a first use of a rare path
   * does not throw away its optimized code).
   */
  private advanceOther(
    c: MCursor,
    ms: MState | null,
    m: number,
    cp: number,
    cg: number,
    gen: number,
  ): boolean {
    switch (c.typ) {
      case EvProcStatus:
        return this.procStatus(c, ms, m, cp, cg, gen);
      case EvProcSteal:
        return this.procSteal(c, ms, m, cp, cg, gen);
      case EvGoStatus:
      case EvGoStatusStack:
        return this.goStatus(c, ms, m, cp, cg, gen);
      case EvGoSwitch:
      case EvGoSwitchDestroy:
        return this.goSwitch(c, ms as MState, m, cp, cg, gen);
      case EvGoDestroySyscall:
        return this.goDestroySyscall(c, ms as MState, m, cp, cg);
      case EvProcStart:
      case EvProcStop:
        return this.advanceProc(c, ms, m, cp, cg, gen);
      case EvGoCreateSyscall:
      case EvGoSyscallEndBlocked:
        return this.advanceGoOther(c, ms, m, cp, cg, gen);
      case EvSTWBegin:
      case EvGCMarkAssistBegin:
      case EvSTWEnd:
      case EvGCMarkAssistEnd:
      case EvGCMarkAssistActive:
      case EvGCActive:
      case EvGCBegin:
      case EvGCEnd:
      case EvGCSweepBegin:
      case EvGCSweepActive:
      case EvGCSweepEnd:
        return this.advanceRange(c, ms, m, cp, cg, gen);
      case EvUserTaskBegin:
      case EvUserTaskEnd:
        return this.advanceTask(c, m, cp, cg);
      case EvUserRegionBegin:
      case EvUserRegionEnd:
        return this.advanceRegion(c, m, cp, cg);
      case EvHeapAlloc:
      case EvHeapGoal:
      case EvProcsChange:
      case EvGoLabel:
      case EvUserLog:
        return this.advanceSimple(c, m, cp, cg);
      default:
        if (c.typ >= EvFirstExperimental && c.typ <= EvLastExperimental) {
          this.require(c, m, cp, cg, MUST, MAY, MAY);
          this.pushEv(c, m, cp, cg);
          return true;
        }
        throw this.evFault(c, `bad event type found while ordering: ${c.typ}`);
    }
  }

  /** Advances proc transitions (see `advanceOther`). */
  private advanceProc(
    c: MCursor,
    ms: MState | null,
    m: number,
    cp: number,
    cg: number,
    gen: number,
  ): boolean {
    switch (c.typ) {
      case EvProcStart: {
        const st = this.pStates.get(c.a0);
        if (!st || st.status !== ProcIdleStatus || !succeeds(gen, c.a1, st) || cp !== NO_ID) {
          return false;
        }
        this.require(c, m, cp, cg, MUST, MUST_NOT, MAY);
        st.status = ProcRunningStatus;
        st.seqGen = gen;
        st.seq = c.a1;
        this.pushEv(c, m, cp, cg);
        setP(ms as MState, c.a0);
        return true;
      }
      case EvProcStop: {
        const st = this.pStates.get(cp);
        if (!st) throw this.evFault(c, `event ProcStop for proc (${cp}) that doesn't exist`);
        if (st.status !== ProcRunningStatus && st.status !== ProcSyscallStatus) {
          throw this.evFault(c, "ProcStop event for proc that's not Running or Syscall");
        }
        this.require(c, m, cp, cg, MUST, MUST, MAY);
        st.status = ProcIdleStatus;
        this.pushEv(c, m, cp, cg);
        setP(ms as MState, NO_ID);
        return true;
      }
    }
    return false;
  }

  /** Advances goroutine transitions other than the common ones (see `advanceOther`). */
  private advanceGoOther(
    c: MCursor,
    ms: MState | null,
    m: number,
    cp: number,
    cg: number,
    gen: number,
  ): boolean {
    switch (c.typ) {
      case EvGoCreateSyscall: {
        this.require(c, m, cp, cg, MUST, MAY, MUST_NOT);
        if (this.gStates.has(c.a0)) {
          throw this.evFault(
            c,
            `tried to create goroutine (${c.a0}) in syscall that already exists`,
          );
        }
        if (this.entry !== null) this.createdUnknown(c.a0, NO_ID);
        this.newG(c.a0, GoSyscallStatus, gen);
        this.pushEv(c, m, cp, cg);
        setG(ms as MState, c.a0);
        return true;
      }
      case EvGoSyscallEndBlocked: {
        // Advances only once the P is no longer in the syscall (stolen or stopped).
        if (cp !== NO_ID) {
          const ps = this.pStates.get(cp);
          if (!ps) {
            throw this.evFault(c, `uninitialized proc ${cp} found during GoSyscallEndBlocked`);
          }
          if (ps.status === ProcSyscallStatus) return false;
        }
        this.require(c, m, cp, cg, MUST, MAY, MUST);
        const st = this.gStates.get(cg);
        if (!st) {
          throw this.evFault(
            c,
            `event GoSyscallEndBlocked for goroutine (${cg}) that doesn't exist`,
          );
        }
        if (st.status !== GoSyscallStatus) {
          throw this.evFault(c, "GoSyscallEndBlocked event for goroutine that's not Syscall");
        }
        st.status = GoRunnableStatus;
        this.pushEv(c, m, cp, cg);
        setG(ms as MState, NO_ID);
        return true;
      }
    }
    return false;
  }

  /** Advances GC, STW, sweep and mark-assist ranges (see `advanceOther`). */
  private advanceRange(
    c: MCursor,
    ms: MState | null,
    m: number,
    cp: number,
    cg: number,
    gen: number,
  ): boolean {
    switch (c.typ) {
      case EvSTWBegin:
      case EvGCMarkAssistBegin: {
        this.require(c, m, cp, cg, MUST, MUST, MUST);
        const st = this.gStates.get(cg);
        if (!st) {
          throw this.evFault(
            c,
            `encountered event of type ${c.typ} without known state for current goroutine ${cg}`,
          );
        }
        const desc = c.typ === EvSTWBegin ? c.a0 : 0;
        this.beginRange(c, (st.ranges ??= []), c.typ, desc);
        this.pushEv(c, m, cp, cg);
        return true;
      }
      case EvSTWEnd:
      case EvGCMarkAssistEnd: {
        this.require(c, m, cp, cg, MUST, MUST, MUST);
        const st = this.gStates.get(cg);
        if (!st) {
          throw this.evFault(
            c,
            `encountered event of type ${c.typ} without known state for current goroutine ${cg}`,
          );
        }
        const desc = this.endRange(c, (st.ranges ??= []));
        this.pushEv(c, m, cp, cg, desc);
        return true;
      }
      case EvGCMarkAssistActive: {
        const st = this.gStates.get(c.a0);
        if (!st) {
          throw this.evFault(c, `uninitialized goroutine ${c.a0} found during GCMarkAssistActive`);
        }
        this.activeRange(c, (st.ranges ??= []), gen, st, c.a0);
        this.pushEv(c, m, cp, cg);
        return true;
      }
      case EvGCActive: {
        const seq = c.a0;
        if (this.entry !== null && this.gcState === 0 && this.entry.gc === 0) {
          // A continued run's first GC event: Go checks it against the state before (see
          // continuation.ts); the run takes it as given and writes that down.
          this.entry.gc = GC_FIRST_ACTIVE;
          this.entry.gcSeq = seq;
          this.require(c, m, cp, cg, MUST, MUST, MUST);
          this.gcSeq = seq;
          this.gcState = 2;
          this.pushEv(c, m, cp, cg);
          return true;
        }
        if (gen === this.initialGen && this.entry === null) {
          if (this.gcState !== 0) {
            throw this.evFault(c, "GCActive in the first generation isn't first GC event");
          }
          this.gcSeq = seq;
          this.gcState = 2;
          this.pushEv(c, m, cp, cg);
          return true;
        }
        if (seq !== this.gcSeq + 1) return false;
        if (this.gcState !== 2)
          throw this.evFault(c, 'encountered GCActive while GC was not in progress');
        this.gcSeq = seq;
        this.require(c, m, cp, cg, MUST, MUST, MUST);
        this.pushEv(c, m, cp, cg);
        return true;
      }
      case EvGCBegin: {
        const seq = c.a0;
        if (this.entry !== null && this.gcState === 0 && this.entry.gc === 0) {
          this.entry.gc = GC_FIRST_BEGIN;
          this.entry.gcSeq = seq;
          this.require(c, m, cp, cg, MUST, MUST, MUST);
          this.gcSeq = seq;
          this.gcState = 2;
          this.pushEv(c, m, cp, cg);
          return true;
        }
        if (this.gcState === 0) {
          this.gcSeq = seq;
          this.gcState = 2;
          this.pushEv(c, m, cp, cg);
          return true;
        }
        if (seq !== this.gcSeq + 1) return false;
        if (this.gcState === 2)
          throw this.evFault(c, 'encountered GCBegin while GC was already in progress');
        this.gcSeq = seq;
        this.gcState = 2;
        this.require(c, m, cp, cg, MUST, MUST, MUST);
        this.pushEv(c, m, cp, cg);
        return true;
      }
      case EvGCEnd: {
        const seq = c.a0;
        if (seq !== this.gcSeq + 1) return false;
        if (this.gcState === 1)
          throw this.evFault(c, 'encountered GCEnd when GC was not in progress');
        if (this.gcState === 0) {
          throw this.evFault(c, 'encountered GCEnd when GC was in an undetermined state');
        }
        this.gcSeq = seq;
        this.gcState = 1;
        this.require(c, m, cp, cg, MUST, MUST, MUST);
        this.pushEv(c, m, cp, cg);
        return true;
      }
      case EvGCSweepBegin: {
        this.require(c, m, cp, cg, MUST, MUST, MAY);
        this.beginRange(c, this.boundP(c, cp).ranges, c.typ, 0);
        this.pushEv(c, m, cp, cg);
        return true;
      }
      case EvGCSweepActive: {
        const ps = this.pStates.get(c.a0);
        if (!ps) throw this.evFault(c, `encountered GCSweepActive for unknown proc ${c.a0}`);
        this.activeRange(c, ps.ranges, gen, ps, c.a0);
        this.pushEv(c, m, cp, cg);
        return true;
      }
      case EvGCSweepEnd: {
        this.require(c, m, cp, cg, MUST, MUST, MAY);
        this.endRange(c, this.boundP(c, cp).ranges);
        this.pushEv(c, m, cp, cg);
        return true;
      }
    }
    return false;
  }

  /** Advances user tasks (see `advanceOther`). */
  private advanceTask(c: MCursor, m: number, cp: number, cg: number): boolean {
    switch (c.typ) {
      case EvUserTaskBegin: {
        const id = c.a0;
        if (this.activeTasks.has(id)) throw this.evFault(c, `task ID conflict: ${id}`);
        if (this.metTasks !== null && !this.metTasks.has(id)) {
          (this.entry as EntryLog).taskBegins.push(id);
          this.metTasks.add(id);
        }
        // A parent of 0 means no parent (not the background task).
        const parent = c.a1 === 0 ? NO_ID : c.a1;
        const name = (this.gen as Generation).strings.get(c.a2);
        if (name === undefined)
          throw this.evFault(c, `invalid string ID ${c.a2} for UserTaskBegin event`);
        this.activeTasks.add(id);
        this.require(c, m, cp, cg, MUST, MUST, MUST);
        this.out.push(c.typ, c.time, m, cp, cg, id, parent, c.a2, c.a3, 0, c.evPos);
        return true;
      }
      case EvUserTaskEnd:
        this.require(c, m, cp, cg, MUST, MUST, MUST);
        this.activeTasks.delete(c.a0);
        this.metTasks?.add(c.a0);
        this.pushEv(c, m, cp, cg);
        return true;
    }
    return false;
  }

  /** Advances user regions (see `advanceOther`). */
  private advanceRegion(c: MCursor, m: number, cp: number, cg: number): boolean {
    switch (c.typ) {
      case EvUserRegionBegin:
      case EvUserRegionEnd: {
        this.require(c, m, cp, cg, MUST, MUST, MUST);
        const name = (this.gen as Generation).strings.get(c.a1);
        if (name === undefined) {
          throw this.evFault(c, `invalid string ID ${c.a1} for ${eventName(c.typ)} event`);
        }
        const st = this.gStates.get(cg);
        if (!st) {
          throw this.evFault(
            c,
            `encountered ${eventName(c.typ)} without known state for current goroutine ${cg}`,
          );
        }
        const rs = (st.regions ??= []);
        if (c.typ === EvUserRegionBegin) {
          rs.push(c.a0, name);
        } else if (rs.length === 0 && st.entryGen !== 0) {
          // Regions open before a continued run: checked against them afterwards.
          (this.entry as EntryLog).regionEnds.push(cg, c.a0, name);
        } else if (rs.length > 0) {
          // Regions that began before the trace are unknown; otherwise the innermost must match.
          const t = rs[rs.length - 2] as number;
          const n = rs[rs.length - 1] as number;
          if (t !== c.a0 || n !== name) {
            const strs = this.b.strings.strings;
            throw this.evFault(
              c,
              `misuse of region in goroutine ${cg}: region end {${c.a0} ${strs[name]}} when the inner-most active region start event is {${t} ${strs[n]}}`,
            );
          }
          rs.length -= 2;
        }
        this.pushEv(c, m, cp, cg);
        return true;
      }
    }
    return false;
  }

  /** Advances metrics, labels and logs (see `advanceOther`). */
  private advanceSimple(c: MCursor, m: number, cp: number, cg: number): boolean {
    switch (c.typ) {
      case EvHeapAlloc:
      case EvHeapGoal:
        this.require(c, m, cp, cg, MUST, MUST, MAY);
        this.pushEv(c, m, cp, cg);
        return true;
      case EvProcsChange:
      case EvGoLabel:
      case EvUserLog:
        this.require(c, m, cp, cg, MUST, MUST, MUST);
        this.pushEv(c, m, cp, cg);
        return true;
    }
    return false;
  }

  private newG(id: number, status: number, gen: number, entryGen = 0): GState {
    const st: GState = {
      status,
      seqGen: gen,
      seq: 0,
      regions: null,
      ranges: null,
      idx: this.b.goroutine(id),
      entryGen,
    };
    this.gStates.set(id, st);
    this.metG?.set(id, 1);
    return st;
  }

  /**
   * A continued run creates goroutine `id`: it must not have existed before, unless met here.
   * `creator`: the creating goroutine when the run has no state for it, else NO_ID.
   */
  private createdUnknown(id: number, creator: number): void {
    const entry = this.entry as EntryLog;
    if (this.unknownG(id)) entry.gCreated.push(id);
    // Go checks that the creator runs; a creator the run never met cannot be checked.
    if (creator !== NO_ID && this.unknownG(creator)) {
      entry.cannotCheck('a goroutine created by one never met');
    }
  }

  private boundP(c: MCursor, p: number): PState {
    const ps = this.pStates.get(p);
    if (!ps) throw this.evFault(c, `uninitialized proc ${p} found during ${eventName(c.typ)}`);
    return ps;
  }

  /** The running goroutine `g` for an event that needs one (advanceGoStopExec's checks). */
  private runningG(c: MCursor, g: number): GState {
    const st = this.gStates.get(g);
    if (!st)
      throw this.evFault(c, `event ${eventName(c.typ)} for goroutine (${g}) that doesn't exist`);
    if (st.status !== GoRunningStatus) {
      throw this.evFault(c, `${eventName(c.typ)} event for goroutine that's not Running`);
    }
    return st;
  }

  private procStatus(
    c: MCursor,
    ms: MState | null,
    m: number,
    cp: number,
    cg: number,
    gen: number,
  ): boolean {
    const pid = c.a0;
    let status = c.a1;
    if (status >= PROC_STATUS_TO_STATE.length) {
      throw this.evFault(c, `invalid status for proc ${pid}: ${status}`);
    }
    let oldState = PROC_STATUS_TO_STATE[status] as number;
    const s = this.pStates.get(pid);
    if (s) {
      if (status === ProcSyscallAbandoned && s.status === ProcSyscallStatus) {
        // Already known to be in a syscall: nothing was lost. Promote.
        oldState = PS_RUNNING;
        status = ProcSyscallStatus;
      } else if (status === ProcSyscallAbandoned && s.status === ProcSyscallAbandoned) {
        oldState = PS_IDLE;
      } else if (s.status !== status) {
        throw this.evFault(
          c,
          `inconsistent status for proc ${pid}: old ${PROC_STATUS_NAMES[s.status] ?? 'Bad'} vs. new ${PROC_STATUS_NAMES[status] ?? 'Bad'}`,
        );
      }
      s.seqGen = gen;
      s.seq = 0;
    } else {
      this.pStates.set(pid, { status, seqGen: gen, seq: 0, ranges: [], entryGen: 0 });
      oldState = gen === this.initialGen ? PS_UNDETERMINED : PS_NOT_EXIST;
      if (this.entry !== null) {
        // Go knew this P's status (or that there was none) and checked it: written down.
        this.entry.pStatus.push(pid, status);
        const ps = this.pStates.get(pid) as PState;
        ps.entryGen = gen;
        if (status === ProcSyscallAbandoned) {
          // A P left in a syscall across the boundary: before the run it was in Syscall (what
          // the runtime writes this for), so Go promotes it, as here; checked afterwards.
          oldState = PS_RUNNING;
          status = ProcSyscallStatus;
          ps.status = status;
        }
      }
    }
    // Go binds by the status as written (a promoted SyscallAbandoned does not bind).
    const bind = c.a1 === ProcRunningStatus || c.a1 === ProcSyscallStatus;
    let em = m;
    let ep = cp;
    let eg = cg;
    if (c.a1 === ProcSyscallAbandoned && oldState === PS_RUNNING) {
      // The P is about to be stolen; report it from the thread it is bound to.
      let found = false;
      for (const [mid, st] of this.mStates) {
        if (st.p === pid && !(st.assumed & M_P)) {
          em = mid;
          ep = pid;
          eg = st.g;
          found = true;
        }
      }
      if (this.entry !== null) {
        // The thread may be one bound before the run: Go finds one there, or fails. Which one
        // only names the event's thread (already among the trace's threads); none is used here.
        this.entry.abandoned.push(pid, found ? 0 : 1);
        if (!found) {
          em = NO_ID;
          ep = pid;
          eg = NO_ID;
          found = true;
        }
      }
      if (!found) {
        throw this.evFault(
          c,
          `failed to find sched context for proc ${pid} that's about to be stolen`,
        );
      }
    }
    this.out.push(c.typ, c.time, em, ep, eg, pid, status, 0, 0, oldState, c.evPos);
    if (bind && ms) setP(ms, pid);
    return true;
  }

  private procSteal(
    c: MCursor,
    ms: MState | null,
    m: number,
    cp: number,
    cg: number,
    gen: number,
  ): boolean {
    const pid = c.a0;
    const st = this.pStates.get(pid);
    if (
      !st ||
      (st.status !== ProcSyscallStatus && st.status !== ProcSyscallAbandoned) ||
      !succeeds(gen, c.a1, st)
    ) {
      return false;
    }
    this.require(c, m, cp, cg, MUST, MAY, MAY);
    const oldStatus = st.status;
    st.status = ProcIdleStatus;
    st.seqGen = gen;
    st.seq = c.a1;
    if (oldStatus === ProcSyscallAbandoned) {
      this.pushEv(c, m, cp, cg, oldStatus);
      return true;
    }
    const mid = c.a2;
    if (mid === m) {
      // Stealing from ourselves: like a ProcStop.
      if (cp !== pid) {
        throw this.evFault(
          c,
          `tried to self-steal proc ${pid} (thread ${mid}), but got proc ${cp} instead`,
        );
      }
      this.pushEv(c, m, cp, cg, oldStatus);
      setP(ms as MState, NO_ID);
      return true;
    }
    let other = this.mStates.get(mid);
    if (this.entry !== null && (!other || other.assumed & M_P)) {
      // A thread in a syscall since before a continued run: Go checked its P.
      if (!other) {
        other = { g: NO_ID, p: pid, assumed: M_G };
        this.mStates.set(mid, other);
      }
      this.entry.noteMEquals(mid, M_P, pid);
      other.p = pid;
    }
    if (!other) throw this.evFault(c, `stole proc from non-existent thread ${mid}`);
    if (other.p !== pid) {
      throw this.evFault(
        c,
        `tried to steal proc ${pid} from thread ${mid}, but got proc ${other.p} instead`,
      );
    }
    // The other M was in a syscall; it learns here that it lost its P.
    setP(other, NO_ID);
    this.pushEv(c, m, cp, cg, oldStatus);
    return true;
  }

  private goStatus(
    c: MCursor,
    ms: MState | null,
    m: number,
    cp: number,
    cg: number,
    gen: number,
  ): boolean {
    const gid = c.a0;
    const mid = c.a1;
    const status = c.a2;
    if (status >= GO_STATUS_TO_STATE.length) {
      throw this.evFault(c, `invalid status for goroutine ${gid}: ${status}`);
    }
    let oldState = GO_STATUS_TO_STATE[status] as number;
    const s = this.gStates.get(gid);
    if (s) {
      if (s.status !== status) {
        throw this.evFault(
          c,
          `inconsistent status for goroutine ${gid}: old ${GO_STATUS_NAMES[s.status] ?? 'Bad'} vs. new ${GO_STATUS_NAMES[status] ?? 'Bad'}`,
        );
      }
      s.seqGen = gen;
      s.seq = 0;
    } else if (this.entry !== null && this.unknownG(gid)) {
      // Go knew this goroutine, in this status, and checked it: written down.
      this.newG(gid, status, gen, gen);
      this.entry.gStatus.push(gid, status);
      oldState = GS_UNDETERMINED;
    } else if (gen === this.initialGen && this.entry === null) {
      this.newG(gid, status, gen);
      oldState = GS_UNDETERMINED;
    } else {
      throw this.evFault(
        c,
        `found goroutine status for new goroutine after the first generation: id=${gid} status=${GO_STATUS_NAMES[status] ?? 'Bad'}`,
      );
    }
    let em = m;
    let eg = cg;
    let newG = cg;
    if (status === GoRunningStatus) {
      newG = gid;
    } else if (status === GoSyscallStatus) {
      if (mid === NO_ID)
        throw this.evFault(c, `found goroutine ${gid} in syscall without a thread`);
      if (mid === m) {
        if (ms !== null && ms.assumed & M_G) {
          (this.entry as EntryLog).noteMEquals(m, M_G, gid);
        } else if ((gen !== this.initialGen || this.entry !== null) && cg !== gid) {
          throw this.evFault(
            c,
            `inconsistent thread for syscalling goroutine ${gid}: thread has goroutine ${cg}`,
          );
        }
        newG = gid;
      } else {
        // A goroutine sitting in a syscall on another M for the whole generation.
        const other = this.mStates.get(mid);
        if (other && other.assumed & M_G) {
          (this.entry as EntryLog).noteMEquals(mid, M_G, gid);
          setG(other, gid);
        } else if (other) {
          if (other.g !== gid) {
            throw this.evFault(
              c,
              `inconsistent thread for syscalling goroutine ${gid}: thread has goroutine ${other.g}`,
            );
          }
          eg = other.g;
        } else {
          // Go would have found this thread if it knew it: then with this goroutine.
          if (this.entry !== null) this.entry.noteMEquals(mid, M_G, gid, true);
          this.mStates.set(mid, { g: gid, p: NO_ID, assumed: this.entry !== null ? M_P : 0 });
        }
        em = mid;
      }
    }
    this.out.push(c.typ, c.time, em, cp, eg, gid, mid, status, c.a3, oldState, c.evPos);
    // The thread's goroutine changes only when this goroutine runs (or syscalls) on it.
    if (ms && newG !== cg) setG(ms, newG);
    else if (ms && newG === gid) setG(ms, gid);
    return true;
  }

  private goSwitch(
    c: MCursor,
    ms: MState,
    m: number,
    cp: number,
    cg: number,
    gen: number,
  ): boolean {
    this.require(c, m, cp, cg, MUST, MUST, MUST);
    const cur = this.gStates.get(cg);
    if (!cur)
      throw this.evFault(c, `event ${eventName(c.typ)} for goroutine (${cg}) that doesn't exist`);
    if (cur.status !== GoRunningStatus) {
      throw this.evFault(c, `${eventName(c.typ)} event for goroutine that's not Running`);
    }
    const next = this.gStates.get(c.a0);
    if (!next || next.status !== GoWaitingStatus || !succeeds(gen, c.a1, next)) return false;
    // Three events: the next goroutine is unblocked, this one blocks (or exits), the next runs.
    this.pushEv(c, m, cp, cg);
    if (c.typ === EvGoSwitch) {
      cur.status = GoWaitingStatus;
      this.out.push(EvGoBlock, c.time, m, cp, cg, 0, 0, 0, 0, 0, c.evPos);
    } else {
      this.gStates.delete(cg);
      this.out.push(EvGoDestroy, c.time, m, cp, cg, 0, 0, 0, 0, 0, c.evPos);
    }
    next.status = GoRunningStatus;
    next.seqGen = gen;
    next.seq = c.a1;
    this.out.push(EvGoStart, c.time, m, cp, NO_ID, c.a0, c.a1, 0, 0, 0, c.evPos);
    setG(ms, c.a0);
    return true;
  }

  private goDestroySyscall(c: MCursor, ms: MState, m: number, cp: number, cg: number): boolean {
    this.require(c, m, cp, cg, MUST, MAY, MUST);
    const st = this.gStates.get(cg);
    if (!st)
      throw this.evFault(c, `event GoDestroySyscall for goroutine (${cg}) that doesn't exist`);
    if (st.status !== GoSyscallStatus) {
      throw this.evFault(c, "GoDestroySyscall event for goroutine that's not Syscall");
    }
    this.gStates.delete(cg);
    setG(ms, NO_ID);
    if (cp !== NO_ID) {
      // The thread ID may be reused by the OS: drop the P now, with a self-steal (order.go).
      const ps = this.pStates.get(cp);
      if (!ps) throw this.evFault(c, `found invalid proc ${cp} during GoDestroySyscall`);
      if (ps.status !== ProcSyscallStatus) {
        throw this.evFault(
          c,
          `proc ${cp} in unexpected state ${PROC_STATUS_NAMES[ps.status] ?? 'Bad'} during GoDestroySyscall`,
        );
      }
      ps.status = ProcSyscallAbandoned;
      setP(ms, NO_ID);
      this.out.push(EvProcSteal, c.time, m, cp, cg, cp, 0, 0, 0, ProcSyscallStatus, c.evPos);
    }
    this.pushEv(c, m, cp, cg);
    return true;
  }

  private beginRange(c: MCursor, ranges: RangeEntry[], typ: number, desc: number): void {
    const t = rangeStart(typ);
    if (hasRange(ranges, t, desc)) {
      throw this.evFault(
        c,
        `discovered event already in-flight for when starting event ${eventName(t)}`,
      );
    }
    ranges.push({ typ: t, desc });
  }

  private activeRange(
    c: MCursor,
    ranges: RangeEntry[],
    gen: number,
    owner: { entryGen: number },
    id: number,
  ): void {
    const t = rangeStart(c.typ);
    if (owner.entryGen === gen && this.entry !== null) {
      // Re-stated at the start of a continued run: Go checked it was in flight before.
      if (hasRange(ranges, t, 0)) {
        throw this.evFault(c, `found named active range already in first gen: ${eventName(t)}`);
      }
      this.entry.noteRange(
        c.typ === EvGCSweepActive ? this.entry.pRanges : this.entry.gRanges,
        id,
        t,
        0,
      );
      ranges.push({ typ: t, desc: 0 });
      return;
    }
    if (gen === this.initialGen && this.entry === null) {
      if (hasRange(ranges, t, 0)) {
        throw this.evFault(c, `found named active range already in first gen: ${eventName(t)}`);
      }
      ranges.push({ typ: t, desc: 0 });
    } else if (!hasRange(ranges, t, 0)) {
      throw this.evFault(c, `resource is missing active range: ${eventName(t)}`);
    }
  }

  /** Ends the first in-flight range begun by the matching Begin; returns its desc. */
  private endRange(c: MCursor, ranges: RangeEntry[]): number {
    const t = rangeStart(c.typ);
    for (let i = 0; i < ranges.length; i++) {
      const r = ranges[i] as RangeEntry;
      if (r.typ === t) {
        ranges[i] = ranges[ranges.length - 1] as RangeEntry;
        ranges.pop();
        return r.desc;
      }
    }
    throw this.evFault(c, `tried to end event ${eventName(t)}, but not in-flight`);
  }

  /** Go's validateCtx. */
  private require(
    c: MCursor,
    m: number,
    p: number,
    g: number,
    rm: number,
    rp: number,
    rg: number,
  ): void {
    let msg = '';
    if (rm === MUST && m === NO_ID) msg = "expected a thread but didn't have one";
    else if (rm === MUST_NOT && m !== NO_ID) msg = 'expected no thread but had one';
    else if (rp === MUST && p === NO_ID) msg = "expected a proc but didn't have one";
    else if (rp === MUST_NOT && p !== NO_ID) msg = 'expected no proc but had one';
    else if (rg === MUST && g === NO_ID) msg = "expected a goroutine but didn't have one";
    else if (rg === MUST_NOT && g !== NO_ID) msg = 'expected no goroutine but had one';
    if (msg !== '') throw this.evFault(c, msg);
  }

  private evFault(c: MCursor, msg: string): TraceFault {
    return new TraceFault(`${msg} (event ${eventName(c.typ)} on thread ${c.m})`, c.evPos);
  }

  // ---------------------------------------------------------------- emission
}

const MUST_NOT = 0;
const MAY = 1;
const MUST = 2;

/** Go's seqCounter.succeeds: seq `seq` of generation `gen` immediately follows `st`'s. */
function succeeds(gen: number, seq: number, st: { seqGen: number; seq: number }): boolean {
  return gen === st.seqGen && seq === st.seq + 1;
}

/** Sets a thread's goroutine: known from here on in a continued run. */
function setG(ms: MState, g: number): void {
  ms.g = g;
  ms.assumed &= ~M_G;
}

/** Sets a thread's P: known from here on in a continued run. */
function setP(ms: MState, p: number): void {
  ms.p = p;
  ms.assumed &= ~M_P;
}

/**
 * Which of the current thread's fields (M_G, M_P) the ordering of each event type reads in a way
 * that decides what is emitted: a validity check (Go's validateCtx), a lookup, or a field the
 * emitter writes into the model (emit.ts). Fields read only to be passed along unused (a
 * ProcStatus's or GoStatus's context) are not counted.
 */
const READS = new Uint8Array(256);
for (const t of [
  EvGoCreate,
  EvGoCreateBlocked,
  EvGoStart,
  EvGoDestroy,
  EvGoStop,
  EvGoBlock,
  EvGoSyscallBegin,
  EvGoSyscallEnd,
  EvGoSyscallEndBlocked,
  EvGoSwitch,
  EvGoSwitchDestroy,
  EvGoDestroySyscall,
  EvSTWBegin,
  EvSTWEnd,
  EvGCMarkAssistBegin,
  EvGCMarkAssistEnd,
  EvGCBegin,
  EvGCEnd,
  EvGCSweepBegin,
  EvUserTaskBegin,
  EvUserTaskEnd,
  EvUserRegionBegin,
  EvUserRegionEnd,
  EvProcsChange,
  EvGoLabel,
  EvUserLog,
]) {
  READS[t] = M_G | M_P;
}
// An unblock records its waker. (A transition's P, intervals.proc, is filled in at the join when
// the run did not know it: Emitter.pendingP.)
READS[EvGoUnblock] = M_G;
READS[EvGoCreateSyscall] = M_G;
READS[EvGCActive] = M_G; // the GC range's goroutine
READS[EvGCSweepActive] = M_G;
READS[EvProcStart] = M_P;
READS[EvProcStop] = M_P;
READS[EvProcSteal] = M_P;
READS[EvHeapAlloc] = M_P;
READS[EvHeapGoal] = M_P;
READS[EvGCSweepEnd] = M_P;
