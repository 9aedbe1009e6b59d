// IDs from a file to small indexes: the one "array for small ids, map above" table of the
// decoders (formats/) and the model builders (model/).
//
// The IDs decoders look up are mostly small and dense: Go hands out goroutine IDs in sequence
// from 1 (runtime/proc.go goidgen), P IDs are 0..GOMAXPROCS-1, a trace's string and stack IDs
// count up from 1 in each generation, pprof's ids from 1. Those live in an Int32Array indexed by
// ID, which grows by doubling up to `denseMax` entries; anything else (huge IDs of long-running
// programs, negative or fractional values from damaged files, pprof ids past 2^53 kept as exact
// decimal strings) goes to a Map. A Map through which 100k goroutines are created and destroyed
// rehashes over and over; the array does not.

/** Entries of the dense part by default: 2^21 IDs, 8 MiB at most. */
const DENSE_MAX = 1 << 21;

export class IdIndex {
  private dense: Int32Array;
  private sparse: Map<number | string, number> | null = null;
  private readonly denseMax: number;

  /**
   * `initial`: IDs the dense part holds from the start (e.g. a table's declared count);
   * `absent`: what `get` gives for an ID without a value (-1 unless values may be -1).
   */
  constructor(
    initial = 64,
    denseMax = DENSE_MAX,
    private readonly absent = -1,
  ) {
    this.denseMax = Math.max(denseMax, initial);
    this.dense = new Int32Array(Math.max(1, initial)).fill(absent);
  }

  /** The value of `id`, or `absent`. */
  get(id: number): number {
    // Out of range, negative and fractional IDs read as undefined from the typed array.
    const v = this.dense[id];
    return v !== undefined ? v : this.getSlow(id);
  }

  private getSlow(id: number | string): number {
    return this.sparse?.get(id) ?? this.absent;
  }

  has(id: number): boolean {
    return this.get(id) !== this.absent;
  }

  /** Calls `f` for every ID with a value: dense IDs ascending, then the others. */
  forEach(f: (v: number, id: number) => void): void {
    const d = this.dense;
    for (let id = 0; id < d.length; id++) {
      const v = d[id] as number;
      if (v !== this.absent) f(v, id);
    }
    this.sparse?.forEach((v, id) => {
      if (typeof id === 'number') f(v, id);
    });
  }

  /** Sets the value of `id` (an int32; `absent` deletes it). */
  set(id: number, value: number): void {
    if (dense(id, this.denseMax)) {
      if (id >= this.dense.length) this.grow(id);
      this.dense[id] = value;
      return;
    }
    (this.sparse ??= new Map()).set(id, value);
  }

  delete(id: number): void {
    if (id >= 0 && id < this.dense.length && id % 1 === 0) this.dense[id] = this.absent;
    else this.sparse?.delete(id);
  }

  /** `get` for keys that may be exact decimal strings (pprof ids past 2^53). */
  getKey(key: number | string): number {
    return typeof key === 'number' ? this.get(key) : this.getSlow(key);
  }

  /** `set` for keys that may be exact decimal strings. */
  setKey(key: number | string, value: number): void {
    if (typeof key === 'number') this.set(key, value);
    else (this.sparse ??= new Map()).set(key, value);
  }

  private grow(id: number): void {
    let n = this.dense.length * 2;
    while (n <= id) n *= 2;
    const next = new Int32Array(Math.min(n, this.denseMax)).fill(this.absent);
    next.set(this.dense);
    this.dense = next;
  }
}

function dense(id: number, max: number): boolean {
  return id >= 0 && id < max && id % 1 === 0;
}

/**
 * Objects by ID (the decoders' per-goroutine state): the same policy as IdIndex, with the objects
 * themselves in the dense part (a JS array kept without holes, so V8 keeps it fast).
 */
export class IdTable<T> {
  private readonly dense: Array<T | undefined> = [];
  private sparse: Map<number, T> | null = null;

  get(id: number): T | undefined {
    if (id >= 0 && id < this.dense.length) return this.dense[id];
    return id < DENSE_MAX && id >= 0 ? undefined : this.sparse?.get(id);
  }

  has(id: number): boolean {
    return this.get(id) !== undefined;
  }

  set(id: number, v: T): void {
    if (dense(id, DENSE_MAX)) {
      const d = this.dense;
      while (d.length < id) d.push(undefined); // no holes
      d[id] = v;
    } else {
      (this.sparse ??= new Map()).set(id, v);
    }
  }

  delete(id: number): void {
    if (id >= 0 && id < this.dense.length && id % 1 === 0) this.dense[id] = undefined;
    else this.sparse?.delete(id);
  }

  /** Calls `f` for every entry: dense IDs ascending, then the others in insertion order. */
  forEach(f: (v: T, id: number) => void): void {
    const d = this.dense;
    for (let id = 0; id < d.length; id++) {
      const v = d[id];
      if (v !== undefined) f(v, id);
    }
    this.sparse?.forEach(f);
  }
}
