// Stacked areas drawn as one path per layer (not one rectangle per pixel column): the cost of a
// software-rasterized canvas follows the number of draw calls as much as the pixels.

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

/** Paints stacked layers over pixel columns starting at x0; `max` maps to height h. */
export function paintStackedArea(
  ctx: CanvasRenderingContext2D,
  area: StackedArea,
  x0: number,
  yBase: number,
  h: number,
  max: number,
): void {
  const w = area.layers[0]?.length ?? 0;
  if (w === 0 || max <= 0) return;
  const below = new Float32Array(w);
  const k = h / max;
  for (let l = 0; l < area.layers.length; l++) {
    const layer = area.layers[l] as Float32Array;
    ctx.beginPath();
    ctx.moveTo(x0, yBase - (below[0] as number) * k);
    for (let i = 0; i < w; i++) {
      const top = (below[i] as number) + (layer[i] as number);
      ctx.lineTo(x0 + i, yBase - top * k);
      ctx.lineTo(x0 + i + 1, yBase - top * k);
    }
    for (let i = w - 1; i >= 0; i--) {
      ctx.lineTo(x0 + i + 1, yBase - (below[i] as number) * k);
      ctx.lineTo(x0 + i, yBase - (below[i] as number) * k);
    }
    ctx.closePath();
    ctx.fillStyle = area.colours[l] as string;
    ctx.fill();
    for (let i = 0; i < w; i++) below[i] = (below[i] as number) + (layer[i] as number);
  }
}
