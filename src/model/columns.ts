// Growable typed-array columns, one class per element type. A single generic class (like
// base/growable.ts Column) sees every element kind at the same call sites and V8 cannot keep them
// monomorphic; on millions of pushes per trace that costs seconds. These stay fast.
//
// Memory. The first write to a fresh page of memory is the dearest thing the decoder does: the
// kernel maps and zeroes the page, ~14 us per 4 KiB on the 2-core VM the benchmarks run on (about
// 3.5 ms per MiB, more in a Chromium worker than in Node). A column that doubles into a fresh array
// and is then sliced to its length writes its data three to four times over into fresh pages.
// So a column that grows past 1 MiB moves into a resizable ArrayBuffer (ES2024): memory is
// reserved up front, committed as the column grows, never copied again, and trimmed in place at
// the end (a growable SharedArrayBuffer, see `reserveShared`, cannot shrink: its view is cut and
// the pages past it that were never written cost nothing); the data is written once more. Below
// that, columns are plain typed arrays that double:
// creating a resizable buffer costs ~0.4 ms in V8 (it reserves the whole maximum), and a builder
// has 60 columns, which made an empty TraceBuilder cost 18 ms (measured in Node 20): most files,
// and every generation decoded on its own, are small.
//
// Two V8 costs shape the growth policy (measured in Node 20 and Chromium 156):
// - shrinking a resizable buffer zero-fills the part given back, which first faults it in when
//   it was never written: a column grown far past its length makes `finish` expensive. Columns
//   therefore grow by an eighth (at most 128 Ki elements at a time), so little is left to give
//   back (`grownLength`);
// - element access through a length-tracking view of a resizable buffer is 3-5x slower than
//   through a plain typed array; through a fixed-length view of the same buffer, about 1.5-2x.
//   Columns therefore hold fixed-length views, made anew each time the buffer grows (`viewOf`),
//   and the hottest stores (goroutine intervals) are staged in plain arrays and copied in bulk
//   (model/intervalStore.ts).

export type Typed = Float64Array | Int32Array | Uint32Array | Int16Array | Uint16Array | Uint8Array;
export interface TypedCtor<T extends Typed> {
  new (length: number): T;
  new (buffer: ArrayBuffer): T;
  readonly BYTES_PER_ELEMENT: number;
}
type Resizable = ArrayBuffer & {
  resize(byteLength: number): void;
  readonly maxByteLength: number;
  readonly resizable: boolean;
};
const RabCtor = ArrayBuffer as unknown as {
  new (byteLength: number, options: { maxByteLength: number }): Resizable;
};
/** Resizable ArrayBuffers (ES2024: Chrome 111, Firefox 128, Safari 16.4, Node 20). */
const HAS_RAB = typeof (ArrayBuffer.prototype as { resize?: unknown }).resize === 'function';
type Growable = SharedArrayBuffer & {
  grow(byteLength: number): void;
  readonly maxByteLength: number;
  readonly growable: boolean;
};
const GsabCtor = (typeof SharedArrayBuffer === 'function'
  ? SharedArrayBuffer
  : null) as unknown as {
  new (byteLength: number, options: { maxByteLength: number }): Growable;
} | null;
/** Growable SharedArrayBuffers (same ES2024 proposal; SharedArrayBuffer exists only when isolated). */
const HAS_GSAB =
  GsabCtor !== null &&
  typeof (SharedArrayBuffer.prototype as { grow?: unknown }).grow === 'function';
/** Whether large columns are reserved in growable SharedArrayBuffers (see `reserveShared`). */
let sharedColumns = false;

/**
 * From now on, columns that would live in resizable buffers are reserved in growable
 * SharedArrayBuffers instead (when the runtime has them), so that the finished model is already
 * shared memory: the decode worker of a cross-origin isolated page calls this, and handing the
 * model to the engine and the page (worker/handoff.ts) then copies only the small columns. A
 * growable buffer cannot shrink: `trimTo` gives a view of the used part, and the pages reserved
 * past it that were never written cost nothing. Returns whether it took effect.
 */
