import { describe, expect, it } from 'vitest';
import { orderByKey } from './order';

/** The reference: a comparator sort, ties by position. */
function reference(keys: Float64Array): number[] {
  return Array.from(keys, (_, i) => i).sort((a, b) => keys[a]! - keys[b]! || a - b);
}

/** A deterministic pseudo-random sequence (xorshift32). */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
}

describe('orderByKey', () => {
  const cases: Array<[string, (r: () => number, i: number) => number, number]> = [
    ['spread starts', (r) => Math.floor(r() * 4e9), 5000],
    ['many ties', (r) => Math.floor(r() * 20), 3000],
    ['negative and positive', (r) => Math.floor((r() - 0.3) * 1e6), 4000],
    ['one outlier crowds the rest into one bucket', (r, i) => (i === 7 ? 1e15 : r() * 1e6), 2000],
    ['already sorted runs', (_r, i) => (i % 100) * 10 + Math.floor(i / 100), 3000],
    ['small', (r) => r(), 10],
    ['all equal', () => 5, 1000],
  ];
  for (const [name, make, n] of cases) {
    it(`${name}: the comparator sort's order, ties kept`, () => {
      const r = rng(n);
      const keys = Float64Array.from({ length: n }, (_, i) => make(r, i));
      expect(Array.from(orderByKey(keys))).toEqual(reference(keys));
    });
  }

  it('puts NaN keys last without losing any', () => {
    const keys = Float64Array.from({ length: 300 }, (_, i) => (i % 7 === 0 ? NaN : 300 - i));
    const order = Array.from(orderByKey(keys));
    expect(new Set(order).size).toBe(300);
    const nan = order.filter((i) => Number.isNaN(keys[i]!));
    expect(order.slice(order.length - nan.length)).toEqual(nan);
  });
});
