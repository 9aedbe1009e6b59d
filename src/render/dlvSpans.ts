// Drawing dlv call spans in a goroutine lane: a pure draw-list builder (tested in Vitest) and a
// painter. Cost follows pixels: the scan starts at the first span that can be visible (binary
// search on the running max of ends) and spans under a pixel merge into one mark per row.

import type { DrawTarget } from './drawTarget';
import { lowerBound, upperBound } from '../base/search';
import type { DlvLane } from '../analysis/dlvLanes';
import type { DlvModel } from '../model/dlv';
import type { TimeScale } from './timeScale';
import { funcColour, type Theme } from './theme';

/** Height of one call-depth row (./rowLayout.ts ROW_H.dlvDepth lays lanes out with it). */
export const DLV_ROW_HEIGHT = 14;

export interface SpanMark {
  /** Span index in the model, or -1 for a merged mark. */
  span: number;
  depth: number;
  x: number;
  w: number;
  /** Spans merged into this mark (1 for a single span). */
  count: number;
}

/**
 * Marks for the spans of `lane` visible through `scale`. `offset` places the lane's own axis
 * on the session axis (session = own + offset).
 */
export function dlvDrawList(
  m: DlvModel,
  lane: DlvLane,
  scale: TimeScale,
  offset: number,
): SpanMark[] {
  const v0 = scale.startNs - offset;
  const v1 = scale.endNs - offset;
  const first = lowerBound(lane.maxEndPrefix, v0);
  const last = upperBound(lane.starts, v1);
  const marks: SpanMark[] = [];
  // Per depth: the open merged mark, so sub-pixel spans collapse into one.
  const pending = new Map<number, SpanMark>();
  for (let j = first; j < last; j++) {
    const end = lane.ends[j] as number;
    if (end < v0) continue;
    const i = lane.spans[j] as number;
    const depth = m.spans.depth[i] as number;
    const x = scale.toPx((lane.starts[j] as number) + offset);
    const x2 = scale.toPx(end + offset);
    const w = x2 - x;
    const prev = pending.get(depth);
    if (w < 1) {
      if (prev && x <= prev.x + Math.max(prev.w, 1)) {
        prev.w = Math.max(prev.w, x2 - prev.x);
        prev.count++;
        prev.span = -1;
        continue;
      }
    }
    const mark: SpanMark = { span: i, depth, x, w, count: 1 };
    marks.push(mark);
    pending.set(depth, mark);
  }
  return marks;
}

export function paintDlvMarks(
  ctx: DrawTarget,
  m: DlvModel,
  marks: readonly SpanMark[],
  y: number,
  clip: { x0: number; x1: number },
  theme: Theme,
  state: {
    selected: number;
    hovered: number;
    /** Per span: 1 when it is a call of the highlighted function. */
    highlighted?: Uint8Array | null;
  },
): void {
  ctx.font = '11px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  for (const mk of marks) {
    const x = Math.max(mk.x, clip.x0 - 1);
    const x2 = Math.min(mk.x + Math.max(mk.w, 1), clip.x1 + 1);
    if (x2 <= x) continue;
    const top = y + mk.depth * DLV_ROW_HEIGHT;
    const name = mk.span >= 0 ? (m.strings[m.spans.func[mk.span] as number] ?? '') : '';
    ctx.fillStyle = mk.span >= 0 ? funcColour(name, theme) : theme.muted;
    ctx.fillRect(x, top + 1, Math.max(1, x2 - x), DLV_ROW_HEIGHT - 2);
    const open = mk.span >= 0 && (m.spans.endSeq[mk.span] as number) < 0;
    if (state.highlighted && mk.span >= 0 && state.highlighted[mk.span] === 1) {
      ctx.fillStyle = '#ff9f1a';
      ctx.fillRect(x, top, Math.max(1, x2 - x), 2);
      ctx.fillRect(x, top + DLV_ROW_HEIGHT - 2, Math.max(1, x2 - x), 2);
    }
    if (mk.span >= 0 && (mk.span === state.selected || mk.span === state.hovered)) {
      ctx.strokeStyle = mk.span === state.selected ? theme.selectionEdge : theme.text;
      ctx.lineWidth = mk.span === state.selected ? 2 : 1;
      ctx.strokeRect(x + 0.5, top + 1.5, Math.max(1, x2 - x) - 1, DLV_ROW_HEIGHT - 3);
    } else if (open) {
      // Never returned: a dashed right edge says the end is unknown.
      ctx.strokeStyle = theme.text;
      ctx.setLineDash([2, 2]);
      ctx.beginPath();
      ctx.moveTo(x2 - 0.5, top + 1);
      ctx.lineTo(x2 - 0.5, top + DLV_ROW_HEIGHT - 1);
      ctx.stroke();
      ctx.setLineDash([]);
    }
    const w = x2 - x;
    if (mk.span >= 0 && w > 28) {
      ctx.fillStyle = theme.dark ? '#f0f2f5' : '#14171a';
      ctx.fillText(fitText(name, w - 6), x + 3, top + DLV_ROW_HEIGHT / 2);
    }
  }
}

/** Cuts text to about `px` wide (6 px per character: cheap, good enough for labels). */
export function fitText(s: string, px: number): string {
  const n = Math.floor(px / 6);
  if (s.length <= n) return s;
  if (n <= 1) return '';
  return `${s.slice(0, n - 1)}…`;
}

/** The span under (x, depth row) among marks, or -1. */
export function hitDlv(marks: readonly SpanMark[], x: number, depth: number): number {
  for (let k = marks.length - 1; k >= 0; k--) {
    const mk = marks[k] as SpanMark;
    if (mk.depth === depth && x >= mk.x - 2 && x <= mk.x + Math.max(mk.w, 1) + 2) return mk.span;
  }
  return -1;
}
