// Binary searches over sorted typed arrays.

type NumArray = ArrayLike<number>;

/** First index i in [lo, hi) with a[i] >= x (a sorted ascending); hi when none. */
export function lowerBound(a: NumArray, x: number, lo = 0, hi = a.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((a[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index i in [lo, hi) with a[i] > x (a sorted ascending); hi when none. */
export function upperBound(a: NumArray, x: number, lo = 0, hi = a.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((a[mid] as number) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
