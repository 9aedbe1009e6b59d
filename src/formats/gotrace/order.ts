// Puts the events of a v2 trace in Go's order and gives them Go's meaning.
//
// Each thread (M) writes its own batches, so events are totally ordered per M by time, but only
// partially ordered across Ms: by sequence numbers on goroutine and proc events, and by the state
// machines of goroutines, procs and threads. The algorithm is Go's (src/internal/trace/reader.go
// ReadEvent and order.go, go1.26):
//
//   1. One cursor per M over its batches; cursors in a min-heap keyed by the time of their next
//      event (batchcursor.go).
//   2. Try to advance the head's event through the state machine. If the machine says "not yet"
//      (e.g. a GoStart whose goroutine has not been made runnable by an event on another M), sort
//      the heap and try the other cursors in time order. If none can advance, the trace is broken.
//   3. CPU samples (their own batches) are merged in by time whenever they come first.
//
// Every event that advances is emitted in Go's order, with Go's time fix-up (a time not after
// the previous event's becomes previous + 1 ns), and Go's validation of stack and string IDs.
// The emitted events go straight into the model builder: no event objects are made.
//
// The heap and the fallback sort reproduce Go's exactly (ties included), because the order in
// which ready events are emitted decides the 1 ns fix-ups and, with it, exact state times.

import * as model from '../../model/trace';
import type { TraceBuilder } from '../../model/trace';
import { ByteReader, READ_OK } from './bytes';
import { TraceFault, type Generation, type MBatches } from './generation';
// The constants this file switches on for every event are bound here as consts of this module.
// V8 folds a module's own consts, but not imported bindings, when the code runs unbundled (tsx,
// vitest, vite dev): the ordering ran 2.5x slower there than in a bundle. Values stay in spec.ts
// and model/trace.ts.
import * as spec from './spec';
const EvFirstExperimental = spec.EvFirstExperimental;
const EvGCActive = spec.EvGCActive;
const EvGCBegin = spec.EvGCBegin;
const EvGCEnd = spec.EvGCEnd;
const EvGCMarkAssistActive = spec.EvGCMarkAssistActive;
const EvGCMarkAssistBegin = spec.EvGCMarkAssistBegin;
const EvGCMarkAssistEnd = spec.EvGCMarkAssistEnd;
const EvGCSweepActive = spec.EvGCSweepActive;
const EvGCSweepBegin = spec.EvGCSweepBegin;
const EvGCSweepEnd = spec.EvGCSweepEnd;
const EvGoBlock = spec.EvGoBlock;
const EvGoCreate = spec.EvGoCreate;
const EvGoCreateBlocked = spec.EvGoCreateBlocked;
const EvGoCreateSyscall = spec.EvGoCreateSyscall;
const EvGoDestroy = spec.EvGoDestroy;
const EvGoDestroySyscall = spec.EvGoDestroySyscall;
const EvGoLabel = spec.EvGoLabel;
const EvGoStart = spec.EvGoStart;
const EvGoStatus = spec.EvGoStatus;
const EvGoStatusStack = spec.EvGoStatusStack;
const EvGoStop = spec.EvGoStop;
const EvGoSwitch = spec.EvGoSwitch;
const EvGoSwitchDestroy = spec.EvGoSwitchDestroy;
const EvGoSyscallBegin = spec.EvGoSyscallBegin;
const EvGoSyscallEnd = spec.EvGoSyscallEnd;
const EvGoSyscallEndBlocked = spec.EvGoSyscallEndBlocked;
const EvGoUnblock = spec.EvGoUnblock;
const EvHeapAlloc = spec.EvHeapAlloc;
const EvHeapGoal = spec.EvHeapGoal;
const EvLastExperimental = spec.EvLastExperimental;
const EvProcStart = spec.EvProcStart;
const EvProcStatus = spec.EvProcStatus;
const EvProcSteal = spec.EvProcSteal;
const EvProcStop = spec.EvProcStop;
const EvProcsChange = spec.EvProcsChange;
const EvSTWBegin = spec.EvSTWBegin;
const EvSTWEnd = spec.EvSTWEnd;
const EvUserLog = spec.EvUserLog;
const EvUserRegionBegin = spec.EvUserRegionBegin;
const EvUserRegionEnd = spec.EvUserRegionEnd;
const EvUserTaskBegin = spec.EvUserTaskBegin;
const EvUserTaskEnd = spec.EvUserTaskEnd;
const GO_STATUS_NAMES = spec.GO_STATUS_NAMES;
const GoRunnableStatus = spec.GoRunnableStatus;
const GoRunningStatus = spec.GoRunningStatus;
const GoSyscallStatus = spec.GoSyscallStatus;
const GoWaitingStatus = spec.GoWaitingStatus;
const PROC_STATUS_NAMES = spec.PROC_STATUS_NAMES;
const ProcIdleStatus = spec.ProcIdleStatus;
const ProcRunningStatus = spec.ProcRunningStatus;
const ProcSyscallAbandoned = spec.ProcSyscallAbandoned;
const ProcSyscallStatus = spec.ProcSyscallStatus;
const TIMED_ARGS = spec.TIMED_ARGS;
const eventName = spec.eventName;
const knownType = spec.knownType;
const EK_EXPERIMENTAL = model.EK_EXPERIMENTAL;
const EK_LABEL = model.EK_LABEL;
const EK_LOG = model.EK_LOG;
const EK_METRIC = model.EK_METRIC;
const EK_RANGE_ACTIVE = model.EK_RANGE_ACTIVE;
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
const GS_UNDETERMINED = model.GS_UNDETERMINED;
const GS_WAITING = model.GS_WAITING;
const IV_STATUS = model.IV_STATUS;
const RANGE_GC = model.RANGE_GC;
const RANGE_MARK_ASSIST = model.RANGE_MARK_ASSIST;
const RANGE_STW = model.RANGE_STW;
const RANGE_SWEEP = model.RANGE_SWEEP;