export function reserveShared(on: boolean): boolean {
  sharedColumns = on && HAS_GSAB;
  return sharedColumns;
}

/** `buf` is a growable SharedArrayBuffer (a column reserved while `reserveShared` was on). */
function isGrowable(buf: ArrayBufferLike): buf is Growable {
  return HAS_GSAB && buf instanceof SharedArrayBuffer && (buf as Growable).growable;
}

/** Rows a column reserves address space for by default (it can grow past it, by a copy). */
export const DEFAULT_MAX_ROWS = 1 << 22;
/**
 * `max` for a column that stays a plain typed array, doubling as it grows: faster to write than a
 * resizable buffer, for data that lives briefly (a worker's log, model/traceLog.ts).
 */
export const PLAIN = 0;
/** The smallest and largest steps a column grows by, in elements. */
const MIN_GROW_ROWS = 512;
const MAX_GROW_ROWS = 1 << 17;
/** Columns of at least this many bytes live in resizable buffers (see the file comment). */
const RAB_MIN_BYTES = 1 << 20;

function resizable<T extends Typed>(
  ctor: TypedCtor<T>,
  initial: number,
  max: number,
  shared: boolean,
): T | null {
  const bpe = ctor.BYTES_PER_ELEMENT;
  // Large reservations can be refused: ask for less, and copy past it if ever needed.
  for (let m = Math.max(max, initial); ; m = Math.max(initial, Math.floor(m / 2))) {
    try {
      const buf =
        shared && GsabCtor
          ? new GsabCtor(initial * bpe, { maxByteLength: m * bpe })
          : new RabCtor(initial * bpe, { maxByteLength: m * bpe });
      return viewOf(ctor, buf, initial);
    } catch {
      // try a smaller reservation
      if (m === initial) return null;
    }
  }
}

/**
 * A fixed-length view of the first `length` elements of a resizable or growable buffer. Never a
 * length-tracking view (`new T(buffer)`): V8 reads and writes through those 3x (resizable) to 8x
 * (growable shared) slower than through a fixed-length one (measured in Chromium 156), so the
 * columns make a new view each time their buffer grows.
 */
function viewOf<T extends Typed>(ctor: TypedCtor<T>, buf: ArrayBufferLike, length: number): T {
  const View = ctor as unknown as new (b: ArrayBufferLike, offset: number, length: number) => T;
  return new View(buf, 0, length);
}

/**
 * A typed array of `initial` elements that can grow to `max` elements: a resizable buffer, whose
 * memory is reserved, not committed, when it is 1 MiB or more; a plain array below that.
 */
export function reserve<T extends Typed>(
  ctor: TypedCtor<T>,
  initial: number,
  max: number,
  shared = sharedColumns,
): T {
  if (HAS_RAB && initial * ctor.BYTES_PER_ELEMENT >= RAB_MIN_BYTES && max > initial) {
    const r = resizable(ctor, initial, max, shared);
    if (r) return r;
  }
  return new ctor(initial);
}

/**
 * The capacity a column of `length` elements grows to when it needs `need`: an eighth more, at
 * most 128 Ki elements at a time (see the file comment: what is committed but never written is
 * expensive to give back). Columns that grow together pass the same numbers, so they stay alike.
 */
export function grownLength(length: number, need: number): number {
  return Math.max(need, length + Math.min(MAX_GROW_ROWS, Math.max(MIN_GROW_ROWS, length >> 3)));
}

/**
 * `arr` with room for at least `length` elements (of at most `max`, the reservation a resizable
 * buffer gets): the same array grown in place, or a copy.
 */
