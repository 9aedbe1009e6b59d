// First pass over a v1 trace (Go 1.11-1.21): frames every event and checks it as Go's parser
// does (Go src/internal/trace/internal/tracev1/parser.go, go1.26: collectBatchesAndCPUSamples,
// readRawEvent and parseEvent, all in one read of the bytes), and keeps no event: only the
// tables (strings, stacks, frequency, CPU samples), where each P's batches are, and the few
// facts the single ordering pass needs to know ahead of time:
//   - which syscalls block. Go's converter looks ahead from a GoSysCall to the goroutine's next
//     event: a syscall blocks when that is GoSysBlock. The goroutine runs on its P until then,
//     so its next event is its P's next one, unless a CPU sample of it comes between (tracev1.go
//     convertEvent, go1.26);
//   - which syscall exits move. Go gives each GoSysExit the real time the syscall returned and
//     sorts the stream again; the moved exits are listed here with their new times;
//   - the time of the first event (Go's minTs), which is time 0.
// The ordering (order.ts) then decodes the events again from the bytes, batch by batch, as Go's
// loadBatch does: memory does not grow with the number of events.
//
// Ticks: absolute tick values (batch bases, the real times of syscall exits and CPU samples) are
// read exactly, in two parts, relative to the first batch's base, so a machine whose tick counter
// is past 2^53 still gives exact differences.

import { IdIndex } from '../../../base/idIndex';
import { ByteReader, READ_OK } from '../bytes';
import {
  VARINT_EOF,
  clearVarintError,
  uvarint,
  varintEnd as vEnd,
  varintError,
} from '../../varint';
import { decodeString } from '../generation';
import * as spec from './spec';
import {
  ARG_NUM,
  EvBatch,
  EvCPUSample,
  EvFrequency,
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
  EvGoSysExit,
  EvGoSysExitLocal,
  EvGoUnblock,
  EvGoUnblockLocal,
  EvGoWaiting,
  EvStack,
  EvString,
  EvTimerGoroutine,
  EvUserLog,
  MAX_LENGTH_PREFIXED,
  MAX_STACK_FRAMES,
  MAX_STRING_LEN,
  MIN_VERSION,
} from './spec';

/** A problem in the trace; `offset` is a byte offset in the input. */
export class V1Fault extends Error {
  constructor(
    message: string,
    readonly offset: number,
    /** The input ended inside what was being read (a cut file rather than damage). */
    readonly eof = false,
  ) {
    super(message);
  }
}

/** Distinct P IDs (the `p` of batches and samples). Go's runtime allows at most 1024 (Go 1.21). */
const MAX_PROCS = 0xffff;
const TWO28 = 268435456;

// ---------------------------------------------------------------- goroutine IDs

/** Goroutine IDs below this index a table directly; larger ones go through a Map. */
const TABLE_MAX = 1 << 22;

/**
 * Dense indexes of Go goroutine IDs; index 0 is goroutine 0 (Go's "no goroutine"). Go hands out
 * IDs in increasing order, so most traces index a table; huge IDs fall back to a Map.
 */
export class Goroutines {
  private readonly index = new IdIndex(1024, TABLE_MAX);
  readonly ids: number[] = [0];

  constructor() {
    this.index.set(0, 0);
  }

  /** The dense index of `id`, or -1. */
  get(id: number): number {
    return this.index.get(id);
  }

  /** The dense index of `id`, given one on first use. */
  intern(id: number): number {
    const d = this.index.get(id);
    if (d >= 0) return d;
    this.ids.push(id);
    const i = this.ids.length - 1;
    this.index.set(id, i);
    return i;
  }
}

// ---------------------------------------------------------------- ticks

/**
 * Absolute tick values read exactly, relative to a base (the first value read): the varint is
 * taken as bits 0-27 and 28-63, each exact in a float64, so the difference is exact while it is
 * below 2^53 even when the machine's tick counter is past 2^53.
 */
export class Ticks {
  private hi0 = 0;
  private lo0 = 0;
  private haveBase = false;
  /** The last value read was 0 (Go's "no real timestamp"). */
  zero = false;
  /** Offset after the last value read. */
  next = 0;