const NO_ID = -1; // NoThread, NoProc, NoGoroutine (int64 -1)

// Go's ProcState (resources.go): what a proc transition is reported as.
const PS_UNDETERMINED = 0;
const PS_NOT_EXIST = 1;
const PS_RUNNING = 2;
const PS_IDLE = 3;

/** tracev2 GoStatus -> GoState (event.go tracev2GoStatus2GoState). */
const GO_STATUS_TO_STATE = [GS_UNDETERMINED, GS_RUNNABLE, GS_RUNNING, GS_SYSCALL, GS_WAITING];
/** tracev2 ProcStatus -> ProcState (event.go tracev2ProcStatus2ProcState). */
const PROC_STATUS_TO_STATE = [PS_UNDETERMINED, PS_RUNNING, PS_IDLE, PS_RUNNING, PS_IDLE];

interface RangeEntry {
  /** The Begin event type of the range (Go's rangeType.typ). */
  typ: number;
  /** Go's rangeType.desc: the STW kind's string ID in its generation, else 0. */
  desc: number;
}

interface GState {
  status: number;
  seqGen: number;
  seq: number;
  /**
   * Open user regions: task ID and name (model string index), innermost last; and ranges in
   * flight. Made on first use: most goroutines never have any, and there are 100k of them.
   */
  regions: number[] | null;
  ranges: RangeEntry[] | null;
  /** The model's goroutine index. */
  idx: number;
}

interface PState {
  status: number;
  seqGen: number;
  seq: number;
  ranges: RangeEntry[];
}

interface MState {
  g: number;
  p: number;
}

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

/** Goroutine IDs below this are kept in an array indexed by ID (see GTable). */
const DENSE_IDS = 1 << 21;

/**
 * Goroutine states by Go goroutine ID. The runtime hands IDs out in sequence from 1
 * (runtime/proc.go goidgen), so IDs below DENSE_IDS live in an array indexed by ID, and larger ones
 * (long-running programs) in a Map. A Map through which 100k goroutines are created and destroyed
 * rehashes over and over (most of the decoder's garbage after the times); the array does not.
 */
