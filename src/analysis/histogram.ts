// Duration histograms with go tool trace's log buckets: five buckets per power of ten, bucket i
// holding the durations d with floor(ln(d) / ln(10^(1/5))) == i, and d <= 0 in bucket 0 (Go
// src/internal/trace/traceviewer/histogram.go, go1.27: TimeHistogram.Add, BucketMin). The task and
// region tables, and the goroutine groups, use these; testdata/ANALYSIS.md compares them bucket
// by bucket with Go's own pages.
//
// Go computes the bucket with math.Log; V8's Math.log is fdlibm's. The two were checked to agree
// on every integer within 3 ns of each bucket boundary 10^(k/5) for k = 0..70 (durations up to
// 10^14 ns): that is where a last-bit difference could move a duration across a boundary. (Both
// put an exact power of ten one bucket down: ln(1000) / ln(10^0.2) is 14.999... in float64, so
// 1 us is in the bucket Go labels 630.957µs.)
//
// One deliberate difference: Go's MinBucket is set when the first sample arrives while MaxBucket
// is still 0, so when the first samples land in bucket 0 (durations of 1 ns or less) a later
// sample moves MinBucket up and bucket 0 drops out of the page, depending on Go's map iteration
// order. Here `firstBucket` is always the lowest non-empty bucket.

/** A histogram of durations (plain data). `counts[k]` is bucket `firstBucket + k`. */
export interface TimeHistogram {
  /** Number of durations added. */
  count: number;
  /** Lowest non-empty bucket (0 when empty). */
  firstBucket: number;
  /** Counts from `firstBucket` to the highest non-empty bucket (empty when count is 0). */
  counts: number[];
}

/** ln(10^(1/5)): five buckets for every power of 10 (Go's logDiv). */
const LOG_DIV = Math.log(Math.pow(10, 1 / 5));

/** Go's bucket of a duration in ns. */
export function histogramBucket(d: number): number {
  return d > 0 ? Math.trunc(Math.log(d) / LOG_DIV) : 0;
}

/** The smallest duration of bucket `i` (ns), as Go labels it: time.Duration(exp(i * logDiv)). */
export function bucketMinNs(i: number): number {
  return Math.trunc(Math.exp(i * LOG_DIV));
}

/** The duration range [min, max) bucket `i` covers, as Go links it (latmin/latmax). */
export function bucketRangeNs(i: number): { minNs: number; maxNs: number } {
  return { minNs: bucketMinNs(i), maxNs: bucketMinNs(i + 1) };
}

/** Accumulates durations into a histogram; `finish` returns the plain result. */
export class HistogramBuilder {
  private buckets: number[] = [];
  private n = 0;

  add(d: number): void {
    const b = histogramBucket(d);
    const buckets = this.buckets;
    while (buckets.length <= b) buckets.push(0);
    buckets[b] = (buckets[b] as number) + 1;
    this.n++;
  }

  finish(): TimeHistogram {
    const buckets = this.buckets;
    let lo = 0;
    while (lo < buckets.length && buckets[lo] === 0) lo++;
    if (lo === buckets.length) return { count: 0, firstBucket: 0, counts: [] };
    let hi = buckets.length - 1;
    while (buckets[hi] === 0) hi--;
    return { count: this.n, firstBucket: lo, counts: buckets.slice(lo, hi + 1) };
  }
}

/** The histogram of some durations (ns). */
export function timeHistogram(durations: ArrayLike<number>): TimeHistogram {
  const h = new HistogramBuilder();
  for (let i = 0; i < durations.length; i++) h.add(durations[i] as number);
  return h.finish();
}
