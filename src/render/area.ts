// Stacked areas drawn as one path per layer (not one rectangle per pixel column): the cost of a
// software-rasterized canvas follows the number of draw calls as much as the pixels.

import type { DrawTarget } from './drawTarget';

export interface StackedArea {
  /** Value of each layer at pixel column i (0..width-1), stacked in order from the baseline. */
  layers: Float32Array[];
  colours: string[];
}

/** Samples per-bucket series at each pixel column of [x0, x1): column -> bucket index. */
export function sampleColumns(
  series: Float32Array[],
  x0: number,
  x1: number,
  bucketAt: (x: number) => number,
): Float32Array[] {
  const w = Math.max(0, Math.ceil(x1 - x0));
  return series.map((s) => {
    const out = new Float32Array(w);
    for (let i = 0; i < w; i++) {
      const b = bucketAt(x0 + i + 0.5);
      out[i] = b >= 0 && b < s.length ? (s[b] as number) : 0;
    }
    return out;
  });
}

/**
 * Paints stacked layers over pixel columns starting at x0; `max` maps to height h. Each layer is
 * one path of steps whose vertices are only where its edge changes height: zoomed in, many
 * columns share a bucket, and a path of 4 vertices per column per layer costs a software canvas
 * as much as the rest of the timeline.
 */
export function paintStackedArea(
  ctx: DrawTarget,
  area: StackedArea,
  x0: number,
  yBase: number,
  h: number,
  max: number,
): void {
  const w = area.layers[0]?.length ?? 0;
  if (w === 0 || max <= 0) return;
  const below = new Float32Array(w);
  const above = new Float32Array(w);
  const k = h / max;
  for (let l = 0; l < area.layers.length; l++) {
    const layer = area.layers[l] as Float32Array;
    let any = false;
    for (let i = 0; i < w; i++) {
      above[i] = (below[i] as number) + (layer[i] as number);
      if ((layer[i] as number) !== 0) any = true;
    }
    if (any) {
      ctx.beginPath();
      // The top edge left to right, then the bottom edge right to left.
      let y = yBase - (above[0] as number) * k;
      ctx.moveTo(x0, y);
      for (let i = 1; i < w; i++) {
        const next = yBase - (above[i] as number) * k;
        if (next === y) continue;
        ctx.lineTo(x0 + i, y);
        ctx.lineTo(x0 + i, next);
        y = next;
      }
      ctx.lineTo(x0 + w, y);
      y = yBase - (below[w - 1] as number) * k;
      ctx.lineTo(x0 + w, y);
      for (let i = w - 2; i >= 0; i--) {
        const next = yBase - (below[i] as number) * k;
        if (next === y) continue;
        ctx.lineTo(x0 + i + 1, y);
        ctx.lineTo(x0 + i + 1, next);
        y = next;
      }
      ctx.lineTo(x0, y);
      ctx.closePath();
      ctx.fillStyle = area.colours[l] as string;
      ctx.fill();
    }
    below.set(above);
  }
}
