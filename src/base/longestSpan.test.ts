import { describe, expect, it } from 'vitest';
import { seededRandom } from '../analysis/stackSetText';
import { longestSpan, longestSpanIndex } from './longestSpan';
import { gallop } from './search';

/** The first strictly longest span of [lo, hi), by a scan. */
function scanLongest(start: Float64Array, end: Float64Array, lo: number, hi: number): number {
  let best = -1;
  let bestNs = -1;
  for (let i = lo; i < hi; i++) {
    const d = end[i]! - start[i]!;
    if (d > bestNs) {
      best = i;
      bestNs = d;
    }
  }
  return best;
}

function spans(n: number, r: () => number): { start: Float64Array; end: Float64Array } {
  const start = new Float64Array(n);
  const end = new Float64Array(n);
  let t = 0;
  for (let i = 0; i < n; i++) {
    start[i] = t;
    // Few distinct lengths, so that ties are common and the first must win.
    end[i] = t + Math.floor(r() * 6);
    t = end[i]! + Math.floor(r() * 3);
  }
  return { start, end };
}

describe('longestSpan', () => {
  it('agrees with a scan on every size around the block edges, ties keeping the first', () => {
    const r = seededRandom(7);
    for (const n of [0, 1, 2, 31, 32, 33, 63, 64, 65, 1023, 1024, 1025, 33 * 32 + 5, 40_000]) {
      const { start, end } = spans(n, r);
      const index = longestSpanIndex(start, end);
      for (let q = 0; q < 300; q++) {
        const lo = Math.floor(r() * (n + 1));
        const hi = lo + Math.floor(r() * (n - lo + 1));
        expect(longestSpan(start, end, index, lo, hi), `n=${n} [${lo}, ${hi})`).toBe(
          scanLongest(start, end, lo, hi),
        );
      }
      expect(longestSpan(start, end, index, 0, n)).toBe(scanLongest(start, end, 0, n));
    }
  });

  it('takes about one Int32 per 31 spans', () => {
    const { start, end } = spans(100_000, seededRandom(1));
    const index = longestSpanIndex(start, end);
    // 3125 + 98 + 4 entries
    expect(index.length).toBe(3227);
  });
});

describe('gallop', () => {
  it('finds where a prefix predicate stops holding, near or far', () => {
    const r = seededRandom(3);
    for (let t = 0; t < 500; t++) {
      const lo = Math.floor(r() * 50);
      const hi = lo + Math.floor(r() * 2000);
      const answer = lo + Math.floor(r() * (hi - lo + 1));
      let calls = 0;
      const got = gallop(lo, hi, (i) => {
        calls++;
        expect(i >= lo && i < hi).toBe(true);
        return i < answer;
      });
      expect(got).toBe(answer);
      expect(calls).toBeLessThanOrEqual(2 * Math.log2(answer - lo + 2) + 2);
    }
  });
});
