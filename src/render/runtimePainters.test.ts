// Draw lists of the runtime lanes and of the search, from a small trace built through the model's
// builder: which goroutine each processor lane shows (colour, label, merged pixels, mark worker
// modes, dimming under a search), the assists and sweeps on goroutine lanes, and a goroutine lane
// under a search (dimmed, results at full strength, the current one outlined).

import { describe, expect, it } from 'vitest';
import { runQuery } from '../analysis/query/evaluate';
import { seededRandom } from '../analysis/stackSetText';
import { buildQueryIndex } from '../analysis/query/queryIndex';
import { runtimeLanes } from '../analysis/runtimeLanes';
import { intervalClasses } from '../analysis/stateClasses';
import { traceOf } from '../analysis/testTrace';
import { StateClass } from '../model/stateClass';
import { DrawList } from './drawTarget';
import { goroutineMarks, stateColour } from './goroutineLane';
import {
  DIM_ALPHA,
  assistColour,
  gcWorkAt,
  logAt,
  logColour,
  paintGcWork,
  paintLogMarks,
  paintProcRuns,
  paintSearchLane,
  procLaneMarks,
  procRunAt,
  sweepColour,
  type SearchPaint,
} from './runtimePainters';
import { LIGHT, funcColour } from './theme';
import { TimeScale } from './timeScale';

const t = traceOf({
  end: 1000,
  procRuns: [
    { p: 0, start: 0, end: 1000 },
    { p: 1, start: 0, end: 400 },
  ],
  events: [
    { t: 0, g: 1, state: 'running', p: 0, stack: 'main.handle' },
    { t: 500, g: 1, state: 'waiting', reason: 'sync', p: 0, stack: 'main.handle;sync.Lock' },
    // Ten runs of 1 ns on P0 between 500 and 520, G2 and G3 alternating; G3's are longer.
    ...Array.from({ length: 10 }, (_, k) => [
      { t: 500 + 2 * k, g: k % 2 ? 3 : 2, state: 'running' as const, p: 0, stack: 'main.tiny' },
      {
        t: 500 + 2 * k + (k % 2 ? 1.5 : 0.5),
        g: k % 2 ? 3 : 2,
        state: 'runnable' as const,
        p: 0,
      },
    ]).flat(),
    { t: 100, g: 4, state: 'running', p: 1, stack: 'runtime.gcBgMarkWorker' },
    { t: 300, g: 4, state: 'waiting', reason: 'GC worker (idle)', p: 1 },
  ],
  labels: [{ t: 100, g: 4, label: 'GC (dedicated)' }],
  logs: [
    { t: 250, g: 1, category: 'phase', message: 'refresh' },
    { t: 252, g: 1, message: 'again' },
    { t: 700, g: 1, message: 'late' },
  ],
  ranges: [
    { kind: 'assist', start: 200, end: 300, g: 1 },
    { kind: 'sweep', start: 50, end: 60, g: 1, p: 0 },
  ],
});
const m = t.m;
const rt = runtimeLanes(m);
const P0 = Array.from(m.procs.id).indexOf(0);
const P1 = Array.from(m.procs.id).indexOf(1);
// 10 ns per pixel over 100 px, plot from x = 0.
const scale = new TimeScale(0, 1000, 0, 100);

