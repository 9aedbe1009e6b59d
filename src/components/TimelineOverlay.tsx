// What follows the pointer over the timeline's picture: the selection's shade and its length, and
// the cursor line, as elements placed by render/timeline.ts `overlayLayout`. They were a second
// canvas the size of the timeline: every frame the cursor or the selection moved, Chromium without
// a GPU copied its 5 MB to the compositor (7-16 ms at 1600x1000, measured in a Chrome trace of
// `npm run bench:ui`'s spike click). The elements are layers moved by transforms: placed by
// left/width they were laid out and painted again every frame of a drag, which dropped twice as
// many frames as the canvas did. The PNG export draws them from their boxes and styles
// (app/exports.ts).

import type { CSSProperties } from 'react';
import { OVERLAY_LABEL_FONT, overlayLayout, type OverlayPaint } from '../render/timeline';

let measurer: CanvasRenderingContext2D | null | undefined;
/** A text's width in the label's font. */
function measure(text: string): number {
  measurer ??= document.createElement('canvas').getContext('2d');
  if (!measurer) return text.length * 6.5;
  measurer.font = OVERLAY_LABEL_FONT;
  return measurer.measureText(text).width;
}

export function TimelineOverlay(props: {
  testId: string;
  width: number;
  height: number;
  paint: OverlayPaint;
}) {
  const { testId, width, height, paint } = props;
  const { theme } = paint;
  const o = overlayLayout(width, height, paint, measure);
  // Placed by transforms on layers of their own, so that moving them repaints nothing.
  const at = (x: number, top: number, h: number, w: number, scale = 1): CSSProperties => ({
    position: 'absolute',
    left: 0,
    top,
    width: w,
    height: h,
    transformOrigin: '0 0',
    transform: scale === 1 ? `translateX(${x}px)` : `translateX(${x}px) scaleX(${scale})`,
    willChange: 'transform',
  });
  return (
    <div
      data-testid={testId}
      aria-hidden="true"
      style={{
        position: 'absolute',
        inset: 0,
        pointerEvents: 'none',
        overflow: 'hidden',
        contain: 'strict',
      }}
    >
      {o.shade && (
        <>
          <div
            style={{
              ...at(o.shade.x, o.shade.top, o.shade.h, 1, o.shade.w),
              background: theme.selection,
            }}
          />
          <div
            style={{ ...at(o.shade.x, o.shade.top, o.shade.h, 1), background: theme.selectionEdge }}
          />
          {o.shade.w >= 2 && (
            <div
              style={{
                ...at(o.shade.x + o.shade.w - 1, o.shade.top, o.shade.h, 1),
                background: theme.selectionEdge,
              }}
            />
          )}
        </>
      )}
      {o.label && (
        <div
          data-testid={`${testId}-length`}
          style={{
            ...at(o.label.x, o.label.y, o.label.h, o.label.w),
            boxSizing: 'border-box',
            paddingLeft: 5,
            background: theme.selectionEdge,
            color: '#fff',
            font: OVERLAY_LABEL_FONT,
            lineHeight: `${o.label.h}px`,
            whiteSpace: 'nowrap',
            overflow: 'hidden',
          }}
        >
          {o.label.text}
        </div>
      )}
      {o.cursor && (
        <div
          style={{
            ...at(Math.floor(o.cursor.x), o.cursor.top, o.cursor.h, 0),
            borderLeft: `1px dashed ${theme.muted}`,
          }}
        />
      )}
    </div>
  );
}
