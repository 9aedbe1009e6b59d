// The chain behind one wait (issue 15, "Why was this blocked?"): the wakers back to the culprits,
// as segments on each goroutine's lane and arrows between lanes, and the same as lines of text
// with times. It follows the charge of why.ts instant by instant: the waiter G waited over [a, b]
// for W (the goroutine that woke it at b); W's intervals over [a, b] are segments; where W itself
// waited and was woken by X, an arrow goes from X to W at that wake and X's intervals over that
// piece follow, and so on. Segments that are not passed on are what the wait is charged to.
//
// This walks each piece separately (a tree, in depth-first order, the way a list reads), so it
// is bounded by `maxSegments` (a wait at the end of a handoff chain of a hundred waiters is about
// two hundred segments); the aggregate charge is why.ts's job.

import { formatDuration } from '../base/units';
import { upperBound } from '../base/search';
import {
  GS_RUNNABLE,
  GS_RUNNING,
  GS_SYSCALL,
  GS_WAITING,
  type TraceModel,
  wakerOf,
} from '../model/trace';
import { goroutineOfInterval, intervalStacks, waitRunFirst, waitRunLast } from './traceIndex';
import type { CauseKind } from './why';

export interface ChainSegment {
  /** The segment this one explains (a wait it was passed on from), -1 for the wait itself. */
  parent: number;
  /** 0 for the wait itself, 1 for its waker's pieces, and so on. */
  depth: number;
  goroutine: number;
  goId: number;
  /** The model interval of the piece: for a wait, the first interval of the wait (its run). */
  interval: number;
  startNs: number;
  endNs: number;
  /** 'running', 'runnable', 'syscall', 'waiting (REASON)' or 'unknown'. */
  state: string;
  kind: CauseKind;
  /** The piece is charged here (a cause); false for waits passed on to their waker. */
  charged: boolean;
  /** The stack of the piece's state (for waits, where it blocked), or -1. */
  stack: number;
}

/** A wake drawn across lanes: `from` woke `to` at `timeNs`. */
export interface ChainArrow {
  fromGoroutine: number;
  toGoroutine: number;
  timeNs: number;
  /** The waker's stack where it woke `to` (Unlock, chansend, ...), or -1. */
  stack: number;
  /** The segment of `to` that the wake ended. */
  segment: number;
}

export interface ChainLine {
  depth: number;
  /** Index into `segments`. */
  segment: number;
  text: string;
}

export interface WhyChain {
  goroutine: number;
  /** The wait's first interval and span. */
  interval: number;
  startNs: number;
  endNs: number;
  reason: string;
  /** How the wait ended: woken by a goroutine, by the runtime (no goroutine), or not at all. */
  ended: 'goroutine' | 'runtime' | 'self' | 'end-of-trace' | 'other';
  segments: ChainSegment[];
  arrows: ChainArrow[];
  lines: ChainLine[];
  /** More segments than `maxSegments`: the chain is cut. */
  truncated: boolean;
}

interface Frame {
  x: number;
  /** Current time and interval of the walk over x's intervals. */
  p: number;
  k: number;
  rEnd: number;
  depth: number;
  parent: number;
  /** The wait run this frame explains (for the cycle check). */
  run: number;
  /** The last segment this frame made (adjacent pieces in the same state merge into it). */
  last: number;
}

const STATE_NAMES: Record<number, CauseKind> = {
  [GS_RUNNING]: 'running',
  [GS_RUNNABLE]: 'runnable',
  [GS_SYSCALL]: 'syscall',
  [GS_WAITING]: 'waiting',
};

/** Times on the trace's axis in lines of text: ms since the first event, to the µs. */
function at(ns: number): string {
  return `${(ns / 1e6).toFixed(3)} ms`;
}

