import { describe, expect, it } from 'vitest';
import { decodeViewState } from '../store/viewState';
import { seededRandom } from './stackSetText';
import { traceOf } from './testTrace';
import { filteredGoroutines, taskLevels } from './timelineRows';
import type { TraceModel } from '../model/trace';
import { goroutineGroups } from './traceLanes';

// Start functions long enough that a backtracking engine never finishes `(.|.)*!$` on them
// (2^64 ways to split the name), with a case difference to check the flags.
const LONG = `main.${'x'.repeat(64)}`;
const { m } = traceOf({
  end: 100,
  events: [
    { t: 0, g: 1, state: 'running', stack: `${LONG};main.work` },
    { t: 0, g: 2, state: 'running', stack: 'net/http.(*conn).serve;main.Handle' },
    { t: 0, g: 3, state: 'running', stack: `${LONG}!;main.work` },
  ],
});
const ids = (filter: string) => {
  const kept = filteredGoroutines(m, goroutineGroups(m), { filter, only: null });
  return kept === null ? null : Array.from(kept, (g) => m.goroutines.id[g]!).sort((a, b) => a - b);
};

describe('lane filter', () => {
  it('runs a pattern from a link in linear time (RE2), through the view state', () => {
    // The link `#lf=/(.|.)*!$/` used to freeze the tab on a backtracking engine.
    const filter = decodeViewState(`#lf=${encodeURIComponent('/(.|.)*!$/')}`).lanes?.filter;
    expect(filter).toBe('/(.|.)*!$/');
    expect(ids(filter as string)).toEqual([3]);
  });
  it('keeps the filter syntax: plain text, /re/ ignoring case, /re/flags, ids', () => {
    expect(ids('')).toBeNull();
    expect(ids('HANDLE')).toEqual([]); // plain text matches start functions, not leaves
    expect(ids('SERVE')).toEqual([2]);
    expect(ids('/^NET\\/HTTP/')).toEqual([2]);
    expect(ids('/^NET\\/HTTP/m')).toEqual([]); // a flag other than i keeps case
    expect(ids('/^net\\/http/m')).toEqual([2]);
    expect(ids('/^[23]$/')).toEqual([2, 3]); // goroutine ids
    // An unfinished pattern filters like plain text (and is not an error).
    expect(ids('/(x/')).toEqual([]);
    // Perl syntax that RE2 does not have is treated the same way.
    expect(ids('/(?<=net)x/')).toEqual([]);
  });
});

describe('taskLevels', () => {
  /** A model with only what taskLevels reads: tasks' start and end (NaN: open) and the end. */
  const tasksModel = (start: number[], end: number[], durationNs: number) =>
    ({
      durationNs,
      tasks: { length: start.length, start: Float64Array.from(start), end: Float64Array.from(end) },
    }) as unknown as TraceModel;

  /** The greedy rule by definition: each task, by start, on the lowest level free at its start. */
  const naive = (m: TraceModel) => {
    const t = m.tasks;
    const s = (i: number) => (Number.isNaN(t.start[i]!) ? 0 : t.start[i]!);
    const e = (i: number) => (Number.isNaN(t.end[i]!) ? m.durationNs : t.end[i]!);
    const order = Array.from({ length: t.length }, (_, i) => i).sort((a, b) => s(a) - s(b));
    const depth: number[] = Array(t.length).fill(0);
    const levelEnd: number[] = [];
    for (const i of order) {
      let lvl = levelEnd.findIndex((x) => x <= s(i));
      if (lvl < 0) lvl = levelEnd.push(0) - 1;
      levelEnd[lvl] = e(i);
      depth[i] = lvl;
    }
    return { depth, levels: levelEnd.length };
  };

  it('puts each task on the lowest level free at its start', () => {
    const rand = seededRandom(11);
    for (let round = 0; round < 20; round++) {
      const n = 400;
      const start = Array.from({ length: n }, () =>
        rand() < 0.05 ? NaN : Math.floor(rand() * 1000),
      );
      const end = start.map((x) =>
        rand() < 0.1 ? NaN : (Number.isNaN(x) ? 0 : x) + Math.floor(rand() * 80),
      );
      const m = tasksModel(start, end, 2000);
      const got = taskLevels(m);
      const want = naive(m);
      expect({ depth: Array.from(got.depth), levels: got.levels }).toEqual(want);
    }
  });

  it('stacks 200,000 tasks that never end without scanning every level per task', () => {
    // A scan per task is 2 * 10^10 steps here: the test's timeout stops it.
    const n = 200_000;
    const m = tasksModel(
      Array.from({ length: n }, (_, i) => i),
      Array(n).fill(NaN),
      n + 1,
    );
    const { depth, levels } = taskLevels(m);
    expect(levels).toBe(n);
    expect(depth[0]).toBe(0);
    expect(depth[n - 1]).toBe(0xffff); // levels past the Uint16 range share the last one
  });
});
