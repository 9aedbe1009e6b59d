// The timeline's painters, read through a DrawList: what they draw for a small trace, with the
// engine's answers for it, as the page paints it.

import { describe, expect, it } from 'vitest';
import { decodedTrace, traceOf } from '../analysis/testTrace';
import { Engine } from '../engine/engine';
import { StateClass } from '../model/stateClass';
import { paintStackedArea } from './area';
import { DrawList } from './drawTarget';
import { stateColour } from './goroutineLane';
import { buildRows, type RowLayout } from './rowLayout';
import { LIGHT } from './theme';
import {
  AXIS_HEIGHT,
  LABEL_WIDTH,
  paintTimeline,
  overlayLayout,
  type TimelinePaint,
} from './timeline';
import { TimeScale } from './timeScale';
import { paintMetric, paintTasks } from './trackPainters';

// G1 waits on a mutex 0-400 until G2 unlocks it; G2 runs 0-400, then waits on a channel; G3 runs.
const t = traceOf({
  end: 1000,
  events: [
    { t: 0, g: 1, state: 'waiting', reason: 'sync', stack: 'main.handle;sync.Lock' },
    { t: 400, g: 1, state: 'runnable', waker: 2, stack: 'main.refresh;sync.Unlock' },
    { t: 410, g: 1, state: 'running' },
    { t: 0, g: 2, state: 'running', stack: 'main.refresh;main.compute' },
    { t: 400, g: 2, state: 'waiting', reason: 'chan receive', stack: 'main.refresh;chanrecv' },
    { t: 0, g: 3, state: 'running', stack: 'main.other;main.loop' },
  ],
});
const engine = new Engine();
engine.addFile('t', decodedTrace(t.m));
const q = { trace: 't', sort: 'id' as const, filter: '', only: null };
const layout: RowLayout = buildRows(
  {
    fileId: 't',
    name: 'trace.out',
    model: t.m,
    view: engine.run('traceView', { trace: 't' }),
    lanes: engine.run('lanes', q),
    activity: engine.run('laneActivity', q),
  },
  [],
  [],
  { collapsed: {}, restricted: false },
);
const WIDTH = LABEL_WIDTH + 1000; // 1 px per ns

function paint(over: Partial<TimelinePaint> = {}, height = 600): DrawList {
  const d = new DrawList();
  paintTimeline(d, WIDTH, height, {
    theme: LIGHT,
    scale: new TimeScale(0, 1000, LABEL_WIDTH, 1000),
    layout,
    scrollY: 0,
    unit: 'ns',
    wallBaseNs: null,
    selection: null,
    selectedSpan: null,
    hoveredSpan: null,
    selectedInterval: -1,
    cursorNs: null,
    highlight: null,
    arrows: [],
    ...over,
  });
  return d;
}

/** The lane row of goroutine id `id`: its top on the canvas. */
function laneTop(id: number): number {
  const r = layout.rows.find((x) => x.kind === 'goroutine' && x.label === `G${id}`)!;
  return AXIS_HEIGHT + r.y;
}

/** Rects drawn inside the lane of G`id`. */
function laneRects(d: DrawList, id: number) {
  const top = laneTop(id);
  return d.of('fillRect').filter((r) => r.x >= LABEL_WIDTH && r.y >= top && r.y + r.h <= top + 16);
}

