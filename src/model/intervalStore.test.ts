// The interval store groups rows by goroutine; the wakers, kept apart from the per-row columns
// (most intervals have none), must follow their rows.

import { describe, expect, it } from 'vitest';
import { seededRandom } from '../analysis/stackSetText';
import { IntervalStore } from './intervalStore';
import { wakerOf } from './trace';

interface Row {
  g: number;
  t: number;
  waker: number;
}

function fill(store: IntervalStore, rows: readonly Row[]): void {
  for (const r of rows) store.add(r.g, r.t, 2, 0, 0, r.t % 7, r.waker, r.t % 3);
}

/** Each goroutine's rows in event order, goroutine after goroutine: what the store must give. */
function grouped(rows: readonly Row[], n: number): Row[] {
  const out: Row[] = [];
  for (let g = 0; g < n; g++) out.push(...rows.filter((r) => r.g === g));
  return out;
}

function randomRows(count: number, goroutines: number, seed: number): Row[] {
  const rand = seededRandom(seed);
  return Array.from({ length: count }, (_, t) => ({
    g: Math.floor(rand() * goroutines),
    t,
    waker: rand() < 0.16 ? Math.floor(rand() * goroutines) : -1,
  }));
}

describe('IntervalStore wakers', () => {
  it('follow their rows when the rows are grouped by goroutine', () => {
    const rows: Row[] = [
      { g: 1, t: 0, waker: -1 },
      { g: 0, t: 1, waker: 2 },
      { g: 1, t: 2, waker: 0 },
      { g: 2, t: 3, waker: -1 },
      { g: 0, t: 4, waker: -1 },
      { g: 2, t: 5, waker: 1 },
      { g: 1, t: 6, waker: 2 },
    ];
    const store = new IntervalStore(100);
    fill(store, rows);
    const { offsets, intervals } = store.finish(3);
    expect([...offsets]).toEqual([0, 2, 5, 7]);
    expect([...intervals.start]).toEqual([1, 4, 0, 2, 6, 3, 5]);
    expect([...intervals.wakerAt]).toEqual([0, 3, 4, 6]);
    expect([...intervals.wakerG]).toEqual([2, 0, 2, 1]);
    expect([...intervals.wakerStart]).toEqual([0, 1, 3, 4]);
    const goroutine = [0, 0, 1, 1, 1, 2, 2];
    expect(goroutine.map((g, i) => wakerOf(intervals, g, i))).toEqual([2, -1, -1, 0, 2, -1, 1]);
  });

  it('across many flushes, in snapshots while rows keep coming, and in event order', () => {
    const n = 50;
    const rows = randomRows(30_000, n, 7);
    const store = new IntervalStore(rows.length);
    fill(store, rows.slice(0, 12_345));
    const snap = store.snapshot(n);
    fill(store, rows.slice(12_345));
    const check = (iv: typeof snap.intervals, want: Row[]) => {
      expect(iv.wakerStart.length).toBe(n + 1);
      expect(iv.length).toBe(want.length);
      expect([...iv.start]).toEqual(want.map((r) => r.t));
      expect(want.map((r, i) => wakerOf(iv, r.g, i))).toEqual(want.map((r) => r.waker));
      // Only rows with a waker are kept, in ascending order.
      expect(iv.wakerAt.length).toBe(want.filter((r) => r.waker >= 0).length);
      for (let k = 1; k < iv.wakerAt.length; k++)
        expect(iv.wakerAt[k]!).toBeGreaterThan(iv.wakerAt[k - 1]!);
    };
    check(snap.intervals, grouped(rows.slice(0, 12_345), n));
    check(store.finish(n).intervals, grouped(rows, n));

    const inOrder = new IntervalStore(rows.length);
    fill(inOrder, rows);
    expect([...inOrder.finishInOrder().waker]).toEqual(rows.map((r) => r.waker));
  });
});