describe('processor lanes', () => {
  it("draws each goroutine's run in its start function's colour, labelled when wide enough", () => {
    const d = new DrawList();
    paintProcRuns(d, m, rt, P0, 10, 12, { theme: LIGHT, scale, search: null });
    const runs = d.of('fillRect').filter((r) => r.h === 10);
    // G1's run 0..500 (50 px), then pixels 50 and 51 standing for the ten 1 ns runs.
    expect(runs.map((r) => [r.x, r.w, r.style])).toEqual([
      [0, 49, funcColour('main.handle', LIGHT)], // a pixel's gap after it
      [50, 1, funcColour('main.tiny', LIGHT)],
      [51, 1, funcColour('main.tiny', LIGHT)],
    ]);
    // 50 px hold 7 characters of 6 px with the margins.
    expect(d.of('fillText').map((x) => x.text)).toEqual(['G1 mai…']);
    const wide = new DrawList();
    paintProcRuns(wide, m, rt, P0, 10, 12, {
      theme: LIGHT,
      scale: new TimeScale(0, 1000, 0, 1000),
      search: null,
    });
    expect(wide.of('fillText').map((x) => x.text)).toEqual(['G1 main.handle']);
    // The P held by a thread the whole time: a 1 px line along the bottom.
    const held = d.of('fillRect').filter((r) => r.h === 1);
    expect(held).toEqual([expect.objectContaining({ x: 0, w: 100, y: 21 })]);
  });

  it('finds the run under the pointer, and none in idle time', () => {
    expect(m.goroutines.id[rt.procs.goroutine[procRunAt(rt.procs, P1, 150)]!]).toBe(4);
    expect(procRunAt(rt.procs, P1, 350)).toBe(-1);
    expect(procRunAt(rt.procs, P1, 50)).toBe(-1);
    const k = procRunAt(rt.procs, P0, 499);
    expect(m.intervals.start[rt.procs.interval[k]!]).toBe(0);
    expect(procRunAt(rt.procs, P0, 500.2)).toBe(rt.procs.procStart[P0]! + 1);
  });

  it('keeps the longest run of a crowded pixel', () => {
    const marks = procLaneMarks(rt, P0, scale);
    // Pixel 50 (500..510 ns): G2's 0.5 ns runs and G3's 1.5 ns runs: G3 wins.
    const k = Array.from(marks.x.subarray(0, marks.length)).indexOf(50);
    expect(m.goroutines.id[rt.procs.goroutine[marks.item[k]!]!]).toBe(3);
    expect(marks.merged[k]).toBe(1);
  });

  it('marks GC mark workers with their mode and the GC colour; idle time stays empty', () => {
    const d = new DrawList();
    paintProcRuns(d, m, rt, P1, 0, 16, { theme: LIGHT, scale, search: null });
    const runs = d.of('fillRect').filter((r) => r.h === 14);
    expect(runs.map((r) => [r.x, r.w, r.style])).toEqual([
      [10, 19, stateColour(StateClass.WaitGC, LIGHT)],
    ]);
    expect(d.of('fillText')).toEqual([]); // 20 px: too narrow for a label
    const wide = new DrawList();
    paintProcRuns(wide, m, rt, P1, 0, 16, {
      theme: LIGHT,
      scale: new TimeScale(0, 400, 0, 400),
      search: null,
    });
    expect(wide.of('fillText').map((x) => x.text)).toEqual(['GC worker (dedicated) G4']);
  });

  it('dims the runs of goroutines without search results', () => {
    const x = buildQueryIndex(m);
    const q = runQuery(m, x, 'g:1');
    if (!q.ok) throw new Error('bad query');
    const search: SearchPaint = { results: q.results, dlv: [], current: -1 };
    const d = new DrawList();
    paintProcRuns(d, m, rt, P0, 0, 16, { theme: LIGHT, scale, search });
    const runs = d.of('fillRect').filter((r) => r.h === 14);
    expect(runs.map((r) => r.alpha)).toEqual([1, DIM_ALPHA, DIM_ALPHA]);
  });
});

describe('assists and sweeps on goroutine lanes', () => {
  it('draws them along the top of the lane that paid them, in their colours', () => {
    const d = new DrawList();
    paintGcWork(d, rt, t.g(1), 40, { theme: LIGHT, scale });
    expect(d.of('fillRect').map((r) => [r.x, r.y, r.w, r.h, r.style])).toEqual([
      [5, 40, 1, 3, sweepColour(LIGHT)],
      [20, 40, 10, 3, assistColour(LIGHT)],
    ]);
    const none = new DrawList();
    paintGcWork(none, rt, t.g(2), 40, { theme: LIGHT, scale });
    expect(none.ops).toEqual([]);
  });

  it('finds the one under the pointer', () => {
    const k = gcWorkAt(rt, t.g(1), 250);
    expect(k).toBeGreaterThanOrEqual(0);
    expect(rt.gc.startNs[k]).toBe(200);
    expect(gcWorkAt(rt, t.g(1), 150)).toBe(-1);
  });
});