class GTable {
  private readonly dense: Array<GState | undefined> = [];
  private readonly sparse = new Map<number, GState>();

  get(id: number): GState | undefined {
    if (id >= 0 && id < DENSE_IDS) return id < this.dense.length ? this.dense[id] : undefined;
    return this.sparse.get(id);
  }

  has(id: number): boolean {
    return this.get(id) !== undefined;
  }

  set(id: number, st: GState): void {
    if (id >= 0 && id < DENSE_IDS) {
      const d = this.dense;
      while (d.length < id) d.push(undefined); // no holes: V8 keeps the array fast
      d[id] = st;
    } else {
      this.sparse.set(id, st);
    }
  }

  delete(id: number): void {
    if (id >= 0 && id < DENSE_IDS) {
      if (id < this.dense.length) this.dense[id] = undefined;
    } else {
      this.sparse.delete(id);
    }
  }
}

/** A cursor over one M's batches in the current generation (batchcursor.go). */
class MCursor {
  ms: MState | null = null;
  /** The current batch (-1 before the first), and the read position and end in it. */
  idx = -1;
  pos = 0;
  end = 0;
  lastTs = 0;
  // The event under the cursor.
  typ = 0;
  time = 0;
  a0 = 0;
  a1 = 0;
  a2 = 0;
  a3 = 0;
  evPos = 0;

  constructor(readonly b: MBatches) {
    this.m = b.m;
  }
  readonly m: number;

  /** Reads the next event; false at the end of this M's batches. */
  next(r: ByteReader, freq: number): boolean {
    if (this.pos === this.end) {
      // At the end of a batch, or before the first: on to the next non-empty one. (The first
      // call takes this path too, so it is not new to code optimized later.)
      const b = this.b;
      const n = b.dataStart.length;
      do {
        if (++this.idx >= n) {
          this.idx = n;
          return false;
        }
        this.pos = b.dataStart[this.idx] as number;
        this.end = b.dataEnd[this.idx] as number;
      } while (this.pos === this.end);
      this.lastTs = Math.trunc((b.time[this.idx] as number) * freq);
    }
    const buf = r.buf;
    const at = this.pos;
    const typ = buf[at] as number;
    if (!knownType(typ)) throw new TraceFault(`found invalid event type: ${typ}`, at);
    const nargs = TIMED_ARGS[typ] as number;
    if (nargs === 0) throw new TraceFault(`found event without a timestamp: type=${typ}`, at);
    r.pos = at + 1;
    r.end = this.end;
    const dt = r.readUvarint();
    if (r.err !== READ_OK) {
      r.err = READ_OK;
      throw new TraceFault('found invalid uvarint for timestamp', at);
    }
    if (nargs > 1) {
      this.a0 = r.readUvarint();
      if (nargs > 2) {
        this.a1 = r.readUvarint();
        if (nargs > 3) {
          this.a2 = r.readUvarint();
          if (nargs > 4) this.a3 = r.readUvarint();
        }
      }
      if (r.err !== READ_OK) {
        r.err = READ_OK;
        throw new TraceFault('found invalid uvarint', at);
      }
    }
    this.typ = typ;
    this.evPos = at;
    this.time = Math.trunc(dt * freq) + this.lastTs;
    this.lastTs = this.time;
    this.pos = r.pos;
    return true;
  }
}

// ---- Go's min-heap of cursors (batchcursor.go heapInsert/heapUpdate/heapRemove, go1.26) ----

function heapSiftUp(h: MCursor[], i: number): number {
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (!((h[p] as MCursor).time > (h[i] as MCursor).time)) break;
    const t = h[p] as MCursor;
    h[p] = h[i] as MCursor;
    h[i] = t;
    i = p;
  }
  return i;
}

