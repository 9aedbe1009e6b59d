// What follows the pointer over the timeline's picture: the selection's shade and its length, and
// the cursor line, as elements placed by render/timeline.ts `overlayLayout`. They were a second
// canvas the size of the timeline: every frame the cursor or the selection moved, Chromium without
// a GPU copied its 5 MB to the compositor (7-16 ms at 1600x1000, measured in a Chrome trace of
// `npm run bench:ui`'s spike click). Elements cost a few rectangles of paint. The PNG export draws
// them from their boxes and styles (app/exports.ts).

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
        <div
          style={{
            position: 'absolute',
            left: o.shade.x,
            top: o.shade.top,
            width: o.shade.w,
            height: o.shade.h,
            boxSizing: 'border-box',
            background: theme.selection,
            borderLeft: `1px solid ${theme.selectionEdge}`,
            borderRight: o.shade.w >= 2 ? `1px solid ${theme.selectionEdge}` : undefined,
          }}
        />
      )}
      {o.label && (
        <div
          data-testid={`${testId}-length`}
          style={{
            position: 'absolute',
            left: o.label.x,
            top: o.label.y,
            width: o.label.w,
            height: o.label.h,
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
            position: 'absolute',
            left: Math.floor(o.cursor.x),
            top: o.cursor.top,
            width: 0,
            height: o.cursor.h,
            borderLeft: `1px dashed ${theme.muted}`,
          }}
        />
      )}
    </div>
  );
}
