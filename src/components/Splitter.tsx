// A resize handle between two panels (ARIA separator): drag it with a mouse, a pen or a finger
// (pointer events with capture; touch-action none so a finger drags instead of scrolling), or
// focus it and use the arrow keys (Home/End for the limits). While it is dragged the page takes
// its cursor and selects no text (body.resizing), so a drag across the flame graph or a table
// does not select their text.

import { useRef } from 'react';

export interface SplitterProps {
  /** 'row': a horizontal bar between a top and a bottom panel; 'col': a vertical bar. */
  axis: 'row' | 'col';
  value: number;
  min: number;
  max: number;
  /** One arrow-key step. */
  step: number;
  /** +1 when the value grows as the pointer moves right/down, -1 when it shrinks. */
  direction: 1 | -1;
  /** How many value units one CSS pixel of pointer movement is. */
  perPixel(): number;
  onChange(v: number): void;
  label: string;
  testId?: string;
  /** aria-valuenow scale (e.g. 100 for a share shown in percent). */
  ariaScale?: number;
}

export function Splitter(p: SplitterProps) {
  const drag = useRef<{ pos: number; value: number; id: number } | null>(null);
  const clamp = (v: number) => Math.max(p.min, Math.min(p.max, v));
  const scale = p.ariaScale ?? 1;
  const grow =
    p.axis === 'row'
      ? p.direction > 0
        ? 'ArrowDown'
        : 'ArrowUp'
      : p.direction > 0
        ? 'ArrowRight'
        : 'ArrowLeft';
  const shrink =
    p.axis === 'row'
      ? p.direction > 0
        ? 'ArrowUp'
        : 'ArrowDown'
      : p.direction > 0
        ? 'ArrowLeft'
        : 'ArrowRight';
  const end = () => {
    drag.current = null;
    document.body.classList.remove('resizing', `resizing-${p.axis}`);
  };
  return (
    <div
      className={`splitter splitter-${p.axis}`}
      role="separator"
      // A separator between a top and a bottom panel is horizontal (ARIA).
      aria-orientation={p.axis === 'row' ? 'horizontal' : 'vertical'}
      aria-label={p.label}
      aria-valuenow={Math.round(p.value * scale)}
      aria-valuemin={Math.round(p.min * scale)}
      aria-valuemax={Math.round(p.max * scale)}
      tabIndex={0}
      data-testid={p.testId}
      onKeyDown={(e) => {
        let v: number;
        if (e.key === grow) v = p.value + p.step;
        else if (e.key === shrink) v = p.value - p.step;
        else if (e.key === 'Home') v = p.min;
        else if (e.key === 'End') v = p.max;
        else return;
        p.onChange(clamp(v));
        e.preventDefault();
        e.stopPropagation();
      }}
      onPointerDown={(e) => {
        if (e.button !== 0) return;
        e.preventDefault(); // no text selection starts here
        try {
          e.currentTarget.setPointerCapture(e.pointerId);
        } catch {
          // A pointer the browser does not track (synthetic): moves still reach the handle.
        }
        e.currentTarget.focus();
        drag.current = {
          pos: p.axis === 'row' ? e.clientY : e.clientX,
          value: p.value,
          id: e.pointerId,
        };
        document.body.classList.add('resizing', `resizing-${p.axis}`);
      }}
      onPointerMove={(e) => {
        const d = drag.current;
        if (!d || d.id !== e.pointerId) return;
        const moved = (p.axis === 'row' ? e.clientY : e.clientX) - d.pos;
        p.onChange(clamp(d.value + p.direction * moved * p.perPixel()));
      }}
      onPointerUp={end}
      onPointerCancel={end}
      onLostPointerCapture={end}
    />
  );
}