function heapSiftDown(h: MCursor[], i: number): void {
  for (;;) {
    let m = i;
    let minT = i < h.length ? (h[i] as MCursor).time : Infinity;
    const l = 2 * i + 1;
    const r = l + 1;
    if (l < h.length && (h[l] as MCursor).time < minT) {
      minT = (h[l] as MCursor).time;
      m = l;
    }
    if (r < h.length && (h[r] as MCursor).time < minT) m = r;
    if (m === i) return;
    const t = h[i] as MCursor;
    h[i] = h[m] as MCursor;
    h[m] = t;
    i = m;
  }
}

function heapRemove(h: MCursor[], i: number): void {
  while (i > 0) {
    const p = (i - 1) >> 1;
    const t = h[p] as MCursor;
    h[p] = h[i] as MCursor;
    h[i] = t;
    i = p;
  }
  const last = h.length - 1;
  const t = h[0] as MCursor;
  h[0] = h[last] as MCursor;
  h[last] = t;
  h.pop();
  heapSiftDown(h, 0);
}

/** Go sorts the frontier with slices.SortFunc: insertion sort (stable) up to 12 elements. */
function sortFrontier(h: MCursor[]): void {
  if (h.length <= 12) {
    for (let i = 1; i < h.length; i++) {
      for (let j = i; j > 0 && (h[j] as MCursor).time < (h[j - 1] as MCursor).time; j--) {
        const t = h[j] as MCursor;
        h[j] = h[j - 1] as MCursor;
        h[j - 1] = t;
      }
    }
  } else {
    h.sort((a, b) => a.time - b.time);
  }
}

/** Events queued by one advance, emitted after the cursor has moved on (as Go's queue is). */
const Q_FIELDS = 11;
const Q_CAP = 8;

/** Decodes events generation by generation into a TraceBuilder. */
export class Orderer {
  private readonly gStates = new GTable();
  private readonly pStates = new Map<number, PState>();
  private readonly mStates = new Map<number, MState>();
  /** IDs of active tasks (Go keeps their name and parent; the model takes them from TaskBegin). */
  private readonly activeTasks = new Set<number>();
  private gcSeq = 0;
  private gcState = 0; // 0 undetermined, 1 not running, 2 running
  private initialGen = 0;

  private gen: Generation | null = null;
  private frontier: MCursor[] = [];
  private cpuNext = 0;
  private readonly r: ByteReader;

  // Emission state.
  private lastTs = 0;
  private readonly queue = new Float64Array(Q_FIELDS * Q_CAP);
  private qLen = 0;
  private readonly threads = new Set<number>();
  private lastThread = NO_ID;
  syncs = 0;
  /** Emitted events (all kinds); with `budget`, bounds the work on hostile input. */
  events = 0;
  private work = 0;

  // Model indexes of open ranges, tasks and regions (the builder's rows).
  private gcRange = -1;
  private readonly sweepRange = new Map<number, number>();
  private readonly assistRange = new Map<number, number>();
  private readonly stwRange = new Map<number, number[]>();
  private readonly taskRow = new Map<number, number>();
  private readonly regionRows = new Map<number, number[]>();
  private readonly emptyString: number;
  private readonly metricNames = {
    procs: '/sched/gomaxprocs:threads',
    heap: '/memory/classes/heap/objects:bytes',
    goal: '/gc/heap/goal:bytes',
  };

  constructor(
    buf: Uint8Array,
    private readonly b: TraceBuilder,
  ) {
    this.r = new ByteReader(buf);
    this.emptyString = b.strings.intern('');
  }

  get threadCount(): number {
    return this.threads.size;
  }

  // ---------------------------------------------------------------- generations and the loop

  /** Emits a Sync at the last event's time (Go: at the end of the trace, or before an error). */
  syncAtLast(): void {
    this.sync(this.lastTs);
  }