export function growTo<T extends Typed>(
  arr: T,
  ctor: TypedCtor<T>,
  length: number,
  max = DEFAULT_MAX_ROWS,
  shared = sharedColumns,
): T {
  if (arr.length >= length) return arr;
  const bpe = ctor.BYTES_PER_ELEMENT;
  const buf = arr.buffer;
  if (arr.byteOffset === 0 && (isGrowable(buf) || (HAS_RAB && (buf as Resizable).resizable))) {
    const room = buf as Resizable | Growable;
    if (room.maxByteLength >= length * bpe) {
      const had = room.byteLength / bpe;
      if (had < length) {
        if (isGrowable(room)) room.grow(length * bpe);
        else room.resize(length * bpe);
      }
      const next = viewOf(ctor, room, length);
      // A growable buffer is never cut (trimTo cuts the view): what lies past a cut view is old
      // data, which a grown column must not show. A resizable one was cut and zeroed.
      if (isGrowable(room) && had > arr.length) next.fill(0, arr.length, Math.min(had, length));
      return next;
    }
    // Past the reservation: a new one twice as large, of the same kind.
    const next = reserve(ctor, length, Math.max(length, arr.length) * 2, isGrowable(room));
    next.set(arr);
    return next;
  }
  // A plain array doubles; at 1 MiB it moves to a resizable buffer.
  const want = Math.max(length, arr.length * 2, 256);
  const next =
    want * bpe >= RAB_MIN_BYTES && max > 0
      ? reserve(ctor, length, Math.max(max, want), shared)
      : new ctor(want);
  next.set(arr);
  return next;
}

/** `arr` cut to `length` elements: in place when resizable (the rest is given back), else a copy. */
export function trimTo<T extends Typed>(arr: T, ctor: TypedCtor<T>, length: number): T {
  if (arr.length === length) return arr;
  const buf = arr.buffer;
  if (arr.byteOffset === 0 && length <= arr.length) {
    // A growable buffer cannot shrink: the view is cut, the pages past it never written cost
    // nothing. A resizable one gives the rest back.
    if (isGrowable(buf)) return viewOf(ctor, buf, length);
    if (HAS_RAB && (buf as Resizable).resizable) {
      (buf as Resizable).resize(length * ctor.BYTES_PER_ELEMENT);
      return viewOf(ctor, buf, length);
    }
  }
  return arr.slice(0, length) as T;
}

/**
 * The first `length` elements of `arr` in a buffer of their own, which later writes to `arr` never
 * reach: an ArrayBuffer, or a SharedArrayBuffer when `arr`'s is shared (then the copy is already
 * shared memory). Copied with the buffer's `slice` (memcpy), not the typed array's, which V8 does
 * element by element for resizable buffers.
 */
export function copyPrefix<T extends Typed>(arr: T, length: number): T {
  const View = arr.constructor as new (buffer: ArrayBufferLike) => T;
  const end = arr.byteOffset + Math.min(length, arr.length) * arr.BYTES_PER_ELEMENT;
  return new View(arr.buffer.slice(arr.byteOffset, end));
}

/** Gives a growable array's memory back now (when resizable; otherwise the GC will). */
export function release(arr: Typed): void {
  const buf = arr.buffer as Resizable;
  if (HAS_RAB && buf.resizable) buf.resize(0);
}

/** Growable Float64Array column (amortized O(1) push, exact-length `finish`). */
export class F64Col {
  buf: Float64Array;
  length = 0;
  constructor(
    initial = 256,
    private readonly max = DEFAULT_MAX_ROWS,
  ) {
    this.buf = reserve(Float64Array, initial, max);
  }
  push(v: number): number {
    const i = this.length;
    if (i === this.buf.length)
      this.buf = growTo(this.buf, Float64Array, grownLength(i, i + 1), this.max);
    this.buf[i] = v;
    return this.length++;
  }
  get(i: number): number {
    return this.buf[i] as number;
  }
  set(i: number, v: number): void {
    this.buf[i] = v;
  }
  /** The filled part, copied: the column goes on growing (a preview of a model being built). */
  copy(): Float64Array {
    return copyPrefix(this.buf, this.length);
  }
  /** The filled part, as an array that owns its buffer. */
  finish(): Float64Array {
    const out = trimTo(this.buf, Float64Array, this.length);
    this.buf = reserve(Float64Array, 0, 0);
    this.length = 0;
    return out;
  }
}

