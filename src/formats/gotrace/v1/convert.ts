// Gives the ordered events of a v1 trace the meaning Go gives them, and writes them into the same
// TraceBuilder the 1.22+ decoder writes into.
//
// Two steps of Go's, done together for each event as Go's merge gives it (order.ts):
//   - validation (validate.ts: Go's postProcessTrace), which says whether the event is consistent;
//   - conversion (Go src/internal/trace/tracev1.go, go1.26, which golang.org/x/exp/trace uses for
//     these files): old events become 1.22+ events. The blocking events become GoBlock with
//     Go's reason strings ("chan receive", "sync", "select", "network", ...); GoSched and
//     GoPreempt become GoStop ("runtime.Gosched", "preempted"); a GoSysCall becomes a 1 ns
//     syscall unless the goroutine's next event is GoSysBlock, in which case it lasts until the
//     GoSysExit; goroutines that existed when tracing began are announced by GoStatus events,
//     the runnable ones at the first EvGomaxprocs (which ends the trace's start-up and is
//     itself dropped); a P's first ProcStart/ProcStop is a ProcStatus; GoStartLabel is a GoStart
//     and a GoLabel; CPU samples have no thread.
// Times get Go's fix-up: an event not after the previous one is put 1 ns after it.

import {
  EK_LABEL,
  EK_LOG,
  EK_METRIC,
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
  RANGE_GC,
  RANGE_MARK_ASSIST,
  RANGE_STW,
  RANGE_SWEEP,
} from '../../../model/trace';
import type { TraceBuilder } from '../../../model/traceBuilder';
import * as spec from './spec';
import {
  ARG_NUM,
  EvCPUSample,
  EvGCDone,
  EvGCMarkAssistDone,
  EvGCMarkAssistStart,
  EvGCStart,
  EvGCSweepDone,
  EvGCSweepStart,
  EvGoBlock,
  EvGoBlockCond,
  EvGoBlockGC,
  EvGoBlockNet,
  EvGoBlockRecv,
  EvGoBlockSelect,
  EvGoBlockSend,
  EvGoBlockSync,
  EvGoCreate,
  EvGoEnd,
  EvGoInSyscall,
  EvGoPreempt,
  EvGoSched,
  EvGoSleep,
  EvGoStart,
  EvGoStartLabel,
  EvGoStartLocal,
  EvGoStop,
  EvGoSysBlock,
  EvGoSysCall,
  EvGoSysCallBlocked,
  EvGoSysExit,
  EvGoSysExitLocal,
  EvGoUnblock,
  EvGoUnblockLocal,
  EvGoWaiting,
  EvGomaxprocs,
  EvHeapAlloc,
  EvHeapGoal,
  EvProcStart,
  EvProcStop,
  EvSTWDone,
  EvSTWStart,
  EvUserLog,
  EvUserRegion,
  EvUserTaskCreate,
  EvUserTaskEnd,
  HAS_STACK,
} from './spec';
import type { V1Trace } from './parse';
import { decodeString } from '../generation';
import { IdIndex } from '../../../base/idIndex';
import { clearVarintError, uvarint, varintEnd } from '../../varint';
import { RegionStacks } from './regionStacks';
import { Validator } from './validate';

const NO_ID = -1;

export class Converter {
  /** Events emitted (Syncs included), and Syncs. */
  events = 0;
  /** Events of the v1 trace converted (CPU samples included). */
  converted = 0;
  syncs = 0;
  /** Threads (Ms) events ran on: a P's thread is named by its ProcStart. */
  private readonly threads = new Set<number>();
  /** Time of the last emitted event (Go's converter lastTs; -1 before the first). */
  lastTs = -1;

  // Conversion state (traceV1Converter).
  private preInit = true;
  private readonly created: Uint8Array;
  private createdList: number[] = [];
  private readonly procMs: Float64Array;
  private lastStw = 0;

  // Builder rows and indexes.
  private readonly gIdx: Int32Array;
  private gcRow = -1;
  private stwRow = -1;
  private readonly sweepRow = new Map<number, number>();
  /** Per dense goroutine: the builder row of its open mark assist, or -1. */
  private readonly assistRow: Int32Array;
  /** Per task ID: the builder row of its TaskBegin (-2: none). */
  private readonly taskRow = new IdIndex(1024, 1 << 20, -2);
  private readonly stringIdx = new IdIndex(1024, 1 << 20, -2);
  private readonly stackIdx = new IdIndex(1024, 1 << 20, -2);
  /** Open regions per dense goroutine: task ID, name string ID, builder row; innermost on top. */
  private readonly regions: RegionStacks;
  /** Go's validation, before each event is converted. */
  private readonly v: Validator;
  private readonly frameOfPc = new Map<number, number>();
  private readonly funcOfPc = new Map<number, number>();
  private readonly reasonOf: Int32Array;
  private readonly stwName: number[];
  private readonly metricNames = {
    procs: '/sched/gomaxprocs:threads',
    heap: '/memory/classes/heap/objects:bytes',
    goal: '/gc/heap/goal:bytes',
  };

