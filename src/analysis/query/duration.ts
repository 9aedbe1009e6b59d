// Durations in queries are written as Go writes them: time.ParseDuration's syntax (Go
// src/time/format.go, go1.26): a sequence of decimal numbers, each with an optional fraction and
// a unit, such as "300ms", "1.5s" or "2h45m". Units: "ns", "us" (or "µs" U+00B5, "μs" U+03BC),
// "ms", "s", "m", "h". A lone "0" needs no unit. Unlike Go, a sign is refused: a query compares
// lengths, which are never negative.

const UNITS: ReadonlyMap<string, bigint> = new Map([
  ['ns', 1n],
  ['us', 1_000n],
  ['\u00b5s', 1_000n],
  ['\u03bcs', 1_000n],
  ['ms', 1_000_000n],
  ['s', 1_000_000_000n],
  ['m', 60_000_000_000n],
  ['h', 3_600_000_000_000n],
]);

/** The unit names, for messages and completion. */
export const DURATION_UNITS = ['ns', 'µs', 'us', 'ms', 's', 'm', 'h'] as const;

/** 1 << 63: Go's bound on a Duration's magnitude while it is being read. */
const LIMIT = 1n << 63n;

/**
 * A duration in ns, or a message saying what is wrong with `s`. Computed as Go computes it, so
 * that `dur>=0.00013s` means 130000 ns as it does in Go: whole parts in integers (bigint here,
 * uint64 there), each fraction as float64(f) * (float64(unit) / scale) truncated to whole ns, and
 * "invalid duration" (here: too long) past 1<<63 - 1 ns.
 */
export function parseDuration(s: string): { ns: number } | { error: string } {
  if (s === '0') return { ns: 0 };
  if (s === '') return { error: 'a duration is missing' };
  if (s[0] === '-' || s[0] === '+') return { error: `a duration has no sign: "${s}"` };
  const tooLong = { error: `"${s}" is too long a duration` };
  let total = 0n;
  let i = 0;
  while (i < s.length) {
    const numStart = i;
    while (i < s.length && isDigit(s.charCodeAt(i))) i++;
    const whole = s.slice(numStart, i);
    let frac = '';
    if (s[i] === '.') {
      i++;
      const fracStart = i;
      while (i < s.length && isDigit(s.charCodeAt(i))) i++;
      frac = s.slice(fracStart, i);
    }
    if (whole === '' && frac === '') return { error: `"${s}" is not a duration (e.g. 5ms, 1.5s)` };
    const unitStart = i;
    while (i < s.length && !isDigit(s.charCodeAt(i)) && s[i] !== '.') i++;
    const unitText = s.slice(unitStart, i);
    if (unitText === '') {
      return { error: `"${s}" needs a unit: ns, µs, ms, s, m or h (e.g. ${s}ms)` };
    }
    const unit = UNITS.get(unitText);
    if (unit === undefined) {
      return { error: `unknown unit "${unitText}" in "${s}": use ns, µs, ms, s, m or h` };
    }
    let v = whole === '' ? 0n : BigInt(whole);
    if (v > LIMIT / unit) return tooLong;
    v *= unit;
    const { f, scale } = leadingFraction(frac);
    if (f > 0n) {
      // Go: float64 is nanosecond-accurate for fractions of hours (at most 3.6e12 ns).
      v += BigInt(Math.trunc(Number(f) * (Number(unit) / scale)));
      if (v > LIMIT) return tooLong;
    }
    total += v;
    if (total > LIMIT) return tooLong;
  }
  if (total > LIMIT - 1n) return tooLong;
  return { ns: Number(total) };
}

/** Go's leadingFraction: the digits as an integer and 10^(digits read), stopping at overflow. */
function leadingFraction(digits: string): { f: bigint; scale: number } {
  let f = 0n;
  let scale = 1;
  for (let i = 0; i < digits.length; i++) {
    if (f > (LIMIT - 1n) / 10n) break;
    const y = f * 10n + BigInt(digits.charCodeAt(i) - 48);
    if (y > LIMIT) break;
    f = y;
    scale *= 10;
  }
  return { f, scale };
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
