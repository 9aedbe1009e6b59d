// Log marks on a goroutine's lane, from a synthetic trace's logs: which logs get a mark, where,
// and how close ones merge; and what the painter draws for them.

import { describe, expect, it } from 'vitest';
import { traceOf } from '../analysis/testTrace';
import { logsByGoroutine } from '../analysis/userLogs';
import { DrawList } from './drawTarget';
import { LOG_MARK_MERGE_PX, logMarks, paintLogMarks } from './logMarks';
import { LIGHT } from './theme';
import { TimeScale } from './timeScale';

const { m, g } = traceOf({
  end: 1000,
  events: [
    { t: 0, g: 1, state: 'running' },
    { t: 0, g: 2, state: 'running' },
  ],
  logs: [
    { t: 100, g: 1, message: 'a' },
    { t: 101, g: 1, message: 'b' },
    { t: 500, g: 1, message: 'c' },
    { t: 300, g: 2, message: 'other goroutine' },
    { t: 900, g: 1, message: 'late' },
  ],
});
const index = logsByGoroutine(m);
const row = (i: number) => m.strings[m.logs.message[i]!];

describe('logMarks', () => {
  it('marks each log of the goroutine in view, merging those closer than a few px', () => {
    // 1000 px for 1000 ns: 1 px per ns; 100 and 101 are 1 px apart and share a mark.
    const scale = new TimeScale(0, 1000, 0, 1000);
    const marks = logMarks(m.logs.time, index, g(1), scale);
    expect(marks.map((x) => [x.x, row(x.log), x.count])).toEqual([
      [100, 'a', 2],
      [500, 'c', 1],
      [900, 'late', 1],
    ]);
    expect(LOG_MARK_MERGE_PX).toBeGreaterThan(1);
    // Another goroutine's logs stay on its own lane.
    expect(logMarks(m.logs.time, index, g(2), scale).map((x) => row(x.log))).toEqual([
      'other goroutine',
    ]);
  });

  it('keeps only the logs inside the view, and apart when zoomed in', () => {
    const scale = new TimeScale(90, 510, 0, 4200); // 10 px per ns
    const marks = logMarks(m.logs.time, index, g(1), scale);
    expect(marks.map((x) => [Math.round(x.x), row(x.log), x.count])).toEqual([
      [100, 'a', 1],
      [110, 'b', 1],
      [4100, 'c', 1],
    ]);
    expect(logMarks(m.logs.time, index, 99, scale)).toEqual([]);
  });

  it('paints one filled triangle per mark hanging from the lane top, and a tick across the lane', () => {
    const d = new DrawList();
    paintLogMarks(
      d,
      logMarks(m.logs.time, index, g(1), new TimeScale(0, 1000, 0, 1000)),
      10,
      6,
      20,
      LIGHT,
    );
    const fills = d.ops.filter((o) => o.op === 'fill');
    expect(fills).toHaveLength(3);
    // A tick across the lane at each mark.
    const ticks = d.ops.filter((o) => o.op === 'fillRect');
    expect(ticks.map((o) => (o.op === 'fillRect' ? [o.x, o.y, o.w, o.h] : null))).toEqual([
      [99.5, 10, 1, 20],
      [499.5, 10, 1, 20],
      [899.5, 10, 1, 20],
    ]);
    // Closed: the path returns to its first vertex.
    expect(fills[0]).toMatchObject({
      path: [
        [97, 10],
        [103, 10],
        [100, 16],
        [97, 10],
      ],
    });
  });
});