  // Arguments of the current event (after the timestamp).
  private a0 = 0;
  private a1 = 0;
  private a2 = 0;
  private a3 = 0;
  private argEnd = 0;
  /** Dense goroutine named by the current GoCreate or GoUnblock. */
  private target = 0;
  private readonly nsPerTick: number;
  /** The trace names timer goroutines (Go 1.11-1.13 had them). */
  private readonly hasTimers: boolean;

  constructor(
    private readonly t: V1Trace,
    private readonly b: TraceBuilder,
    /** Ticks of the first event: time 0. */
    private readonly minTs: number,
  ) {
    this.nsPerTick = 1e9 / t.ticksPerSec;
    this.hasTimers = t.timerGoroutines.size > 0;
    const ng = t.goroutines.ids.length;
    const np = t.procIds.length;
    this.created = new Uint8Array(ng);
    this.procMs = new Float64Array(np).fill(NaN);
    this.gIdx = new Int32Array(ng).fill(-1);
    this.regions = new RegionStacks(ng);
    this.v = new Validator(t, this.regions);
    this.assistRow = new Int32Array(ng).fill(-1);
    this.reasonOf = new Int32Array(spec.EvCount);
    spec.BLOCK_REASON.forEach((s, typ) => {
      this.reasonOf[typ] = b.reason(b.strings.intern(s));
    });
    this.stwName = spec.STW_REASONS.map((s) => b.strings.intern(s));
  }

  get threadCount(): number {
    return this.threads.size;
  }

  /** A Sync event at `t` (Go's reader emits one before the first event and one after the last). */
  sync(t: number): void {
    this.events++;
    this.syncs++;
    this.b.count(EK_SYNC);
    this.b.time(t);
  }

  // ---------------------------------------------------------------- one event

  /** The stack ID of the current event (its last argument), or 0. */
  private stackArg(typ: number): number {
    if (HAS_STACK[typ] === 0) return 0;
    const i = (ARG_NUM[typ] as number) - 2;
    const v = i === 0 ? this.a0 : i === 1 ? this.a1 : i === 2 ? this.a2 : this.a3;
    return v >>> 0; // Go: uint32
  }

  /**
   * Validates, converts and emits one event of Go's merged stream: its wire type, offset, dense
   * proc, ticks and dense goroutine (Go's Event.G); for a CPU sample, its stack ID; its
   * arguments after the timestamp and where they end. Returns an error message, or null.
   */
  event(
    wire: number,
    at: number,
    P: number,
    ticks: number,
    G: number,
    cpuStack: number,
    a0: number,
    a1: number,
    a2: number,
    a3: number,
    argEnd: number,
  ): string | null {
    const t = this.t;
    // The merge turned the "Local" events into their plain forms (parser.go).
    let typ = wire;
    if (typ === EvGoStartLocal) typ = EvGoStart;
    else if (typ === EvGoUnblockLocal) typ = EvGoUnblock;
    else if (typ === EvGoSysExitLocal) typ = EvGoSysExit;
    else if (typ === EvGoSysCall && t.blocking.has(at)) typ = EvGoSysCallBlocked;
    const ts = Math.trunc((ticks - this.minTs) * this.nsPerTick);
    this.a0 = a0;
    this.a1 = a1;
    this.a2 = a2;
    this.a3 = a3;
    this.argEnd = argEnd;
    const stk = wire === EvCPUSample ? cpuStack : this.stackArg(wire);
    // The goroutine the first argument names (created, unblocked), for the events that have one.
    this.target = typ === EvGoCreate || typ === EvGoUnblock ? t.goroutines.get(this.a0) : 0;
    const v = this.v;
    v.a0 = a0;
    v.a1 = a1;
    v.a2 = a2;
    v.target = this.target;

    const err = v.validate(typ, G, P, ts) ?? this.convert(typ, wire, G, P, ts, stk);
    if (err === null) this.converted++;
    return err;
  }

  // ---------------------------------------------------------------- conversion and emission

  /** Go's time fix-up: an event not after the previous one goes 1 ns after it. */
  private stamp(t: number): number {
    if (t <= this.lastTs) t = this.lastTs + 1;
    this.lastTs = t;
    this.events++;
    this.b.time(t);
    return t;
  }

