// The label column: a row's name, its count or sub-label, the group arrow, the highlight mark.

import { fitText } from './dlvSpans';
import type { DrawTarget } from './drawTarget';
import type { Row } from './rowLayout';
import { LABEL_WIDTH, type TimelinePaint } from './timelineGeometry';

export function paintGutter(ctx: DrawTarget, row: Row, y: number, st: TimelinePaint): void {
  const { theme } = st;
  const section = row.kind === 'section' || row.kind === 'group';
  ctx.fillStyle = section ? theme.axisBg : theme.panel;
  ctx.fillRect(0, y, LABEL_WIDTH - 1, row.h);
  const hl = st.highlight?.goroutineMask;
  if (row.kind === 'goroutine' && hl && hl[row.g] === 1) {
    ctx.fillStyle = theme.highlight;
    ctx.fillRect(0, y, 4, row.h);
  }
  ctx.textBaseline = 'middle';
  const mid = y + Math.min(row.h, 22) / 2;
  let x = 8;
  if (row.kind === 'group') {
    ctx.fillStyle = theme.muted;
    ctx.font = '10px system-ui, sans-serif';
    ctx.fillText(row.collapsed ? '▶' : '▼', x, mid);
    x += 14;
  } else if (row.kind === 'goroutine' || row.kind === 'proc') {
    x += 12;
  } else if (row.kind === 'dlv' && row.label === '') {
    // A goroutine's dlv calls under its lane: a bracket ties them to the lane's label.
    ctx.fillStyle = theme.muted;
    ctx.fillRect(x + 4, y, 1, row.h - 3);
    ctx.fillRect(x + 4, y + row.h - 4, 6, 1);
    return;
  }
  ctx.fillStyle = theme.text;
  ctx.font =
    row.kind === 'section' || row.kind === 'group'
      ? '600 12px system-ui, sans-serif'
      : '600 11px system-ui, sans-serif';
  // Group counts are the point of a group row: right-aligned, and the name is cut before them.
  let countW = 0;
  if (row.kind === 'group' && row.sub) {
    ctx.font = '11px system-ui, sans-serif';
    countW = ctx.measureText(row.sub).width + 6;
    ctx.fillStyle = theme.muted;
    ctx.fillText(row.sub, LABEL_WIDTH - 6 - countW + 6, mid);
    ctx.font = '600 12px system-ui, sans-serif';
    ctx.fillStyle = theme.text;
  }
  const label = fitMeasured(ctx, row.label, LABEL_WIDTH - x - 8 - countW);
  ctx.fillText(label, x, mid);
  const w = ctx.measureText(label).width;
  if (row.sub && row.kind !== 'group') {
    ctx.fillStyle = theme.muted;
    ctx.font = '11px system-ui, sans-serif';
    const room = LABEL_WIDTH - x - w - 14;
    if (room > 20) ctx.fillText(fitText(row.sub, room), x + w + 6, mid);
  }
}

/** Text cut (with an ellipsis) to fit maxPx in the current font, measured, not estimated. */
export function fitMeasured(ctx: DrawTarget, text: string, maxPx: number): string {
  if (ctx.measureText(text).width <= maxPx) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (ctx.measureText(`${text.slice(0, mid)}…`).width <= maxPx) lo = mid;
    else hi = mid - 1;
  }
  return lo > 0 ? `${text.slice(0, lo)}…` : '';
}
