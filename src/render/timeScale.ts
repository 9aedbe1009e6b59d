// The one time scale every view draws with: ns on the session axis <-> CSS px in a plot area.
// Lanes, dlv spans and the axis all convert through the same object, so they cannot drift apart.

import { scaleLinear } from 'd3-scale';

export interface Tick {
  ns: number;
  px: number;
  label: string;
}

export class TimeScale {
  readonly startNs: number;
  readonly endNs: number;
  /** px per ns */
  readonly k: number;
  constructor(
    startNs: number,
    endNs: number,
    /** Left edge of the plot area in CSS px. */
    readonly x0: number,
    /** Width of the plot area in CSS px. */
    readonly width: number,
  ) {
    this.startNs = startNs;
    this.endNs = Math.max(endNs, startNs + 1e-9);
    this.k = width / (this.endNs - this.startNs);
  }
  toPx(ns: number): number {
    return this.x0 + (ns - this.startNs) * this.k;
  }
  toNs(px: number): number {
    return this.startNs + (px - this.x0) / this.k;
  }
  get spanNs(): number {
    return this.endNs - this.startNs;
  }
  /** Ticks about every 100 px, labelled in the unit that suits their step. */
  ticks(unit: AxisUnit = 'ns'): Tick[] {
    const count = Math.max(2, Math.floor(this.width / 100));
    const s = scaleLinear()
      .domain([this.startNs, this.endNs])
      .range([this.x0, this.x0 + this.width]);
    const values = s.ticks(count);
    const step = values.length > 1 ? (values[1] as number) - (values[0] as number) : this.spanNs;
    return values.map((ns) => ({
      ns,
      px: s(ns),
      label: unit === 'seq' ? `#${Math.round(ns)}` : formatTick(ns, step),
    }));
  }
}

export type AxisUnit = 'ns' | 'seq';

/** A tick label with the precision its step needs: 1.5 s, 1.2345 s, 120 µs, 5 ns. */
export function formatTick(ns: number, step: number): string {
  const units: Array<[number, string]> = [
    [1e9, 's'],
    [1e6, 'ms'],
    [1e3, 'µs'],
    [1, 'ns'],
  ];
  const a = Math.max(Math.abs(ns), step);
  const [div, name] = units.find(([d]) => a >= d) ?? [1, 'ns'];
  const decimals = Math.max(0, Math.min(9, Math.ceil(-Math.log10(step / div) - 1e-9)));
  return `${(ns / div).toFixed(decimals)} ${name}`;
}

/** Zooms a range by `factor` (<1 zooms in) around `anchorNs`, kept inside [0, limit]. */
export function zoomRange(
  view: { startNs: number; endNs: number },
  factor: number,
  anchorNs: number,
  limitNs: number,
  minSpanNs = 10,
): { startNs: number; endNs: number } {
  const span = view.endNs - view.startNs;
  const next = Math.min(Math.max(span * factor, minSpanNs), Math.max(limitNs, minSpanNs));
  const t = span > 0 ? (anchorNs - view.startNs) / span : 0.5;
  return clampRange(anchorNs - t * next, anchorNs - t * next + next, limitNs);
}

/** Moves a range by `deltaNs`, kept inside [0, limit]. */
export function panRange(
  view: { startNs: number; endNs: number },
  deltaNs: number,
  limitNs: number,
) {
  return clampRange(view.startNs + deltaNs, view.endNs + deltaNs, limitNs);
}

export function clampRange(startNs: number, endNs: number, limitNs: number) {
  const span = endNs - startNs;
  if (span >= limitNs) return { startNs: 0, endNs: limitNs };
  if (startNs < 0) return { startNs: 0, endNs: span };
  if (endNs > limitNs) return { startNs: limitNs - span, endNs: limitNs };
  return { startNs, endNs };
}
