// One component owns a canvas: device-pixel-ratio sizing, redraws batched through
// requestAnimationFrame (one callback for every canvas of the page, ./paintScheduler.ts), and
// pointer gestures with a click-vs-drag threshold (Firefox Profiler
// src/components/shared/chart/Canvas.tsx). Views pass a pure draw function and gesture handlers.

import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type CSSProperties,
} from 'react';
import { paintScheduler, type Painter } from './paintScheduler';

export interface PointerInfo {
  x: number;
  y: number;
  shift: boolean;
  ctrl: boolean;
}

export interface CanvasHostProps {
  /** Draws the whole canvas in CSS px (the context is already scaled by the DPR). */
  draw(ctx: CanvasRenderingContext2D, width: number, height: number): void;
  /** Any value that changes when the picture must change. */
  drawKey: unknown;
  onHover?(p: PointerInfo | null): void;
  onClick?(p: PointerInfo): void;
  /** Drag in progress: total movement since the press, and the press position. */
  onDrag?(phase: 'start' | 'move' | 'end', start: PointerInfo, dx: number, dy: number): void;
  onWheel?(e: WheelEvent, p: PointerInfo): void;
  onSize?(width: number, height: number): void;
  className?: string;
  style?: CSSProperties;
  ariaLabel: string;
  testId?: string;
  /**
   * Painted in the frame it asks for, whatever else that frame paints (the canvases that follow
   * the pointer); others may wait a frame when it is full (./paintScheduler.ts).
   */
  urgent?: boolean;
}

const DRAG_THRESHOLD_PX = 4;

function perfSink(): Array<{ what: string; ms: number }> | undefined {
  return (window as unknown as { __goroscopePerf?: Array<{ what: string; ms: number }> })
    .__goroscopePerf;
}

export function CanvasHost(props: CanvasHostProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  const propsRef = useRef(props);
  propsRef.current = props;
  const press = useRef<{ p: PointerInfo; dragging: boolean; id: number } | null>(null);

  useLayoutEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const ro = new ResizeObserver(() => {
      const r = canvas.getBoundingClientRect();
      setSize({ width: Math.floor(r.width), height: Math.floor(r.height) });
    });
    ro.observe(canvas);
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    propsRef.current.onSize?.(size.width, size.height);
  }, [size]);

  const paint = useCallback(() => {
    const canvas = canvasRef.current;
    if (!canvas || size.width === 0 || size.height === 0) return;
    const dpr = window.devicePixelRatio || 1;
    const w = Math.round(size.width * dpr);
    const h = Math.round(size.height * dpr);
    if (canvas.width !== w || canvas.height !== h) {
      canvas.width = w;
      canvas.height = h;
    }
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const t0 = performance.now();
    propsRef.current.draw(ctx, size.width, size.height);
    // Benchmarks (scripts/bench-ui.ts) set window.__goroscopePerf to collect draw times.
    perfSink()?.push({ what: propsRef.current.testId ?? 'canvas', ms: performance.now() - t0 });
  }, [size]);

  // One painter per canvas, for the page's paint scheduler: it paints the latest `paint`. Asked
  // for in a layout effect, so the frame that shows the DOM this render changed (the timeline's
  // overlay elements) also shows the canvas painted for it. Urgent when the view says so or the
  // pointer is over the canvas (the one being dragged or hovered follows the pointer every frame).
  const latest = useRef(paint);
  latest.current = paint;
  const painter = useRef<Painter>(() => latest.current());
  const pointerOver = useRef(false);
  useLayoutEffect(() => {
    paintScheduler.request(
      painter.current,
      propsRef.current.urgent === true || pointerOver.current || press.current !== null,
    );
  }, [paint, props.drawKey]);
  useEffect(() => {
    const p = painter.current;
    return () => paintScheduler.cancel(p);
  }, []);

  // Wheel must be non-passive to prevent the page from scrolling or zooming.
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const onWheel = (e: WheelEvent) => {
      const cb = propsRef.current.onWheel;
      if (!cb) return;
      e.preventDefault();
      cb(e, pointer(canvas, e));
    };
    canvas.addEventListener('wheel', onWheel, { passive: false });
    return () => canvas.removeEventListener('wheel', onWheel);
  }, []);

  return (
    <canvas
      ref={canvasRef}
      className={props.className}
      style={{
        display: 'block',
        width: '100%',
        height: '100%',
        touchAction: 'none',
        ...props.style,
      }}
      aria-label={props.ariaLabel}
      role="img"
      data-testid={props.testId}
      onPointerDown={(e) => {
        if (e.button !== 0) return;
        const p = pointer(e.currentTarget, e);
        press.current = { p, dragging: false, id: e.pointerId };
        e.currentTarget.setPointerCapture(e.pointerId);
      }}
      onPointerMove={(e) => {
        pointerOver.current = true;
        const p = pointer(e.currentTarget, e);
        const pr = press.current;
        if (pr) {
          const dx = p.x - pr.p.x;
          const dy = p.y - pr.p.y;
          if (!pr.dragging && Math.hypot(dx, dy) >= DRAG_THRESHOLD_PX) {
            pr.dragging = true;
            props.onDrag?.('start', pr.p, dx, dy);
          }
          if (pr.dragging) props.onDrag?.('move', pr.p, dx, dy);
          return;
        }
        props.onHover?.(p);
      }}
      onPointerUp={(e) => {
        const pr = press.current;
        press.current = null;
        if (!pr) return;
        const p = pointer(e.currentTarget, e);
        if (pr.dragging) props.onDrag?.('end', pr.p, p.x - pr.p.x, p.y - pr.p.y);
        else props.onClick?.(p);
      }}
      onPointerCancel={() => {
        press.current = null;
      }}
      onPointerLeave={() => {
        pointerOver.current = false;
        if (!press.current) props.onHover?.(null);
      }}
    />
  );
}

function pointer(
  el: Element,
  e: { clientX: number; clientY: number; shiftKey: boolean; ctrlKey: boolean; metaKey: boolean },
): PointerInfo {
  const r = el.getBoundingClientRect();
  return {
    x: e.clientX - r.left,
    y: e.clientY - r.top,
    shift: e.shiftKey,
    ctrl: e.ctrlKey || e.metaKey,
  };
}