describe('user logs on goroutine lanes', () => {
  it('draws a tick per pixel of logs, and finds the nearest one under the pointer', () => {
    const d = new DrawList();
    paintLogMarks(d, rt, t.g(1), 0, 16, { theme: LIGHT, scale });
    // 250 and 252 share pixel 25: one tick (a stem and a cap), then 700.
    const stems = d.of('fillRect').filter((r) => r.h === 16);
    expect(stems.map((r) => [r.x, r.style])).toEqual([
      [24, logColour(LIGHT)],
      [69, logColour(LIGHT)],
    ]);
    const i = logAt(rt, t.g(1), 251.8, 5);
    expect(m.strings[m.logs.message[i]!]).toBe('again');
    expect(logAt(rt, t.g(1), 400, 5)).toBe(-1);
    expect(logAt(rt, t.g(2), 250, 5)).toBe(-1);
  });
});

describe('a goroutine lane under a search', () => {
  const x = buildQueryIndex(m);
  const classes = intervalClasses(m);
  const q = runQuery(m, x, 'state:waiting reason:sync');
  if (!q.ok) throw new Error('bad query');
  const g1 = t.g(1);

  it('dims the lane and draws the results at full strength, edged in the highlight', () => {
    const search: SearchPaint = { results: q.results, dlv: [], current: -1 };
    const d = new DrawList();
    const states = goroutineMarks(m, classes, g1, scale);
    paintSearchLane(d, states, search, g1, 0, 16, { theme: LIGHT, scale });
    const rects = d.of('fillRect');
    // The lane's states dimmed: running 0..500, the sync wait 500..1000.
    const dimmed = rects.filter((r) => r.alpha === DIM_ALPHA);
    expect(dimmed.map((r) => [r.x, r.w])).toEqual([
      [0, 50],
      [50, 50],
    ]);
    // Inside the result (clipped to 50..100) the states again, at full strength.
    expect(d.of('clip').at(-1)!.path).toEqual([
      [50, 0],
      [100, 0],
      [100, 16],
      [50, 16],
    ]);
    const full = rects.filter((r) => r.alpha === 1 && r.style !== LIGHT.highlight);
    expect(full.map((r) => r.style)).toContain(stateColour(StateClass.WaitSync, LIGHT));
    const edges = rects.filter((r) => r.style === LIGHT.highlight);
    expect(edges.map((r) => [r.x, r.y, r.w, r.h])).toEqual([
      [50, 0, 50, 2],
      [50, 14, 50, 2],
    ]);
    expect(d.of('strokeRect')).toEqual([]);
  });

  it('outlines the current result, and leaves a lane without results dimmed only', () => {
    const search: SearchPaint = { results: q.results, dlv: [], current: 0 };
    const d = new DrawList();
    paintSearchLane(d, goroutineMarks(m, classes, g1, scale), search, g1, 0, 16, {
      theme: LIGHT,
      scale,
    });
    expect(d.of('strokeRect').map((r) => [r.x, r.w])).toEqual([[49, 52]]);
    const other = new DrawList();
    const g2 = t.g(2);
    paintSearchLane(other, goroutineMarks(m, classes, g2, scale), search, g2, 0, 16, {
      theme: LIGHT,
      scale,
    });
    expect(other.of('fillRect').every((r) => r.alpha === DIM_ALPHA)).toBe(true);
    expect(other.of('clip')).toEqual([]);
  });
});

