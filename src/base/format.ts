// Formatting values in the units profiles use.

import { formatDuration } from './units';

/** A value in a pprof unit ("nanoseconds", "bytes", "count", ...), short and readable. */
export function formatValue(v: number, unit: string): string {
  const u = unit.toLowerCase();
  if (u === 'nanoseconds' || u === 'ns') return formatDuration(v);
  if (u === 'microseconds') return formatDuration(v * 1e3);
  if (u === 'milliseconds') return formatDuration(v * 1e6);
  if (u === 'seconds') return formatDuration(v * 1e9);
  if (u === 'bytes') return formatBytes(v);
  const n = formatCount(v);
  return u === '' || u === 'count' ? n : `${n} ${unit}`;
}

export function formatBytes(v: number): string {
  const a = Math.abs(v);
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let x = a;
  while (x >= 1024 && i < units.length - 1) {
    x /= 1024;
    i++;
  }
  const s =
    i === 0
      ? String(Math.round(x))
      : x >= 100
        ? x.toFixed(0)
        : x >= 10
          ? x.toFixed(1)
          : x.toFixed(2);
  return `${v < 0 ? '-' : ''}${s} ${units[i]}`;
}

export function formatCount(v: number): string {
  const a = Math.abs(v);
  const sign = v < 0 ? '-' : '';
  if (a < 1e4) return `${sign}${Number.isInteger(a) ? a : a.toFixed(2)}`;
  if (a < 1e6) return `${sign}${(a / 1e3).toFixed(1)}k`;
  if (a < 1e9) return `${sign}${(a / 1e6).toFixed(2)}M`;
  return `${sign}${(a / 1e9).toFixed(2)}G`;
}

export function formatPercent(part: number, total: number): string {
  if (total === 0) return '–';
  const p = (100 * part) / total;
  return `${Math.abs(p) >= 10 ? p.toFixed(1) : p.toFixed(2)}%`;
}
