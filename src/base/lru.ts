// The one cache policy of the code base: a least-recently-used map bounded by entry count and,
// optionally, by bytes. Whoever owns the data owns its cache (the engine keeps one for query
// results and one per file for derived indexes); no module keeps a cache of its own.

export interface LruOptions<K, V> {
  /** Most entries kept (default: unbounded). */
  maxEntries?: number;
  /** Most bytes kept, as `sizeOf` counts them (default: unbounded). */
  maxBytes?: number;
  /** Bytes an entry holds (default: `byteSize`). Only called when `maxBytes` is set. */
  sizeOf?: (value: V, key: K) => number;
}

/**
 * A Map that forgets its least recently used entries beyond `maxEntries` or `maxBytes`. The entry
 * just set is never evicted, even when it alone is over the byte bound (the caller asked for it).
 */
export class Lru<K, V> {
  private readonly map = new Map<K, { value: V; bytes: number }>();
  private total = 0;
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  private readonly sizeOf: (value: V, key: K) => number;

  constructor(options: LruOptions<K, V> = {}) {
    this.maxEntries = options.maxEntries ?? Infinity;
    this.maxBytes = options.maxBytes ?? Infinity;
    this.sizeOf = options.sizeOf ?? ((v) => byteSize(v));
  }

  get size(): number {
    return this.map.size;
  }

  /** Bytes held (0 unless the cache is bounded by bytes). */
  get bytes(): number {
    return this.total;
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  /** The value, now the most recently used; undefined when absent. */
  get(key: K): V | undefined {
    const e = this.map.get(key);
    if (e === undefined) return undefined;
    this.map.delete(key);
    this.map.set(key, e);
    return e.value;
  }

  set(key: K, value: V): void {
    this.delete(key);
    const bytes = this.maxBytes === Infinity ? 0 : this.sizeOf(value, key);
    this.map.set(key, { value, bytes });
    this.total += bytes;
    // Oldest first (a Map iterates in insertion order); the new entry is last and stays.
    for (const [k, e] of this.map) {
      if (this.map.size <= this.maxEntries && this.total <= this.maxBytes) break;
      if (k === key) break;
      this.map.delete(k);
      this.total -= e.bytes;
    }
  }

  /** The cached value, or `make()` cached under `key`. */
  getOrCreate(key: K, make: () => V): V {
    const e = this.map.get(key);
    if (e !== undefined) {
      this.map.delete(key);
      this.map.set(key, e);
      return e.value;
    }
    const value = make();
    this.set(key, value);
    return value;
  }

  delete(key: K): boolean {
    const e = this.map.get(key);
    if (e === undefined) return false;
    this.map.delete(key);
    this.total -= e.bytes;
    return true;
  }

  /** Deletes every entry whose key passes the test (e.g. the results of a removed file). */
  deleteWhere(test: (key: K) => boolean): void {
    for (const k of [...this.map.keys()]) if (test(k)) this.delete(k);
  }

  clear(): void {
    this.map.clear();
    this.total = 0;
  }

  keys(): IterableIterator<K> {
    return this.map.keys();
  }
}

/**
 * A memo function: the value cached under `key`, or `make()` cached there. Analyses that build
 * intermediate products worth reusing take one from their caller (the engine binds it to an LRU
 * per file); `noMemo` builds every time.
 */
export type Memo = <T>(key: string, make: () => T) => T;

export const noMemo: Memo = (_key, make) => make();

/**
 * About how many bytes a value holds: typed arrays by their byte length (a view counted once per
 * buffer), strings at two bytes a character, 8 per number, 32 per object; nested up to 8 levels.
 * An estimate for cache bounds, not an exact count.
 */
export function byteSize(value: unknown): number {
  const seen = new Set<unknown>();
  const visit = (v: unknown, depth: number): number => {
    if (v === null || v === undefined) return 0;
    switch (typeof v) {
      case 'number':
      case 'boolean':
        return 8;
      case 'bigint':
        return 16;
      case 'string':
        return 16 + 2 * v.length;
      case 'object':
        break;
      default:
        return 0;
    }
    if (seen.has(v) || depth > 8) return 0;
    seen.add(v);
    if (ArrayBuffer.isView(v)) {
      if (seen.has(v.buffer)) return 0;
      seen.add(v.buffer);
      return v.byteLength;
    }
    let n = 32;
    if (Array.isArray(v)) {
      for (const x of v) n += visit(x, depth + 1);
      return n;
    }
    if (v instanceof Map) {
      for (const [k, x] of v) n += visit(k, depth + 1) + visit(x, depth + 1);
      return n;
    }
    if (v instanceof Set) {
      for (const x of v) n += visit(x, depth + 1);
      return n;
    }
    for (const x of Object.values(v as object)) n += visit(x, depth + 1);
    return n;
  };
  return visit(value, 0);
}
