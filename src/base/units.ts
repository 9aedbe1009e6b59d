// Durations in words. Times are plain numbers of ns (on a file's own axis, since its first event:
// exact as float64); wall-clock ns, beyond 2^53, are bigints.

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
