// User logs (runtime/trace Log, Logf) as marks on their goroutine's lane: a small downward
// triangle at the top of the lane, and a thin tick across it, at the log's time. Logs closer than a few pixels share one mark
// (with their count), so a goroutine that logs in a tight loop costs marks per pixel, not per log.

import { lowerBound } from '../base/search';
import type { DrawTarget } from './drawTarget';
import type { Theme } from './theme';

/** One mark: where it is drawn, the first log (model.logs row) it stands for and how many. */
export interface LogMark {
  x: number;
  log: number;
  count: number;
}

/** Logs closer than this (px) share a mark. */
export const LOG_MARK_MERGE_PX = 4;

/**
 * The marks of goroutine g's logs inside the scale's range. `index` lists each goroutine's logs
 * in time order (userLogs.logsByGoroutine: rows of model.logs); `time` is model.logs.time.
 */
export function logMarks(
  time: Float64Array,
  index: { start: Uint32Array; logs: Int32Array },
  g: number,
  scale: { startNs: number; endNs: number; toPx(ns: number): number },
): LogMark[] {
  const out: LogMark[] = [];
  if (g < 0 || g + 1 >= index.start.length) return out;
  const a = index.start[g]!;
  const b = index.start[g + 1]!;
  if (a === b) return out;
  // The goroutine's logs are in time order: find the first visible one by binary search.
  const times = Float64Array.from(index.logs.subarray(a, b), (i) => time[i]!);
  for (let k = lowerBound(times, scale.startNs); k < times.length; k++) {
    const t = times[k]!;
    if (t > scale.endNs) break;
    const x = scale.toPx(t);
    const last = out[out.length - 1];
    if (last && x - last.x < LOG_MARK_MERGE_PX) last.count++;
    else out.push({ x, log: index.logs[a + k]!, count: 1 });
  }
  return out;
}

/**
 * Draws the marks as triangles hanging from `y` (the lane's top), `size` px tall, with a 1 px tick
 * down to `y + laneH`: the moment of the log, across the lane's states.
 */
export function paintLogMarks(
  ctx: DrawTarget,
  marks: readonly LogMark[],
  y: number,
  size: number,
  laneH: number,
  theme: Theme,
): void {
  if (marks.length === 0) return;
  const colour = theme.dark ? '#ff7ad9' : '#c2187f';
  ctx.fillStyle = colour;
  for (const m of marks) ctx.fillRect(Math.round(m.x) - 0.5, y, 1, laneH);
  ctx.strokeStyle = theme.dark ? '#16181d' : '#ffffff';
  ctx.lineWidth = 1;
  for (const m of marks) {
    ctx.beginPath();
    ctx.moveTo(m.x - size / 2, y);
    ctx.lineTo(m.x + size / 2, y);
    ctx.lineTo(m.x, y + size);
    ctx.closePath();
    ctx.fill();
    ctx.stroke();
  }
}