describe('timeline painters', () => {
  it('paints only the rows in the viewport', () => {
    const labels = (d: DrawList) =>
      d
        .of('fillText')
        .filter((x) => x.x < LABEL_WIDTH && x.y > AXIS_HEIGHT)
        .map((x) => x.text);
    const all = labels(paint());
    expect(all).toEqual(expect.arrayContaining(['G1', 'G2', 'G3']));
    // A viewport that ends inside the third row shows three rows' labels.
    const third = layout.rows[2]!;
    const few = labels(paint({}, AXIS_HEIGHT + third.y + 1));
    expect(few).toContain(layout.rows[2]!.label);
    expect(few).not.toContain(layout.rows[3]!.label);
  });

  it("draws each interval in its state's colour, full height for running", () => {
    const g2 = laneRects(paint(), 2);
    const running = g2.find((r) => r.style === stateColour(StateClass.Running, LIGHT))!;
    const waiting = g2.find((r) => r.style === stateColour(StateClass.WaitChannel, LIGHT))!;
    expect([running.x - LABEL_WIDTH, running.w]).toEqual([0, 400]);
    expect([waiting.x - LABEL_WIDTH, waiting.w]).toEqual([400, 600]);
    // Waiting is drawn inset (2 px top and bottom) so it reads as "not running".
    expect(waiting.h).toBe(running.h - 4);
  });

  it('outlines the highlighted intervals and dims the lanes that are not lit', () => {
    const g1 = t.g(1);
    const wait = t.m.goroutines.intervalStart[g1]!;
    const mask = new Uint8Array(t.m.goroutines.length);
    mask[g1] = 1;
    const d = paint({
      highlight: {
        func: 'sync.Lock',
        goroutineMask: mask,
        goroutineIds: Int32Array.of(1),
        intervals: Int32Array.of(wait),
        sampleStart: null,
        sampleTimes: null,
        samples: 0,
        dlv: [],
        dlvSpans: 0,
        histogram: null,
      },
    });
    const lit = laneRects(d, 1).filter((r) => r.style === LIGHT.highlight);
    // Two edges of the one lit interval, 0-400 ns.
    expect(lit.map((r) => [r.x - LABEL_WIDTH, r.w, r.h])).toEqual([
      [0, 400, 2],
      [0, 400, 2],
    ]);
    expect(laneRects(d, 2).filter((r) => r.style === LIGHT.highlight)).toEqual([]);
    // G1's lane at full strength, G2's dimmed; G1 marked in the label column.
    expect(laneRects(d, 1).every((r) => r.alpha === 1)).toBe(true);
    expect(laneRects(d, 2).every((r) => r.alpha === 0.25)).toBe(true);
    expect(d.of('fillRect').some((r) => r.x === 0 && r.w === 4 && r.y === laneTop(1))).toBe(true);
  });

  it("draws an unblocked-by arrow from the waker's lane to the woken one", () => {
    const d = paint({ arrows: [{ timeNs: 400, from: t.g(2), to: t.g(1), primary: true }] });
    const arrow = d.of('stroke').find((s) => s.style === LIGHT.highlight)!;
    const [start] = arrow.path;
    const end = arrow.path.at(-1)!;
    expect(start).toEqual([LABEL_WIDTH + 400, laneTop(2) + 8]);
    expect(end[0]).toBe(LABEL_WIDTH + 400);
    // It ends just short of the woken lane's middle (the head is drawn there).
    expect(Math.abs(end[1] - (laneTop(1) + 8))).toBe(5);
  });

  it('shades the selection and labels its length on the overlay, not in the picture', () => {
    const selection = { startNs: 100, endNs: 300 };
    expect(
      paint({ selection })
        .of('fillRect')
        .some((r) => r.style === LIGHT.selection),
    ).toBe(false);
    const st = {
      theme: LIGHT,
      scale: new TimeScale(0, 1000, LABEL_WIDTH, 1000),
      unit: 'ns' as const,
      selection,
      cursorNs: 500,
    };
    const o = overlayLayout(WIDTH, 600, st, (text) => text.length * 6);
    expect(o.shade).toEqual({
      x: LABEL_WIDTH + 100,
      w: 200,
      top: AXIS_HEIGHT,
      h: 600 - AXIS_HEIGHT,
    });
    // Its length, centred over it in the axis: "200 ns" is 36 px, 46 with the padding.
    expect(o.label).toEqual({ text: '200 ns', x: LABEL_WIDTH + 200 - 23, y: 18, w: 46, h: 15 });
    // The cursor: a line at 500 ns, below the axis.
    expect(o.cursor).toEqual({ x: LABEL_WIDTH + 500.5, top: AXIS_HEIGHT, h: 600 - AXIS_HEIGHT });
    // Out of view, the shade and the cursor are left out; the length stays, inside the plot.
    const off = overlayLayout(
      WIDTH,
      600,
      { ...st, selection: { startNs: 2000, endNs: 2100 }, cursorNs: -100 },
      (t) => t.length * 6,
    );
    expect(off.shade).toBeNull();
    expect(off.cursor).toBeNull();
    expect(off.label!.text).toBe('100 ns');
    expect(off.label!.x + off.label!.w).toBeLessThanOrEqual(WIDTH);
  });

  it('places nothing before the timeline has a size', () => {
    const st = {
      theme: LIGHT,
      scale: new TimeScale(0, 1000, LABEL_WIDTH, 1000),
      unit: 'ns' as const,
      selection: { startNs: 100, endNs: 300 },
      cursorNs: 500,
    };
    for (const [w, h] of [
      [0, 0],
      [WIDTH, AXIS_HEIGHT],
      [LABEL_WIDTH, 600],
    ] as const)
      expect(overlayLayout(w, h, st, (t) => t.length * 6)).toEqual({
        shade: null,
        label: null,
        cursor: null,
      });
  });
});

