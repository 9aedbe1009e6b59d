// Goroutine state lanes: one mark per interval wide enough to see, and for intervals narrower
// than a pixel one mark per pixel in the state that took most of that pixel's time (gotraceui's
// renderedSpansIterator). Cost follows the visible intervals, never the whole trace. The colour
// class of every interval comes from the engine (TraceView.classes, analysis/stateClasses.ts).

import type { DrawTarget } from './drawTarget';
import { GS_NOT_EXIST, type TraceModel } from '../model/trace';
import { STATE_CLASSES, StateClass } from '../model/stateClass';
import type { TimeScale } from './timeScale';
import { upperBound } from '../base/search';
import type { Theme } from './theme';

export { STATE_CLASS_LABEL } from '../model/stateClass';

const LIGHT_COLOURS = [
  '',
  '#2ea44f',
  '#e3b341',
  '#e8833a',
  '#4f8fe0',
  '#9a6fd6',
  '#d9534f',
  '#26a69a',
  '#a0a7b0',
  '#d46fa8',
  '#c2c7cf',
];
const DARK_COLOURS = [
  '',
  '#3fb950',
  '#d29922',
  '#e07b39',
  '#5c9ded',
  '#a77ee0',
  '#e5534b',
  '#2bb3a3',
  '#6e7681',
  '#db61a2',
  '#8b949e',
];

export function stateColour(c: number, theme: Theme): string {
  return (theme.dark ? DARK_COLOURS : LIGHT_COLOURS)[c] ?? '#888';
}

/** Colours of the stacked activity layers: running, runnable, syscall, waiting. */
export function activityColours(theme: Theme): string[] {
  return [StateClass.Running, StateClass.Runnable, StateClass.Syscall, StateClass.WaitOther].map(
    (c) => stateColour(c, theme),
  );
}

export interface StateMarks {
  length: number;
  x: Float64Array;
  w: Float64Array;
  cls: Uint8Array;
  /** The interval drawn, or -1 for a pixel that merged several. */
  interval: Int32Array;
}

/** A growable buffer of marks: the painter keeps one and every lane reuses it. */
export function markBuffer(capacity = 4096): StateMarks {
  return {
    length: 0,
    x: new Float64Array(capacity),
    w: new Float64Array(capacity),
    cls: new Uint8Array(capacity),
    interval: new Int32Array(capacity),
  };
}

function ensure(buf: StateMarks, n: number): void {
  if (buf.x.length >= n) return;
  const size = Math.max(n, buf.x.length * 2);
  const grow = <T extends Float64Array | Uint8Array | Int32Array>(a: T, next: T): T => {
    next.set(a);
    return next;
  };
  buf.x = grow(buf.x, new Float64Array(size));
  buf.w = grow(buf.w, new Float64Array(size));
  buf.cls = grow(buf.cls, new Uint8Array(size));
  buf.interval = grow(buf.interval, new Int32Array(size));
}

/**
 * Marks for goroutine g through `scale`, from the colour class of every interval (`classes`),
 * written into `out` (returned; its first `length` entries are the marks until the next call).
 */
export function goroutineMarks(
  m: TraceModel,
  classes: Uint8Array,
  g: number,
  scale: TimeScale,
  out: StateMarks = markBuffer(),
): StateMarks {
  const cls = classes;
  const scratch = out;
  const a = m.goroutines.intervalStart[g]!;
  const b = m.goroutines.intervalStart[g + 1]!;
  const start = m.intervals.start;
  // Last interval starting at or before the view's start (it may extend into the view).
  let i = Math.max(a, upperBound(start, scale.startNs, a, b) - 1);
  let n = 0;
  const x0 = scale.x0;
  const x1 = scale.x0 + scale.width;
  // Sub-pixel accumulation: time per class within the current pixel.
  const acc = new Float64Array(STATE_CLASSES);
  let pixel = -1;
  let pixelUsed = false;
  const flushPixel = () => {
    if (!pixelUsed) return;
    let best = 0;
    for (let c = 1; c < STATE_CLASSES; c++) if (acc[c]! > acc[best]!) best = c;
    if (best !== StateClass.None && acc[best]! > 0) push(pixel, 1, best, -1);
    acc.fill(0);
    pixelUsed = false;
  };
  const push = (x: number, w: number, c: number, iv: number) => {
    // Extend the previous mark when it is the same class and touches.
    if (
      n > 0 &&
      scratch.cls[n - 1] === c &&
      Math.abs(scratch.x[n - 1]! + scratch.w[n - 1]! - x) < 0.5
    ) {
      scratch.w[n - 1] = x + w - scratch.x[n - 1]!;
      if (scratch.interval[n - 1] !== iv) scratch.interval[n - 1] = -1;
      return;
    }
    ensure(scratch, n + 1);
    scratch.x[n] = x;
    scratch.w[n] = w;
    scratch.cls[n] = c;
    scratch.interval[n] = iv;
    n++;
  };
  for (; i < b; i++) {
    const t0 = start[i]!;
    if (t0 > scale.endNs) break;
    const t1 = i + 1 < b ? start[i + 1]! : m.durationNs;
    if (t1 < scale.startNs) continue;
    const c = cls[i]!;
    const px0 = Math.max(x0, scale.toPx(t0));
    const px1 = Math.min(x1, scale.toPx(t1));
    if (px1 - px0 >= 1) {
      flushPixel();
      if (c !== StateClass.None) push(px0, px1 - px0, c, i);
      continue;
    }
    const p = Math.floor(px0);
    if (p !== pixel) {
      flushPixel();
      pixel = p;
    }
    acc[c] = acc[c]! + t1 - t0;
    pixelUsed = true;
  }
  flushPixel();
  scratch.length = n;
  return scratch;
}

export function paintStateMarks(
  ctx: DrawTarget,
  marks: StateMarks,
  y: number,
  h: number,
  theme: Theme,
  dim: boolean,
): void {
  let last = -1;
  if (dim) ctx.globalAlpha = 0.25;
  for (let k = 0; k < marks.length; k++) {
    const c = marks.cls[k]!;
    if (c !== last) {
      ctx.fillStyle = stateColour(c, theme);
      last = c;
    }
    // Running is drawn full height; runnable and waiting a little lower so they read as "not running".
    const inset = c === StateClass.Running ? 0 : c === StateClass.Runnable ? 1 : 2;
    ctx.fillRect(marks.x[k]!, y + inset, Math.max(1, marks.w[k]!), h - 2 * inset);
  }
  ctx.globalAlpha = 1;
}

/** The interval under x in goroutine g's lane (exact, not the merged mark), or -1. */
export function intervalAt(m: TraceModel, g: number, ns: number): number {
  const a = m.goroutines.intervalStart[g]!;
  const b = m.goroutines.intervalStart[g + 1]!;
  const i = upperBound(m.intervals.start, ns, a, b) - 1;
  if (i < a) return -1;
  return m.intervals.state[i] === GS_NOT_EXIST ? -1 : i;
}
