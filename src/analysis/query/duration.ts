// Durations in queries are written as Go writes them: time.ParseDuration's syntax (Go
// src/time/format.go, go1.26): a sequence of decimal numbers, each with an optional fraction and
// a unit, such as "300ms", "1.5s" or "2h45m". Units: "ns", "us" (or "µs" U+00B5, "μs" U+03BC),
// "ms", "s", "m", "h". A lone "0" needs no unit. Unlike Go, a sign is refused: a query compares
// lengths, which are never negative.

const UNITS: ReadonlyMap<string, number> = new Map([
  ['ns', 1],
  ['us', 1e3],
  ['\u00b5s', 1e3],
  ['\u03bcs', 1e3],
  ['ms', 1e6],
  ['s', 1e9],
  ['m', 60e9],
  ['h', 3600e9],
]);

/** The unit names, for messages and completion. */
export const DURATION_UNITS = ['ns', 'µs', 'us', 'ms', 's', 'm', 'h'] as const;

/** A duration in ns, or a message saying what is wrong with `s`. */
export function parseDuration(s: string): { ns: number } | { error: string } {
  if (s === '0') return { ns: 0 };
  if (s === '') return { error: 'a duration is missing' };
  if (s[0] === '-' || s[0] === '+') return { error: `a duration has no sign: "${s}"` };
  let total = 0;
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
    // Go truncates the fraction's contribution to whole nanoseconds, per component.
    total += Number(whole === '' ? 0 : whole) * unit;
    if (frac !== '') total += Math.trunc(Number(`0.${frac}`) * unit);
  }
  if (!Number.isFinite(total)) return { error: `"${s}" is too long a duration` };
  return { ns: total };
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
