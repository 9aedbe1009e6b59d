import { describe, expect, it } from 'vitest';
import { DemandTreap } from './whyTreap';

/** A deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The (key, weight) pairs of a tree in key order, read through its structure. */
function items(t: DemandTreap, root: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const walk = (n: number): void => {
    if (n < 0) return;
    walk(t.left[n]!);
    out.push([t.key[n]!, t.weight[n]!]);
    walk(t.right[n]!);
  };
  walk(root);
  return out;
}

/** The multiset as the tree must hold it: one (key, total weight) per key, in key order. */
const byKey = (xs: Array<[number, number]>): Array<[number, number]> => {
  const m = new Map<number, number>();
  for (const [k, c] of xs) m.set(k, (m.get(k) ?? 0) + c);
  return [...m].sort((a, b) => a[0] - b[0]);
};

const depth = (t: DemandTreap, n: number): number =>
  n < 0 ? 0 : 1 + Math.max(depth(t, t.left[n]!), depth(t, t.right[n]!));

describe('the demand treap', () => {
  it('splits, unions and sums like a sorted list, equal keys folded into one node', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const r = rng(seed);
      const t = new DemandTreap();
      const make = (n: number): { root: number; list: Array<[number, number]> } => {
        let root = -1;
        const list: Array<[number, number]> = [];
        for (let i = 0; i < n; i++) {
          const k = Math.floor(r() * 50);
          const c = 1 + Math.floor(r() * 3);
          root = r() < 0.5 ? t.insert(root, k, c) : t.union(root, t.node(k, c));
          list.push([k, c]);
        }
        return { root, list };
      };
      const a = make(Math.floor(r() * 300));
      const b = make(Math.floor(r() * 300));
      let u = t.union(a.root, b.root);
      const all = [...a.list, ...b.list];
      expect(items(t, u)).toEqual(byKey(all));
      expect(t.totalC(u)).toBe(all.reduce((s, x) => s + x[1], 0));
      expect(t.totalCL(u)).toBe(all.reduce((s, x) => s + x[0] * x[1], 0));
      const x = Math.floor(r() * 50);
      expect(t.weightUpTo(u, x)).toBe(all.filter((p) => p[0] <= x).reduce((s, p) => s + p[1], 0));
      expect(t.minKey(u)).toBe(all.length ? Math.min(...all.map((p) => p[0])) : Infinity);
      for (const inclusive of [false, true]) {
        t.split(u, x, inclusive);
        const lo = items(t, t.lo);
        const hi = items(t, t.hi);
        const below = (k: number): boolean => k < x || (inclusive && k === x);
        expect(lo.every((p) => below(p[0]))).toBe(true);
        expect(hi.every((p) => !below(p[0]))).toBe(true);
        expect([...lo, ...hi]).toEqual(byKey(all));
        expect(t.totalC(t.lo)).toBe(all.filter((p) => below(p[0])).reduce((s, p) => s + p[1], 0));
        expect(t.totalCL(t.hi)).toBe(
          all.filter((p) => !below(p[0])).reduce((s, p) => s + p[0] * p[1], 0),
        );
        // Put back together for the next split.
        u = t.union(t.lo, t.hi);
        expect(items(t, u)).toEqual(byKey(all));
      }
    }
  });

  it('stays shallow when keys arrive in order (a handoff chain inserts them so)', () => {
    const t = new DemandTreap();
    let root = -1;
    for (let i = 0; i < 100_000; i++) root = t.union(root, t.node(i, 1));
    expect(depth(t, root)).toBeLessThan(60);
    expect(t.totalC(root)).toBe(100_000);
  });

  it('stays shallow when many endpoints share a key (the goroutines behind one wait)', () => {
    // One waker's wait receives a piece from each goroutine it held up, all from its start: as
    // separate nodes these made a chain 20,000 deep, and the recursive union overflowed.
    const t = new DemandTreap();
    let root = -1;
    for (let i = 0; i < 100_000; i++) root = t.union(t.node(i % 3 === 0 ? 7 : 5, 1), root);
    expect(items(t, root)).toEqual([
      [5, 66_666],
      [7, 33_334],
    ]);
    expect(depth(t, root)).toBe(2);
    expect(t.totalCL(root)).toBe(5 * 66_666 + 7 * 33_334);
  });
});
