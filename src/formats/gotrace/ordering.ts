// Go's ordering of v2 trace events: which event may advance, and what it means.
//
// Each thread (M) writes its own batches, so events are totally ordered per M by time, but only
// partially ordered across Ms: by sequence numbers on goroutine and proc events, and by the state
// machines of goroutines, procs and threads. A GoStart, say, cannot advance until an event on
// another M has made its goroutine runnable with the preceding sequence number. The state
// machines and their checks are Go's (src/internal/trace/order.go, go1.26), with Go's error
// messages; an event that advances is queued for the emitter (emit.ts).

import type { TraceBuilder } from '../../model/traceBuilder';
import type { IdTable } from '../idIndex';
import type { MCursor, MState } from './cursor';
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

  constructor(
    private readonly b: TraceBuilder,
    private readonly out: Emitter,
    /** Goroutine states by Go goroutine ID (shared with the emitter, which reads their model index). */
    private readonly gStates: IdTable<GState>,
  ) {}

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
          ms = { g: NO_ID, p: NO_ID };
          this.mStates.set(m, ms);
        }
        c.ms = ms;
      }
      cp = ms.p;
      cg = ms.g;
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
        (ms as MState).g = c.a0;
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
        (ms as MState).g = NO_ID;
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
        (ms as MState).p = c.a0;
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
        (ms as MState).p = NO_ID;
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
        this.newG(c.a0, GoSyscallStatus, gen);
        this.pushEv(c, m, cp, cg);
        (ms as MState).g = c.a0;
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
        (ms as MState).g = NO_ID;
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
        this.activeRange(c, (st.ranges ??= []), gen);
        this.pushEv(c, m, cp, cg);
        return true;
      }
      case EvGCActive: {
        const seq = c.a0;
        if (gen === this.initialGen) {
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
        this.activeRange(c, ps.ranges, gen);
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

  private newG(id: number, status: number, gen: number): GState {
    const st: GState = {
      status,
      seqGen: gen,
      seq: 0,
      regions: null,
      ranges: null,
      idx: this.b.goroutine(id),
    };
    this.gStates.set(id, st);
    return st;
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
      this.pStates.set(pid, { status, seqGen: gen, seq: 0, ranges: [] });
      oldState = gen === this.initialGen ? PS_UNDETERMINED : PS_NOT_EXIST;
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
        if (st.p === pid) {
          em = mid;
          ep = pid;
          eg = st.g;
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
    if (bind && ms) ms.p = pid;
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
      (ms as MState).p = NO_ID;
      return true;
    }
    const other = this.mStates.get(mid);
    if (!other) throw this.evFault(c, `stole proc from non-existent thread ${mid}`);
    if (other.p !== pid) {
      throw this.evFault(
        c,
        `tried to steal proc ${pid} from thread ${mid}, but got proc ${other.p} instead`,
      );
    }
    // The other M was in a syscall; it learns here that it lost its P.
    other.p = NO_ID;
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
    } else if (gen === this.initialGen) {
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
        if (gen !== this.initialGen && cg !== gid) {
          throw this.evFault(
            c,
            `inconsistent thread for syscalling goroutine ${gid}: thread has goroutine ${cg}`,
          );
        }
        newG = gid;
      } else {
        // A goroutine sitting in a syscall on another M for the whole generation.
        const other = this.mStates.get(mid);
        if (other) {
          if (other.g !== gid) {
            throw this.evFault(
              c,
              `inconsistent thread for syscalling goroutine ${gid}: thread has goroutine ${other.g}`,
            );
          }
          eg = other.g;
        } else {
          this.mStates.set(mid, { g: gid, p: NO_ID });
        }
        em = mid;
      }
    }
    this.out.push(c.typ, c.time, em, cp, eg, gid, mid, status, c.a3, oldState, c.evPos);
    if (ms) ms.g = newG;
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
    ms.g = c.a0;
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
    ms.g = NO_ID;
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
      ms.p = NO_ID;
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

  private activeRange(c: MCursor, ranges: RangeEntry[], gen: number): void {
    const t = rangeStart(c.typ);
    if (gen === this.initialGen) {
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
