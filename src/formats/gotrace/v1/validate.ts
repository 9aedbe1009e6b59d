// Validation of a v1 trace's events as Go's parser does it before conversion (Go
// src/internal/trace/internal/tracev1/parser.go postProcessTrace, go1.26): a goroutine must be
// running to block, runnable to start, waiting to be unblocked; a P runs one goroutine at a time;
// GC, STW, sweeps, assists, tasks and regions nest properly. Go rejects the whole trace on the
// first inconsistency; the decoder keeps the events before it (decode.ts).

import { IdIndex } from '../../../base/idIndex';
import type { V1Trace } from './parse';
import type { RegionStacks } from './regionStacks';
import * as spec from './spec';
import {
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
  EvGoStop,
  EvGoSysBlock,
  EvGoSysCall,
  EvGoSysCallBlocked,
  EvGoSysExit,
  EvGoUnblock,
  EvGoWaiting,
  EvProcStart,
  EvProcStop,
  EvSTWDone,
  EvSTWStart,
  EvUserRegion,
  EvUserTaskCreate,
  EvUserTaskEnd,
} from './spec';

// Go's gdesc states in postProcessTrace.
export const G_DEAD = 0;
export const G_RUNNABLE = 1;
export const G_RUNNING = 2;
export const G_WAITING = 3;

/** Go's postProcessTrace state, per dense goroutine and dense proc, checked one event at a time. */
export class Validator {
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
  private readonly tasks = new IdIndex(64, undefined, -2);

  /** The last GoUnblock woke a goroutine blocked on the network (Go: NetpollP). */
  netUnblock = false;
  /** Arguments of the current event (after the timestamp), set by the converter. */
  a0 = 0;
  a1 = 0;
  a2 = 0;
  /** Dense goroutine named by the current GoCreate or GoUnblock. */
  target = 0;
  private readonly hasTimers: boolean;

  constructor(
    private readonly t: V1Trace,
    /** Open regions per dense goroutine, pushed and popped by the converter (with builder rows). */
    private readonly regions: RegionStacks,
  ) {
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
    // Goroutine 0 (no goroutine) is running from the start (postProcessTrace: gs[0]).
    if (ng > 0) {
      this.gState[0] = G_RUNNING;
      this.gPresent[0] = 1;
    }
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
  validate(typ: number, G: number, P: number, ts: number): string | null {
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
}
