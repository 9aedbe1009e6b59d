// The chain behind a wait on the timeline, read through a DrawList: a pipeline S -> M -> K where
// M waits on a lock H holds (analysis/whyChain.test.ts's trace), laid out as the page lays it out.

import { describe, expect, it } from 'vitest';
import { decodedTrace, traceOf } from '../analysis/testTrace';
import { Engine } from '../engine/engine';
import { DrawList } from './drawTarget';
import { buildRows, type RowLayout } from './rowLayout';
import { LIGHT } from './theme';
import { AXIS_HEIGHT, LABEL_WIDTH } from './timelineGeometry';
import { TimeScale } from './timeScale';
import { paintChain } from './whyChain';

// µs: G3 (M) receives from G2 (S) at 50, waits on a lock G1 (H) holds until 300, sends to G4
// (K) at 350; K waited from 5.
const t = traceOf({
  end: 400_000,
  events: [
    { t: 0, g: 1, state: 'running' },
    { t: 0, g: 2, state: 'running' },
    { t: 0, g: 3, state: 'running' },
    { t: 10000, g: 3, state: 'waiting', reason: 'chan receive', stack: 'main.stage;main.recv' },
    { t: 50000, g: 3, state: 'runnable', waker: 2, stack: 'main.source;main.send' },
    { t: 60000, g: 3, state: 'running' },
    { t: 100000, g: 3, state: 'waiting', reason: 'sync', stack: 'main.stage;sync.(*Mutex).Lock' },
    { t: 300000, g: 3, state: 'runnable', waker: 1, stack: 'main.hold;sync.(*Mutex).Unlock' },
    { t: 320000, g: 3, state: 'running' },
    { t: 0, g: 4, state: 'running' },
    { t: 5000, g: 4, state: 'waiting', reason: 'chan receive', stack: 'main.sink;main.recv' },
    { t: 350000, g: 4, state: 'runnable', waker: 3, stack: 'main.stage;main.send' },
  ],
});
const engine = new Engine();
engine.addFile('t', decodedTrace(t.m));
const wait = t.m.goroutines.intervalStart[t.g(4)]! + 1;
const chain = engine.run('whyChain', { trace: 't', interval: wait })!;

function layoutOf(only: number[] | null): RowLayout {
  const q = { trace: 't', sort: 'id' as const, filter: '', only };
  return buildRows(
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
    { collapsed: {}, restricted: only !== null },
  );
}

// 1 px per µs over [0, 400 µs].
const scale = new TimeScale(0, 400_000, LABEL_WIDTH, 400);
const px = (ns: number) => LABEL_WIDTH + ns / 1000;

function draw(layout: RowLayout, scrollY = 0): DrawList {
  const d = new DrawList();
  paintChain(d, { layout, scale, theme: LIGHT, scrollY }, AXIS_HEIGHT, LABEL_WIDTH + 400, chain);
  return d;
}

const rowY = (layout: RowLayout, id: number) => {
  const r = layout.rows.find((x) => x.kind === 'goroutine' && x.label === `G${id}`)!;
  return { y: AXIS_HEIGHT + r.y, h: r.h };
};

describe('the chain on the timeline', () => {
  it('outlines each piece on its lane, fills what the wait is charged to, arrows at the wakes', () => {
    const layout = layoutOf(null);
    const d = draw(layout);
    const outlines = d.of('strokeRect');
    expect(outlines).toHaveLength(chain.segments.length);
    chain.segments.forEach((s, k) => {
      const o = outlines[k]!;
      const lane = rowY(layout, s.goId);
      expect(o.x).toBeCloseTo(px(s.startNs) + 0.5);
      expect(o.w).toBeCloseTo(px(s.endNs) - px(s.startNs) - 1);
      expect(o.y).toBeCloseTo(lane.y + 0.5);
      expect(o.style).toBe(LIGHT.highlight);
    });
    // The fills: exactly the charged pieces past the wait itself, on their lanes.
    const fills = d.of('fillRect');
    const charged = chain.segments.filter((s) => s.charged && s.depth > 0);
    expect(charged.length).toBeGreaterThan(0);
    expect(fills.map((f) => [f.x, f.y])).toEqual(
      charged.map((s) => [px(s.startNs), rowY(layout, s.goId).y + 1]),
    );
    // G1 running while it held the lock (100-300 µs) is charged: filled on G1's lane.
    expect(charged.some((s) => s.goId === 1 && s.state === 'running' && s.endNs === 300_000)).toBe(
      true,
    );
    // One arrow per wake: a stroke from the waker's lane to the woken lane at the wake's time.
    const strokes = d.of('stroke');
    expect(strokes).toHaveLength(chain.arrows.length);
    chain.arrows.forEach((a, k) => {
      const from = rowY(layout, t.m.goroutines.id[a.fromGoroutine]!);
      const to = rowY(layout, t.m.goroutines.id[a.toGoroutine]!);
      const path = strokes[k]!.path;
      expect(path[0]).toEqual([px(a.timeNs), from.y + from.h / 2]);
      expect(path.at(-1)![0]).toBeCloseTo(px(a.timeNs));
      expect(Math.sign(path.at(-1)![1] - path[0]![1])).toBe(Math.sign(to.y - from.y));
    });
    // Scrolled: everything moves up by the scroll.
    const up = draw(layout, 10).of('strokeRect');
    expect(up[0]!.y).toBeCloseTo(outlines[0]!.y - 10);
  });

  it('leaves out the pieces and arrows of lanes the settings hide', () => {
    // Only K (G4) and M (G3): H (G1) and S (G2) have no lane.
    const layout = layoutOf([3, 4]);
    const d = draw(layout);
    const shown = chain.segments.filter((s) => s.goId === 3 || s.goId === 4);
    expect(d.of('strokeRect')).toHaveLength(shown.length);
    const arrows = chain.arrows.filter((a) =>
      [a.fromGoroutine, a.toGoroutine].every((g) => [3, 4].includes(t.m.goroutines.id[g]!)),
    );
    expect(d.of('stroke')).toHaveLength(arrows.length);
    expect(arrows.length).toBe(1); // M woke K
  });
});
