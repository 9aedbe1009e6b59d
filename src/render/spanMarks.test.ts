// spanMarks with a longestSpanIndex against the plain scan, on spans that do not overlap: crowded
// pixels, wide spans, gaps, views cutting spans at both edges.

import { describe, expect, it } from 'vitest';
import { seededRandom } from '../analysis/stackSetText';
import { longestSpanIndex } from '../base/longestSpan';
import { lowerBound } from '../base/search';
import { spanMarks, type SpanMarks } from './spanMarks';
import { TimeScale } from './timeScale';

function laneSpans(n: number, r: () => number): { start: Float64Array; end: Float64Array } {
  const start = new Float64Array(n);
  const end = new Float64Array(n);
  let t = r() * 100;
  for (let i = 0; i < n; i++) {
    // Mostly bursts of tiny runs, some long runs, some long gaps; zero-length ones too.
    const kind = r();
    const len = kind < 0.8 ? Math.floor(r() * 4) : kind < 0.95 ? r() * 5_000 : r() * 200_000;
    start[i] = t;
    end[i] = t + len;
    t = end[i]! + (r() < 0.9 ? Math.floor(r() * 3) : r() * 50_000);
  }
  return { start, end };
}

const plain = (m: SpanMarks) =>
  Array.from({ length: m.length }, (_, k) => [m.x[k], m.w[k], m.item[k], m.merged[k]]);

describe('spanMarks with a longest-span index', () => {
  it('gives the marks of the plain scan, at every zoom', () => {
    const r = seededRandom(11);
    for (let lane = 0; lane < 6; lane++) {
      const { start, end } = laneSpans(20_000 + Math.floor(r() * 20_000), r);
      const index = longestSpanIndex(start, end);
      const last = end[end.length - 1]!;
      for (let v = 0; v < 40; v++) {
        const span = last * Math.pow(10, -r() * 5);
        const s0 = -span * 0.1 + r() * (last - span * 0.8);
        const scale = new TimeScale(
          s0,
          s0 + span,
          150 + Math.floor(r() * 3) * 0.5,
          800 + r() * 800,
        );
        const lo = lowerBound(end, scale.startNs);
        const want = plain(spanMarks(start, end, lo, start.length, scale));
        const got = plain(spanMarks(start, end, lo, start.length, scale, undefined, index));
        expect(got, `lane ${lane} view ${v}`).toEqual(want);
      }
    }
  });

  it('sums a crowded pixel up by the first longest span, with the index or without', () => {
    // 100 runs of 0.01 ns in pixel 0 (10 ns per px), the 40th and 70th twice as long; then a
    // wide one.
    const n = 101;
    const start = new Float64Array(n);
    const end = new Float64Array(n);
    for (let i = 0; i < 100; i++) {
      start[i] = i * 0.09;
      end[i] = start[i]! + (i === 40 || i === 70 ? 0.02 : 0.01);
    }
    start[100] = 20;
    end[100] = 50;
    const scale = new TimeScale(0, 1000, 0, 100);
    for (const index of [undefined, longestSpanIndex(start, end)]) {
      const m = spanMarks(start, end, 0, n, scale, undefined, index);
      expect(plain(m)).toEqual([
        [0, 1, 40, 1],
        [2, 3, 100, 0],
      ]);
    }
  });
});
