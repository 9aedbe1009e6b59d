// Gives the ordered events of a v1 trace the meaning Go gives them, and writes them into the same
// TraceBuilder the 1.22+ decoder writes into.
//
// Two steps of Go's, done together for each event as Go's merge gives it (order.ts):
//   - validation (Go src/internal/trace/internal/tracev1/parser.go postProcessTrace, go1.26):
//     a goroutine must be running to block, runnable to start, waiting to be unblocked; a P runs
//     one goroutine at a time; GC, STW, sweeps, assists, tasks and regions nest properly. Go
//     rejects the whole trace on the first inconsistency; here the events before it are kept.
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

import * as model from '../../../model/trace';
import type { TraceBuilder } from '../../../model/traceBuilder';
import * as spec from './spec';
import type { V1Trace } from './parse';
import { decodeString } from '../generation';

const ARG_NUM = spec.ARG_NUM;
const HAS_STACK = spec.HAS_STACK;
const EvCPUSample = spec.EvCPUSample;
const EvGCDone = spec.EvGCDone;
const EvGCMarkAssistDone = spec.EvGCMarkAssistDone;
const EvGCMarkAssistStart = spec.EvGCMarkAssistStart;
const EvGCStart = spec.EvGCStart;
const EvGCSweepDone = spec.EvGCSweepDone;
const EvGCSweepStart = spec.EvGCSweepStart;
const EvGoBlock = spec.EvGoBlock;
const EvGoBlockCond = spec.EvGoBlockCond;
const EvGoBlockGC = spec.EvGoBlockGC;
const EvGoBlockNet = spec.EvGoBlockNet;
const EvGoBlockRecv = spec.EvGoBlockRecv;
const EvGoBlockSelect = spec.EvGoBlockSelect;
const EvGoBlockSend = spec.EvGoBlockSend;
const EvGoBlockSync = spec.EvGoBlockSync;
const EvGoCreate = spec.EvGoCreate;
const EvGoEnd = spec.EvGoEnd;
const EvGoInSyscall = spec.EvGoInSyscall;
const EvGoPreempt = spec.EvGoPreempt;
const EvGoSched = spec.EvGoSched;
const EvGoSleep = spec.EvGoSleep;
const EvGoStart = spec.EvGoStart;
const EvGoStartLabel = spec.EvGoStartLabel;
const EvGoStartLocal = spec.EvGoStartLocal;
const EvGoStop = spec.EvGoStop;
const EvGoSysBlock = spec.EvGoSysBlock;
const EvGoSysCall = spec.EvGoSysCall;
const EvGoSysCallBlocked = spec.EvGoSysCallBlocked;
const EvGoSysExit = spec.EvGoSysExit;
const EvGoSysExitLocal = spec.EvGoSysExitLocal;
const EvGoUnblock = spec.EvGoUnblock;
const EvGoUnblockLocal = spec.EvGoUnblockLocal;
const EvGoWaiting = spec.EvGoWaiting;
const EvGomaxprocs = spec.EvGomaxprocs;
const EvHeapAlloc = spec.EvHeapAlloc;
const EvHeapGoal = spec.EvHeapGoal;
const EvProcStart = spec.EvProcStart;
const EvProcStop = spec.EvProcStop;
const EvSTWDone = spec.EvSTWDone;
const EvSTWStart = spec.EvSTWStart;
const EvUserLog = spec.EvUserLog;
const EvUserRegion = spec.EvUserRegion;
const EvUserTaskCreate = spec.EvUserTaskCreate;
const EvUserTaskEnd = spec.EvUserTaskEnd;
const EK_LABEL = model.EK_LABEL;
const EK_LOG = model.EK_LOG;
const EK_METRIC = model.EK_METRIC;
const EK_RANGE_BEGIN = model.EK_RANGE_BEGIN;
const EK_RANGE_END = model.EK_RANGE_END;
const EK_REGION_BEGIN = model.EK_REGION_BEGIN;
const EK_REGION_END = model.EK_REGION_END;
const EK_STACK_SAMPLE = model.EK_STACK_SAMPLE;
const EK_STATE_TRANSITION = model.EK_STATE_TRANSITION;
const EK_SYNC = model.EK_SYNC;
const EK_TASK_BEGIN = model.EK_TASK_BEGIN;
const EK_TASK_END = model.EK_TASK_END;
const GS_NOT_EXIST = model.GS_NOT_EXIST;
const GS_RUNNABLE = model.GS_RUNNABLE;
const GS_RUNNING = model.GS_RUNNING;
const GS_SYSCALL = model.GS_SYSCALL;
const GS_WAITING = model.GS_WAITING;
const IV_STATUS = model.IV_STATUS;
const RANGE_GC = model.RANGE_GC;
const RANGE_MARK_ASSIST = model.RANGE_MARK_ASSIST;
const RANGE_STW = model.RANGE_STW;
const RANGE_SWEEP = model.RANGE_SWEEP;