  /** Emits a Sync event at absolute time `t` (Go's syncEvent, with the time fix-up). */
  sync(t: number): void {
    if (t <= this.lastTs) t = this.lastTs + 1;
    this.lastTs = t;
    this.events++;
    this.syncs++;
    this.b.count(EK_SYNC);
    this.b.time(t);
  }

  /** Decodes all events of generation `g` (Go's installGen and the ReadEvent loop). */
  run(g: Generation): void {
    this.gen = g;
    this.cpuNext = 0;
    this.frontier = [];
    for (const mb of g.ms) {
      const c = new MCursor(mb);
      if (!c.next(this.r, g.freq)) continue;
      this.frontier.push(c);
      heapSiftUp(this.frontier, this.frontier.length - 1);
    }
    const syncAt = Math.trunc(g.minTs * g.freq);
    this.sync(syncAt);
    this.b.generation(this.lastTs, g.byteStart, g.byteEnd);
    if (g.hasClockSnapshot) {
      this.b.clockSnapshot(Math.trunc(g.snapTicks * g.freq), g.snapWall, g.snapMono);
    }
    const h = this.frontier;
    const cpuN = g.cpuTime.length;
    for (;;) {
      if (h.length === 0 && this.cpuNext >= cpuN) break;
      if (this.cpuNext < cpuN) {
        const ct = g.cpuTime[this.cpuNext] as number;
        if (h.length === 0 || ct < (h[0] as MCursor).time) {
          this.emitCpuSample(g, this.cpuNext++);
          continue;
        }
      }
      if (h.length === 0) throw this.fault('broken trace: frontier is empty', 0);
      if (!this.tryAdvance(0)) {
        sortFrontier(h);
        this.work += h.length; // the sort is work too: a hostile trace may have many threads
        let ok = false;
        for (let i = 1; i < h.length; i++) {
          // A hostile trace could make every step scan every cursor: bound the total work.
          if (++this.work > WORK_BASE + this.events * 128) {
            throw this.fault(
              'broken trace: too many events out of order (decoding stopped to stay bounded)',
              (h[i] as MCursor).evPos,
            );
          }
          if (this.tryAdvance(i)) {
            ok = true;
            break;
          }
        }
        if (!ok)
          throw this.fault(
            `broken trace: failed to advance: ${this.dumpFrontier()}`,
            (h[0] as MCursor).evPos,
          );
      }
    }
  }

  private fault(msg: string, at: number): TraceFault {
    return new TraceFault(msg, at);
  }

  private dumpFrontier(): string {
    return this.frontier
      .slice(0, 8)
      .map((c) => `M ${c.m} next ${eventName(c.typ)} at byte ${c.evPos}`)
      .join('; ');
  }

  private tryAdvance(i: number): boolean {
    const h = this.frontier;
    const c = h[i] as MCursor;
    this.qLen = 0;
    if (!this.advance(c)) return false;
    const g = this.gen as Generation;
    if (c.next(this.r, g.freq)) {
      if (heapSiftUp(h, i) === i) heapSiftDown(h, i);
    } else {
      heapRemove(h, i);
    }
    this.flush();
    return true;
  }

  // ---------------------------------------------------------------- the state machines

  private push(
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
    q[o + 3] = p;
    q[o + 4] = g;
    q[o + 5] = a0;
    q[o + 6] = a1;
    q[o + 7] = a2;
    q[o + 8] = a3;
    q[o + 9] = x;
    q[o + 10] = at;
  }

  /** Pushes the cursor's own event with context (m, p, g). */
  private pushEv(c: MCursor, m: number, p: number, g: number, x = 0): void {
    this.push(c.typ, c.time, m, p, g, c.a0, c.a1, c.a2, c.a3, x, c.evPos);
  }