describe('stacked areas', () => {
  it('put a vertex only where an edge changes height', () => {
    const d = new DrawList();
    const flat = new Float32Array(100).fill(2);
    const step = new Float32Array(100).fill(1);
    step.fill(3, 50);
    paintStackedArea(d, { layers: [flat, step], colours: ['a', 'b'] }, 10, 100, 50, 10);
    const [bottom, top] = d.of('fill');
    // A rectangle: 2 goroutines high (10 px at 5 px each), 100 px wide, closed.
    expect(bottom!.style).toBe('a');
    expect(bottom!.path).toEqual([
      [10, 90],
      [110, 90],
      [110, 100],
      [10, 100],
      [10, 90],
    ]);
    // On top of it, one step up at column 50.
    expect(top!.path).toEqual([
      [10, 85],
      [60, 85],
      [60, 75],
      [110, 75],
      [110, 90],
      [10, 90],
      [10, 85],
    ]);
  });
});

describe('metric tracks', () => {
  // The heap's live bytes rise at every sample between collections: 2,000 samples 0.001 ns apart
  // (two pixels at 1 px per ns) rising from 1 to 2,000, then a drop to 500 at 400 ns.
  const n = 2000;
  const time = new Float64Array(n + 1);
  const value = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    time[i] = 100 + i * 0.001;
    value[i] = i + 1;
  }
  time[n] = 400;
  value[n] = 500;
  const series = { name: '/memory/classes/heap/objects:bytes', time, value };
  const row = {
    kind: 'metric' as const,
    key: 't:m:heap',
    y: 0,
    h: 46,
    label: 'heap',
    sub: '',
    trace: t.m,
    series,
    unit: 'bytes',
    max: 2000,
  };
  const st = { theme: LIGHT, scale: new TimeScale(0, 1000, LABEL_WIDTH, 1000) };

  it('draws a pixel of many rising samples as one step at their highest', () => {
    const d = new DrawList();
    paintMetric(d, row as Parameters<typeof paintMetric>[1], 0, st as TimelinePaint);
    const [area] = d.of('fill');
    const h = row.h - 6;
    const base = row.h - 2;
    const ys = area!.path.map(([, y]) => y);
    // The area reaches the highest sample (2,000 = the track's top) and the drop after it.
    expect(Math.min(...ys)).toBeCloseTo(base - h, 6);
    expect(ys).toContain(base - (500 / 2000) * h);
    // A thousand samples a pixel cost a few vertices, not one per higher sample.
    expect(area!.path.length).toBeLessThan(20);
  });

  it('keeps a peak in the last pixel, with no sample after it', () => {
    // Only the rising samples: the series ends on them.
    const rising = { ...series, time: time.subarray(0, n), value: value.subarray(0, n) };
    const d = new DrawList();
    paintMetric(
      d,
      { ...row, series: rising } as Parameters<typeof paintMetric>[1],
      0,
      st as TimelinePaint,
    );
    const ys = d.of('fill')[0]!.path.map(([, y]) => y);
    expect(Math.min(...ys)).toBeCloseTo(row.h - 2 - (row.h - 6), 6);
  });
});

describe('the tasks track', () => {
  // Four tasks in one pixel (1 px per ns), overlapping so that their levels alternate as they
  // start: A and C on level 0, B and D on level 1; then a wide one on level 0.
  const tt = traceOf({
    end: 1000,
    events: [{ t: 0, g: 1, state: 'running' }],
    tasks: [
      { name: 'a', start: 100, end: 100.2 },
      { name: 'b', start: 100.1, end: 100.3 },
      { name: 'a', start: 100.25, end: 100.5 },
      { name: 'b', start: 100.35, end: 100.6 },
      { name: 'wide', start: 300, end: 600 },
    ],
  });
  const e = new Engine();
  e.addFile('tt', decodedTrace(tt.m));
  const rows = buildRows(
    {
      fileId: 'tt',
      name: 'tasks.out',
      model: tt.m,
      view: e.run('traceView', { trace: 'tt' }),
      lanes: e.run('lanes', { ...q, trace: 'tt' }),
      activity: e.run('laneActivity', { ...q, trace: 'tt' }),
    },
    [],
    [],
    { collapsed: {}, restricted: false },
  );
  const row = rows.rows.find((r) => r.kind === 'tasks')!;

  it('draws one mark per level in a pixel crowded with tiny tasks, and the wide one', () => {
    const d = new DrawList();
    paintTasks(d, row as Extract<typeof row, { kind: 'tasks' }>, 0, {
      theme: LIGHT,
      scale: new TimeScale(0, 1000, LABEL_WIDTH, 1000),
    } as TimelinePaint);
    const marks = d.of('fillRect').map((r) => [Math.floor(r.x - LABEL_WIDTH), r.y]);
    // Level 0 at y 2, level 1 at y 16: one mark each in pixel 100, then the wide task.
    expect(marks).toEqual([
      [100, 2],
      [100, 16],
      [300, 2],
    ]);
    expect(d.of('fillText').map((x) => x.text)).toEqual(['wide']);
  });
});