/** Growable Int32Array column (amortized O(1) push, exact-length `finish`). */
export class I32Col {
  buf: Int32Array;
  length = 0;
  constructor(
    initial = 256,
    private readonly max = DEFAULT_MAX_ROWS,
  ) {
    this.buf = reserve(Int32Array, initial, max);
  }
  push(v: number): number {
    const i = this.length;
    if (i === this.buf.length)
      this.buf = growTo(this.buf, Int32Array, grownLength(i, i + 1), this.max);
    this.buf[i] = v;
    return this.length++;
  }
  get(i: number): number {
    return this.buf[i] as number;
  }
  set(i: number, v: number): void {
    this.buf[i] = v;
  }
  /** The filled part, copied: the column goes on growing (a preview of a model being built). */
  copy(): Int32Array {
    return copyPrefix(this.buf, this.length);
  }
  /** The filled part, as an array that owns its buffer. */
  finish(): Int32Array {
    const out = trimTo(this.buf, Int32Array, this.length);
    this.buf = reserve(Int32Array, 0, 0);
    this.length = 0;
    return out;
  }
}

/** Growable Uint32Array column (amortized O(1) push, exact-length `finish`). */
export class U32Col {
  buf: Uint32Array;
  length = 0;
  constructor(
    initial = 256,
    private readonly max = DEFAULT_MAX_ROWS,
  ) {
    this.buf = reserve(Uint32Array, initial, max);
  }
  push(v: number): number {
    const i = this.length;
    if (i === this.buf.length)
      this.buf = growTo(this.buf, Uint32Array, grownLength(i, i + 1), this.max);
    this.buf[i] = v;
    return this.length++;
  }
  get(i: number): number {
    return this.buf[i] as number;
  }
  set(i: number, v: number): void {
    this.buf[i] = v;
  }
  /** The filled part, copied: the column goes on growing (a preview of a model being built). */
  copy(): Uint32Array {
    return copyPrefix(this.buf, this.length);
  }
  /** The filled part, as an array that owns its buffer. */
  finish(): Uint32Array {
    const out = trimTo(this.buf, Uint32Array, this.length);
    this.buf = reserve(Uint32Array, 0, 0);
    this.length = 0;
    return out;
  }
}

/** Growable Uint16Array column (amortized O(1) push, exact-length `finish`). */
export class U16Col {
  buf: Uint16Array;
  length = 0;
  constructor(
    initial = 256,
    private readonly max = DEFAULT_MAX_ROWS,
  ) {
    this.buf = reserve(Uint16Array, initial, max);
  }
  push(v: number): number {
    const i = this.length;
    if (i === this.buf.length)
      this.buf = growTo(this.buf, Uint16Array, grownLength(i, i + 1), this.max);
    this.buf[i] = v;
    return this.length++;
  }
  get(i: number): number {
    return this.buf[i] as number;
  }
  set(i: number, v: number): void {
    this.buf[i] = v;
  }
  /** The filled part, copied: the column goes on growing (a preview of a model being built). */
  copy(): Uint16Array {
    return copyPrefix(this.buf, this.length);
  }
  /** The filled part, as an array that owns its buffer. */
  finish(): Uint16Array {
    const out = trimTo(this.buf, Uint16Array, this.length);
    this.buf = reserve(Uint16Array, 0, 0);
    this.length = 0;
    return out;
  }
}

/** Growable Uint8Array column (amortized O(1) push, exact-length `finish`). */
export class U8Col {
  buf: Uint8Array;
  length = 0;
  constructor(
    initial = 256,
    private readonly max = DEFAULT_MAX_ROWS,
  ) {
    this.buf = reserve(Uint8Array, initial, max);
  }
  push(v: number): number {
    const i = this.length;
    if (i === this.buf.length)
      this.buf = growTo(this.buf, Uint8Array, grownLength(i, i + 1), this.max);
    this.buf[i] = v;
    return this.length++;
  }
  get(i: number): number {
    return this.buf[i] as number;
  }
  set(i: number, v: number): void {
    this.buf[i] = v;
  }
  /** The filled part, copied: the column goes on growing (a preview of a model being built). */
  copy(): Uint8Array {
    return copyPrefix(this.buf, this.length);
  }
  /** The filled part, as an array that owns its buffer. */
  finish(): Uint8Array {
    const out = trimTo(this.buf, Uint8Array, this.length);
    this.buf = reserve(Uint8Array, 0, 0);
    this.length = 0;
    return out;
  }
}

