import { describe, expect, it } from 'vitest';
import { bucketMinNs, bucketRangeNs, histogramBucket, timeHistogram } from './histogram';

describe("go tool trace's duration histogram (traceviewer.TimeHistogram)", () => {
  it('puts d in bucket floor(ln d / ln 10^(1/5)), d <= 0 in bucket 0', () => {
    expect(histogramBucket(-5)).toBe(0);
    expect(histogramBucket(0)).toBe(0);
    expect(histogramBucket(1)).toBe(0);
    expect(histogramBucket(2)).toBe(1);
    // Boundaries at 10^(k/5): 10^3.2 = 1584.89 starts bucket 16. A power of ten itself lands one
    // bucket down (ln(1000) / ln(10^0.2) is 14.999... in float64): in Go too (checked with Go 1.27).
    expect(histogramBucket(999)).toBe(14);
    expect(histogramBucket(1000)).toBe(14);
    expect(histogramBucket(1001)).toBe(15);
    expect(histogramBucket(1584)).toBe(15);
    expect(histogramBucket(1585)).toBe(16);
    expect(histogramBucket(10_000)).toBe(19);
    expect(histogramBucket(10_001)).toBe(20);
    expect(histogramBucket(100_000_001)).toBe(40);
  });

  it("labels buckets as Go's pages do", () => {
    // Go prints these as 1µs, 10µs, 15.848µs, 100ms.
    expect(bucketMinNs(15)).toBe(1000);
    expect(bucketMinNs(20)).toBe(10_000);
    expect(bucketMinNs(21)).toBe(15_848);
    expect(bucketMinNs(40)).toBe(100_000_000);
    expect(bucketRangeNs(20)).toEqual({ minNs: 10_000, maxNs: 15_848 });
  });

  it('counts from the lowest to the highest non-empty bucket', () => {
    expect(timeHistogram([])).toEqual({ count: 0, firstBucket: 0, counts: [] });
    // ln(100) / ln(10^(1/5)) is 9.999... in float64, in Go as here: 100 ns is in bucket 9.
    expect(timeHistogram([40, 5, 41, 100, 1000])).toEqual({
      count: 5,
      firstBucket: 3,
      counts: [1, 0, 0, 0, 0, 2, 1, 0, 0, 0, 0, 1],
    });
  });
});
