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

/**
 * First index in [lo, hi) where `holds` is false, when it holds on a prefix of the range and not
 * after; hi when it holds throughout. Gallops from lo (cheap when the answer is near), then
 * bisects.
 */
export function gallop(lo: number, hi: number, holds: (i: number) => boolean): number {
  let a = lo - 1; // holds(a), or a before the range
  let step = 1;
  let b = lo;
  while (b < hi && holds(b)) {
    a = b;
    b = a + step;
    step *= 2;
  }
  b = Math.min(b, hi); // the answer is in (a, b]
  while (b - a > 1) {
    const mid = a + ((b - a) >>> 1);
    if (holds(mid)) a = mid;
    else b = mid;
  }
  return b;
}
