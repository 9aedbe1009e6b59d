import { describe, expect, it } from 'vitest';
import { bestOffset, countInside, type RunningIntervals } from './align';

/** Running intervals per goroutine from a compact description. */
function running(spec: Record<number, Array<[number, number]>>): RunningIntervals {
  const m = new Map<number, { starts: Float64Array; ends: Float64Array }>();
  for (const [g, iv] of Object.entries(spec)) {
    m.set(Number(g), {
      starts: Float64Array.from(iv.map((x) => x[0])),
      ends: Float64Array.from(iv.map((x) => x[1])),
    });
  }
  return { get: (g) => m.get(g) };
}

function lines(spec: Array<[number, number]>) {
  return {
    goroutine: Float64Array.from(spec.map((x) => x[0])),
    timeNs: Float64Array.from(spec.map((x) => x[1])),
  };
}

describe('bestOffset (exact sweep)', () => {
  // Goroutine 1 runs at [1000,1100] and [5000,5100]; goroutine 2 at [3000,3010].
  const r = running({
    1: [
      [1000, 1100],
      [5000, 5100],
    ],
    2: [[3000, 3010]],
  });

  it('finds the offset of a shifted log exactly', () => {
    // The log was recorded with its clock 700 ns behind: lines at 350, 2305, 4350.
    const l = lines([
      [1, 350],
      [2, 2305],
      [1, 4350],
    ]);
    const fit = bestOffset(l, r, -10_000, 10_000)!;
    expect(fit.inside).toBe(3);
    expect(fit.total).toBe(3);
    // All three fit for offsets in [695, 705] (g2's 10 ns window is the tightest).
    expect(fit.range).toEqual([695, 705]);
    expect(fit.offsetNs).toBe(700);
    expect(countInside(l, r, fit.offsetNs)).toEqual({ inside: 3, total: 3 });
  });

  it('reports a low share for lines from another run', () => {
    const l = lines([
      [1, 0],
      [1, 17],
      [2, 999],
      [1, 123_456],
      [2, 7],
    ]);
    const fit = bestOffset(l, r, -10_000, 10_000)!;
    expect(fit.inside / fit.total).toBeLessThan(0.5);
  });

  it('ignores lines without timestamps and goroutines the trace never ran', () => {
    const l = lines([
      [1, NaN],
      [9, 10],
      [1, 1050],
    ]);
    const fit = bestOffset(l, r, -100, 100)!;
    expect(fit.total).toBe(2);
    expect(fit.inside).toBe(1);
    expect(bestOffset(lines([[9, 1]]), r, -100, 100)).toBeNull();
  });
});