  /** The varint at `pos` minus the base; NaN when it is not a valid varint before `end`. */
  read(buf: Uint8Array, pos: number, end: number): number {
    let lo = 0;
    let hi = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (pos >= end) break;
      const b = buf[pos++] as number;
      if (i === 9 && b > 1) break;
      if (i === 4) mul = 1;
      if (i < 4) lo += (b & 0x7f) * mul;
      else hi += (b & 0x7f) * mul;
      mul *= 128;
      if (b < 0x80) {
        this.next = pos;
        this.zero = lo === 0 && hi === 0;
        if (!this.haveBase) {
          this.haveBase = true;
          this.hi0 = hi;
          this.lo0 = lo;
        }
        return (hi - this.hi0) * TWO28 + (lo - this.lo0);
      }
    }
    this.next = pos;
    return NaN;
  }
}

// ---------------------------------------------------------------- the result

/** The tables of a v1 trace and where its events are. */
export interface V1Trace {
  /** The input. */
  bytes: Uint8Array;
  version: number;
  /** Timed events in batches (CPU samples not counted). */
  events: number;
  /** Batches in file order: dense proc, base ticks, the byte range of their events, header. */
  batchProc: number[];
  batchBase: number[];
  batchStart: number[];
  batchEnd: number[];
  batchOffset: number[];
  /** CPU samples (Go 1.19+): real ticks, dense proc, dense goroutine, stack ID. */
  cpuN: number;
  cpuTs: Float64Array;
  cpuP: Int32Array;
  cpuG: Uint32Array;
  cpuStack: Uint32Array;
  goroutines: Goroutines;
  /** Go's P ID of each dense proc index. */
  procIds: number[];
  /** String table: ID -> string. */
  strings: Map<number, string>;
  /** Stacks: ID -> [start, count] in `pcs` (leaf first). */
  stacks: Map<number, [number, number]>;
  pcs: number[];
  /** pc -> [func string ID, file string ID, line]; the first definition of a pc wins. */
  frames: Map<number, [number, number, number]>;
  /** Ticks per second; 0 when the trace has no EvFrequency. */
  ticksPerSec: number;
  /** Dense indexes of timer goroutines (EvTimerGoroutine, Go 1.11-1.13). */
  timerGoroutines: Set<number>;
  /** The reader of absolute ticks, holding the base all ticks are relative to. */
  ticks: Ticks;
  /** Ticks of the earliest event, the moved syscall exits' new times included: time 0. */
  minTs: number;
  /** Offsets of the GoSysCall events whose syscall blocks. */
  blocking: Set<number>;
  /**
   * Syscall exits that move, by new time (stable): event offset, new and old ticks, and what
   * emitting one needs (its dense proc and goroutine).
   */
  movedAt: number[];
  movedTs: number[];
  movedOld: number[];
  movedP: number[];
  movedG: number[];
  /** The damage that stopped the pass, or null. The batches end before it. */
  fault: V1Fault | null;
}

/**
 * Reads a v1 trace after its 16-byte header. Damage stops the pass: the result then has `fault`
 * set and its batches end at the event that could not be read.
 */
export function parseV1(
  bytes: Uint8Array,
  version: number,
  onProgress: (fraction: number) => void = () => {},
): V1Trace {
  return new Pass(bytes, version, onProgress).run();
}

class Pass {
  private readonly len: number;
  // Values of the current event and where each begins.
  private readonly vals = new Float64Array(MAX_LENGTH_PREFIXED + 8);
  private readonly valPos = new Int32Array(MAX_LENGTH_PREFIXED + 8);

  private readonly goroutines = new Goroutines();
  private readonly procIndex = new Map<number, number>();
  private readonly procIds: number[] = [];
  /** Per dense proc: the goroutine it runs, as Go's parser tracks it (lastGs). */
  private readonly procG: number[] = [];
  /** Per dense proc: a GoSysCall whose P's next event is not read yet (offset, or -1), its time. */
  private readonly procSysCall: number[] = [];
  private readonly procSysCallTs: number[] = [];
  private readonly ticks = new Ticks();
  private events = 0;
  private minTs = Infinity;

