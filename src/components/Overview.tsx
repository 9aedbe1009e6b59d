// The overview strip (render/overview.ts draws it): the whole trace at a glance, the current view
// marked; click or drag to jump.

import { useCallback, useMemo, useRef, useState } from 'react';
import type { FunctionHighlight } from '../analysis/highlight';
import type { TraceView } from '../engine/timeline';
import type { TraceModel } from '../model/trace';
import { paintOverviewBackground, paintOverviewMarks } from '../render/overview';
import { clampRange, TimeScale } from '../render/timeScale';
import { LABEL_WIDTH } from '../render/timeline';
import type { TimeRange } from '../store/session';
import { CanvasHost, type PointerInfo } from './CanvasHost';
import { useTheme } from './useTheme';

const HEIGHT = 46;

export function Overview(props: {
  trace: TraceModel;
  /** The engine's painting data for the trace (activity). */
  traceView: TraceView;
  view: TimeRange;
  setView(v: TimeRange): void;
  selection: TimeRange | null;
  /** Where a highlighted function's intervals and samples cluster in time. */
  histogram?: FunctionHighlight['histogram'] | null;
}) {
  const theme = useTheme();
  const { trace, view, traceView } = props;
  const [width, setWidth] = useState(0);
  const dragStart = useRef<TimeRange | null>(null);
  const plot = Math.max(1, width - LABEL_WIDTH);
  // The whole trace across the plot area.
  const scale = useMemo(
    () => new TimeScale(0, Math.max(1, trace.durationNs), LABEL_WIDTH, plot),
    [trace, plot],
  );

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
    paintOverviewBackground(ctx, width, HEIGHT, { theme, trace, view: traceView, scale });
    return canvas;
  }, [trace, traceView, width, theme, scale]);

  const draw = useCallback(
    (ctx: CanvasRenderingContext2D, w: number, h: number) => {
      if (background) ctx.drawImage(background, 0, 0, w, h);
      paintOverviewMarks(ctx, w, h, {
        theme,
        scale,
        view,
        selection: props.selection,
        histogram: props.histogram ?? null,
      });
    },
    [background, view, props.selection, props.histogram, theme, scale],
  );

  const jumpTo = (p: PointerInfo) => {
    const span = view.endNs - view.startNs;
    const c = scale.toNs(p.x);
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
          const a = scale.toNs(start.x);
          const inside = a >= s.startNs && a <= s.endNs;
          if (inside) {
            const d = dx / scale.k;
            props.setView(clampRange(s.startNs + d, s.endNs + d, trace.durationNs));
          } else {
            const b = scale.toNs(start.x + dx);
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
