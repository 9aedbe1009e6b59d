// Puts the events of a v1 trace in Go's order (Go src/internal/trace/internal/tracev1/parser.go
// parseEventBatches and order.go, go1.26), one event at a time.
//
// Each P's events are in time order; across Ps only the goroutine state machine orders them.
// Go's merge keeps a frontier of the next event of every P whose goroutine transition is ready
// (a GoStart needs its goroutine runnable with the sequence number it names, an unblock needs it
// waiting, ...), and takes the earliest of them each time. Events that need no ordering are
// always ready; CPU samples are one more "P", sorted by the time the signal handler took them.
//
// Like Go's loadBatch, each P's events are decoded from the bytes of its batches as the merge
// reaches them (parse.ts has checked them all): no event is stored. The caller (decode.ts)
// checks that the stream is in time order and puts the syscall exits at their real times, as Go
// does after its merge.

import * as spec from './spec';
import {
  ARG_NUM,
  EvCPUSample,
  EvFrequency,
  EvGCStart,
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
  EvGoSysExit,
  EvGoSysExitLocal,
  EvGoUnblock,
  EvGoUnblockLocal,
  EvGoWaiting,
  EvStack,
  EvString,
  EvTimerGoroutine,
  EvUserLog,
} from './spec';
import { skipUvarint as skipVarint, uvarint } from '../../varint';
import { V1Fault, type Goroutines, type V1Trace } from './parse';

// Go's gStatus (order.go).
const G_DEAD = 0;
const G_RUNNABLE = 1;
const G_RUNNING = 2;
const G_WAITING = 3;
/** Sequence markers (Go's noseq and seqinc). */
const NOSEQ = -1;
const SEQINC = -2;
/** Transition keys that are not goroutines: no ordering (Go's unordered), the GC sequence (garbage). */
const UNORDERED = -1;
const GARBAGE = -2;

/** Re-checks of waiting Ps allowed beyond 64 per event before a trace is called hostile. */
const WORK_BASE = 1e7;

/** Go's merge of the Ps' event streams, one event per `next()`. */
export class Merge {
  /** The event `next()` returned: type, offset, its arguments after the timestamp (as many as
   * it has) and where they end. */
  typ = 0;
  at = 0;
  a0 = 0;
  a1 = 0;
  a2 = 0;
  a3 = 0;
  argEnd = 0;
  /** Offset of its first argument after the timestamp. */
  off = 0;
  /** Its absolute ticks, dense proc, and dense goroutine (Go's Event.G: the goroutine its P was
   * running, or the one it names). For a CPU sample, `cpu` is its index (else -1). */
  ts = 0;
  proc = -1;
  g = 0;
  cpu = -1;
  /** Events returned so far. */
  merged = 0;

  private readonly buf: Uint8Array;
  private readonly goroutines: Goroutines;
  private readonly np: number;
  private readonly batches: number[][];
  private readonly nextBatch: Int32Array;
  // Per proc: where its batch's bytes are, its running ticks, and its next event once decoded.
  private readonly pos: Float64Array;
  private readonly end: Float64Array;
  private readonly last: Float64Array;
  private readonly has: Uint8Array;
  private readonly eTyp: Uint8Array;
  private readonly eAt: Float64Array;
  /** The arguments after the timestamp, and where they end. */
  private readonly eA0: Float64Array;
  private readonly eA1: Float64Array;
  private readonly eA2: Float64Array;
  private readonly eA3: Float64Array;
  private readonly eEnd: Float64Array;
  private readonly eOff: Float64Array;
  private readonly eTs: Float64Array;
  /** Per proc: the goroutine it runs, as Go's parser tracks it (its lastGs). */
  private readonly lastG: Uint32Array;
  private readonly done: Uint8Array;
  private readonly hasBatch: Uint8Array;
  private readonly cpuOrder: Uint32Array;
  private cpuNext = 0;
  // Goroutine transition state (Go's gState: seq and status) per dense goroutine, and the GC's.
  private readonly gSeq: Float64Array;
  private readonly gSt: Uint8Array;
  private gcSeq = 0;
  // The transition of the event looked at, and per proc the one of its event in the frontier.
  private key = UNORDERED;
  private iSeq = 0;
  private iSt = 0;
  private nSeq = 0;
  private nSt = 0;
  private readonly pKey: Float64Array;
  private readonly pNSeq: Float64Array;
  private readonly pNSt: Uint8Array;
  private readonly pISeq: Float64Array;
  private readonly pISt: Uint8Array;
  // Procs whose next event is not in the frontier; the frontier, a min-heap by time of procs
  // exactly as Go's orderEventList (order.go heapUp/heapDown).
  private readonly avail: Int32Array;
  private availLen = 0;
  private readonly hTs: Float64Array;
  private readonly hProc: Int32Array;
  private hLen = 0;
  private work = 0;

