// The level-of-detail merge of a goroutine's lane: an interval at least a pixel wide is a mark of
// its own; narrower ones are summed per pixel and the pixel takes the class with the most time;
// touching marks of one class join.

import { describe, expect, it } from 'vitest';
import { intervalClasses } from '../analysis/stateClasses';
import { traceOf, type TestTransition } from '../analysis/testTrace';
import { StateClass } from '../model/stateClass';
import { goroutineMarks, intervalAt, markBuffer, type StateMarks } from './goroutineLane';
import { TimeScale } from './timeScale';

function marks(m: StateMarks): Array<[number, number, number, number]> {
  const out: Array<[number, number, number, number]> = [];
  for (let k = 0; k < m.length; k++)
    out.push([+m.x[k]!.toFixed(2), +m.w[k]!.toFixed(2), m.cls[k]!, m.interval[k]!]);
  return out;
}

describe('goroutine lane marks', () => {
  // G1: running 0-100, waiting on a mutex 100-101.5, runnable 101.5-102, running 102-200,
  // waiting on a channel 200-1000.
  const t = traceOf({
    end: 1000,
    events: [
      { t: 0, g: 1, state: 'running', stack: 'main.main' },
      { t: 100, g: 1, state: 'waiting', reason: 'sync', stack: 'main.main;sync.Lock' },
      { t: 101.5, g: 1, state: 'runnable' },
      { t: 102, g: 1, state: 'running' },
      { t: 200, g: 1, state: 'waiting', reason: 'chan receive', stack: 'main.main;chanrecv' },
    ],
  });
  const m = t.m;
  const g = t.g(1);
  const classes = intervalClasses(m);
  const first = m.goroutines.intervalStart[g]!;

  it('draws wide intervals as themselves and a pixel of narrow ones in its dominant class', () => {
    // 10 ns per pixel over 100 px.
    const out = goroutineMarks(m, classes, g, new TimeScale(0, 1000, 0, 100));
    expect(marks(out)).toEqual([
      [0, 10, StateClass.Running, first],
      // Pixel 10 holds 1.5 ns of mutex wait and 0.5 ns runnable: the wait wins.
      [10, 1, StateClass.WaitSync, -1],
      [10.2, 9.8, StateClass.Running, first + 3],
      [20, 80, StateClass.WaitChannel, first + 4],
    ]);
  });

  it('draws only the visible intervals, clipped to the plot', () => {
    // 150..250 ns over 100 px from x = 50: the running interval from 102 and the channel wait.
    const out = goroutineMarks(m, classes, g, new TimeScale(150, 250, 50, 100));
    expect(marks(out)).toEqual([
      [50, 50, StateClass.Running, first + 3],
      [100, 50, StateClass.WaitChannel, first + 4],
    ]);
    expect(intervalAt(m, g, 220)).toBe(first + 4);
    expect(intervalAt(m, g, 101)).toBe(first + 1);
  });

  it('merges a thousand sub-pixel intervals into at most one mark per pixel, joining neighbours', () => {
    const events: TestTransition[] = [];
    for (let k = 0; k < 1000; k++)
      events.push({ t: k, g: 1, state: k % 4 === 3 ? 'runnable' : 'running', stack: 'main.main' });
    const busy = traceOf({ end: 1000, events });
    const out = goroutineMarks(
      busy.m,
      intervalClasses(busy.m),
      busy.g(1),
      new TimeScale(0, 1000, 0, 100),
      markBuffer(2), // grows as needed
    );
    // Running takes 3 of every 4 ns of each pixel: every pixel is running, and they all join.
    expect(marks(out)).toEqual([[0, 100, StateClass.Running, -1]]);
  });
});
