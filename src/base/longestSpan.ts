// The longest of any run of consecutive spans, without visiting them all: for each block of 32
// spans the first longest one, then the same over blocks of those, up to a level of at most 32
// entries. A query visits at most 2 * 32 entries per level (five levels for 33M spans), so a lane
// drawn at a wide zoom costs what its pixels cost, not what its spans do. The index takes 1/31 of
// an Int32 per span.

const B = 32;

/** Sizes of the index's levels for n spans: level 0 has one entry per block of 32 spans. */
function levelSizes(n: number): number[] {
  const sizes: number[] = [];
  for (let len = n; len > B;) {
    len = Math.ceil(len / B);
    sizes.push(len);
  }
  return sizes;
}

/** Builds the index of the spans (start[i], end[i]); its entries are span positions. */
export function longestSpanIndex(start: ArrayLike<number>, end: ArrayLike<number>): Int32Array {
  const n = start.length;
  const sizes = levelSizes(n);
  const out = new Int32Array(sizes.reduce((a, b) => a + b, 0));
  let prevOff = -1; // level -1: the spans themselves
  let prevLen = n;
  let off = 0;
  for (const size of sizes) {
    for (let k = 0; k < size; k++) {
      const lo = k * B;
      const hi = Math.min(prevLen, lo + B);
      let best = -1;
      let bestNs = -1;
      for (let e = lo; e < hi; e++) {
        const i = prevOff < 0 ? e : (out[prevOff + e] as number);
        const d = (end[i] as number) - (start[i] as number);
        if (d > bestNs) {
          best = i;
          bestNs = d;
        }
      }
      out[off + k] = best;
    }
    prevOff = off;
    prevLen = size;
    off += size;
  }
  return out;
}

/**
 * The first longest span among [lo, hi) (the one a scan from lo keeping the first strictly longer
 * would keep), or -1 when the range is empty. `index` is longestSpanIndex(start, end).
 */
export function longestSpan(
  start: ArrayLike<number>,
  end: ArrayLike<number>,
  index: Int32Array,
  lo: number,
  hi: number,
): number {
  const sizes = levelSizes(start.length);
  const offs: number[] = [];
  for (let L = 0, off = 0; L < sizes.length; off += sizes[L] as number, L++) offs.push(off);
  let best = -1;
  let bestNs = -1;
  const consider = (i: number): void => {
    const d = (end[i] as number) - (start[i] as number);
    if (d > bestNs) {
      best = i;
      bestNs = d;
    }
  };
  // Level L's entries (L = -1: the spans); entries lo..hi-1, left to right so ties keep the first.
  const scan = (L: number, a: number, b: number): void => {
    if (L < 0) for (let e = a; e < b; e++) consider(e);
    else for (let e = a; e < b; e++) consider(index[(offs[L] as number) + e] as number);
  };
  const visit = (L: number, a: number, b: number): void => {
    if (L + 1 >= sizes.length || b - a <= 2 * B) {
      scan(L, a, b);
      return;
    }
    const ja = Math.ceil(a / B);
    const jb = Math.floor(b / B);
    if (ja >= jb) {
      scan(L, a, b);
      return;
    }
    scan(L, a, ja * B);
    visit(L + 1, ja, jb);
    scan(L, jb * B, b);
  };
  if (lo < hi) visit(-1, lo, hi);
  return best;
}