describe('the line of a P held by a thread', () => {
  it('draws what a visit to every interval draws, at every zoom', () => {
    // 2,000 intervals on P0: bursts of short ones, some long, some gaps.
    const r = seededRandom(5);
    const procRuns: Array<{ p: number; start: number; end: number }> = [];
    let at = 0;
    for (let i = 0; i < 2000; i++) {
      const len = r() < 0.9 ? 1 + Math.floor(r() * 3) : 50 + Math.floor(r() * 5000);
      procRuns.push({ p: 0, start: at, end: at + len });
      at += len + (r() < 0.9 ? Math.floor(r() * 3) : Math.floor(r() * 4000));
    }
    const big = traceOf({ end: at, procRuns, events: [] }).m;
    const brt = runtimeLanes(big);
    const p = Array.from(big.procs.id).indexOf(0);
    const pi = big.procIntervals;
    let drawn = 0;
    for (let v = 0; v < 60; v++) {
      const span = at * Math.pow(10, -r() * 4);
      const s0 = r() * (at - span);
      const scale = new TimeScale(s0, s0 + span, 150, 700 + r() * 700);
      const d = new DrawList();
      paintProcRuns(d, big, brt, p, 0, 16, { theme: LIGHT, scale, search: null });
      // The loop before the jump: every interval in view, skipping those that add no pixel.
      const want: Array<[number, number]> = [];
      let last = -Infinity;
      const a = big.procs.intervalStart[p]!;
      const b = big.procs.intervalStart[p + 1]!;
      for (let i = a; i < b; i++) {
        if (pi.end[i]! < scale.startNs) continue;
        if (pi.start[i]! > scale.endNs) break;
        const x1 = scale.toPx(pi.start[i]!);
        const x2 = scale.toPx(pi.end[i]!);
        if (x2 < last + 1 && x2 - x1 < 1) continue;
        want.push([x1, Math.max(1, x2 - x1)]);
        last = Math.max(x1, x2);
      }
      const got = d
        .of('fillRect')
        .filter((x) => x.h === 1 && x.y === 15)
        .map((x) => [x.x, x.w]);
      expect(got, `view ${v}`).toEqual(want);
      drawn += got.length;
    }
    expect(drawn).toBeGreaterThan(1000);
  });
});

describe('a P whose runs overlap', () => {
  it('is drawn by visiting its runs, and its marks are those of the scan', () => {
    // A damaged P0: G11 runs from 500 to 600 while G12..G20 run for 0.1 ns each from 501 (after
    // zero-length runs of G2..G10 at 500). Its runs are not disjoint, and in pixel 50 the wide
    // run is neither first nor last, which the longest-span index cannot see (it would draw G11
    // as one merged pixel).
    const tiny = (g: number, t: number, len: number) => [
      { t, g, state: 'running' as const, p: 0, stack: 'main.tiny' },
      { t: t + len, g, state: 'runnable' as const, p: 0 },
    ];
    const o = traceOf({
      end: 1000,
      procRuns: [{ p: 0, start: 0, end: 1000 }],
      events: [
        ...Array.from({ length: 9 }, (_, k) => tiny(2 + k, 500, 0)).flat(),
        { t: 500, g: 11, state: 'running', p: 0, stack: 'main.long' },
        ...Array.from({ length: 9 }, (_, k) => tiny(12 + k, 501 + k * 0.5, 0.1)).flat(),
        { t: 600, g: 11, state: 'runnable', p: 0 },
      ],
    }).m;
    const ort = runtimeLanes(o);
    const p = Array.from(o.procs.id).indexOf(0);
    expect(ort.procs.disjoint[p]).toBe(0);
    const wide = new TimeScale(0, 1000, 0, 100);
    const marks = procLaneMarks(ort, p, wide);
    const g = (k: number) => o.goroutines.id[ort.procs.goroutine[marks.item[k]!]!];
    // G11's run, 10 px wide, is drawn as such, between the merged pixels before and after it.
    expect(Array.from({ length: marks.length }, (_, k) => [g(k), marks.w[k]])).toEqual([
      [2, 1],
      [11, 10],
      [12, 1],
    ]);
  });

  it('zero-length runs at the start of a longer one keep a P disjoint (ends break ties)', () => {
    const o = traceOf({
      end: 1000,
      procRuns: [{ p: 0, start: 0, end: 1000 }],
      events: [
        { t: 500, g: 2, state: 'running', p: 0, stack: 'main.long' },
        { t: 500, g: 3, state: 'running', p: 0, stack: 'main.zero' },
        { t: 500, g: 3, state: 'runnable', p: 0 },
        { t: 600, g: 2, state: 'runnable', p: 0 },
      ],
    }).m;
    const ort = runtimeLanes(o);
    expect(Array.from(ort.procs.goroutine).map((g) => o.goroutines.id[g])).toEqual([3, 2]);
    expect(ort.procs.disjoint[Array.from(o.procs.id).indexOf(0)]).toBe(1);
  });

  it('the spike trace has disjoint P runs, so its lanes use the index', () => {
    expect(Array.from(rt.procs.disjoint)).toEqual(
      m.procs.id.length ? Array(m.procs.length).fill(1) : [],
    );
  });
});
