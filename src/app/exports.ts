// Exports: the flame graph's stack set as a gzip'd pprof (`go tool pprof` opens it), the timeline
// area as a PNG (axis, legend, file names), and the goroutine intervals in scope as CSV. The engine makes the pprof and the CSV
// (engine/flame.ts, engine/timeline.ts) from the same params the page shows; the page downloads
// them. Nothing is sent anywhere.

import { formatDuration } from '../base/units';
import type { EngineApi } from '../engine/api';
import { csvParams, flameParams } from '../store/selectors';
import type { SessionState } from '../store/session';
import { OVERLAY_LABEL_FONT } from '../render/timeline';

export function download(blob: Blob, name: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

/** The flame graph's current stack set (range, goroutines, labels) as .pb.gz bytes and a file name. */
export function flameAsPprof(
  s: SessionState,
  engine: EngineApi,
): Promise<{ bytes: Uint8Array; name: string; samples: number } | null> {
  return engine.query('flamePprof', flameParams(s, s.view));
}

/** Goroutine intervals overlapping the selection (or view), for the lanes the filter keeps. */
export async function intervalsAsCsv(
  s: SessionState,
  engine: EngineApi,
): Promise<{ text: string; rows: number; cut: boolean } | null> {
  const p = csvParams(s);
  return p ? engine.query('intervalsCsv', p) : null;
}

/**
 * The timeline area as a PNG, as the page shows it: a title line with the session's file names
 * and the visible range, the overview strip, the state colour legend, then the lanes with their
 * labels, the time axis and the selection. Canvases are copied at the screen's pixel ratio; the
 * legend and the title (page text, not canvas) are drawn as text, never read back as HTML.
 */
export async function timelinePng(
  s: Pick<SessionState, 'files' | 'view'> = { files: [], view: null },
): Promise<Blob | null> {
  const canvas = document.querySelector<HTMLCanvasElement>('[data-testid=timeline-canvas]');
  if (!canvas) return null;
  const overlay = document.querySelector<HTMLElement>('[data-testid=timeline-overlay]');
  const overview = document.querySelector<HTMLCanvasElement>('[data-testid=overview-canvas]');
  const legend = Array.from(document.querySelectorAll<HTMLElement>('.legend .legend-item')).map(
    (el) => ({
      text: el.textContent ?? '',
      colour: getComputedStyle(el.querySelector('.swatch') ?? el).backgroundColor,
    }),
  );
  const dpr = canvas.width / Math.max(1, canvas.clientWidth) || 1;
  const width = canvas.width;
  const css = getComputedStyle(document.documentElement);
  const bg = css.getPropertyValue('--bg').trim() || '#fff';
  const text = css.getPropertyValue('--text').trim() || '#000';
  const muted = css.getPropertyValue('--muted').trim() || '#666';
  const line = Math.round(20 * dpr);
  const overviewH = overview ? overview.height : 0;
  const title = [
    s.files.map((f) => f.name).join(', ') || 'goroscope',
    s.view ? `${formatDuration(s.view.startNs)} – ${formatDuration(s.view.endNs)}` : '',
  ];
  const out = document.createElement('canvas');
  out.width = width;
  out.height = line * 2 + overviewH + line + canvas.height;
  const ctx = out.getContext('2d');
  if (!ctx) return null;
  ctx.fillStyle = bg;
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.textBaseline = 'middle';
  const font = (px: number, weight = '') =>
    `${weight} ${Math.round(px * dpr)}px system-ui, sans-serif`.trim();
  let y = 0;
  ctx.fillStyle = text;
  ctx.font = font(13, '600');
  ctx.fillText(fitWidth(ctx, title[0]!, width - 16 * dpr), 8 * dpr, y + line / 2);
  y += line;
  ctx.fillStyle = muted;
  ctx.font = font(12);
  ctx.fillText(`goroscope · visible ${title[1]}`, 8 * dpr, y + line / 2);
  y += line;
  if (overview) {
    ctx.drawImage(overview, 0, y);
    y += overviewH;
  }
  let x = 8 * dpr;
  ctx.font = font(12);
  for (const item of legend) {
    ctx.fillStyle = item.colour;
    ctx.fillRect(x, y + line / 2 - 5 * dpr, 10 * dpr, 10 * dpr);
    x += 14 * dpr;
    ctx.fillStyle = muted;
    ctx.fillText(item.text, x, y + line / 2);
    x += ctx.measureText(item.text).width + 10 * dpr;
  }
  y += line;
  ctx.drawImage(canvas, 0, y);
  // The selection and the cursor, which the page shows as elements over the canvas.
  if (overlay) {
    ctx.save();
    ctx.translate(0, y);
    ctx.scale(dpr, dpr);
    drawElements(ctx, overlay, canvas.getBoundingClientRect());
    ctx.restore();
  }
  return new Promise((resolve) => out.toBlob((b) => resolve(b), 'image/png'));
}

/**
 * The children of `layer` (boxes with a background, left and right borders, one line of text) drawn
 * where they are relative to `origin`, in CSS px: the timeline's overlay, as the page shows it.
 */
function drawElements(ctx: CanvasRenderingContext2D, layer: HTMLElement, origin: DOMRect): void {
  for (const el of Array.from(layer.children)) {
    if (!(el instanceof HTMLElement)) continue;
    const r = el.getBoundingClientRect();
    const cs = getComputedStyle(el);
    const x = r.left - origin.left;
    const y = r.top - origin.top;
    const bg = cs.backgroundColor;
    if (bg && bg !== 'transparent' && bg !== 'rgba(0, 0, 0, 0)') {
      ctx.fillStyle = bg;
      ctx.fillRect(x, y, r.width, r.height);
    }
    for (const side of ['left', 'right'] as const) {
      const w = parseFloat(cs.getPropertyValue(`border-${side}-width`)) || 0;
      const style = cs.getPropertyValue(`border-${side}-style`);
      if (w <= 0 || style === 'none') continue;
      const at = (side === 'left' ? x : x + r.width - w) + w / 2;
      ctx.strokeStyle = cs.getPropertyValue(`border-${side}-color`);
      ctx.lineWidth = w;
      ctx.setLineDash(style === 'dashed' ? [3, 3] : []);
      ctx.beginPath();
      ctx.moveTo(at, y);
      ctx.lineTo(at, y + r.height);
      ctx.stroke();
    }
    ctx.setLineDash([]);
    const text = el.textContent ?? '';
    if (text) {
      ctx.fillStyle = cs.color;
      ctx.font = cs.font || OVERLAY_LABEL_FONT;
      ctx.textBaseline = 'middle';
      ctx.fillText(text, x + (parseFloat(cs.paddingLeft) || 0), y + r.height / 2);
    }
  }
}

/** `t` cut with an ellipsis to fit `max` device pixels in the context's font. */
function fitWidth(ctx: CanvasRenderingContext2D, t: string, max: number): string {
  if (ctx.measureText(t).width <= max) return t;
  let n = t.length;
  while (n > 0 && ctx.measureText(`${t.slice(0, n)}…`).width > max) n--;
  return `${t.slice(0, n)}…`;
}
