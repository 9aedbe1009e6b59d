// One row of the timeline by kind: sections and files, profile windows, the trace's tracks
// (./trackPainters.ts), processor and goroutine lanes (./lanePainters.ts), dlv calls.

import { dlvDrawList, fitText, paintDlvMarks, type SpanMark } from './dlvSpans';
import type { DrawTarget } from './drawTarget';
import { paintGoroutineLane, paintProc } from './lanePainters';
import type { Row } from './rowLayout';
import { LABEL_WIDTH, LANE_PAD, type TimelinePaint } from './timelineGeometry';
import { paintActivity, paintMetric, paintRanges, paintTasks } from './trackPainters';

export function paintRow(
  ctx: DrawTarget,
  row: Row,
  y: number,
  width: number,
  st: TimelinePaint,
  marks: Map<string, SpanMark[]>,
): void {
  const { theme, scale } = st;
  switch (row.kind) {
    case 'section':
      ctx.fillStyle = theme.axisBg;
      ctx.fillRect(LABEL_WIDTH, y, width - LABEL_WIDTH, row.h);
      return;
    case 'file':
      ctx.fillStyle = theme.muted;
      ctx.font = '11px system-ui, sans-serif';
      ctx.textBaseline = 'middle';
      ctx.fillText(row.sub, LABEL_WIDTH + 8, y + row.h / 2);
      return;
    case 'profile': {
      if (row.startNs === null) {
        ctx.fillStyle = theme.muted;
        ctx.font = '11px system-ui, sans-serif';
        ctx.textBaseline = 'middle';
        ctx.fillText(row.sub, LABEL_WIDTH + 8, y + row.h / 2);
        return;
      }
      const x1 = scale.toPx(row.startNs);
      const x2 = scale.toPx(row.startNs + Math.max(row.durationNs, 0));
      ctx.fillStyle = theme.dark ? 'rgba(120,160,255,0.25)' : 'rgba(56,110,220,0.18)';
      ctx.fillRect(x1, y + 3, Math.max(2, x2 - x1), row.h - 6);
      ctx.fillStyle = theme.selectionEdge;
      ctx.fillRect(x1, y + 2, 2, row.h - 4);
      ctx.fillStyle = theme.text;
      ctx.font = '11px system-ui, sans-serif';
      ctx.textBaseline = 'middle';
      ctx.fillText(
        fitText(
          `${row.label} window · ${row.sub}`,
          Math.max(0, x2 - Math.max(x1, LABEL_WIDTH) - 8),
        ),
        Math.max(x1, LABEL_WIDTH) + 6,
        y + row.h / 2,
      );
      return;
    }
    case 'gc':
      paintRanges(ctx, row.trace, y, row.h, st);
      return;
    case 'counts': {
      const { activity, peak } = row.view;
      paintActivity(ctx, activity, peak, row.trace.durationNs, y + row.h - 2, row.h - 6, st);
      ctx.fillStyle = theme.muted;
      ctx.font = '10px system-ui, sans-serif';
      ctx.textBaseline = 'top';
      ctx.fillText(`max ${peak.toFixed(0)}`, LABEL_WIDTH + 4, y + 1);
      return;
    }
    case 'metric':
      paintMetric(ctx, row, y, st);
      return;
    case 'tasks':
      paintTasks(ctx, row, y, st);
      return;
    case 'proc':
      paintProc(ctx, row.trace, row.p, y + 2, row.h - 4, st);
      return;
    case 'group':
      // Scaled to the group's busiest moment, so a large group of mostly short-lived goroutines
      // still shows.
      if (row.collapsed && row.activity)
        paintActivity(
          ctx,
          row.activity,
          row.peak,
          row.trace.durationNs,
          y + row.h - 2,
          row.h - 4,
          st,
        );
      else {
        ctx.fillStyle = theme.axisBg;
        ctx.fillRect(LABEL_WIDTH, y, width - LABEL_WIDTH, row.h);
      }
      return;
    case 'goroutine':
      paintGoroutineLane(ctx, row, y, st);
      return;
    case 'dlv': {
      const list = dlvDrawList(row.model, row.lane, scale, row.offset);
      marks.set(row.key, list);
      const hl =
        (st.search ?? st.highlight)?.dlv.find((d) => d.fileId === row.fileId)?.spans ?? null;
      paintDlvMarks(ctx, row.model, list, y + LANE_PAD, { x0: LABEL_WIDTH, x1: width }, theme, {
        selected: st.selectedSpan?.fileId === row.fileId ? st.selectedSpan.span : -1,
        hovered: st.hoveredSpan?.fileId === row.fileId ? st.hoveredSpan.span : -1,
        highlighted: hl,
      });
      return;
    }
  }
}