// Go's gdesc states in postProcessTrace.
const G_DEAD = 0;
const G_RUNNABLE = 1;
const G_RUNNING = 2;
const G_WAITING = 3;

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

  // Validation state (postProcessTrace), per dense goroutine and dense proc.
  private readonly gState: Uint8Array;
  private readonly gPresent: Uint8Array;
  /** Type of the event that last made the goroutine runnable or blocked it (Go's g.ev), 0: nil. */
  private readonly gEv: Uint8Array;
  private readonly gAssist: Uint8Array;
  private readonly pRunning: Uint8Array;
  private readonly pG: Uint32Array;
  private readonly pSweep: Uint8Array;
  private gcOn = false;
  private stwOn = false;
  /** Task IDs begun and not ended (Go's tasks map): 1, or -2. */
  private readonly tasks = new IdCache();
  /** Open regions per dense goroutine: task ID, name string ID, builder row; innermost on top. */
  private readonly regions: RegionStacks;

  // Conversion state (traceV1Converter).
  private preInit = true;
  private readonly created: Uint8Array;
  private createdList: number[] = [];
  private readonly procMs: Float64Array;
  private lastStw = 0;
  /** The current GoUnblock woke a goroutine blocked on the network. */
  private netUnblock = false;

  // Builder rows and indexes.
  private readonly gIdx: Int32Array;
  private gcRow = -1;
  private stwRow = -1;
  private readonly sweepRow = new Map<number, number>();
  /** Per dense goroutine: the builder row of its open mark assist, or -1. */
  private readonly assistRow: Int32Array;
  /** Per task ID: the builder row of its TaskBegin (-2: none). */
  private readonly taskRow = new IdCache();
  private readonly stringIdx = new IdCache();
  private readonly stackIdx = new IdCache();
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
    this.gState = new Uint8Array(ng);
    this.gPresent = new Uint8Array(ng);
    this.gEv = new Uint8Array(ng);
    this.gAssist = new Uint8Array(ng);
    this.pRunning = new Uint8Array(np);
    this.pG = new Uint32Array(np);
    this.pSweep = new Uint8Array(np);
    this.created = new Uint8Array(ng);
    this.procMs = new Float64Array(np).fill(NaN);
    this.gIdx = new Int32Array(ng).fill(-1);
    this.regions = new RegionStacks(ng);
    this.assistRow = new Int32Array(ng).fill(-1);
    // Goroutine 0 (no goroutine) is running from the start (postProcessTrace: gs[0]).
    if (ng > 0) {
      this.gState[0] = G_RUNNING;
      this.gPresent[0] = 1;
    }
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

    const err = this.validate(typ, G, P, ts) ?? this.convert(typ, wire, G, P, ts, stk);
    if (err === null) this.converted++;
    return err;
  }

  private goName(d: number): string {
    return String(this.t.goroutines.ids[d]);
  }

  /** Go's checkRunning. */
  private checkRunning(
    P: number,
    G: number,
    typ: number,
    ts: number,
    allowG0: boolean,
  ): string | null {
    if (this.gState[G] !== G_RUNNING) {
      return `g ${this.goName(G)} is not running while ${spec.eventName(typ)} (time ${ts})`;
    }
    if (this.pG[P] !== G) {
      return `p ${this.t.procIds[P]} is not running g ${this.goName(G)} while ${spec.eventName(typ)} (time ${ts})`;
    }
    if (!allowG0 && G === 0) return `g 0 did ${spec.eventName(typ)} (time ${ts})`;
    return null;
  }

  /** postProcessTrace for one event (parser.go, go1.26). */
  private validate(typ: number, G: number, P: number, ts: number): string | null {
    const t = this.t;
    const gState = this.gState;
    const pid = t.procIds[P] as number;
    switch (typ) {
      case EvProcStart:
        if (this.pRunning[P]) return `p ${pid} is running before start (time ${ts})`;
        this.pRunning[P] = 1;
        return null;
      case EvProcStop:
        if (!this.pRunning[P]) return `p ${pid} is not running before stop (time ${ts})`;
        if (this.pG[P] !== 0) {
          return `p ${pid} is running a goroutine ${this.goName(this.pG[P] as number)} during stop (time ${ts})`;
        }
        this.pRunning[P] = 0;
        return null;
      case EvGCStart:
        if (this.gcOn) return `previous GC is not ended before a new one (time ${ts})`;
        this.gcOn = true;
        return null;
      case EvGCDone:
        if (!this.gcOn) return `bogus GC end (time ${ts})`;
        this.gcOn = false;
        return null;
      case EvSTWStart:
        if (this.stwOn) return `previous STW is not ended before a new one (time ${ts})`;
        this.stwOn = true;
        return null;
      case EvSTWDone:
        if (!this.stwOn) return `bogus STW end (time ${ts})`;
        this.stwOn = false;
        return null;
      case EvGCSweepStart:
        if (this.pSweep[P]) return `previous sweeping is not ended before a new one (time ${ts})`;
        this.pSweep[P] = 1;
        return null;
      case EvGCMarkAssistStart:
        if (this.gAssist[G]) {
          return `previous mark assist is not ended before a new one (time ${ts})`;
        }
        this.gAssist[G] = 1;
        this.gPresent[G] = 1;
        return null;
      case EvGCMarkAssistDone:
        // May be in progress when tracing starts: no check.
        this.gAssist[G] = 0;
        this.gPresent[G] = 1;
        return null;
      case EvGCSweepDone:
        if (!this.pSweep[P]) return `bogus sweeping end (time ${ts})`;
        this.pSweep[P] = 0;
        return null;
      case EvGoWaiting:
      case EvGoInSyscall:
        if (gState[G] !== G_RUNNABLE) {
          return `g ${this.goName(G)} is not runnable before ${typ === EvGoWaiting ? 'EvGoWaiting' : 'EvGoInSyscall'} (time ${ts})`;
        }
        gState[G] = G_WAITING;
        this.gEv[G] = typ;
        this.gPresent[G] = 1;
        return null;
      case EvGoCreate: {
        const err = this.checkRunning(P, G, typ, ts, true);
        if (err !== null) return err;
        const ng = this.target;
        if (this.gPresent[ng]) return `g ${this.goName(ng)} already exists (time ${ts})`;
        gState[ng] = G_RUNNABLE;
        this.gEv[ng] = typ;
        this.gPresent[ng] = 1;
        return null;
      }
      case EvGoStart:
      case EvGoStartLabel:
        if (gState[G] !== G_RUNNABLE) {
          return `g ${this.goName(G)} is not runnable before start (time ${ts})`;
        }
        if (this.pG[P] !== 0) {
          return `p ${pid} is already running g ${this.goName(this.pG[P] as number)} while start g ${this.goName(G)} (time ${ts})`;
        }
        gState[G] = G_RUNNING;
        this.pG[P] = G;
        this.gEv[G] = 0;
        this.gPresent[G] = 1;
        return null;
      case EvGoEnd:
      case EvGoStop: {
        const err = this.checkRunning(P, G, typ, ts, false);
        if (err !== null) return err;
        gState[G] = G_DEAD;
        this.pG[P] = 0;
        this.gPresent[G] = 1;
        return null;
      }
      case EvGoSched:
      case EvGoPreempt: {
        const err = this.checkRunning(P, G, typ, ts, false);
        if (err !== null) return err;
        gState[G] = G_RUNNABLE;
        this.pG[P] = 0;
        this.gEv[G] = typ;
        this.gPresent[G] = 1;
        return null;
      }
      case EvGoUnblock: {
        if (gState[G] !== G_RUNNING) {
          return `g ${this.goName(G)} is not running while unpark (time ${ts})`;
        }
        const timer = this.hasTimers && t.timerGoroutines.has(G);
        if (!timer && this.pG[P] !== G) {
          return `p ${pid} is not running g ${this.goName(G)} while unpark (time ${ts})`;
        }
        const g1 = this.target;
        if (gState[g1] !== G_WAITING) {
          return `g ${this.goName(g1)} is not waiting before unpark (time ${ts})`;
        }
        // An unblock of a goroutine blocked on the network is the poller's (Go: NetpollP).
        this.netUnblock = this.gEv[g1] === EvGoBlockNet;
        gState[g1] = G_RUNNABLE;
        this.gEv[g1] = typ;
        this.gPresent[g1] = 1;
        return null;
      }
      case EvGoSysCall:
      case EvGoSysCallBlocked:
        this.gPresent[G] = 1;
        return this.checkRunning(P, G, EvGoSysCall, ts, false);
      case EvGoSysBlock: {
        const err = this.checkRunning(P, G, typ, ts, false);
        if (err !== null) return err;
        gState[G] = G_WAITING;
        this.pG[P] = 0;
        this.gPresent[G] = 1;
        return null;
      }
      case EvGoSysExit:
        if (gState[G] !== G_WAITING) {
          return `g ${this.goName(G)} is not waiting during syscall exit (time ${ts})`;
        }
        gState[G] = G_RUNNABLE;
        this.gEv[G] = typ;
        this.gPresent[G] = 1;
        return null;
      case EvGoSleep:
      case EvGoBlock:
      case EvGoBlockSend:
      case EvGoBlockRecv:
      case EvGoBlockSelect:
      case EvGoBlockSync:
      case EvGoBlockCond:
      case EvGoBlockNet:
      case EvGoBlockGC: {
        const err = this.checkRunning(P, G, typ, ts, false);
        if (err !== null) return err;
        gState[G] = G_WAITING;
        this.gEv[G] = typ;
        this.pG[P] = 0;
        this.gPresent[G] = 1;
        return null;
      }
      case EvUserTaskCreate:
        if (this.tasks.get(this.a0) === 1) return `task id conflicts (id:${this.a0})`;
        this.tasks.set(this.a0, 1);
        return null;
      case EvUserTaskEnd:
        this.tasks.set(this.a0, -2);
        return null;
      case EvUserRegion: {
        const mode = this.a1;
        if (mode === 0) return null; // pushed by convert, with the builder's row
        if (mode !== 1) return `invalid user region mode: ${mode}`;
        const top = this.regions.top(G);
        if (top >= 0) {
          const task = this.regions.task[top] as number;
          const name = this.regions.name[top] as number;
          if (task !== this.a0 || name !== this.a2) {
            return `misuse of region in goroutine ${this.goName(G)}: region end {task ${this.a0}, name ${JSON.stringify(t.strings.get(this.a2) ?? '')}} when the inner-most active region start event is {task ${task}, name ${JSON.stringify(t.strings.get(name) ?? '')}}`;
          }
        }
        return null;
      }
    }
    return null;
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
      fake = this.netUnblock || (this.hasTimers && t.timerGoroutines.has(G));
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

  /** The value string of a UserLog, which follows its arguments. */
  private logValue(): string {
    const buf = this.t.bytes;
    let pos = this.argEnd;
    let len = 0;
    let mul = 1;
    for (let j = 0; j < 10 && pos < buf.length; j++) {
      const c = buf[pos++] as number;
      len += (c & 0x7f) * mul;
      mul *= 128;
      if (c < 0x80) break;
    }
    return decodeString(buf, pos, Math.min(buf.length, pos + len));
  }
}

