// Ordering query results by a float64 key (start, duration) without sorting a million indexes
// through a comparator: a stable bucket sort. The keys' range [min, max] is cut into as many
// buckets as there are keys; a counting pass and a scatter put every index in its bucket (in
// input order), and each bucket, usually holding one or two keys, is then sorted on its own
// (insertion sort, or a comparator sort for a crowded one). The bucket of a key,
// floor((key - min) * scale), never decreases as the key grows (IEEE arithmetic is monotone),
// so the buckets are in key order. Result starts spread over the trace, so this is two passes
// over memory where a comparator sort takes a second for a million results.

const SMALL = 64;
const CROWDED = 24;

/** Positions 0..n-1 ordered by `keys` ascending; equal keys keep their order (stable). */
export function orderByKey(keys: Float64Array): Uint32Array {
  const n = keys.length;
  let min = Infinity;
  let max = -Infinity;
  let nan = false;
  for (let i = 0; i < n; i++) {
    const k = keys[i] as number;
    if (k < min) min = k;
    if (k > max) max = k;
    if (k !== k) nan = true;
  }
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  // NaN or infinite keys (never made by the evaluator) go through the comparator.
  if (n <= SMALL || nan || !Number.isFinite(max - min)) {
    return comparatorSort(keys, out, 0, n);
  }
  if (max === min) return out;
  const scale = (n - 1) / (max - min);
  const counts = new Uint32Array(n + 1);
  const bucket = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const b = Math.min(n - 1, Math.floor(((keys[i] as number) - min) * scale));
    bucket[i] = b;
    counts[b + 1] = (counts[b + 1] as number) + 1;
  }
  for (let b = 0; b < n; b++) counts[b + 1] = (counts[b + 1] as number) + (counts[b] as number);
  const cursor = counts.slice(0, n);
  for (let i = 0; i < n; i++) {
    const b = bucket[i] as number;
    const p = cursor[b] as number;
    out[p] = i;
    cursor[b] = p + 1;
  }
  for (let b = 0; b < n; b++) {
    const lo = counts[b] as number;
    const hi = counts[b + 1] as number;
    if (hi - lo < 2) continue;
    if (hi - lo > CROWDED) comparatorSort(keys, out, lo, hi);
    else insertionSort(keys, out, lo, hi);
  }
  return out;
}

function insertionSort(keys: Float64Array, a: Uint32Array, lo: number, hi: number): void {
  for (let i = lo + 1; i < hi; i++) {
    const v = a[i] as number;
    const k = keys[v] as number;
    let j = i - 1;
    while (j >= lo && (keys[a[j] as number] as number) > k) {
      a[j + 1] = a[j] as number;
      j--;
    }
    a[j + 1] = v;
  }
}

function comparatorSort(keys: Float64Array, a: Uint32Array, lo: number, hi: number): Uint32Array {
  const part = Array.from(a.subarray(lo, hi));
  // NaN last; ties by position (stable).
  part.sort((x, y) => {
    const kx = keys[x] as number;
    const ky = keys[y] as number;
    if (kx !== kx || ky !== ky) return (kx !== kx ? 1 : 0) - (ky !== ky ? 1 : 0) || x - y;
    return kx - ky || x - y;
  });
  a.set(part, lo);
  return a;
}
