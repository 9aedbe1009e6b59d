// The overview strip: the whole trace at a glance (goroutines running, runnable, in syscalls and
// waiting over time, GC and stop-the-world bands), the current view marked; click or drag to jump.

import { useCallback, useMemo, useRef, useState } from 'react';
import { activity } from '../analysis/traceLanes';
import { RANGE_GC, RANGE_STW, type TraceModel } from '../model/trace';
import type { FunctionHighlight } from '../analysis/highlight';
import { activityColours, stateColour, StateClass } from '../render/goroutineLane';
import { clampRange } from '../render/timeScale';
import { paintStackedArea, sampleColumns } from '../render/area';
import { LABEL_WIDTH } from '../render/timeline';
import type { TimeRange } from '../store/session';
import { CanvasHost, type PointerInfo } from './CanvasHost';
import { useTheme } from './useTheme';

const HEIGHT = 46;

export function Overview(props: {
  trace: TraceModel;
  view: TimeRange;
  setView(v: TimeRange): void;
  selection: TimeRange | null;
  /** Where a highlighted function's intervals and samples cluster in time. */
  highlight?: FunctionHighlight | null;
}) {
  const theme = useTheme();
  const { trace, view } = props;
  const [width, setWidth] = useState(0);
  const dragStart = useRef<TimeRange | null>(null);
  const plot = Math.max(1, width - LABEL_WIDTH);
  const toNs = (x: number) => ((x - LABEL_WIDTH) / plot) * trace.durationNs;

  // The whole-trace picture only changes with the trace, the size or the theme: drawn once into
  // an offscreen canvas, then copied each frame under the view window.
  const background = useMemo(() => {
    if (width <= 0) return null;
    const dpr = window.devicePixelRatio || 1;
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(HEIGHT * dpr);
    const ctx = canvas.getContext('2d');
    if (!ctx) return null;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const w = width;
    const h = HEIGHT;
    ctx.fillStyle = theme.axisBg;
    ctx.fillRect(0, 0, w, h);
    ctx.fillStyle = theme.muted;
    ctx.font = '11px system-ui, sans-serif';
    ctx.textBaseline = 'top';
    ctx.fillText('whole trace', 8, 4);
    ctx.fillText('running · runnable · waiting', 8, 18);
    const a = activity(trace, 2048);
    let max = 1;
    for (let i = 0; i < a.buckets; i++)
      max = Math.max(max, a.running[i]! + a.runnable[i]! + a.syscall[i]! + a.waiting[i]!);
    const pw = w - LABEL_WIDTH;
    const layers = sampleColumns(
      [a.running, a.runnable, a.syscall, a.waiting],
      LABEL_WIDTH,
      w,
      (x) => Math.floor(((x - LABEL_WIDTH) / pw) * a.buckets),
    );
    const colours = activityColours(theme);
    paintStackedArea(ctx, { layers, colours }, LABEL_WIDTH, h - 8, h - 10, max);
    // GC and stop-the-world bands along the bottom.
    const r = trace.ranges;
    for (let i = 0; i < r.length; i++) {
      const k = r.kind[i]!;
      if (k !== RANGE_GC && k !== RANGE_STW) continue;
      const e = Number.isNaN(r.end[i]!) ? trace.durationNs : r.end[i]!;
      const x1 = LABEL_WIDTH + (r.start[i]! / trace.durationNs) * pw;
      const x2 = LABEL_WIDTH + (e / trace.durationNs) * pw;
      ctx.fillStyle =
        k === RANGE_GC ? stateColour(StateClass.WaitGC, theme) : theme.dark ? '#ff6b6b' : '#c62828';
      ctx.fillRect(x1, h - (k === RANGE_GC ? 7 : 3), Math.max(1, x2 - x1), 3);
    }
    return canvas;
  }, [trace, width, theme]);

  const draw = useCallback(
    (ctx: CanvasRenderingContext2D, w: number, h: number) => {
      if (background) ctx.drawImage(background, 0, 0, w, h);
      const pw = w - LABEL_WIDTH;
      if (props.selection) {
        const x1 = LABEL_WIDTH + (props.selection.startNs / trace.durationNs) * pw;
        const x2 = LABEL_WIDTH + (props.selection.endNs / trace.durationNs) * pw;
        ctx.fillStyle = theme.selection;
        ctx.fillRect(x1, 0, Math.max(1, x2 - x1), h);
      }
      const hl = props.highlight;
      if (hl) {
        // The highlighted function's time per bucket, as bars from the top edge.
        const n = hl.histogram.intervalNs.length;
        let max = 0;
        for (let i = 0; i < n; i++)
          max = Math.max(max, hl.histogram.intervalNs[i]! + hl.histogram.samples[i]! * 1e6);
        ctx.fillStyle = theme.highlight;
        for (let i = 0; i < n && max > 0; i++) {
          const v = (hl.histogram.intervalNs[i]! + hl.histogram.samples[i]! * 1e6) / max;
          if (v <= 0) continue;
          const x1 = LABEL_WIDTH + (i / n) * pw;
          ctx.fillRect(x1, 0, Math.max(1, pw / n - 0.5), Math.max(1.5, v * (h / 2)));
        }
      }
      const v1 = LABEL_WIDTH + (view.startNs / trace.durationNs) * pw;
      const v2 = LABEL_WIDTH + (view.endNs / trace.durationNs) * pw;
      ctx.fillStyle = theme.dark ? 'rgba(0,0,0,0.35)' : 'rgba(255,255,255,0.55)';
      ctx.fillRect(LABEL_WIDTH, 0, Math.max(0, v1 - LABEL_WIDTH), h);
      ctx.fillRect(v2, 0, Math.max(0, w - v2), h);
      ctx.strokeStyle = theme.selectionEdge;
      ctx.lineWidth = 1.5;
      ctx.strokeRect(v1, 0.75, Math.max(2, v2 - v1), h - 1.5);
    },
    [background, trace, view, props.selection, props.highlight, theme],
  );

  const jumpTo = (p: PointerInfo) => {
    const span = view.endNs - view.startNs;
    const c = toNs(p.x);
    props.setView(clampRange(c - span / 2, c + span / 2, trace.durationNs));
  };

  return (
    <div className="overview" style={{ height: HEIGHT }} data-testid="overview">
      <CanvasHost
        ariaLabel="Overview of the whole trace; click or drag to move the view"
        testId="overview-canvas"
        draw={draw}
        drawKey={draw}
        onSize={(w) => setWidth(w)}
        onClick={(p) => {
          if (p.x >= LABEL_WIDTH) jumpTo(p);
        }}
        onDrag={(phase, start, dx) => {
          if (phase === 'start') {
            // Dragging inside the view window moves it; outside, it selects a new window.
            dragStart.current = view;
          }
          const s = dragStart.current;
          if (!s) return;
          const a = toNs(start.x);
          const inside = a >= s.startNs && a <= s.endNs;
          if (inside) {
            const d = (dx / plot) * trace.durationNs;
            props.setView(clampRange(s.startNs + d, s.endNs + d, trace.durationNs));
          } else {
            const b = toNs(start.x + dx);
            const lo = Math.max(0, Math.min(a, b));
            const hi = Math.min(trace.durationNs, Math.max(a, b));
            if (hi - lo > 10) props.setView({ startNs: lo, endNs: hi });
          }
          if (phase === 'end') dragStart.current = null;
        }}
      />
    </div>
  );
}
