import { describe, expect, it } from 'vitest';
import { TimeScale, clampRange, formatTick, panRange, zoomRange } from './timeScale';

describe('TimeScale', () => {
  it('maps ns to px and back through one transform', () => {
    const s = new TimeScale(1000, 2000, 200, 500);
    expect(s.toPx(1000)).toBe(200);
    expect(s.toPx(2000)).toBe(700);
    expect(s.toNs(450)).toBe(1500);
  });
  it('labels ticks with the precision their step needs', () => {
    expect(formatTick(1.5e9, 5e8)).toBe('1.5 s');
    expect(formatTick(1_234_500, 100)).toBe('1.2345 ms');
    expect(formatTick(120_000, 20_000)).toBe('120 µs');
    expect(formatTick(5, 1)).toBe('5 ns');
    const ticks = new TimeScale(0, 2.2e9, 200, 1000).ticks();
    expect(ticks.length).toBeGreaterThanOrEqual(5);
    expect(ticks[1]?.label).toMatch(/ms|s$/);
  });
  it('zooms around the anchor and stays inside the trace', () => {
    const z = zoomRange({ startNs: 0, endNs: 1000 }, 0.5, 250, 1000);
    expect(z).toEqual({ startNs: 125, endNs: 625 });
    expect(zoomRange({ startNs: 0, endNs: 1000 }, 4, 250, 1000)).toEqual({
      startNs: 0,
      endNs: 1000,
    });
    // Down to single ns events, never below the minimum span.
    expect(zoomRange({ startNs: 100, endNs: 120 }, 0.01, 110, 1000, 10)).toEqual({
      startNs: 105,
      endNs: 115,
    });
  });
  it('pans without leaving [0, limit]', () => {
    expect(panRange({ startNs: 100, endNs: 200 }, -500, 1000)).toEqual({ startNs: 0, endNs: 100 });
    expect(panRange({ startNs: 100, endNs: 200 }, 5000, 1000)).toEqual({
      startNs: 900,
      endNs: 1000,
    });
    expect(clampRange(-5, 2000, 1000)).toEqual({ startNs: 0, endNs: 1000 });
  });
});
