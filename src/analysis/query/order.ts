// Ordering query results by a float64 key (start, duration) without a comparator: a stable LSD
// radix sort on the keys' IEEE 754 bits, 16 bits per pass. For non-negative doubles the bit
// patterns order as the numbers do; negative ones (dlv calls placed before the trace) are mapped
// by the usual flip (all bits when the sign is set, the sign bit otherwise). Millions of results
// sort in a few passes over memory, where Array.prototype.sort with a comparator takes seconds.

const SMALL = 256;

/** Positions 0..n-1 ordered by `keys` ascending; equal keys keep their order (stable). */
export function orderByKey(keys: Float64Array): Uint32Array {
  const n = keys.length;
  if (n <= SMALL) {
    const order = Array.from({ length: n }, (_, i) => i);
    order.sort((a, b) => (keys[a] as number) - (keys[b] as number) || a - b);
    return Uint32Array.from(order);
  }
  const bits = new Uint32Array(keys.buffer, keys.byteOffset, 2 * n);
  const hi = new Uint32Array(n);
  const lo = new Uint32Array(n);
  const little = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  const hiWord = little ? 1 : 0;
  for (let i = 0; i < n; i++) {
    let h = bits[2 * i + hiWord] as number;
    let l = bits[2 * i + 1 - hiWord] as number;
    if (h & 0x80000000) {
      h = ~h >>> 0;
      l = ~l >>> 0;
    } else {
      h = (h | 0x80000000) >>> 0;
    }
    hi[i] = h;
    lo[i] = l;
  }
  let from = new Uint32Array(n);
  for (let i = 0; i < n; i++) from[i] = i;
  let to = new Uint32Array(n);
  const counts = new Uint32Array(65537);
  for (let pass = 0; pass < 4; pass++) {
    const words = pass < 2 ? lo : hi;
    const shift = pass % 2 === 0 ? 0 : 16;
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const d = ((words[from[i] as number] as number) >>> shift) & 0xffff;
      counts[d + 1] = (counts[d + 1] as number) + 1;
    }
    // A pass where every key has the same digit changes nothing.
    let skip = false;
    for (let d = 1; d <= 65536; d++) {
      if (counts[d] === n) {
        skip = true;
        break;
      }
      if ((counts[d] as number) > 0) break;
    }
    if (skip) continue;
    for (let d = 0; d < 65536; d++)
      counts[d + 1] = (counts[d + 1] as number) + (counts[d] as number);
    for (let i = 0; i < n; i++) {
      const p = from[i] as number;
      const d = ((words[p] as number) >>> shift) & 0xffff;
      const at = counts[d] as number;
      to[at] = p;
      counts[d] = at + 1;
    }
    const t = from;
    from = to;
    to = t;
  }
  return from;
}
