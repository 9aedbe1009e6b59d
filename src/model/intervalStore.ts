// Goroutine state intervals as the decoder writes them (in event order) and as the model holds
// them (grouped by goroutine): the hottest store of a trace decoder, kept apart from the builder.

import type { GoroutineIntervals } from './trace';
import {
  copyPrefix,
  grownLength,
  growTo,
  release,
  reserve,
  scatterHalf,
  scatterI16,
  scatterI32,
  scatterU8,
  trimTo,
} from './columns';

/** The model's per-row interval columns in event order, with the goroutine index of each row (`g`). */
type IntervalRows = Omit<GoroutineIntervals, 'length' | 'wakerAt' | 'wakerG' | 'wakerStart'> & {
  g: Uint32Array;
};

/** The rows (in event order) that have a waker goroutine, ascending, and that goroutine. */
interface Wakers {
  length: number;
  row: Uint32Array;
  g: Int32Array;
}

/** Rows staged in plain arrays before they are copied into the growable columns. */
const STAGE = 1 << 13;

/**
 * Goroutine intervals in event order, one growable column each (see `groupIntervals` for their
 * final layout). Rows are first written to small plain arrays and copied into the columns in
 * bulk: V8 stores into views of resizable buffers 1.5-2x slower (fixed-length views, see
 * model/columns.ts), and this is the hottest store of the decoder.
 */
export class IntervalStore {
  /** Rows in the columns; `length` adds the staged ones. */
  private flushed = 0;
  private pos = 0;
  /** Staged rows that trigger a flush: 1 for the first (so that the flush is no new path to
   * code optimized later), then STAGE. */
  private limit = 1;
  g: Uint32Array;
  start: Float64Array;
  state: Uint8Array;
  flags: Uint8Array;
  reason: Uint8Array;
  stack: Int32Array;
  proc: Int16Array;
  /**
   * The rows with a waker goroutine (most have none: the model keeps them apart, see wakerAt),
   * `wakerCount` of them. Never shared memory: they stay in this worker, and `finish` gives them
   * back at once.
   */
  private wakerRow: Uint32Array;
  private wakerG: Int32Array;
  private wakerCount = 0;
  private readonly sg = new Uint32Array(STAGE);
  private readonly sstart = new Float64Array(STAGE);
  private readonly sstate = new Uint8Array(STAGE);
  private readonly sflags = new Uint8Array(STAGE);
  private readonly sreason = new Uint8Array(STAGE);
  private readonly sstack = new Int32Array(STAGE);
  private readonly swaker = new Int32Array(STAGE);
  private readonly sproc = new Int16Array(STAGE);

  /** `max`: an upper bound of the rows there will be (growing past it still works, by copying). */
  constructor(private readonly max: number) {
    const initial = Math.min(max, 1 << 16);
    // The goroutine column is spent by `finish` (it becomes the sort's destinations): never shared
    // memory, which cannot be given back before the GC finds it unused.
    this.g = reserve(Uint32Array, initial, max, false);
    this.start = reserve(Float64Array, initial, max);
    this.state = reserve(Uint8Array, initial, max);
    this.flags = reserve(Uint8Array, initial, max);
    this.reason = reserve(Uint8Array, initial, max);
    this.stack = reserve(Int32Array, initial, max);
    this.proc = reserve(Int16Array, initial, max);
    this.wakerRow = reserve(Uint32Array, 1 << 10, max, false);
    this.wakerG = reserve(Int32Array, 1 << 10, max, false);
  }

  get length(): number {
    return this.flushed + this.pos;
  }

  add(
    g: number,
    start: number,
    state: number,
    flags: number,
    reason: number,
    stack: number,
    waker: number,
    proc: number,
  ): void {
    const p = this.pos;
    this.sg[p] = g;
    this.sstart[p] = start;
    this.sstate[p] = state;
    this.sflags[p] = flags;
    this.sreason[p] = reason;
    this.sstack[p] = stack;
    this.swaker[p] = waker;
    // Out-of-range IDs (damaged traces) become -1 rather than wrapping around.
    this.sproc[p] = proc >= 0 && proc <= 0x7fff ? proc : -1;
    this.pos = p + 1;
    if (p + 1 === this.limit) this.flush();
  }