  constructor(private readonly t: V1Trace) {
    this.buf = t.bytes;
    this.goroutines = t.goroutines;
    const np = t.procIds.length;
    this.np = np;
    this.batches = [];
    for (let i = 0; i <= np; i++) this.batches.push([]);
    this.hasBatch = new Uint8Array(np);
    for (let b = 0; b < t.batchProc.length; b++) {
      const p = t.batchProc[b] as number;
      this.hasBatch[p] = 1;
      if ((t.batchEnd[b] as number) > (t.batchStart[b] as number)) {
        (this.batches[p] as number[]).push(b);
      }
    }
    const n1 = np + 1;
    this.nextBatch = new Int32Array(n1);
    this.pos = new Float64Array(n1);
    this.end = new Float64Array(n1);
    this.last = new Float64Array(n1);
    this.has = new Uint8Array(n1);
    this.eTyp = new Uint8Array(n1);
    this.eAt = new Float64Array(n1);
    this.eA0 = new Float64Array(n1);
    this.eA1 = new Float64Array(n1);
    this.eA2 = new Float64Array(n1);
    this.eA3 = new Float64Array(n1);
    this.eEnd = new Float64Array(n1);
    this.eOff = new Float64Array(n1);
    this.eTs = new Float64Array(n1);
    this.lastG = new Uint32Array(n1);
    this.done = new Uint8Array(n1);
    // CPU samples, by the time the signal handler took them (parser.go: slices.SortFunc by Ts).
    const cpu = new Uint32Array(t.cpuN);
    for (let i = 0; i < t.cpuN; i++) cpu[i] = i;
    const cts = t.cpuTs;
    cpu.sort((a, b) => (cts[a] as number) - (cts[b] as number));
    this.cpuOrder = cpu;
    const ng = t.goroutines.ids.length;
    this.gSeq = new Float64Array(ng);
    this.gSt = new Uint8Array(ng);
    this.pKey = new Float64Array(n1);
    this.pNSeq = new Float64Array(n1);
    this.pNSt = new Uint8Array(n1);
    this.pISeq = new Float64Array(n1);
    this.pISt = new Uint8Array(n1);
    this.avail = new Int32Array(n1);
    this.hTs = new Float64Array(n1);
    this.hProc = new Int32Array(n1);
    // Go starts with the Ps that have batches, in its map's iteration order, then the CPU
    // samples. That order is random, and it decides how events of equal time on different Ps
    // are ordered (each such tie moves one event by 1 ns), so Go's own reader gives results a
    // few ns apart from one run to the next on traces with many such ties. Here it is the
    // order of the Ps' first batches in the file: the map's insertion order, which is also the
    // order Go's maps of up to 8 entries (GOMAXPROCS up to 7) iterate in most often (a rotation
    // of the insertion order from a random slot, and the empty slots all lead to the first).
    for (let i = 0; i < np; i++) if (this.hasBatch[i]) this.avail[this.availLen++] = i;
    this.avail[this.availLen++] = np;
  }