  private readonly cpuTs: number[] = [];
  private readonly cpuP: number[] = [];
  private readonly cpuG: number[] = [];
  private readonly cpuStk: number[] = [];

  private readonly batchProc: number[] = [];
  private readonly batchBase: number[] = [];
  private readonly batchStart: number[] = [];
  private readonly batchEnd: number[] = [];
  private readonly batchOffset: number[] = [];
  private readonly strings = new Map<number, string>();
  private readonly stacks = new Map<number, [number, number]>();
  private readonly pcs: number[] = [];
  private readonly frames = new Map<number, [number, number, number]>();
  private readonly timerGoroutines = new Set<number>();
  private ticksPerSec = 0;
  // Syscalls whose P's next event is GoSysBlock: offset, goroutine, time, time of the block.
  private readonly sysAt: number[] = [];
  private readonly sysG: number[] = [];
  private readonly sysTs: number[] = [];
  private readonly sysBlockTs: number[] = [];
  // Syscall exits with a real time of their own: offset, new and old ticks.
  private readonly exitAt: number[] = [];
  private readonly exitTs: number[] = [];
  private readonly exitOld: number[] = [];
  private readonly exitP: number[] = [];
  private readonly exitG: number[] = [];

  constructor(
    private readonly buf: Uint8Array,
    private readonly version: number,
    private readonly onProgress: (fraction: number) => void,
  ) {
    this.len = buf.length;
  }

  run(): V1Trace {
    let fault: V1Fault | null = null;
    try {
      this.loop();
    } catch (e) {
      if (!(e instanceof V1Fault)) throw e;
      fault = e;
      // The batch being read ends where the event that could not be read begins.
      if (this.batchEnd.length > 0) this.batchEnd[this.batchEnd.length - 1] = e.offset;
    }
    this.onProgress(1);
    const cpuTs = Float64Array.from(this.cpuTs);
    const cpuG = Uint32Array.from(this.cpuG);
    for (const ts of this.cpuTs) if (ts < this.minTs) this.minTs = ts;
    const moved = this.moved();
    return {
      bytes: this.buf,
      version: this.version,
      events: this.events,
      batchProc: this.batchProc,
      batchBase: this.batchBase,
      batchStart: this.batchStart,
      batchEnd: this.batchEnd,
      batchOffset: this.batchOffset,
      cpuN: this.cpuTs.length,
      cpuTs,
      cpuP: Int32Array.from(this.cpuP),
      cpuG,
      cpuStack: Uint32Array.from(this.cpuStk),
      goroutines: this.goroutines,
      procIds: this.procIds,
      strings: this.strings,
      stacks: this.stacks,
      pcs: this.pcs,
      frames: this.frames,
      ticksPerSec: this.ticksPerSec,
      timerGoroutines: this.timerGoroutines,
      ticks: this.ticks,
      minTs: this.minTs === Infinity ? 0 : this.minTs,
      blocking: this.blocking(cpuTs, cpuG),
      movedAt: moved.map((i) => this.exitAt[i] as number),
      movedTs: moved.map((i) => this.exitTs[i] as number),
      movedOld: moved.map((i) => this.exitOld[i] as number),
      movedP: moved.map((i) => this.exitP[i] as number),
      movedG: moved.map((i) => this.exitG[i] as number),
      fault,
    };
  }

