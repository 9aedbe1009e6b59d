// The overview strip: the whole trace at a glance (goroutines running, runnable, in syscalls and
// waiting over time; GC and stop-the-world bands), then over it the selection, where a
// highlighted function clusters, and the current view framed. Time maps to pixels through a
// TimeScale over the whole trace, as everywhere else.

import type { DrawTarget } from './drawTarget';
import type { FunctionHighlight } from '../analysis/highlight';
import type { TraceView } from '../engine/timeline';
import { StateClass } from '../model/stateClass';
import { RANGE_GC, RANGE_STW, type TraceModel } from '../model/trace';
import { paintStackedArea, sampleColumns } from './area';
import { activityColours, stateColour } from './goroutineLane';
import type { Theme } from './theme';
import type { TimeScale } from './timeScale';

/** The picture that changes only with the trace, the size or the theme (drawn once, then copied). */
export function paintOverviewBackground(
  ctx: DrawTarget,
  width: number,
  height: number,
  o: { theme: Theme; trace: TraceModel; view: TraceView; scale: TimeScale },
): void {
  const { theme, trace, view, scale } = o;
  ctx.fillStyle = theme.axisBg;
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = theme.muted;
  ctx.font = '11px system-ui, sans-serif';
  ctx.textBaseline = 'top';
  ctx.fillText('whole trace', 8, 4);
  ctx.fillText('running · runnable · waiting', 8, 18);
  const a = view.activity;
  const x0 = scale.x0;
  const layers = sampleColumns([a.running, a.runnable, a.syscall, a.waiting], x0, width, (x) =>
    Math.floor(scale.toNs(x) / a.bucketNs),
  );
  paintStackedArea(
    ctx,
    { layers, colours: activityColours(theme) },
    x0,
    height - 8,
    height - 10,
    Math.max(1, view.peak),
  );
  // GC and stop-the-world bands along the bottom.
  const r = trace.ranges;
  for (let i = 0; i < r.length; i++) {
    const k = r.kind[i]!;
    if (k !== RANGE_GC && k !== RANGE_STW) continue;
    const e = Number.isNaN(r.end[i]!) ? trace.durationNs : r.end[i]!;
    const x1 = scale.toPx(r.start[i]!);
    const x2 = scale.toPx(e);
    ctx.fillStyle = k === RANGE_GC ? stateColour(StateClass.WaitGC, theme) : theme.stw;
    ctx.fillRect(x1, height - (k === RANGE_GC ? 7 : 3), Math.max(1, x2 - x1), 3);
  }
}

export interface OverviewMarks {
  theme: Theme;
  scale: TimeScale;
  view: { startNs: number; endNs: number };
  selection: { startNs: number; endNs: number } | null;
  /** Where a highlighted function's intervals and samples cluster in time. */
  histogram: FunctionHighlight['histogram'] | null;
}

/** What changes as the user works: the selection, a function's clusters, the view's frame. */
export function paintOverviewMarks(
  ctx: DrawTarget,
  width: number,
  height: number,
  o: OverviewMarks,
): void {
  const { theme, scale } = o;
  if (o.selection) {
    const x1 = scale.toPx(o.selection.startNs);
    const x2 = scale.toPx(o.selection.endNs);
    ctx.fillStyle = theme.selection;
    ctx.fillRect(x1, 0, Math.max(1, x2 - x1), height);
  }
  const hist = o.histogram;
  if (hist) {
    // The function's time per bucket (a CPU sample counts as 1 ms), as bars from the top edge.
    const n = hist.intervalNs.length;
    let max = 0;
    for (let i = 0; i < n; i++) max = Math.max(max, hist.intervalNs[i]! + hist.samples[i]! * 1e6);
    ctx.fillStyle = theme.highlight;
    for (let i = 0; i < n && max > 0; i++) {
      const v = (hist.intervalNs[i]! + hist.samples[i]! * 1e6) / max;
      if (v <= 0) continue;
      const x1 = scale.toPx(i * hist.bucketNs);
      const w = scale.toPx((i + 1) * hist.bucketNs) - x1;
      ctx.fillRect(x1, 0, Math.max(1, w - 0.5), Math.max(1.5, v * (height / 2)));
    }
  }
  const v1 = scale.toPx(o.view.startNs);
  const v2 = scale.toPx(o.view.endNs);
  ctx.fillStyle = theme.veil;
  ctx.fillRect(scale.x0, 0, Math.max(0, v1 - scale.x0), height);
  ctx.fillRect(v2, 0, Math.max(0, width - v2), height);
  ctx.strokeStyle = theme.selectionEdge;
  ctx.lineWidth = 1.5;
  ctx.strokeRect(v1, 0.75, Math.max(2, v2 - v1), height - 1.5);
}
