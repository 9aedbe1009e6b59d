// The search box's queries through the Engine, as the page asks them: on the spike program's trace
// (counts from Go's own reading, see analysis/query/spike.test.ts) and on the run recorded three
// ways (trace + dlv log on its clock).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeFile } from '../formats/index';
import { sessionAxis } from '../analysis/session';
import { runningIntervals } from '../analysis/alignment';
import { GS_RUNNING } from '../model/trace';
import { corpusPath } from '../testing/corpus';
import { Engine } from './engine';
import type { SearchParams } from './search';

function decoded(rel: string) {
  const o = decodeFile(rel, new Uint8Array(readFileSync(corpusPath(rel))));
  if (!o.ok) throw new Error(o.error.message);
  return o.file;
}

describe('search on the spike trace', () => {
  const engine = new Engine();
  const file = decoded('go-trace/spike/go1.26.trace');
  engine.addFile('t', file);
  if (file.format !== 'go-trace') throw new Error('not a trace');
  const model = file.model;
  const q = (text: string, range: [number, number] | null = null): SearchParams => ({
    trace: 't',
    dlv: [],
    text,
    range,
  });

  it("counts what Go's reader counts", () => {
    const counts: Record<string, number> = {
      'state:waiting reason="sync" dur>5ms': 66,
      'region=lookup': 8663,
      'log=phase': 2,
      'wakes:5283': 159,
    };
    for (const [text, n] of Object.entries(counts)) {
      const v = engine.run('search', q(text));
      expect(v.ok && v.results.count, text).toBe(n);
    }
  });

  it('answers a bad query with the offending token', () => {
    const v = engine.run('search', q('state:sleepy'));
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.error.token).toContain('sleepy');
  });

  it('restricts to the selection, lists lanes and spreads results over the histogram', () => {
    const all = engine.run('search', q('region=lookup'));
    if (!all.ok) throw new Error('bad query');
    const r = all.results;
    const mid = r.start[Math.floor(r.count / 2)]!;
    const range: [number, number] = [mid - 1e7, mid + 1e7];
    const part = engine.run('search', q('region=lookup', range));
    if (!part.ok) throw new Error('bad query');
    let inside = 0;
    for (let i = 0; i < r.count; i++) if (r.start[i]! < range[1] && r.end[i]! > range[0]) inside++;
    expect(part.results.count).toBe(inside);
    expect(inside).toBeGreaterThan(0);
    expect(inside).toBeLessThan(r.count);
    // Lanes with results, as Go ids.
    const lanes = new Set<number>();
    for (let i = 0; i < r.count; i++) lanes.add(model.goroutines.id[r.goroutine[i]!]!);
    expect([...all.goroutineIds].sort((a, b) => a - b)).toEqual([...lanes].sort((a, b) => a - b));
    // The histogram holds the results' time.
    let total = 0;
    for (let i = 0; i < r.count; i++) total += Math.max(1, r.end[i]! - r.start[i]!);
    const hist = all.histogram.intervalNs.reduce((a, b) => a + b, 0);
    expect(hist / total).toBeCloseTo(1, 6);
  });

  it('filters the lanes to those with results', () => {
    const v = engine.run('search', q('region=lookup'));
    if (!v.ok) throw new Error('bad query');
    const lanes = engine.run('lanes', {
      trace: 't',
      sort: 'id',
      filter: '',
      only: null,
      search: q('region=lookup'),
    });
    const shown = lanes.groups.flatMap((g) =>
      Array.from(g.members, (k) => model.goroutines.id[k]!),
    );
    expect(shown.sort((a, b) => a - b)).toEqual(Array.from(v.goroutineIds).sort((a, b) => a - b));
    // A bad query filters nothing.
    const all = engine.run('lanes', { trace: 't', sort: 'id', filter: '', only: null });
    const bad = engine.run('lanes', {
      trace: 't',
      sort: 'id',
      filter: '',
      only: null,
      search: q('state:sleepy'),
    });
    const count = (l: typeof all) => l.groups.reduce((n, g) => n + g.members.length, 0);
    expect(count(bad)).toBe(count(all));
    expect(count(lanes)).toBeLessThan(count(all));
  });

  it('orders results by start and by duration', () => {
    const v = engine.run('search', q('state:waiting reason:sync dur>5ms'));
    if (!v.ok) throw new Error('bad query');
    const r = v.results;
    const byDur = engine.run('searchOrder', {
      ...q('state:waiting reason:sync dur>5ms'),
      by: 'duration',
      descending: true,
    });
    expect(byDur.length).toBe(r.count);
    const d = Array.from(byDur, (i) => r.end[i]! - r.start[i]!);
    for (let k = 1; k < d.length; k++) expect(d[k]!).toBeLessThanOrEqual(d[k - 1]!);
  });

  it('completes keys and values from the trace', () => {
    const keys = engine.run('searchComplete', { trace: 't', dlv: [], text: 'reg', caret: 3 });
    expect(keys.items.map((i) => i.label)).toContain('region');
    const vals = engine.run('searchComplete', {
      trace: 't',
      dlv: [],
      text: 'region:lo',
      caret: 9,
    });
    expect(vals.items.map((i) => i.label)).toContain('lookup');
  });
});

describe('search with a dlv log on the trace clock, and runtime lanes', () => {
  const engine = new Engine();
  const trace = decoded('combined/go1.27/trace.out');
  const dlv = decoded('combined/go1.27/dlv-trace.log');
  engine.addFile('t', trace);
  engine.addFile('d', dlv);
  if (trace.format !== 'go-trace') throw new Error('not a trace');
  const m = trace.model;
  const axis = sessionAxis(
    [
      { id: 't', decoded: trace },
      { id: 'd', decoded: dlv },
    ],
    {},
    null,
    runningIntervals,
  );
  const offsetNs = axis.dlv[0]!.offsetNs!;

  it('finds dlv calls and marks them per log', () => {
    if (dlv.format !== 'dlv-trace') throw new Error('not a dlv log');
    const d = dlv.model;
    const f = d.strings.indexOf('main.lookup');
    let calls = 0;
    for (let i = 0; i < d.spanCount; i++) if (d.spans.func[i] === f) calls++;
    const v = engine.run('search', {
      trace: 't',
      dlv: [{ file: 'd', offsetNs }],
      text: 'dlv=main.lookup',
      range: null,
    });
    if (!v.ok) throw new Error('bad query');
    expect(calls).toBeGreaterThan(0);
    expect(v.results.count).toBe(calls);
    expect(v.dlv[0]!.spans.reduce((a, b) => a + b, 0)).toBe(calls);
  });

  it('puts every running interval with a P on that P, without overlaps', () => {
    const { procs } = engine.run('runtimeLanes', { trace: 't' });
    let running = 0;
    const known = new Set(Array.from(m.procs.id));
    for (let i = 0; i < m.intervals.length; i++)
      if (m.intervals.state[i] === GS_RUNNING && known.has(m.intervals.proc[i]!)) running++;
    // Re-stated runs join, so there are at most as many runs as running intervals.
    expect(procs.start.length).toBeGreaterThan(0);
    expect(procs.start.length).toBeLessThanOrEqual(running);
    for (let p = 0; p < m.procs.length; p++) {
      for (let k = procs.procStart[p]! + 1; k < procs.procStart[p + 1]!; k++)
        expect(procs.start[k]!).toBeGreaterThanOrEqual(procs.end[k - 1]!);
    }
  });
});
