// RFC 3339 timestamps (as Go's time.RFC3339Nano writes them: any fraction length, 'Z' or a
// numeric zone) to nanoseconds since the Unix epoch. The result is a bigint: wall-clock ns in 2026
// are ~1.8e18, far beyond float64's exact 2^53.

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9})\d*)?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/** Parses an RFC 3339 timestamp; null when it is not one. */
export function parseRfc3339(text: string): bigint | null {
  const m = RFC3339.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, , sign, zh, zm] = m;
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return null;
  }
  const ms = Date.UTC(Number(y), month - 1, day, hour, minute, second);
  if (!Number.isFinite(ms)) return null;
  let t = BigInt(ms) * 1_000_000n;
  if (frac) t += BigInt(frac.padEnd(9, '0'));
  if (sign) {
    const offsetMin = Number(zh) * 60 + Number(zm);
    // 12:00+02:00 is 10:00Z: subtract a positive offset.
    t -= BigInt(sign === '-' ? -offsetMin : offsetMin) * 60_000_000_000n;
  }
  return t;
}

/** Formats ns since the epoch as RFC 3339 in UTC with 9 fraction digits. */
export function formatRfc3339(t: bigint): string {
  let rem = t % 1_000_000_000n;
  let secs = t / 1_000_000_000n;
  if (rem < 0n) {
    rem += 1_000_000_000n;
    secs -= 1n;
  }
  const iso = new Date(Number(secs * 1000n)).toISOString(); // 2026-11-28T00:24:21.000Z
  return `${iso.slice(0, 19)}.${rem.toString().padStart(9, '0')}Z`;
}