  /** The builder's goroutine index of dense goroutine `d`; -1 for goroutine 0 (none). */
  private gi(d: number): number {
    if (d === 0) return -1;
    let i = this.gIdx[d] as number;
    if (i < 0) {
      i = this.b.goroutine(this.t.goroutines.ids[d] as number);
      this.gIdx[d] = i;
    }
    return i;
  }

  private str(id: number): number {
    let s = this.stringIdx.get(id);
    if (s < 0) {
      s = this.b.strings.intern(this.t.strings.get(id) ?? '');
      this.stringIdx.set(id, s);
    }
    return s;
  }

  /** The builder's stack of v1 stack ID `id`; -1 for 0 and for stacks the trace lacks. */
  private stack(id: number): number {
    if (id === 0) return -1;
    let s = this.stackIdx.get(id);
    if (s === -2) {
      s = this.resolveStack(id);
      this.stackIdx.set(id, s);
    }
    return s;
  }

  private resolveStack(id: number): number {
    const t = this.t;
    const st = t.stacks.get(id);
    if (st === undefined) return -1;
    const [start, count] = st;
    const b = this.b;
    const sb = b.stackBuilder;
    const rootFirst: number[] = [];
    let rootFunc = -1;
    // Go lists frames leaf first; the prefix tree wants them root first.
    for (let k = start + count - 1; k >= start; k--) {
      const pc = t.pcs[k] as number;
      let f = this.frameOfPc.get(pc);
      if (f === undefined) {
        const fr = t.frames.get(pc) as [number, number, number];
        const fn = this.str(fr[0]);
        const file = this.str(fr[1]);
        const strs = b.strings.strings;
        f = sb.frame(strs[fn] as string, strs[file] as string, fr[2]);
        this.frameOfPc.set(pc, f);
        this.funcOfPc.set(pc, fn);
      }
      if (rootFirst.length === 0) rootFunc = this.funcOfPc.get(pc) as number;
      rootFirst.push(f);
    }
    return b.internStack(rootFirst, rootFirst.length, rootFunc);
  }

  private thread(P: number, typ: number): number {
    if (typ === EvCPUSample) return NO_ID;
    const m = this.procMs[P] as number;
    return m === m ? m : NO_ID;
  }