  /**
   * Decodes the next timed event of proc `pr` into its e* slots (Go's loadBatch): strings,
   * stacks, the frequency and CPU samples in its batches are skipped. False when it has none.
   */
  private decode(pr: number): boolean {
    const buf = this.buf;
    const t = this.t;
    if (pr === this.np) {
      if (this.cpuNext >= t.cpuN) return false;
      const s = this.cpuOrder[this.cpuNext++] as number;
      this.eTyp[pr] = EvCPUSample;
      this.eAt[pr] = s;
      this.eTs[pr] = t.cpuTs[s] as number;
      this.has[pr] = 1;
      return true;
    }
    let pos = this.pos[pr] as number;
    let end = this.end[pr] as number;
    for (;;) {
      if (pos >= end) {
        const list = this.batches[pr] as number[];
        const bi = this.nextBatch[pr] as number;
        if (bi >= list.length) return false;
        this.nextBatch[pr] = bi + 1;
        const b = list[bi] as number;
        pos = t.batchStart[b] as number;
        end = t.batchEnd[b] as number;
        this.end[pr] = end;
        this.last[pr] = t.batchBase[b] as number;
        continue;
      }
      const at = pos;
      const head = buf[at] as number;
      const typ = head & 0x3f;
      if (typ === EvString) {
        const len = uvarint(buf, skipVarint(buf, at + 1), end);
        pos = vEndOf(buf, at) + len;
        continue;
      }
      const narg = (head >> 6) + 1;
      const untimed = typ === EvFrequency || typ === EvStack || typ === EvTimerGoroutine;
      let dt = 0;
      let p: number;
      if (narg <= 3) {
        pos = at + 1;
        if (untimed) {
          for (let k = 0; k < narg; k++) pos = skipVarint(buf, pos);
          continue;
        }
        p = pos;
      } else {
        const size = uvarint(buf, at + 1, end);
        const start = skipVarint(buf, at + 1);
        pos = start + size;
        if (typ === EvUserLog) {
          const sl = uvarint(buf, pos, end);
          pos = skipVarint(buf, pos) + sl;
        }
        if (untimed || typ === EvCPUSample) continue;
        p = start;
      }
      // The timestamp delta, then the arguments (parse.ts has checked their number).
      dt = readv(buf, p);
      p = rdEnd;
      this.eOff[pr] = p;
      const n = (ARG_NUM[typ] as number) - 1;
      if (n > 0) {
        this.eA0[pr] = readv(buf, p);
        p = rdEnd;
        if (n > 1) {
          this.eA1[pr] = readv(buf, p);
          p = rdEnd;
          if (n > 2) {
            this.eA2[pr] = readv(buf, p);
            p = rdEnd;
            if (n > 3) {
              this.eA3[pr] = readv(buf, p);
              p = rdEnd;
            }
          }
        }
      }
      if (narg <= 3) pos = p;
      const ts = (this.last[pr] as number) + dt;
      this.last[pr] = ts;
      this.pos[pr] = pos;
      this.eTyp[pr] = typ;
      this.eAt[pr] = at;
      this.eEnd[pr] = p;
      this.eTs[pr] = ts;
      this.has[pr] = 1;
      return true;
    }
  }

  /** Go's stateTransition for the decoded event of proc `pr`: sets key, init and next. */
  private transition(pr: number): void {
    const goroutines = this.goroutines;
    switch (this.eTyp[pr]) {
      case EvGoCreate:
        this.key = goroutines.get(this.eA0[pr] as number);
        this.iSeq = 0;
        this.iSt = G_DEAD;
        this.nSeq = 1;
        this.nSt = G_RUNNABLE;
        return;
      case EvGoWaiting:
      case EvGoInSyscall:
        this.key = goroutines.get(this.eA0[pr] as number);
        this.iSeq = 1;
        this.iSt = G_RUNNABLE;
        this.nSeq = 2;
        this.nSt = G_WAITING;
        return;
      case EvGoStart:
      case EvGoStartLabel: {
        this.key = goroutines.get(this.eA0[pr] as number);
        const seq = this.eA1[pr] as number;
        this.iSeq = seq;
        this.iSt = G_RUNNABLE;
        this.nSeq = seq + 1;
        this.nSt = G_RUNNING;
        return;
      }
      case EvGoStartLocal:
        // On the same P as the event that made the goroutine runnable, which came before.
        this.key = goroutines.get(this.eA0[pr] as number);
        this.iSeq = NOSEQ;
        this.iSt = G_RUNNABLE;
        this.nSeq = SEQINC;
        this.nSt = G_RUNNING;
        return;
      case EvGoBlock:
      case EvGoBlockSend:
      case EvGoBlockRecv:
      case EvGoBlockSelect:
      case EvGoBlockSync:
      case EvGoBlockCond:
      case EvGoBlockNet:
      case EvGoSleep:
      case EvGoSysBlock:
      case EvGoBlockGC:
        this.key = this.lastG[pr] as number;
        this.iSeq = NOSEQ;
        this.iSt = G_RUNNING;
        this.nSeq = NOSEQ;
        this.nSt = G_WAITING;
        return;
      case EvGoSched:
      case EvGoPreempt:
        this.key = this.lastG[pr] as number;
        this.iSeq = NOSEQ;
        this.iSt = G_RUNNING;
        this.nSeq = NOSEQ;
        this.nSt = G_RUNNABLE;
        return;
      case EvGoUnblock:
      case EvGoSysExit: {
        this.key = goroutines.get(this.eA0[pr] as number);
        const seq = this.eA1[pr] as number;
        this.iSeq = seq;
        this.iSt = G_WAITING;
        this.nSeq = seq + 1;
        this.nSt = G_RUNNABLE;
        return;
      }
      case EvGoUnblockLocal:
      case EvGoSysExitLocal:
        this.key = goroutines.get(this.eA0[pr] as number);
        this.iSeq = NOSEQ;
        this.iSt = G_WAITING;
        this.nSeq = SEQINC;
        this.nSt = G_RUNNABLE;
        return;
      case EvGCStart: {
        this.key = GARBAGE;
        const seq = this.eA0[pr] as number;
        this.iSeq = seq;
        this.iSt = G_DEAD;
        this.nSeq = seq + 1;
        this.nSt = G_DEAD;
        return;
      }
      default:
        this.key = UNORDERED;
    }
  }

