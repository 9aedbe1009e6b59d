// Branded units. Times on the shared axis, wall-clock times, sequence positions and pixels are
// different things; the brands keep them from being mixed by accident (Perfetto ui/src/base/time.ts,
// Firefox Profiler src/types/units.ts).

declare const brand: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };

/** Nanoseconds on a file's own time axis (since its first event), safe as a float64. */
export type Ns = Brand<number, 'Ns'>;
/** Nanoseconds since the Unix epoch: beyond 2^53, so always a bigint. */
export type WallNs = Brand<bigint, 'WallNs'>;
/** CSS pixels. */
export type CssPx = Brand<number, 'CssPx'>;
/** Device pixels (CSS px times devicePixelRatio). */
export type DevPx = Brand<number, 'DevPx'>;

export const ns = (n: number): Ns => n as Ns;
export const wallNs = (n: bigint): WallNs => n as WallNs;
export const cssPx = (n: number): CssPx => n as CssPx;

/** Formats a duration in ns with a unit that keeps 3 significant digits: 1.23 ms, 850 ns, 2.50 s. */
export function formatDuration(d: number): string {
  if (!Number.isFinite(d)) return '?';
  if (d === 0) return '0';
  const a = Math.abs(d);
  const sign = d < 0 ? '-' : '';
  if (a < 1e3) return `${sign}${round3(a)} ns`;
  if (a < 1e6) return `${sign}${round3(a / 1e3)} µs`;
  if (a < 1e9) return `${sign}${round3(a / 1e6)} ms`;
  return `${sign}${round3(a / 1e9)} s`;
}

function round3(v: number): string {
  if (v >= 100) return v.toFixed(0);
  if (v >= 10) return v.toFixed(1);
  return v.toFixed(2);
}
