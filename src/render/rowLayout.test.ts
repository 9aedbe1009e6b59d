// The timeline's rows, from a small trace built through the model's builder, with the engine's
// answers for it (as the page gets them), and a dlv log decoded from text.

import { describe, expect, it } from 'vitest';
import { layoutDlv } from '../analysis/dlvLanes';
import { decodedTrace, traceOf, type TestTransition } from '../analysis/testTrace';
import { Engine } from '../engine/engine';
import { decodeDlv } from '../formats/dlv/decode';
import {
  buildRows,
  rowAt,
  ROW_H,
  TRACKS_KEY,
  type DlvRowsInput,
  type RowLayout,
  type TraceRowsInput,
} from './rowLayout';

/** 15 workers (G10..G24), 3 handlers (G30, G31, G32), one goroutine without a stack (G40). */
function session() {
  const events: TestTransition[] = [];
  for (let id = 10; id < 25; id++) {
    events.push({ t: 0, g: id, state: 'running', stack: 'main.worker;main.step' });
    events.push({
      t: 50 + id,
      g: id,
      state: 'waiting',
      reason: 'chan receive',
      stack: 'main.worker;runtime.chanrecv1',
    });
  }
  // Handlers run for different times: G32 the longest, G30 the shortest.
  events.push({ t: 0, g: 30, state: 'running', stack: 'main.serve;main.handle' });
  events.push({ t: 10, g: 30, state: 'waiting', reason: 'sync', stack: 'main.serve;sync.Lock' });
  events.push({ t: 0, g: 31, state: 'running', stack: 'main.serve;main.handle' });
  events.push({ t: 50, g: 31, state: 'waiting', reason: 'sync', stack: 'main.serve;sync.Lock' });
  events.push({ t: 0, g: 32, state: 'running', stack: 'main.serve;main.handle' });
  events.push({ t: 90, g: 32, state: 'waiting', reason: 'sync', stack: 'main.serve;sync.Lock' });
  events.push({ t: 5, g: 40, state: 'runnable' });
  events.push({ t: 6, g: 40, state: 'running' });
  const t = traceOf({
    end: 100,
    events,
    tasks: [
      { name: 'a', start: 0, end: 60 },
      { name: 'b', start: 10, end: 40 },
    ],
  });
  const engine = new Engine();
  engine.addFile('t', decodedTrace(t.m));
  return { t, engine };
}

function traceInput(
  s: ReturnType<typeof session>,
  lanes: {
    sort?: 'id' | 'running';
    filter?: string;
    only?: number[] | null;
    pinned?: number[];
  } = {},
): TraceRowsInput {
  const q = {
    trace: 't',
    sort: lanes.sort ?? 'id',
    filter: lanes.filter ?? '',
    only: lanes.only ?? null,
    ...(lanes.pinned ? { pinned: lanes.pinned } : {}),
  };
  return {
    fileId: 't',
    name: 'trace.out',
    model: s.t.m,
    view: s.engine.run('traceView', { trace: 't' }),
    lanes: s.engine.run('lanes', q),
    activity: s.engine.run('laneActivity', q),
  };
}

const kinds = (l: RowLayout) =>
  l.rows.map((r) =>
    r.kind === 'group' || r.kind === 'goroutine' ? `${r.kind}:${r.label}` : r.kind,
  );
const settings = { collapsed: {}, restricted: false };

