// Go's batch cursors (src/internal/trace/batchcursor.go, go1.26): one cursor per thread (M) over
// its event batches of the current generation, reading one timed event at a time straight from
// the bytes (type, timestamp delta, up to four arguments: no event objects), and the min-heap
// of cursors keyed by the time of their next event that the ordering (order.ts) advances.
//
// The heap and the fallback sort reproduce Go's exactly (ties included), because the order in
// which ready events are emitted decides the 1 ns fix-ups and, with it, exact state times.

import { type ByteReader, READ_OK } from './bytes';
import { TraceFault, type MBatches } from './generation';
import { TIMED_ARGS, knownType } from './spec';

/** What the ordering knows of a thread: the goroutine and proc it runs (NO_ID for none). */
export interface MState {
  g: number;
  p: number;
  /** M_G | M_P: fields a continued run has not set yet (continuation.ts); 0 otherwise. */
  assumed: number;
}

/** A cursor over one M's batches in the current generation (batchcursor.go). */
export class MCursor {
  /** The thread's state in the ordering, cached on first use. */
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

export function heapSiftUp(h: MCursor[], i: number): number {
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

export function heapSiftDown(h: MCursor[], i: number): void {
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

export function heapRemove(h: MCursor[], i: number): void {
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
export function sortFrontier(h: MCursor[]): void {
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
