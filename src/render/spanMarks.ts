// Marks for lists of time spans sorted by start (goroutine runs on a P, a goroutine's assists and
// sweeps, search results on a lane): one mark per span at least a pixel wide, and for the spans
// narrower than a pixel one mark per pixel standing for the longest of them (so a pixel crowded
// with short runs still shows who took most of it). Cost follows the spans scanned, which the
// caller bounds by binary search where the spans allow it; spans that do not overlap can come with
// a longestSpanIndex, and then a pixel crowded with spans costs a search, not a visit to each.

import { longestSpan } from '../base/longestSpan';
import { gallop } from '../base/search';
import type { TimeScale } from './timeScale';

/** A pixel with more spans than this is summed up through the index (when there is one). */
const INDEXED_ABOVE = 8;

export interface SpanMarks {
  length: number;
  x: Float64Array;
  w: Float64Array;
  /** The span each mark stands for (its position in the caller's arrays). */
  item: Int32Array;
  /** 1 when the mark is one pixel standing for several spans. */
  merged: Uint8Array;
}

export function spanMarkBuffer(capacity = 1024): SpanMarks {
  return {
    length: 0,
    x: new Float64Array(capacity),
    w: new Float64Array(capacity),
    item: new Int32Array(capacity),
    merged: new Uint8Array(capacity),
  };
}

function grow(b: SpanMarks, n: number): void {
  if (b.x.length >= n) return;
  const size = Math.max(n, b.x.length * 2);
  const x = new Float64Array(size);
  x.set(b.x);
  const w = new Float64Array(size);
  w.set(b.w);
  const item = new Int32Array(size);
  item.set(b.item);
  const merged = new Uint8Array(size);
  merged.set(b.merged);
  Object.assign(b, { x, w, item, merged });
}

/**
 * Marks of the spans [lo, hi) of (start, end), sorted by start, through `scale`, written into
 * `out` (returned). Spans ending before the view are skipped; the scan stops at the first span
 * starting after it. `longest` (base/longestSpan.ts, over the whole of start and end) may be
 * given only when the spans of [lo, hi) are disjoint (each ends at or after its start and starts
 * at or after the previous one's end); the marks are the same with or without it.
 */
export function spanMarks(
  start: ArrayLike<number>,
  end: ArrayLike<number>,
  lo: number,
  hi: number,
  scale: TimeScale,
  out: SpanMarks = spanMarkBuffer(),
  longest?: Int32Array,
): SpanMarks {
  const x0 = scale.x0;
  const x1 = scale.x0 + scale.width;
  let n = 0;
  let pixel = -Infinity;
  let best = -1;
  let bestNs = -1;
  let count = 0;
  const push = (x: number, w: number, item: number, merged: boolean) => {
    grow(out, n + 1);
    out.x[n] = x;
    out.w[n] = w;
    out.item[n] = item;
    out.merged[n] = merged ? 1 : 0;
    n++;
  };
  const flush = () => {
    if (best >= 0) push(pixel, 1, best, count > 1);
    best = -1;
    bestNs = -1;
    count = 0;
  };
  for (let i = lo; i < hi; i++) {
    const s = start[i] as number;
    if (s > scale.endNs) break;
    const e = end[i] as number;
    if (e < scale.startNs) continue;
    const px0 = Math.max(x0, scale.toPx(s));
    const px1 = Math.min(x1, scale.toPx(e));
    if (px1 - px0 >= 1) {
      flush();
      push(px0, px1 - px0, i, false);
      continue;
    }
    const p = Math.floor(px0);
    if (p !== pixel) {
      flush();
      pixel = p;
      if (longest) {
        // The spans starting in this pixel are [i, j). Without overlaps only the last of them can
        // reach past the pixel: a wider one ends at or after p + 1, where the next one starts.
        const j = gallop(i + 1, hi, (k) => {
          const sk = start[k] as number;
          return sk <= scale.endNs && Math.floor(Math.max(x0, scale.toPx(sk))) === p;
        });
        if (j - i > INDEXED_ABOVE) {
          const last = j - 1;
          const lastWide =
            Math.min(x1, scale.toPx(end[last] as number)) -
              Math.max(x0, scale.toPx(start[last] as number)) >=
            1;
          const narrowEnd = lastWide ? last : j;
          best = longestSpan(start, end, longest, i, narrowEnd);
          bestNs = (end[best] as number) - (start[best] as number);
          count = narrowEnd - i;
          i = narrowEnd - 1;
          continue;
        }
      }
    }
    count++;
    if (e - s > bestNs) {
      best = i;
      bestNs = e - s;
    }
  }
  flush();
  out.length = n;
  return out;
}