  /** Go's ordering.Advance: true when the cursor's event advanced (and was queued). */
  private advance(c: MCursor): boolean {
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
        this.push(c.typ, c.time, m, cp, cg, id, parent, c.a2, c.a3, 0, c.evPos);
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
    this.push(c.typ, c.time, em, ep, eg, pid, status, 0, 0, oldState, c.evPos);
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
    this.push(c.typ, c.time, em, cp, eg, gid, mid, status, c.a3, oldState, c.evPos);
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
      this.push(EvGoBlock, c.time, m, cp, cg, 0, 0, 0, 0, 0, c.evPos);
    } else {
      this.gStates.delete(cg);
      this.push(EvGoDestroy, c.time, m, cp, cg, 0, 0, 0, 0, 0, c.evPos);
    }
    next.status = GoRunningStatus;
    next.seqGen = gen;
    next.seq = c.a1;
    this.push(EvGoStart, c.time, m, cp, NO_ID, c.a0, c.a1, 0, 0, 0, c.evPos);
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
      this.push(EvProcSteal, c.time, m, cp, cg, cp, 0, 0, 0, ProcSyscallStatus, c.evPos);
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

  private flush(): void {
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
        b.goTransition(t, this.gIndex(a0), GS_RUNNING, 0, -1, -1, 0, p);
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
          p,
        );
        return;
      }
      case EvGoUnblock: {
        const stack = this.stack(a2, typ, at);
        t = this.stamp(t, m);
        b.count(EK_STATE_TRANSITION);
        b.goTransition(t, this.gIndex(a0), GS_RUNNABLE, 0, stack, this.gIndex(g), 0, p);
        return;
      }
      case EvGoSyscallBegin: {
        const stack = this.stack(a1, typ, at);
        t = this.stamp(t, m);
        b.count(EK_STATE_TRANSITION);
        b.goTransition(t, this.gIndex(g), GS_SYSCALL, 0, stack, -1, 0, p);
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
          p,
        );
        return;
      case EvGoDestroy:
      case EvGoDestroySyscall: {
        t = this.stamp(t, m);
        b.count(EK_STATE_TRANSITION);
        b.goTransition(t, this.gIndex(g), GS_NOT_EXIST, 0, -1, -1, 0, p);
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
        b.goTransition(t, gi, typ === EvGoCreate ? GS_RUNNABLE : GS_WAITING, 0, newStack, -1, 0, p);
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
        b.goTransition(t, this.gIndex(a0), GS_RUNNABLE, 0, -1, this.gIndex(g), 0, p);
        return;
      case EvGoCreateSyscall: {
        t = this.stamp(t, m);
        b.count(EK_STATE_TRANSITION);
        const gi = this.gIndex(a0);
        b.goCreated(t, gi, -1, -1, -1);
        b.goTransition(t, gi, GS_SYSCALL, 0, -1, -1, 0, p);
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
          p,
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
        const gi = this.gIndex(g);
        const row = b.rangeBegin(RANGE_STW, t, gi, NO_ID, kind, stack, false);
        let open = this.stwRange.get(g);
        if (!open) this.stwRange.set(g, (open = []));
        open.push(row);
        return;
      }
      case EvSTWEnd: {
        t = this.stamp(t, m);
        b.count(EK_RANGE_END);
        const open = this.stwRange.get(g);
        const row = open?.shift();
        if (row !== undefined) b.rangeEnd(row, t);
        return;
      }
      case EvGCBegin:
      case EvGCActive: {
        const stack = typ === EvGCBegin ? this.stack(a1, typ, at) : -1;
        t = this.stamp(t, m);
        b.count(typ === EvGCBegin ? EK_RANGE_BEGIN : EK_RANGE_ACTIVE);
        if (typ === EvGCActive && this.gcRange >= 0) {
          b.rangeReported(this.gcRange);
        } else {
          this.gcRange = b.rangeBegin(
            RANGE_GC,
            t,
            this.gIndex(g),
            NO_ID,
            -1,
            stack,
            typ === EvGCActive,
          );
        }
        return;
      }
      case EvGCEnd:
        t = this.stamp(t, m);
        b.count(EK_RANGE_END);
        if (this.gcRange >= 0) b.rangeEnd(this.gcRange, t);
        this.gcRange = -1;
        return;
      case EvGCSweepBegin:
      case EvGCSweepActive: {
        const stack = typ === EvGCSweepBegin ? this.stack(a0, typ, at) : -1;
        t = this.stamp(t, m);
        b.count(typ === EvGCSweepBegin ? EK_RANGE_BEGIN : EK_RANGE_ACTIVE);
        const pid = typ === EvGCSweepBegin ? p : a0;
        const row = this.sweepRange.get(pid);
        if (typ === EvGCSweepActive && row !== undefined) b.rangeReported(row);
        else {
          const gi = this.gIndex(g);
          this.sweepRange.set(
            pid,
            b.rangeBegin(RANGE_SWEEP, t, gi, pid, -1, stack, typ === EvGCSweepActive),
          );
        }
        return;
      }
      case EvGCSweepEnd: {
        t = this.stamp(t, m);
        b.count(EK_RANGE_END);
        const row = this.sweepRange.get(p);
        if (row !== undefined) b.rangeEnd(row, t);
        this.sweepRange.delete(p);
        return;
      }
      case EvGCMarkAssistBegin:
      case EvGCMarkAssistActive: {
        const stack = typ === EvGCMarkAssistBegin ? this.stack(a0, typ, at) : -1;
        t = this.stamp(t, m);
        b.count(typ === EvGCMarkAssistBegin ? EK_RANGE_BEGIN : EK_RANGE_ACTIVE);
        const gid = typ === EvGCMarkAssistBegin ? g : a0;
        const row = this.assistRange.get(gid);
        if (typ === EvGCMarkAssistActive && row !== undefined) b.rangeReported(row);
        else {
          const r = b.rangeBegin(
            RANGE_MARK_ASSIST,
            t,
            this.gIndex(gid),
            NO_ID,
            -1,
            stack,
            typ !== EvGCMarkAssistBegin,
          );
          this.assistRange.set(gid, r);
        }
        return;
      }
      case EvGCMarkAssistEnd: {
        t = this.stamp(t, m);
        b.count(EK_RANGE_END);
        const row = this.assistRange.get(g);
        if (row !== undefined) b.rangeEnd(row, t);
        this.assistRange.delete(g);
        return;
      }
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
        this.taskRow.set(a0, b.taskBegin(t, a0, a1, name, this.gIndex(g), stack));
        return;
      }
      case EvUserTaskEnd: {
        const stack = this.stack(a1, typ, at);
        t = this.stamp(t, m);
        b.count(EK_TASK_END);
        const row = this.taskRow.get(a0);
        this.taskRow.delete(a0);
        b.taskEnd(row ?? -1, t, a0, this.gIndex(g), stack);
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
    switch (typ) {
      case EvUserRegionBegin:
      case EvUserRegionEnd: {
        const name = this.string(a1, typ, at);
        const stack = this.stack(a2, typ, at);
        t = this.stamp(t, m);
        const gi = this.gIndex(g);
        let open = this.regionRows.get(g);
        if (typ === EvUserRegionBegin) {
          b.count(EK_REGION_BEGIN);
          if (!open) this.regionRows.set(g, (open = []));
          open.push(b.regionBegin(t, gi, a0, name, stack));
        } else {
          b.count(EK_REGION_END);
          const row = open && open.length > 0 ? (open.pop() as number) : -1;
          b.regionEnd(row, t, gi, a0, name, stack);
        }
        return;
      }
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

  private emitCpuSample(g: Generation, i: number): void {
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

/** Fallback work (tries and sorted cursors) allowed beyond 128 per emitted event before a trace is called hostile. */
const WORK_BASE = 1e7;

const MUST_NOT = 0;
const MAY = 1;
const MUST = 2;

/** Go's seqCounter.succeeds: seq `seq` of generation `gen` immediately follows `st`'s. */
function succeeds(gen: number, seq: number, st: { seqGen: number; seq: number }): boolean {
  return gen === st.seqGen && seq === st.seq + 1;
}
