import { describe, expect, it } from 'vitest';
import {
  buildMmuCurve,
  logWindows,
  mmu,
  mutatorUtilization,
  worstWindows,
  type UtilSeries,
} from './mmu';
import { traceOf, type TestTrace } from './testTrace';

const plain = (s: UtilSeries[]): Array<Array<[number, number]>> =>
  s.map((x) => Array.from(x.time, (t, k) => [t, x.util[k] as number] as [number, number]));

// Two Ps. A GC stop-the-world [10, 20]; a dedicated mark worker (G100) running on P0 from 30,
// labelled at 31 (Go counts it from the label), parked at 50; G200 running on P1 assists [40, 45].
const base: TestTrace = {
  end: 100,
  syncs: [0],
  gomaxprocs: [{ t: 0, n: 2 }],
  events: [
    { t: 1, g: 100, state: 'runnable', parent: -1, stack: 'runtime.gcBgMarkWorker' },
    { t: 5, g: 200, state: 'running', status: true, p: 1, stack: 'main.work' },
    { t: 30, g: 100, state: 'running', p: 0 },
    { t: 50, g: 100, state: 'waiting', reason: 'GC worker (idle)', p: 0 },
  ],
  labels: [{ t: 31, g: 100, label: 'GC (dedicated)' }],
  ranges: [
    { kind: 'stw', start: 10, end: 20, g: 200, name: 'GC sweep termination' },
    { kind: 'assist', start: 40, end: 45, g: 200 },
  ],
};

describe('mutator utilization (Go internal/trace/gc.go)', () => {
  it('is 1 - (Ps doing GC) / GOMAXPROCS, 0 in a GC stop-the-world, 0 at the end', () => {
    const { m } = traceOf(base);
    expect(plain(mutatorUtilization(m))).toEqual([
      [
        [0, 1],
        [10, 0],
        [20, 1],
        [31, 0.5],
        [40, 0],
        [45, 0.5],
        [50, 1],
        [100, 0],
      ],
    ]);
  });

  it('honours the options: without assists and workers only the pause counts', () => {
    const { m } = traceOf(base);
    expect(plain(mutatorUtilization(m, { stw: true }))).toEqual([
      [
        [0, 1],
        [10, 0],
        [20, 1],
        [100, 0],
      ],
    ]);
    // A non-GC stop-the-world does not count.
    const other = traceOf({
      ...base,
      ranges: [{ kind: 'stw', start: 10, end: 20, g: 200, name: 'goroutine profile' }],
    });
    expect(plain(mutatorUtilization(other.m, { stw: true }))).toEqual([
      [
        [0, 1],
        [100, 0],
      ],
    ]);
  });

  it('per P: one 0/1 series per P, without dedicated workers', () => {
    // Go leaves "GC (dedicated)" workers out per P: they take their P from every goroutine.
    const { m } = traceOf(base);
    expect(
      plain(mutatorUtilization(m, { stw: true, background: true, assist: true, perProc: true })),
    ).toEqual([
      [
        [0, 1],
        [10, 0],
        [20, 1],
        [100, 0],
      ],
      [
        [0, 1],
        [10, 0],
        [20, 1],
        [40, 0],
        [45, 1],
        [100, 0],
      ],
    ]);
  });

  it("keeps Go's double count of a worker's label from its second start on", () => {
    // The worker runs again on P1 at 60 (labelled at 61) and parks at 70: Go adds 1 at the start
    // (it is a known worker now) and 1 at the label, and takes 1 at the stop: P1 stays busy.
    const again: TestTrace = {
      ...base,
      events: [
        ...base.events,
        { t: 55, g: 100, state: 'runnable', p: 1 },
        { t: 60, g: 100, state: 'running', p: 1 },
        { t: 70, g: 100, state: 'waiting', reason: 'GC worker (idle)', p: 1 },
      ],
      labels: [...(base.labels ?? []), { t: 61, g: 100, label: 'GC (fractional)' }],
    };
    const { m } = traceOf(again);
    const go = plain(mutatorUtilization(m))[0]!;
    expect(go.slice(-3)).toEqual([
      [50, 1],
      [60, 0.5],
      [100, 0],
    ]);
    const fixed = plain(
      mutatorUtilization(m, { stw: true, background: true, assist: true, fixWorkerLabels: true }),
    )[0]!;
    expect(fixed.slice(-4)).toEqual([
      [50, 1],
      [60, 0.5],
      [70, 1],
      [100, 0],
    ]);
  });

  it('is empty without GOMAXPROCS', () => {
    const { m } = traceOf({ ...base, gomaxprocs: [] });
    expect(mutatorUtilization(m)).toEqual([]);
  });
});

describe('MMU curve (Go MMUCurve)', () => {
  const { m } = traceOf(base);
  const curve = buildMmuCurve(mutatorUtilization(m));

  it('gives the minimum mean utilization over windows (hand-computed)', () => {
    // 10 ns: the pause [10, 20]. 20 ns: [30, 50] = (1*1 + 9*0.5 + 5*0 + 5*0.5) / 20 = 0.4.
    // 80 ns: [0, 80] = (10 + 0 + 11 + 4.5 + 0 + 2.5 + 30) / 80 = 0.725 ([20, 100] has 0.85).
    // The whole 100 ns: 78 / 100.
    expect(mmu(curve, 10)).toBe(0);
    expect(mmu(curve, 20)).toBeCloseTo(0.4, 12);
    expect(mmu(curve, 80)).toBeCloseTo(0.725, 12);
    expect(mmu(curve, 100)).toBeCloseTo(0.78, 12);
    // A window longer than the curve is cut to it; none is 0.
    expect(mmu(curve, 1000)).toBeCloseTo(0.78, 12);
    expect(mmu(curve, 0)).toBe(0);
  });

  it('lists the worst windows, lowest first', () => {
    const w = worstWindows(curve, 10, 3);
    expect(w[0]).toEqual({ startNs: 10, endNs: 20, utilization: 0 });
    // [35, 45] and [39, 49] both average 0.25. Go keeps a new window unless the first window it
    // finds overlapping it is as low (Examples says "disjoint"; the check stops at the first
    // overlap), and this port does exactly what Go does (see goToolTrace.test.ts).
    expect(w.map((x) => [x.startNs, x.utilization])).toEqual([
      [10, 0],
      [35, 0.25],
      [39, 0.25],
    ]);
  });

  it('spaces windows on a log axis', () => {
    const ws = logWindows(1000, 1e9, 7);
    expect(ws).toEqual([1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000]);
  });
});