  /** Go's transitionReady. */
  private ready(key: number, iSeq: number, iSt: number): boolean {
    if (key === UNORDERED) return true;
    const seq = key === GARBAGE ? this.gcSeq : (this.gSeq[key] as number);
    const st = key === GARBAGE ? G_DEAD : (this.gSt[key] as number);
    return (iSeq === NOSEQ || iSeq === seq) && iSt === st;
  }

  private describe(pr: number): string {
    return pr === this.np ? 'CPU sample' : spec.eventName(this.eTyp[pr] as number);
  }

  /** Returns the next event in Go's order; false at the end. Throws V1Fault when stuck. */
  next(): boolean {
    const avail = this.avail;
    const hTs = this.hTs;
    const hProc = this.hProc;
    const np = this.np;
    let availLen = this.availLen;
    let hLen = this.hLen;
    for (let i = 0; i < availLen; i++) {
      const pr = avail[i] as number;
      if (this.has[pr] === 0 && !this.decode(pr)) {
        this.done[pr] = 1;
        avail[i] = avail[--availLen] as number;
        i--;
        continue;
      }
      if (pr === np) {
        this.key = UNORDERED;
      } else {
        this.transition(pr);
        // Go's transitionReady, inline: the hottest test of the merge.
        const key = this.key;
        if (
          key !== UNORDERED &&
          !(key === GARBAGE
            ? (this.iSeq === NOSEQ || this.iSeq === this.gcSeq) && this.iSt === G_DEAD
            : (this.iSeq === NOSEQ || this.iSeq === this.gSeq[key]) && this.iSt === this.gSt[key])
        ) {
          if (++this.work > WORK_BASE + 64 * this.merged) {
            throw new V1Fault(
              'no consistent ordering of events possible (too many events wait on others; decoding stopped to stay bounded)',
              this.eAt[pr] as number,
            );
          }
          continue;
        }
      }
      this.pKey[pr] = this.key;
      this.pISeq[pr] = this.iSeq;
      this.pISt[pr] = this.iSt;
      this.pNSeq[pr] = this.nSeq;
      this.pNSt[pr] = this.nSt;
      this.has[pr] = 0;
      avail[i] = avail[--availLen] as number;
      i--;
      // Push and sift up (heapUp).
      let j = hLen++;
      const ts = this.eTs[pr] as number;
      while (j > 0) {
        const p = (j - 1) >> 1;
        const pts = hTs[p] as number;
        if (!(ts < pts)) break;
        hTs[j] = pts;
        hProc[j] = hProc[p] as number;
        j = p;
      }
      hTs[j] = ts;
      hProc[j] = pr;
    }
    this.availLen = availLen;
    this.hLen = hLen;
    const t = this.t;
    if (this.hLen === 0) {
      for (let pr = 0; pr <= this.np; pr++) {
        if (this.done[pr] === 0 && (pr === this.np || this.hasBatch[pr]) && this.has[pr]) {
          throw new V1Fault(
            `no consistent ordering of events possible: P ${t.procIds[pr]}'s next event ${this.describe(pr)} waits for an event that never comes`,
            this.eAt[pr] as number,
          );
        }
      }
      return false;
    }
    // Pop: swap the root with the last, heapDown over the rest (Go's orderEventList.Pop).
    const last = hLen - 1;
    const pr = hProc[0] as number;
    const popTs = hTs[0] as number;
    // The old last element sifts down from the root.
    const xTs = hTs[last] as number;
    const xProc = hProc[last] as number;
    let i = 0;
    for (;;) {
      const j1 = 2 * i + 1;
      if (j1 >= last) break;
      let j = j1;
      const j2 = j1 + 1;
      if (j2 < last && (hTs[j2] as number) < (hTs[j1] as number)) j = j2;
      const jts = hTs[j] as number;
      if (!(jts < xTs)) break;
      hTs[i] = jts;
      hProc[i] = hProc[j] as number;
      i = j;
    }
    hTs[i] = xTs;
    hProc[i] = xProc;
    this.hLen = last;
    this.ts = popTs;
    const typ = this.eTyp[pr] as number;
    this.typ = typ;
    // Go's transition: the state may have changed since the event joined the frontier.
    const key = this.pKey[pr] as number;
    if (key !== UNORDERED) {
      if (!this.ready(key, this.pISeq[pr] as number, this.pISt[pr] as number)) {
        throw new V1Fault(
          `encountered impossible goroutine state transition (${spec.eventName(typ)})`,
          this.eAt[pr] as number,
        );
      }
      const curSeq = key === GARBAGE ? this.gcSeq : (this.gSeq[key] as number);
      const nSeq = this.pNSeq[pr] as number;
      const next = nSeq === NOSEQ ? curSeq : nSeq === SEQINC ? curSeq + 1 : nSeq;
      if (key === GARBAGE) this.gcSeq = next;
      else {
        this.gSeq[key] = next;
        this.gSt[key] = this.pNSt[pr] as number;
      }
    }
    // The event's goroutine, as Go's parser sets Event.G (parseEvent).
    if (pr === this.np) {
      const s = this.eAt[pr] as number;
      this.cpu = s;
      this.at = 0;
      this.g = t.cpuG[s] as number;
      this.proc = t.cpuP[s] as number;
    } else {
      this.cpu = -1;
      this.at = this.eAt[pr] as number;
      this.a0 = this.eA0[pr] as number;
      this.a1 = this.eA1[pr] as number;
      this.a2 = this.eA2[pr] as number;
      this.a3 = this.eA3[pr] as number;
      this.argEnd = this.eEnd[pr] as number;
      this.off = this.eOff[pr] as number;
      this.proc = pr;
      switch (typ) {
        case EvGoStart:
        case EvGoStartLocal:
        case EvGoStartLabel:
          this.lastG[pr] = key;
          this.g = key;
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
          this.g = this.lastG[pr] as number;
          this.lastG[pr] = 0;
          break;
        case EvGoSysExit:
        case EvGoWaiting:
        case EvGoInSyscall:
          this.g = key;
          break;
        default:
          this.g = this.lastG[pr] as number;
      }
    }
    this.avail[this.availLen++] = pr;
    this.merged++;
    return true;
  }
}

/** Offset after the last `readv`. */
let rdEnd = 0;

/** A varint parse.ts has checked (so no bounds), as a number (rounded above 2^53). */
function readv(buf: Uint8Array, pos: number): number {
  let b = buf[pos++] as number;
  if (b < 0x80) {
    rdEnd = pos;
    return b;
  }
  let v = b & 0x7f;
  let mul = 128;
  for (let i = 1; i < 10; i++) {
    b = buf[pos++] as number;
    v += (b & 0x7f) * mul;
    if (b < 0x80) break;
    mul *= 128;
  }
  rdEnd = pos;
  return v;
}

/** The offset after the varint that follows the one at `at + 1` (a string's length). */
function vEndOf(buf: Uint8Array, at: number): number {
  return skipVarint(buf, skipVarint(buf, at + 1));
}

/**
 * Where Go's stable sort puts a moved syscall exit relative to an unmoved event at `tx`: before
 * it when its new time is earlier, or equal and it moved later (it was before all events of that
 * time); after it otherwise.
 */
export function movedBefore(newTs: number, oldTs: number, tx: number): boolean {
  return newTs < tx || (newTs === tx && newTs > oldTs);
}