  /** Moves the staged rows into the columns. */
  flush(): void {
    const n = this.pos;
    if (n === 0) return;
    const at = this.flushed;
    const need = at + n;
    if (need > this.start.length) {
      const cap = grownLength(this.start.length, need);
      this.g = growTo(this.g, Uint32Array, cap, this.max, false);
      this.start = growTo(this.start, Float64Array, cap, this.max);
      this.state = growTo(this.state, Uint8Array, cap, this.max);
      this.flags = growTo(this.flags, Uint8Array, cap, this.max);
      this.reason = growTo(this.reason, Uint8Array, cap, this.max);
      this.stack = growTo(this.stack, Int32Array, cap, this.max);
      this.proc = growTo(this.proc, Int16Array, cap, this.max);
    }
    this.g.set(this.sg.subarray(0, n), at);
    this.start.set(this.sstart.subarray(0, n), at);
    this.state.set(this.sstate.subarray(0, n), at);
    this.flags.set(this.sflags.subarray(0, n), at);
    this.reason.set(this.sreason.subarray(0, n), at);
    this.stack.set(this.sstack.subarray(0, n), at);
    let wn = this.wakerCount;
    if (wn + n > this.wakerRow.length) {
      const cap = grownLength(this.wakerRow.length, wn + n);
      this.wakerRow = growTo(this.wakerRow, Uint32Array, cap, this.max, false);
      this.wakerG = growTo(this.wakerG, Int32Array, cap, this.max, false);
    }
    const sw = this.swaker;
    const wRow = this.wakerRow;
    const wG = this.wakerG;
    for (let p = 0; p < n; p++) {
      const w = sw[p] as number;
      if (w < 0) continue;
      wRow[wn] = at + p;
      wG[wn] = w;
      wn++;
    }
    this.wakerCount = wn;
    this.proc.set(this.sproc.subarray(0, n), at);
    this.flushed = need;
    this.pos = 0;
    this.limit = STAGE;
  }

  /** The rows in event order, trimmed, with the wakers as a column (the store is spent). */
  finishInOrder(): IntervalRows & { length: number; waker: Int32Array } {
    this.flush();
    const n = this.length;
    const waker = new Int32Array(n).fill(-1);
    for (let k = 0; k < this.wakerCount; k++)
      waker[this.wakerRow[k] as number] = this.wakerG[k] as number;
    release(this.wakerRow);
    release(this.wakerG);
    return {
      length: n,
      g: trimTo(this.g, Uint32Array, n),
      start: trimTo(this.start, Float64Array, n),
      state: trimTo(this.state, Uint8Array, n),
      flags: trimTo(this.flags, Uint8Array, n),
      reason: trimTo(this.reason, Uint8Array, n),
      stack: trimTo(this.stack, Int32Array, n),
      waker,
      proc: trimTo(this.proc, Int16Array, n),
    };
  }

  /**
   * Groups the intervals by goroutine, keeping time order within each (a stable counting sort).
   * The goroutine column becomes each row's destination; then each column in turn is scattered
   * into one 4-byte scratch column and copied back (the times as two halves), so the grouped
   * columns stay in the memory they grew in: the peak is the intervals plus 4 bytes a row, and
   * little fresh memory is touched (which is slow: the OS zero-fills every new page).
   */
  finish(n: number): { offsets: Uint32Array; intervals: GoroutineIntervals } {
    this.flush();
    const len = this.length;
    const out = groupRows(
      {
        g: this.g,
        start: trimTo(this.start, Float64Array, len),
        state: trimTo(this.state, Uint8Array, len),
        flags: trimTo(this.flags, Uint8Array, len),
        reason: trimTo(this.reason, Uint8Array, len),
        stack: trimTo(this.stack, Int32Array, len),
        proc: trimTo(this.proc, Int16Array, len),
      },
      len,
      n,
      this.wakers(),
      true,
    );
    release(this.g);
    return out;
  }

  /**
   * The rows so far grouped as `finish` groups them, in copies: the store goes on taking rows (a
   * preview of a trace still being decoded). `n`: goroutines so far.
   */
  snapshot(n: number): { offsets: Uint32Array; intervals: GoroutineIntervals } {
    this.flush();
    const len = this.length;
    return groupRows(
      {
        g: copyPrefix(this.g, len),
        start: copyPrefix(this.start, len),
        state: copyPrefix(this.state, len),
        flags: copyPrefix(this.flags, len),
        reason: copyPrefix(this.reason, len),
        stack: copyPrefix(this.stack, len),
        proc: copyPrefix(this.proc, len),
      },
      len,
      n,
      this.wakers(),
      false,
    );
  }