// ---------------------------------------------------------------- grouping rows

// Scatters rows to their grouped places. One function per element type: a generic one would be
// polymorphic at its hot store and several times slower.

/**
 * Scatters 32-bit half `half` (0 or 1) of each 8-byte element of `words` (a Uint32Array view of a
 * Float64Array) through `tmp`, and writes it back in its new order.
 */
export function scatterHalf(
  words: Uint32Array,
  half: number,
  tmp: Uint32Array,
  dest: Uint32Array,
): void {
  const n = tmp.length;
  for (let i = 0; i < n; i++) tmp[dest[i] as number] = words[2 * i + half] as number;
  for (let i = 0; i < n; i++) words[2 * i + half] = tmp[i] as number;
}

export function scatterF64(src: Float64Array, out: Float64Array, dest: Uint32Array): Float64Array {
  const n = out.length;
  for (let i = 0; i < n; i++) out[dest[i] as number] = src[i] as number;
  return out;
}

export function scatterI32(src: Int32Array, out: Int32Array, dest: Uint32Array): Int32Array {
  const n = out.length;
  for (let i = 0; i < n; i++) out[dest[i] as number] = src[i] as number;
  return out;
}

export function scatterU16(src: Uint16Array, out: Uint16Array, dest: Uint32Array): Uint16Array {
  const n = out.length;
  for (let i = 0; i < n; i++) out[dest[i] as number] = src[i] as number;
  return out;
}

export function scatterI16(src: Int16Array, out: Int16Array, dest: Uint32Array): Int16Array {
  const n = out.length;
  for (let i = 0; i < n; i++) out[dest[i] as number] = src[i] as number;
  return out;
}

export function scatterU8(src: Uint8Array, out: Uint8Array, dest: Uint32Array): Uint8Array {
  const n = out.length;
  for (let i = 0; i < n; i++) out[dest[i] as number] = src[i] as number;
  return out;
}

/** Counting-sort destinations grouping rows by `key` (stable), and the group offsets. */
export function groupBy(
  keyOf: (i: number) => number,
  rows: number,
  groups: number,
): { offsets: Uint32Array; dest: Uint32Array } {
  const offsets = new Uint32Array(groups + 1);
  for (let i = 0; i < rows; i++) {
    const k = keyOf(i) + 1;
    offsets[k] = (offsets[k] as number) + 1;
  }
  for (let k = 0; k < groups; k++) {
    offsets[k + 1] = (offsets[k + 1] as number) + (offsets[k] as number);
  }
  const cursor = offsets.slice(0, groups);
  const dest = new Uint32Array(rows);
  for (let i = 0; i < rows; i++) {
    const k = keyOf(i);
    const d = cursor[k] as number;
    dest[i] = d;
    cursor[k] = d + 1;
  }
  return { offsets, dest };
}

interface Finishable {
  length: number;
  finish(): Float64Array | Int32Array | Uint32Array | Uint16Array | Uint8Array;
  copy(): Float64Array | Int32Array | Uint32Array | Uint16Array | Uint8Array;
}
type Finished<C> = { length: number } & {
  [K in keyof C]: C[K] extends { finish(): infer T } ? T : never;
};

/** The columns' filled parts (spent, or copied with `copy` so that they go on growing). */
export function finishColumns<C extends Record<string, Finishable>>(
  cols: C,
  copy = false,
): Finished<C> {
  const out: Record<string, unknown> = {};
  let length = 0;
  for (const [k, c] of Object.entries(cols)) {
    length = c.length;
    out[k] = copy ? c.copy() : c.finish();
  }
  out.length = length;
  return out as Finished<C>;
}
