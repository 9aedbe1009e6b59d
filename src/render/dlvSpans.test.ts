import { describe, expect, it } from 'vitest';
import { layoutDlv } from '../analysis/dlvLanes';
import { decodeDlv } from '../formats/dlv/decode';
import { dlvDrawList, hitDlv } from './dlvSpans';
import { TimeScale } from './timeScale';

const log = (lines: string[]) => decodeDlv(new TextEncoder().encode(lines.join('\n')));

describe('dlv draw list', () => {
  const m = log([
    '2026-01-01T00:00:00Z > goroutine(1): main.outer()',
    ...Array.from({ length: 1000 }, (_, i) => [
      `2026-01-01T00:00:00.${String(1000 + i * 2).padStart(9, '0')}Z > goroutine(1): main.tiny(${i})`,
      `2026-01-01T00:00:00.${String(1001 + i * 2).padStart(9, '0')}Z >> goroutine(1): main.tiny => ()`,
    ]).flat(),
    '2026-01-01T00:00:10Z >> goroutine(1): main.outer => ()',
    '2026-01-01T00:00:11Z > goroutine(2): main.late()',
  ]);
  const layout = layoutDlv(m, 'time');

  it('lays out one lane per goroutine with nesting depth', () => {
    expect(layout.lanes.map((l) => [l.goroutine, l.spans.length, l.maxDepth])).toEqual([
      [1, 1001, 1],
      [2, 1, 0],
    ]);
  });

  it('merges spans under a pixel into one mark per row', () => {
    const lane = layout.lanes[0]!;
    const marks = dlvDrawList(m, lane, new TimeScale(0, 11e9, 0, 1000), 0);
    // The outer call, and the 1000 tiny calls (2 µs within 1 px) merged into one mark.
    expect(marks).toHaveLength(2);
    expect(marks[1]).toMatchObject({ span: -1, depth: 1, count: 1000 });
    expect(hitDlv(marks, 500, 0)).toBe(0);
  });

  it('draws only what is visible, and single spans when zoomed in', () => {
    const lane = layout.lanes[0]!;
    const marks = dlvDrawList(m, lane, new TimeScale(1000, 1100, 0, 1000), 0);
    // outer (covers the view) + tiny calls that overlap [1000, 1100] ns.
    expect(marks[0]).toMatchObject({ span: 0, depth: 0 });
    expect(marks.slice(1).every((k) => k.count === 1 && k.span > 0)).toBe(true);
    expect(marks.length).toBe(1 + 51);
  });

  it('draws a never-returned call to the end of the log', () => {
    const lane = layout.lanes[1]!;
    expect(lane.ends[0]).toBe(11e9);
  });
});
