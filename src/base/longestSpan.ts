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
 * would keep), or -1 when the range is empty. `index` is longestSpanIndex(start, end). Called once
 * per crowded pixel of a lane as it is drawn: it allocates nothing.
 */
export function longestSpan(
  start: ArrayLike<number>,
  end: ArrayLike<number>,
  index: Int32Array,
  lo: number,
  hi: number,
): number {
  let best = -1;
  let bestNs = -1;
  // Entries are visited out of order (each level's two edges, then the level above), so a tie
  // goes to the earlier span, as the scan's order would give it.
  const consider = (i: number): void => {
    const d = (end[i] as number) - (start[i] as number);
    if (d > bestNs || (d === bestNs && best >= 0 && i < best)) {
      best = i;
      bestNs = d;
    }
  };
  // Level -1 is the spans themselves; level L >= 0 starts at `off` in the index.
  let off = -1;
  let len = start.length;
  let a = lo;
  let b = hi;
  for (;;) {
    // The blocks of 32 entries wholly inside [a, b), if the level above exists and it is worth it.
    const ja = Math.ceil(a / B);
    const jb = Math.floor(b / B);
    const up = len > B && b - a > 2 * B && ja < jb;
    const scanTo = up ? ja * B : b;
    for (let e = a; e < scanTo; e++) consider(off < 0 ? e : (index[off + e] as number));
    if (!up) break;
    for (let e = jb * B; e < b; e++) consider(off < 0 ? e : (index[off + e] as number));
    off = off < 0 ? 0 : off + len;
    len = Math.ceil(len / B);
    a = ja;
    b = jb;
  }
  return best;
}