  private convert(
    typ: number,
    wire: number,
    G: number,
    P: number,
    ts: number,
    stk: number,
  ): string | null {
    const t = this.t;
    const b = this.b;
    const pid = t.procIds[P] as number;
    // Events Go moves to its fake Ps have no thread: syscall exits, GC starts, unblocks by a
    // timer goroutine or by the network poller.
    let fake = typ === EvGoSysExit || typ === EvGCStart;
    if (typ === EvGoUnblock) {
      fake = this.v.netUnblock || (this.hasTimers && t.timerGoroutines.has(G));
    }
    const m = fake || pid === -1 ? NO_ID : this.thread(P, typ);
    switch (typ) {
      case EvGomaxprocs:
        if (this.preInit) {
          // The end of the trace's start-up: goroutines created before it and not seen since
          // were runnable (or idle) when tracing began.
          this.preInit = false;
          for (const d of this.createdList) {
            if (!this.created[d]) continue;
            this.created[d] = 0;
            const at = this.stamp(ts);
            b.count(EK_STATE_TRANSITION);
            // Go gives these status events no P (tracev1.go).
            b.goTransition(at, this.gi(d), GS_RUNNABLE, 0, -1, -1, IV_STATUS, -1);
          }
          this.createdList = [];
          return null;
        }
        b.metric(this.metricNames.procs, this.stamp(ts), this.a0);
        b.count(EK_METRIC);
        return null;
      case EvProcStart: {
        // A P's first ProcStart is a ProcStatus in Go's conversion: the same transition here.
        this.procMs[P] = this.a0;
        const th = pid === -1 ? NO_ID : this.a0;
        if (th !== NO_ID) this.threads.add(th);
        const at = this.stamp(ts);
        b.count(EK_STATE_TRANSITION);
        b.procTransition(at, pid, true, th);
        return null;
      }
      case EvProcStop: {
        const at = this.stamp(ts);
        b.count(EK_STATE_TRANSITION);
        b.procTransition(at, pid, false, m);
        this.procMs[P] = NaN;
        return null;
      }
      case EvGCStart: {
        const at = this.stamp(ts);
        b.count(EK_RANGE_BEGIN);
        this.gcRow = b.rangeBegin(RANGE_GC, at, this.gi(G), NO_ID, -1, this.stack(stk), false);
        return null;
      }
      case EvGCDone: {
        const at = this.stamp(ts);
        b.count(EK_RANGE_END);
        if (this.gcRow >= 0) b.rangeEnd(this.gcRow, at);
        this.gcRow = -1;
        return null;
      }
      case EvSTWStart: {
        this.lastStw = this.stwName[spec.stwReason(t.version, this.a0)] as number;
        const at = this.stamp(ts);
        b.count(EK_RANGE_BEGIN);
        this.stwRow = b.rangeBegin(RANGE_STW, at, this.gi(G), NO_ID, this.lastStw, -1, false);
        return null;
      }
      case EvSTWDone: {
        const at = this.stamp(ts);
        b.count(EK_RANGE_END);
        if (this.stwRow >= 0) b.rangeEnd(this.stwRow, at);
        this.stwRow = -1;
        return null;
      }
      case EvGCSweepStart: {
        const at = this.stamp(ts);
        b.count(EK_RANGE_BEGIN);
        const row = b.rangeBegin(RANGE_SWEEP, at, this.gi(G), pid, -1, this.stack(stk), false);
        this.sweepRow.set(pid, row);
        return null;
      }
      case EvGCSweepDone: {
        const at = this.stamp(ts);
        b.count(EK_RANGE_END);
        const row = this.sweepRow.get(pid);
        if (row !== undefined) b.rangeEnd(row, at);
        this.sweepRow.delete(pid);
        return null;
      }
      case EvGCMarkAssistStart: {
        const at = this.stamp(ts);
        b.count(EK_RANGE_BEGIN);
        const row = b.rangeBegin(
          RANGE_MARK_ASSIST,
          at,
          this.gi(G),
          NO_ID,
          -1,
          this.stack(stk),
          false,
        );
        this.assistRow[G] = row;
        return null;
      }
      case EvGCMarkAssistDone: {
        const at = this.stamp(ts);
        b.count(EK_RANGE_END);
        const row = this.assistRow[G] as number;
        if (row >= 0) b.rangeEnd(row, at);
        this.assistRow[G] = -1;
        return null;
      }
      case EvGoCreate: {
        const ng = this.target;
        if (this.preInit) {
          // A goroutine that existed when tracing began; announced later by a status event.
          this.created[ng] = 1;
          this.createdList.push(ng);
          return null;
        }
        const at = this.stamp(ts);
        b.count(EK_STATE_TRANSITION);
        const gi = this.gi(ng);
        const newStack = this.stack(this.a1 >>> 0);
        b.goCreated(at, gi, this.gi(G), this.stack(stk), newStack);
        b.goTransition(at, gi, GS_RUNNABLE, 0, newStack, -1, 0, pid);
        return null;
      }
      case EvGoStart: {
        const status = this.preInit && wire !== EvGoStartLabel;
        const at = this.stamp(ts);
        b.count(EK_STATE_TRANSITION);
        if (status) {
          // Running when tracing began.
          this.created[G] = 0;
          b.goTransition(at, this.gi(G), GS_RUNNING, 0, -1, -1, IV_STATUS, pid);
        } else {
          b.goTransition(at, this.gi(G), GS_RUNNING, 0, -1, -1, 0, pid);
        }
        return null;
      }
      case EvGoStartLabel: {
        const at = this.stamp(ts);
        b.count(EK_STATE_TRANSITION);
        b.goTransition(at, this.gi(G), GS_RUNNING, 0, -1, -1, 0, pid);
        const lt = this.stamp(ts);
        b.count(EK_LABEL);
        b.label(lt, this.gi(G), this.str(this.a2));
        return null;
      }
      case EvGoEnd: {
        const at = this.stamp(ts);
        b.count(EK_STATE_TRANSITION);
        b.goTransition(at, this.gi(G), GS_NOT_EXIST, 0, -1, -1, 0, pid);
        this.regions.clear(G);
        return null;
      }
      case EvGoStop:
      case EvGoSleep:
      case EvGoBlock:
      case EvGoBlockSend:
      case EvGoBlockRecv:
      case EvGoBlockSelect:
      case EvGoBlockSync:
      case EvGoBlockCond:
      case EvGoBlockNet:
      case EvGoBlockGC: {
        const at = this.stamp(ts);
        b.count(EK_STATE_TRANSITION);
        b.goTransition(
          at,
          this.gi(G),
          GS_WAITING,
          this.reasonOf[typ] as number,
          this.stack(stk),
          -1,
          0,
          pid,
        );
        return null;
      }
      case EvGoSched:
      case EvGoPreempt: {
        const at = this.stamp(ts);
        b.count(EK_STATE_TRANSITION);
        b.goTransition(
          at,
          this.gi(G),
          GS_RUNNABLE,
          this.reasonOf[typ] as number,
          this.stack(stk),
          -1,
          0,
          pid,
        );
        return null;
      }
      case EvGoUnblock: {
        const at = this.stamp(ts);
        b.count(EK_STATE_TRANSITION);
        b.goTransition(
          at,
          this.gi(this.target),
          GS_RUNNABLE,
          0,
          this.stack(stk),
          this.gi(G),
          0,
          pid,
        );
        return null;
      }
      case EvGoSysCall:
      case EvGoSysCallBlocked: {
        const at = this.stamp(ts);
        b.count(EK_STATE_TRANSITION);
        const gi = this.gi(G);
        b.goTransition(at, gi, GS_SYSCALL, 0, this.stack(stk), -1, 0, pid);
        if (typ === EvGoSysCall) {
          // A syscall that did not block: 1 ns long.
          const end = this.stamp(ts + 1);
          b.count(EK_STATE_TRANSITION);
          b.goTransition(end, gi, GS_RUNNING, 0, -1, -1, 0, pid);
        }
        return null;
      }
      case EvGoSysExit: {
        const at = this.stamp(ts);
        b.count(EK_STATE_TRANSITION);
        b.goTransition(at, this.gi(G), GS_RUNNABLE, 0, -1, -1, 0, pid);
        return null;
      }
      case EvGoSysBlock:
        return null; // part of the GoSysCall before it
      case EvGoWaiting:
      case EvGoInSyscall: {
        this.created[G] = 0;
        const at = this.stamp(ts);
        b.count(EK_STATE_TRANSITION);
        b.goTransition(
          at,
          this.gi(G),
          typ === EvGoWaiting ? GS_WAITING : GS_SYSCALL,
          0,
          -1,
          -1,
          IV_STATUS,
          pid,
        );
        return null;
      }
      case EvHeapAlloc:
      case EvHeapGoal: {
        const at = this.stamp(ts);
        b.count(EK_METRIC);
        b.metric(typ === EvHeapAlloc ? this.metricNames.heap : this.metricNames.goal, at, this.a0);
        return null;
      }
      case EvUserTaskCreate: {
        const at = this.stamp(ts);
        b.count(EK_TASK_BEGIN);
        const parent = this.a1 === 0 ? NO_ID : this.a1;
        this.taskRow.set(
          this.a0,
          b.taskBegin(at, this.a0, parent, this.str(this.a2), this.gi(G), this.stack(stk)),
        );
        return null;
      }
      case EvUserTaskEnd: {
        const at = this.stamp(ts);
        b.count(EK_TASK_END);
        const row = this.taskRow.get(this.a0);
        this.taskRow.set(this.a0, -2);
        b.taskEnd(row >= 0 ? row : -1, at, this.a0, this.gi(G), this.stack(stk));
        return null;
      }
      case EvUserRegion: {
        const at = this.stamp(ts);
        const gi = this.gi(G);
        const name = this.str(this.a2);
        if (this.a1 === 0) {
          b.count(EK_REGION_BEGIN);
          const row = b.regionBegin(at, gi, this.a0, name, this.stack(stk));
          this.regions.push(G, this.a0, this.a2, row);
        } else {
          b.count(EK_REGION_END);
          // A region begun before the trace has no row (-1).
          const row = this.regions.pop(G);
          b.regionEnd(row, at, gi, this.a0, name, this.stack(stk));
        }
        return null;
      }
      case EvUserLog: {
        const value = this.logValue();
        const at = this.stamp(ts);
        b.count(EK_LOG);
        b.log(at, this.gi(G), this.a0, this.str(this.a1), b.strings.intern(value), this.stack(stk));
        return null;
      }
      case EvCPUSample: {
        const at = this.stamp(ts);
        b.count(EK_STACK_SAMPLE);
        b.cpuSample(at, this.gi(G), pid, NO_ID, this.stack(stk));
        return null;
      }
      default:
        return `unexpected event type ${spec.eventName(typ)}`;
    }
  }

  /** The value string of a UserLog, which follows its arguments (parse.ts has checked it). */
  private logValue(): string {
    const buf = this.t.bytes;
    const len = uvarint(buf, this.argEnd, buf.length);
    if (len < 0) {
      clearVarintError();
      return '';
    }
    const pos = varintEnd;
    return decodeString(buf, pos, Math.min(buf.length, pos + len));
  }
}