/** The chain behind the wait that waiting interval `interval` belongs to; null for no wait. */
export function whyChain(
  m: TraceModel,
  interval: number,
  options: { maxSegments?: number } = {},
): WhyChain | null {
  const iv = m.intervals;
  if (interval < 0 || interval >= iv.length || iv.state[interval] !== GS_WAITING) return null;
  const maxSegments = options.maxSegments ?? 1000;
  const gsIds = m.goroutines.id;
  const g = goroutineOfInterval(m, interval);
  const wait = waitRun(m, g, interval);
  const reason = m.reasons[iv.reason[wait.first] as number] ?? '';
  const segments: ChainSegment[] = [];
  const arrows: ChainArrow[] = [];
  const lines: ChainLine[] = [];
  const gid = (x: number): string => `G${gsIds[x] as number}`;

  const ended: WhyChain['ended'] =
    wait.next < 0
      ? 'end-of-trace'
      : iv.state[wait.next] !== GS_RUNNABLE
        ? 'other'
        : wait.waker < 0
          ? 'runtime'
          : wait.waker === g
            ? 'self'
            : 'goroutine';
  const follow = ended === 'goroutine';
  segments.push({
    parent: -1,
    depth: 0,
    goroutine: g,
    goId: gsIds[g] as number,
    interval: wait.first,
    startNs: wait.start,
    endNs: wait.end,
    state: `waiting (${reason})`,
    kind: 'waiting',
    charged: !follow,
    stack: intervalStacks(m, g, wait.first).run,
  });
  const endText =
    ended === 'goroutine'
      ? `woken by ${gid(wait.waker)}`
      : ended === 'runtime'
        ? 'woken by the runtime (a timer, the network poller), no goroutine'
        : ended === 'self'
          ? 'woken by itself'
          : ended === 'end-of-trace'
            ? 'still waiting at the end of the trace'
            : 'ended without a wake';
  lines.push({
    depth: 0,
    segment: 0,
    text:
      `${gid(g)} waited ${formatDuration(wait.end - wait.start)} (${reason}), ` +
      `${at(wait.start)} – ${at(wait.end)}; ${endText}`,
  });
  let truncated = false;
  if (follow) {
    arrows.push({
      fromGoroutine: wait.waker,
      toGoroutine: g,
      timeNs: wait.end,
      stack: iv.stack[wait.next] as number,
      segment: 0,
    });
    const stack: Frame[] = [frame(m, wait.waker, wait.start, wait.end, 1, 0, wait.first)];
    while (stack.length > 0) {
      const f = stack[stack.length - 1] as Frame;
      const first = m.goroutines.intervalStart[f.x] as number;
      const last = m.goroutines.intervalStart[f.x + 1] as number;
      if (!(f.p < f.rEnd)) {
        stack.pop();
        continue;
      }
      if (segments.length >= maxSegments) {
        truncated = true;
        break;
      }
      // The piece: unknown time before x's first interval, else interval k (a whole wait run).
      let q: number;
      let kind: CauseKind;
      let state: string;
      let segInterval = -1;
      let st = -1;
      let child: ReturnType<typeof waitRun> | null = null;
      if (f.k < first || f.k >= last) {
        q = f.k < first && first < last ? Math.min(f.rEnd, iv.start[first] as number) : f.rEnd;
        kind = 'unknown';
        state = 'unknown';
        f.k = f.k < first ? first : last;
      } else {
        const s = iv.state[f.k] as number;
        if (s === GS_WAITING) {
          const w = waitRun(m, f.x, f.k);
          q = Math.min(f.rEnd, w.end);
          kind = 'waiting';
          state = `waiting (${m.reasons[iv.reason[w.first] as number] ?? ''})`;
          segInterval = w.first;
          st = intervalStacks(m, f.x, w.first).run;
          if (w.waker >= 0 && w.waker !== f.x && !onStack(stack, w.first)) child = w;
          f.k = w.last + 1;
        } else {
          const end = f.k + 1 < last ? (iv.start[f.k + 1] as number) : m.durationNs;
          q = Math.min(f.rEnd, end);
          kind = STATE_NAMES[s] ?? 'unknown';
          state = kind;
          segInterval = f.k;
          const stacks = intervalStacks(m, f.x, f.k);
          st = s === GS_RUNNABLE ? stacks.own : stacks.run;
          f.k++;
        }
      }
      const p = f.p;
      f.p = q;
      if (!(q > p)) continue;
      const prev = f.last >= 0 ? segments[f.last] : undefined;
      if (child === null && prev && prev.charged && prev.state === state && prev.endNs === p) {
        prev.endNs = q;
        const line = lines[lines.length - 1];
        if (line && line.segment === f.last) line.text = pieceText(gid(f.x), prev, null);
        continue;
      }
      const index = segments.length;
      const seg: ChainSegment = {
        parent: f.parent,
        depth: f.depth,
        goroutine: f.x,
        goId: gsIds[f.x] as number,
        interval: segInterval,
        startNs: p,
        endNs: q,
        state,
        kind,
        charged: child === null,
        stack: st,
      };
      segments.push(seg);
      f.last = index;
      lines.push({
        depth: f.depth,
        segment: index,
        text: pieceText(gid(f.x), seg, child ? { waker: gid(child.waker), at: child.end } : null),
      });
      if (child) {
        arrows.push({
          fromGoroutine: child.waker,
          toGoroutine: f.x,
          timeNs: child.end,
          stack: iv.stack[child.next] as number,
          segment: index,
        });
        stack.push(frame(m, child.waker, p, q, f.depth + 1, index, child.first));
      }
    }
  }
  return {
    goroutine: g,
    interval: wait.first,
    startNs: wait.start,
    endNs: wait.end,
    reason,
    ended,
    segments,
    arrows,
    lines,
    truncated,
  };
}

function pieceText(
  who: string,
  seg: ChainSegment,
  passed: { waker: string; at: number } | null,
): string {
  const span = `${at(seg.startNs)} – ${at(seg.endNs)} (${formatDuration(seg.endNs - seg.startNs)})`;
  return passed
    ? `${who} itself ${seg.state}, ${span}; woken by ${passed.waker} at ${at(passed.at)}`
    : `${who} ${seg.state}, ${span}`;
}

function frame(
  m: TraceModel,
  x: number,
  p: number,
  rEnd: number,
  depth: number,
  parent: number,
  run: number,
): Frame {
  const first = m.goroutines.intervalStart[x] as number;
  const last = m.goroutines.intervalStart[x + 1] as number;
  const k = upperBound(m.intervals.start, p, first, last) - 1;
  return { x, p, k, rEnd, depth, parent, run, last: -1 };
}

function onStack(stack: readonly Frame[], run: number): boolean {
  for (const f of stack) if (f.run === run) return true;
  return false;
}

/** The wait run containing waiting interval i of g: its bounds, span and what ended it. */
function waitRun(
  m: TraceModel,
  g: number,
  i: number,
): { first: number; last: number; start: number; end: number; next: number; waker: number } {
  const iv = m.intervals;
  const gEnd = m.goroutines.intervalStart[g + 1] as number;
  const a = waitRunFirst(m, g, i);
  const z = waitRunLast(m, i, gEnd);
  const next = z + 1 < gEnd ? z + 1 : -1;
  return {
    first: a,
    last: z,
    start: iv.start[a] as number,
    end: next >= 0 ? (iv.start[next] as number) : m.durationNs,
    next,
    waker: next >= 0 && iv.state[next] === GS_RUNNABLE ? wakerOf(iv, g, next) : -1,
  };
}