describe('row layout', () => {
  const s = session();

  it('pins a jump target above the lanes when the list or a collapsed group hides it', () => {
    // Lanes limited to G30 and G31 (a spike's); G32 (filtered out) and G12 (in the collapsed
    // workers group) pinned; G31 pinned too but shown anyway: not pinned again.
    const l = buildRows(traceInput(s, { only: [30, 31], pinned: [32, 12, 31] }), [], [], {
      collapsed: {},
      restricted: true,
    });
    expect(kinds(l).slice(5)).toEqual([
      'goroutine:G32',
      'goroutine:G12',
      'group:main.serve',
      'goroutine:G30',
      'goroutine:G31',
    ]);
    expect(l.pinned.map((g) => s.t.m.goroutines.id[g])).toEqual([32, 12]);
    const pin = l.rows[5]!;
    expect(pin.key).toBe('t:pin:G32');
    expect(pin.sub).toBe('pinned · main.serve');
    // The arrows find a pinned lane's row.
    expect(l.rowOfGoroutine((pin as { g: number }).g)).toBe(5);
    // The workers group collapsed by default keeps G12 on its pinned row.
    const closed = buildRows(traceInput(s, { pinned: [12] }), [], [], settings);
    const g12 = closed.rows.findIndex((r) => r.key === 't:pin:G12');
    expect(g12).toBeGreaterThan(0);
    expect(closed.rowOfGoroutine((closed.rows[g12] as { g: number }).g)).toBe(g12);
    // Without pins, nothing changes.
    expect(buildRows(traceInput(s), [], [], settings).pinned).toEqual([]);
  });

  it('lays out the tracks, the processors, then the groups largest first; a group over 12 collapses', () => {
    const l = buildRows(traceInput(s), [], [], settings);
    expect(kinds(l)).toEqual([
      'group:trace.out',
      'gc',
      'counts',
      'tasks',
      'group:Processors',
      'group:main.worker',
      'group:main.serve',
      'goroutine:G30',
      'goroutine:G31',
      'goroutine:G32',
      'group:(unknown start)',
      'goroutine:G40',
    ]);
    // Rows stack without gaps; the tasks row holds the two overlapping tasks on two levels.
    for (let i = 1; i < l.rows.length; i++)
      expect(l.rows[i]!.y).toBe(l.rows[i - 1]!.y + l.rows[i - 1]!.h);
    expect(l.rows[3]!.h).toBe(2 * ROW_H.taskLevel + 4);
    expect(l.height).toBe(l.rows.at(-1)!.y + l.rows.at(-1)!.h);
    expect(l.goroutineLanes).toBe(19);
    // The collapsed group carries its members' activity for its plot.
    const workers = l.rows[5]!;
    expect(workers.kind === 'group' && workers.collapsed && workers.activity !== null).toBe(true);
  });

  it('folds the trace tracks (GC, counts, tasks) under their header, leaving the lanes', () => {
    const l = buildRows(traceInput(s), [], [], { ...settings, collapsed: { [TRACKS_KEY]: true } });
    expect(kinds(l).slice(0, 3)).toEqual([
      'group:trace.out',
      'group:Processors',
      'group:main.worker',
    ]);
    const open = buildRows(traceInput(s), [], [], settings);
    expect(l.height).toBe(open.height - open.rows[1]!.h - open.rows[2]!.h - open.rows[3]!.h);
  });

  it('opens a group the user expanded; sorts by running time; restricted lists open every group', () => {
    const open = buildRows(traceInput(s), [], [], {
      collapsed: { 't:g:main.worker': false },
      restricted: false,
    });
    expect(open.rows.filter((r) => r.kind === 'goroutine')).toHaveLength(19);
    const byRunning = buildRows(traceInput(s, { sort: 'running' }), [], [], settings);
    expect(kinds(byRunning).slice(7, 10)).toEqual([
      'goroutine:G32',
      'goroutine:G31',
      'goroutine:G30',
    ]);
    const only = buildRows(traceInput(s, { only: [10, 11, 30] }), [], [], {
      collapsed: {},
      restricted: true,
    });
    expect(kinds(only).slice(4)).toEqual([
      'group:Processors',
      'group:main.worker',
      'goroutine:G10',
      'goroutine:G11',
      'group:main.serve',
      'goroutine:G30',
    ]);
    // Lanes that exist, not only those shown.
    expect(only.goroutineLanes).toBe(19);
  });

  it('finds the row under a height and the row of a goroutine', () => {
    const l = buildRows(traceInput(s, { filter: 'serve' }), [], [], settings);
    const g31 = l.rows.findIndex((r) => r.label === 'G31');
    const r = l.rows[g31]!;
    expect(rowAt(l, r.y)).toBe(g31);
    expect(rowAt(l, r.y + r.h - 0.5)).toBe(g31);
    expect(rowAt(l, l.height + 1)).toBe(-1);
    expect(l.rowOfGoroutine(s.t.g(31))).toBe(g31);
    // Filtered out: no row.
    expect(l.rowOfGoroutine(s.t.g(10))).toBe(-1);
    // A collapsed group's members point at the group's row.
    const all = buildRows(traceInput(s), [], [], settings);
    expect(all.rowOfGoroutine(s.t.g(12))).toBe(
      all.rows.findIndex((x) => x.label === 'main.worker'),
    );
  });

  it("puts a dlv log's calls under their goroutine's lane, and calls of unknown goroutines last", () => {
    const m = decodeDlv(
      new TextEncoder().encode(
        [
          '2026-01-01T00:00:00Z > goroutine(31): main.handle()',
          '2026-01-01T00:00:01Z >> goroutine(31): main.handle => ()',
          '2026-01-01T00:00:02Z > goroutine(99): main.other()',
        ].join('\n'),
      ),
    );
    const dlv: DlvRowsInput = {
      fileId: 'd',
      name: 'dlv.log',
      model: m,
      layout: layoutDlv(m, 'time'),
      offset: 0,
      quality: 'inferred',
    };
    const l = buildRows(traceInput(s), [dlv], [], settings);
    const names = l.rows.map((r) => `${r.kind}:${r.label}:${r.sub}`);
    // The files group first, then the lane of G31 followed by its calls.
    expect(names[0]).toBe('group:Files on this clock:1');
    expect(names[1]).toBe('file:dlv.log:inferred');
    const g31 = names.indexOf('goroutine:G31:main.serve');
    // Directly under the lane, without a label of its own.
    expect(names[g31 + 1]).toBe('dlv::dlv.log');
    expect(names.at(-1)).toBe('dlv:G99:dlv.log (not in the trace)');
  });

  it('without a trace, a dlv log gets a section and one lane per goroutine', () => {
    const m = decodeDlv(
      new TextEncoder().encode(
        '> goroutine(1): main.a()\n>> goroutine(1): main.a => ()\n> goroutine(2): main.b()\n',
      ),
    );
    const l = buildRows(
      null,
      [
        {
          fileId: 'd',
          name: 'x.log',
          model: m,
          layout: layoutDlv(m, 'seq'),
          offset: null,
          quality: '',
          mode: 'seq',
        },
      ],
      [],
      settings,
    );
    expect(l.rows.map((r) => `${r.kind}:${r.label}`)).toEqual([
      'section:x.log',
      'dlv:G1',
      'dlv:G2',
    ]);
    expect(l.rows[0]!.sub).toBe('2 goroutines · 2 calls');
  });
});