/** Values for non-negative integer IDs (stack and string IDs): a table for small IDs, else a Map. */
class IdCache {
  private table = new Int32Array(1024).fill(-2);
  private readonly map = new Map<number, number>();

  /** The value of `id`, or -2 when it has none. */
  get(id: number): number {
    if (id < this.table.length) return this.table[id] as number;
    return this.map.get(id) ?? -2;
  }

  set(id: number, v: number): void {
    if (id < this.table.length) {
      this.table[id] = v;
    } else if (id < 1 << 20) {
      let n = this.table.length * 2;
      while (n <= id) n *= 2;
      const next = new Int32Array(n).fill(-2);
      next.set(this.table);
      next[id] = v;
      this.table = next;
    } else {
      this.map.set(id, v);
    }
  }
}

/** Per goroutine, a stack of open regions (task ID, name string ID, builder row) in a node pool. */
class RegionStacks {
  private readonly head: Int32Array;
  private next = new Int32Array(1024);
  task = new Float64Array(1024);
  name = new Float64Array(1024);
  private row = new Int32Array(1024);
  private used = 0;
  private free = -1;

  constructor(goroutines: number) {
    this.head = new Int32Array(goroutines).fill(-1);
  }

  /** The node on top of goroutine `g`'s stack, or -1. */
  top(g: number): number {
    return this.head[g] as number;
  }

  push(g: number, task: number, name: number, row: number): void {
    let k = this.free;
    if (k >= 0) this.free = this.next[k] as number;
    else {
      k = this.used++;
      if (k === this.next.length) this.grow();
    }
    this.next[k] = this.head[g] as number;
    this.task[k] = task;
    this.name[k] = name;
    this.row[k] = row;
    this.head[g] = k;
  }

  /** Pops goroutine `g`'s innermost region; its builder row, or -1 when it has none open. */
  pop(g: number): number {
    const k = this.head[g] as number;
    if (k < 0) return -1;
    this.head[g] = this.next[k] as number;
    this.next[k] = this.free;
    this.free = k;
    return this.row[k] as number;
  }

  clear(g: number): void {
    while ((this.head[g] as number) >= 0) this.pop(g);
  }

  private grow(): void {
    const n = this.next.length * 2;
    const next = new Int32Array(n);
    next.set(this.next);
    this.next = next;
    const task = new Float64Array(n);
    task.set(this.task);
    this.task = task;
    const name = new Float64Array(n);
    name.set(this.name);
    this.name = name;
    const row = new Int32Array(n);
    row.set(this.row);
    this.row = row;
  }
}