  /**
   * The syscalls that block: their P's next event is GoSysBlock and no CPU sample of their
   * goroutine comes between (then the sample would be the goroutine's next event).
   */
  private blocking(cpuTs: Float64Array, cpuG: Uint32Array): Set<number> {
    const out = new Set<number>();
    const n = this.sysAt.length;
    if (n === 0) return out;
    // CPU samples by goroutine, then time.
    const idx = new Uint32Array(cpuTs.length);
    for (let i = 0; i < idx.length; i++) idx[i] = i;
    idx.sort(
      (a, b) =>
        (cpuG[a] as number) - (cpuG[b] as number) || (cpuTs[a] as number) - (cpuTs[b] as number),
    );
    for (let k = 0; k < n; k++) {
      const g = this.sysG[k] as number;
      const from = this.sysTs[k] as number;
      const to = this.sysBlockTs[k] as number;
      // The first sample of g after `from`.
      let lo = 0;
      let hi = idx.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        const i = idx[mid] as number;
        const gi = cpuG[i] as number;
        if (gi < g || (gi === g && (cpuTs[i] as number) <= from)) lo = mid + 1;
        else hi = mid;
      }
      const i = lo < idx.length ? (idx[lo] as number) : -1;
      const between = i >= 0 && cpuG[i] === g && (cpuTs[i] as number) < to;
      if (!between) out.add(this.sysAt[k] as number);
    }
    return out;
  }

  /** Indexes of the syscall exits that move, by new time then old time and place (stable). */
  private moved(): number[] {
    const idx: number[] = [];
    for (let i = 0; i < this.exitAt.length; i++) {
      const ts = this.exitTs[i] as number;
      if (ts < this.minTs) this.minTs = ts;
      if (ts !== this.exitOld[i]) idx.push(i);
    }
    return idx.sort(
      (a, b) =>
        (this.exitTs[a] as number) - (this.exitTs[b] as number) ||
        (this.exitOld[a] as number) - (this.exitOld[b] as number) ||
        (this.exitAt[a] as number) - (this.exitAt[b] as number),
    );
  }

  private fault(msg: string, at: number, eof = false): never {
    throw new V1Fault(msg, at, eof);
  }

  /** A failed `uvarint`: a cut file when it ran out of input. */
  private varintFault(msg: string, at: number): never {
    const eof = varintError === VARINT_EOF;
    clearVarintError();
    throw new V1Fault(msg, at, eof);
  }

  private proc(id: number, at: number): number {
    let i = this.procIndex.get(id);
    if (i === undefined) {
      i = this.procIds.length;
      if (i >= MAX_PROCS) this.fault(`more than ${MAX_PROCS} distinct P IDs`, at);
      this.procIds.push(id);
      this.procG.push(0);
      this.procSysCall.push(-1);
      this.procSysCallTs.push(0);
      this.procIndex.set(id, i);
    }
    return i;
  }

  private loop(): void {
    const buf = this.buf;
    const len = this.len;
    const vals = this.vals;
    const valPos = this.valPos;
    const version = this.version;
    const goroutines = this.goroutines;
    const procG = this.procG;
    const procSysCall = this.procSysCall;
    let curProc = -1;
    let lastTs = 0;
    let minTs = Infinity;
    let events = 0;
    let nextReport = 1 << 20;
    let pos = spec.HEADER_LEN;

    while (pos < len) {
      const at = pos;
      if (at >= nextReport) {
        this.onProgress(at / len);
        nextReport = at + (1 << 20);
      }
      const b = buf[at] as number;
      const typ = b & 0x3f;
      // Types that do not exist have MIN_VERSION 255.
      if ((MIN_VERSION[typ] as number) > version) this.fault(`unknown event type ${typ}`, at);

      if (typ === EvString) {
        pos = this.readString(at);
        continue;
      }
      if (typ === EvBatch) {
        this.events = events;
        this.minTs = minTs;
        pos = this.readBatchHeader(at, b);
        curProc = this.batchProc[this.batchProc.length - 1] as number;
        lastTs = this.batchBase[this.batchBase.length - 1] as number;
        continue;
      }

      // Values: inline (up to 3, the timestamp first), or a byte length and then the values.
      const narg = (b >> 6) + 1;
      let count = 0;
      let blockEnd = len;
      pos = at + 1;
      if (narg <= 3) {
        for (; count < narg; count++) {
          valPos[count] = pos;
          const v = uvarint(buf, pos, len);
          if (v < 0) {
            this.varintFault(
              `failed to read event ${typ} (${spec.eventName(typ)}) argument: malformatted base-128 varint`,
              at,
            );
          }
          vals[count] = v;
          pos = vEnd;
        }
      } else {
        const size = uvarint(buf, pos, len);
        if (size < 0) {
          this.varintFault(
            `failed to read event ${typ} (${spec.eventName(typ)}) argument: malformatted base-128 varint`,
            at,
          );
        }
        pos = vEnd;
        if (size > MAX_LENGTH_PREFIXED) {
          this.fault(
            `failed to read event ${typ} (${spec.eventName(typ)}) argument: length-prefixed argument too big: ${size} bytes, limit is ${MAX_LENGTH_PREFIXED}`,
            at,
          );
        }
        if (size > len - pos) this.fault('failed to read trace: unexpected EOF', at, true);
        blockEnd = pos + size;
        while (pos < blockEnd) {
          valPos[count] = pos;
          const v = uvarint(buf, pos, blockEnd);
          if (v < 0) this.fault('malformatted base-128 varint', at);
          vals[count++] = v;
          pos = vEnd;
        }
        if (typ === EvUserLog) {
          // The log's value string follows the values.
          const sl = uvarint(buf, pos, len);
          if (sl < 0) this.varintFault('malformatted base-128 varint', at);
          pos = vEnd;
          if (sl > MAX_STRING_LEN) this.fault(`string is too large (len=${sl})`, at);
          if (sl > len - pos) this.fault('failed to read trace: unexpected EOF', at, true);
          pos += sl;
        }
      }
      if (curProc < 0) {
        this.fault(`read event ${typ} with current P of 0, but P has no batches yet`, at);
      }
      if (typ !== EvStack && count !== ARG_NUM[typ]) {
        const what = typ === EvCPUSample ? 'CPU sample' : spec.eventName(typ);
        this.fault(`${what} has wrong number of arguments: want ${ARG_NUM[typ]}, got ${count}`, at);
      }

      switch (typ) {
        case EvFrequency: {
          const f = vals[0] as number;
          // Go reads it as an int64: zero, or 2^63 and more, is no frequency.
          if (!(f > 0 && f < 2 ** 63)) {
            this.fault(`time stamps out of order (invalid frequency ${f} ticks per second)`, at);
          }
          this.ticksPerSec = f;
          continue;
        }
        case EvTimerGoroutine:
          this.timerGoroutines.add(goroutines.intern(vals[0] as number));
          continue;
        case EvStack:
          this.stack(count, at);
          continue;
        case EvCPUSample: {
          // ts delta (ignored), real ticks, P, G, stack; kept aside (Go's ProfileP).
          const ticks = this.ticks.read(buf, valPos[1] as number, blockEnd);
          this.cpuTs.push(ticks);
          this.cpuP.push(this.proc((vals[2] as number) | 0, at)); // int32: -1 without a P
          this.cpuG.push(goroutines.intern(vals[3] as number));
          this.cpuStk.push((vals[4] as number) >>> 0);
          continue;
        }
      }

      // A timed event of the batch's P, at absolute ticks lastTs.
      lastTs += vals[0] as number;
      if (lastTs < minTs) minTs = lastTs;
      events++;
      // The P's previous event was a GoSysCall: it blocks if this is GoSysBlock.
      const sc = procSysCall[curProc] as number;
      if (sc >= 0) {
        if (typ === EvGoSysBlock) {
          this.sysAt.push(sc);
          this.sysG.push(procG[curProc] as number);
          this.sysTs.push(this.procSysCallTs[curProc] as number);
          this.sysBlockTs.push(lastTs);
        }
        procSysCall[curProc] = -1;
      }
      switch (typ) {
        case EvGoStart:
        case EvGoStartLocal:
        case EvGoStartLabel:
          procG[curProc] = goroutines.intern(vals[1] as number);
          break;
        case EvGoEnd:
        case EvGoStop:
        case EvGoSched:
        case EvGoPreempt:
        case EvGoSleep:
        case EvGoBlock:
        case EvGoBlockSend:
        case EvGoBlockRecv:
        case EvGoBlockSelect:
        case EvGoBlockSync:
        case EvGoBlockCond:
        case EvGoBlockNet:
        case EvGoSysBlock:
        case EvGoBlockGC:
          procG[curProc] = 0;
          break;
        case EvGoSysCall:
          procSysCall[curProc] = at;
          this.procSysCallTs[curProc] = lastTs;
          break;
        case EvGoSysExit: {
          const g = goroutines.intern(vals[1] as number);
          // Arguments: goroutine, seq, the real ticks of the return (0: none).
          const real = this.ticks.read(buf, valPos[3] as number, blockEnd);
          if (!this.ticks.zero && real !== lastTs) {
            this.exitAt.push(at);
            this.exitTs.push(real);
            this.exitOld.push(lastTs);
            this.exitP.push(curProc);
            this.exitG.push(g);
          }
          break;
        }
        case EvGoSysExitLocal:
        case EvGoWaiting:
        case EvGoInSyscall:
        case EvGoCreate:
        case EvGoUnblock:
        case EvGoUnblockLocal:
          // The first argument is a goroutine: give it its dense index now.
          goroutines.intern(vals[1] as number);
          break;
      }
    }
    this.events = events;
    this.minTs = minTs;
  }

  /** EvBatch: P, base ticks (parser.go readRawEvent). Returns the offset after it. */
  private readBatchHeader(at: number, b: number): number {
    const narg = (b >> 6) + 1;
    if (narg !== 2) this.fault(`EvBatch has wrong number of arguments: got ${narg}, want 2`, at);
    // The P goes through ByteReader, which reads uint64(-1) (the runtime's global buffer,
    // traceGlobProc) back as -1.
    const r = new ByteReader(this.buf, at + 1);
    const pid = r.readUvarint();
    if (r.err !== READ_OK) {
      this.fault('failed to read batch P: malformatted base-128 varint', at, r.err === 1);
    }
    if (pid !== -1 && (pid < 0 || pid > 0x7fffffff)) {
      this.fault(`processor ID ${pid} is larger than maximum of ${0x7fffffff}`, at);
    }
    const ticks = this.ticks.read(this.buf, r.pos, this.len);
    if (ticks !== ticks) {
      this.fault(
        'failed to read batch ticks: malformatted base-128 varint',
        at,
        this.ticks.next >= this.len,
      );
    }
    const proc = this.proc(pid, at);
    const ends = this.batchEnd;
    if (ends.length > 0) ends[ends.length - 1] = at;
    this.batchProc.push(proc);
    this.batchBase.push(ticks);
    this.batchStart.push(this.ticks.next);
    this.batchEnd.push(this.len);
    this.batchOffset.push(at);
    return this.ticks.next;
  }

  /** EvString: ID, length, bytes (parser.go readRawEvent, go1.26). Returns the offset after it. */
  private readString(at: number): number {
    const buf = this.buf;
    const id = uvarint(buf, at + 1, this.len);
    if (id < 0) this.varintFault('failed to read string ID: malformatted base-128 varint', at);
    const len = uvarint(buf, vEnd, this.len);
    if (len < 0) this.varintFault('failed to read string length: malformatted base-128 varint', at);
    const pos = vEnd;
    if (id === 0) this.fault('string has invalid id 0', at);
    if (this.strings.has(id)) this.fault(`string has duplicate id ${id}`, at);
    if (len === 0) this.fault('string has invalid length 0', at);
    if (len > MAX_STRING_LEN) this.fault(`string has too large length ${len}`, at);
    if (len > this.len - pos) this.fault('failed to read trace: unexpected EOF', at, true);
    this.strings.set(id, decodeString(buf, pos, pos + len));
    return pos + len;
  }

  /** EvStack: ID, frame count, then PC, func, file, line per frame (parseEvent, go1.26). */
  private stack(count: number, at: number): void {
    const vals = this.vals;
    if (count < 2) {
      this.fault(`EvStack has wrong number of arguments: want at least 2, got ${count}`, at);
    }
    const size = vals[1] as number;
    if (size > MAX_STACK_FRAMES) this.fault(`EvStack has bad number of frames: ${size}`, at);
    if (count !== 2 + 4 * size) {
      this.fault(`EvStack has wrong number of arguments: want ${2 + 4 * size}, got ${count}`, at);
    }
    const id = (vals[0] as number) >>> 0; // Go: uint32(id)
    if (id === 0 || size === 0) return;
    const start = this.pcs.length;
    for (let i = 0; i < size; i++) {
      const k = 2 + 4 * i;
      const pc = vals[k] as number;
      this.pcs.push(pc);
      if (!this.frames.has(pc)) {
        this.frames.set(pc, [vals[k + 1] as number, vals[k + 2] as number, vals[k + 3] as number]);
      }
    }
    this.stacks.set(id, [start, size]);
  }
}