  /** The rows with a waker so far, as the store's columns (groupRows only reads them). */
  private wakers(): Wakers {
    return { length: this.wakerCount, row: this.wakerRow, g: this.wakerG };
  }
}

/**
 * Rows in event order grouped by goroutine in place (see IntervalStore.finish): every column but
 * `g` is exactly `len` long and becomes the model's; `g` (at least `len` long) is spent. The
 * model's wakerAt/wakerG are new arrays; `wakers` is only read, and given back as soon as it has
 * been when the store is finished (`spent`).
 */
function groupRows(
  rows: IntervalRows,
  len: number,
  n: number,
  wakers: Wakers,
  spent: boolean,
): { offsets: Uint32Array; intervals: GoroutineIntervals } {
  const dest = rows.g;
  const offsets = new Uint32Array(n + 1);
  for (let i = 0; i < len; i++) {
    const k = (dest[i] as number) + 1;
    offsets[k] = (offsets[k] as number) + 1;
  }
  for (let k = 0; k < n; k++) offsets[k + 1] = (offsets[k + 1] as number) + (offsets[k] as number);
  // The wakers, grouped as their rows will be (a goroutine's rows keep their order, so its wakers
  // stay ascending): placed while `dest` still holds each row's goroutine, by event row, then
  // moved to the rows' places once `dest` holds those.
  const wn = wakers.length;
  const wRow = wakers.row;
  const wCursor = new Uint32Array(n + 1);
  for (let k = 0; k < wn; k++) {
    const g = (dest[wRow[k] as number] as number) + 1;
    wCursor[g] = (wCursor[g] as number) + 1;
  }
  for (let k = 0; k < n; k++) wCursor[k + 1] = (wCursor[k + 1] as number) + (wCursor[k] as number);
  // The model's: where the other large columns are (shared memory in an isolated page, see
  // columns.ts), or, for a snapshot, plain copies as its other columns are.
  const wakerAt = spent ? reserve(Uint32Array, wn, wn + 1) : new Uint32Array(wn);
  const wakerG = spent ? reserve(Int32Array, wn, wn + 1) : new Int32Array(wn);
  const wakerStart = wCursor.slice();
  for (let k = 0; k < wn; k++) {
    const row = wRow[k] as number;
    const g = dest[row] as number;
    const p = wCursor[g] as number;
    wCursor[g] = p + 1;
    wakerAt[p] = row;
    wakerG[p] = wakers.g[k] as number;
  }
  if (spent) {
    release(wRow);
    release(wakers.g);
  }
  const cursor = offsets.slice(0, n);
  for (let i = 0; i < len; i++) {
    const g = dest[i] as number;
    const d = cursor[g] as number;
    dest[i] = d;
    cursor[g] = d + 1;
  }
  for (let p = 0; p < wn; p++) wakerAt[p] = dest[wakerAt[p] as number] as number;
  // One 4-byte scratch column; the 8-byte times go through it as two 32-bit halves.
  const scratch = new ArrayBuffer(len * 4);
  const u32 = new Uint32Array(scratch, 0, len);
  const i32 = new Int32Array(scratch, 0, len);
  const u8 = new Uint8Array(scratch, 0, len);
  const { start, state, flags, reason, stack, proc } = rows;
  const words = new Uint32Array(start.buffer, start.byteOffset, 2 * len);
  scatterHalf(words, 0, u32, dest);
  scatterHalf(words, 1, u32, dest);
  state.set(scatterU8(state, u8, dest));
  flags.set(scatterU8(flags, u8, dest));
  reason.set(scatterU8(reason, u8, dest));
  stack.set(scatterI32(stack, i32, dest));
  proc.set(scatterI16(proc, new Int16Array(scratch, 0, len), dest));
  return {
    offsets,
    intervals: {
      length: len,
      start,
      state,
      flags,
      reason,
      stack,
      wakerAt,
      wakerG,
      wakerStart,
      proc,
    },
  };
}
