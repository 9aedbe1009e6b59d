// Goroutine state lanes: one mark per interval wide enough to see, and for intervals narrower
// than a pixel one mark per pixel in the state that took most of that pixel's time (gotraceui's
// renderedSpansIterator). Cost follows the visible intervals, never the whole trace.

import {
  GS_NOT_EXIST,
  GS_RUNNABLE,
  GS_RUNNING,
  GS_SYSCALL,
  GS_WAITING,
  type TraceModel,
} from '../model/trace';
import type { TimeScale } from './timeScale';
import { reasonFamily, type ReasonFamily } from '../analysis/reasons';
import { upperBound } from '../base/search';
import type { Theme } from './theme';

/** Colour classes of goroutine states; waiting splits by reason family. */
export const enum StateClass {
  None = 0,
  Running = 1,
  Runnable = 2,
  Syscall = 3,
  WaitChannel = 4,
  WaitSelect = 5,
  WaitSync = 6,
  WaitNetwork = 7,
  WaitSleep = 8,
  WaitGC = 9,
  WaitOther = 10,
}
export const STATE_CLASSES = 11;

export const STATE_CLASS_LABEL: readonly string[] = [
  '',
  'running',
  'runnable',
  'syscall',
  'waiting: channel',
  'waiting: select',
  'waiting: sync',
  'waiting: network',
  'waiting: sleep',
  'waiting: GC',
  'waiting: other',
];

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

/** Colour class of each reason family (analysis/reasons: Go's reason strings, one mapping). */
const FAMILY_CLASS: Record<ReasonFamily, StateClass> = {
  channel: StateClass.WaitChannel,
  select: StateClass.WaitSelect,
  sync: StateClass.WaitSync,
  network: StateClass.WaitNetwork,
  sleep: StateClass.WaitSleep,
  syscall: StateClass.Syscall,
  gc: StateClass.WaitGC,
  system: StateClass.WaitOther,
  other: StateClass.WaitOther,
};

/** The colour class of a waiting reason. */
export function waitClass(reason: string): StateClass {
  return FAMILY_CLASS[reasonFamily(reason)];
}

const classCache = new WeakMap<TraceModel, Uint8Array>();

/** Colour class of every interval, computed once per model. */
export function intervalClasses(m: TraceModel): Uint8Array {
  let c = classCache.get(m);
  if (c) return c;
  const reasonClass = m.reasons.map((r) => waitClass(r));
  const n = m.intervals.length;
  c = new Uint8Array(n);
  const { state, reason } = m.intervals;
  for (let i = 0; i < n; i++) {
    switch (state[i]) {
      case GS_RUNNING:
        c[i] = StateClass.Running;
        break;
      case GS_RUNNABLE:
        c[i] = StateClass.Runnable;
        break;
      case GS_SYSCALL:
        c[i] = StateClass.Syscall;
        break;
      case GS_WAITING:
        c[i] = reasonClass[reason[i]!] ?? StateClass.WaitOther;
        break;
      default:
        c[i] = StateClass.None;
    }
  }
  classCache.set(m, c);
  return c;
}

export interface StateMarks {
  length: number;
  x: Float64Array;
  w: Float64Array;
  cls: Uint8Array;
  /** The interval drawn, or -1 for a pixel that merged several. */
  interval: Int32Array;
}

const scratch = {
  x: new Float64Array(4096),
  w: new Float64Array(4096),
  cls: new Uint8Array(4096),
  interval: new Int32Array(4096),
};

function ensure(n: number): void {
  if (scratch.x.length >= n) return;
  const size = Math.max(n, scratch.x.length * 2);
  scratch.x = new Float64Array(size);
  scratch.w = new Float64Array(size);
  scratch.cls = new Uint8Array(size);
  scratch.interval = new Int32Array(size);
}

/**
 * Marks for goroutine g through `scale`. The returned arrays are scratch space reused by the
 * next call: paint them before asking for another lane.
 */
export function goroutineMarks(m: TraceModel, g: number, scale: TimeScale): StateMarks {
  const cls = intervalClasses(m);
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
    ensure(n + 1);
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
  return { length: n, x: scratch.x, w: scratch.w, cls: scratch.cls, interval: scratch.interval };
}

export function paintStateMarks(
  ctx: CanvasRenderingContext2D,
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

export { goroutineOfInterval } from '../analysis/traceIndex';
