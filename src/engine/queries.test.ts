// The page's queries on real files: the run of the spike program recorded three ways at once
// (execution trace, pprof profiles, dlv log), through one Engine, as the page asks them.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeFile } from '../formats/index';
import { highlightFunction } from '../analysis/highlight';
import { sessionAxis } from '../analysis/session';
import { traceIndexes } from '../analysis/traceIndex';
import { goroutineStats } from '../analysis/traceLanes';
import { GS_WAITING, wakerOf } from '../model/trace';
import { corpusPath } from '../testing/corpus';
import { Engine } from './engine';
import type { FlameParams } from './flame';

const NAMES = ['trace.out', 'dlv-trace.log', 'mutex.pprof', 'cpu.pprof'];
const engine = new Engine();
const files = NAMES.map((name, k) => {
  const id = `f${k}`;
  const o = decodeFile(name, new Uint8Array(readFileSync(corpusPath('combined/go1.27', name))));
  if (!o.ok) throw new Error(o.error.message);
  engine.addFile(id, o.file);
  return { id, name, decoded: o.file };
});
const trace = files[0]!.decoded;
if (trace.format !== 'go-trace') throw new Error('not a trace');
const m = trace.model;

const flameAt = (
  settings: Partial<FlameParams['settings']>,
  range: FlameParams['range'],
  scope: FlameParams['scope'] = { kind: 'all' },
): FlameParams => ({
  files: files.map(({ id, name }) => ({ id, name })),
  settings: {
    source: null,
    types: {},
    search: '',
    focus: '',
    ignore: '',
    hide: '',
    mergeBy: 'function',
    zoom: [],
    labels: [],
    split: 'reason',
    ...settings,
  },
  range,
  scope,
  compare: null,
});

describe('the page queries on the combined run', () => {
  it('axis: the trace owns it and the other files are aligned, as sessionAxis says', () => {
    const axis = engine.run('axis', { files: files.map((f) => f.id), offsets: {}, clock: null });
    expect(axis).toEqual(sessionAxis(files));
    expect(axis.traceId).toBe('f0');
    expect(axis.dlv[0]?.alignment?.method).toBe('clock-snapshot');
  });

  it('lanes: every goroutine with intervals has a lane; the filter keeps a group', () => {
    const all = engine.run('lanes', { trace: 'f0', sort: 'id', filter: '', only: null });
    let seen = 0;
    for (let g = 0; g < m.goroutines.length; g++)
      if (m.goroutines.intervalStart[g + 1]! > m.goroutines.intervalStart[g]!) seen++;
    expect(all.goroutineLanes).toBe(seen);
    expect(all.groups.reduce((n, g) => n + g.members.length, 0)).toBe(seen);
    const serve = engine.run('lanes', { trace: 'f0', sort: 'running', filter: 'conn', only: null });
    const kept = serve.groups.filter((g) => g.members.length > 0);
    expect(kept.map((g) => g.name)).toContain('net/http.(*conn).serve');
    // Goroutine ids never contain 'conn': only groups named so keep members, all of them.
    expect(kept.every((g) => /conn/i.test(g.name) && g.members.length === g.size)).toBe(true);
    // Sorted by running time, descending.
    const group = kept.find((g) => g.name === 'net/http.(*conn).serve')!;
    const stats = goroutineStats(m).runningNs;
    for (let k = 1; k < group.members.length; k++)
      expect(stats[group.members[k - 1]!]).toBeGreaterThanOrEqual(stats[group.members[k]!]!);
    const act = engine.run('laneActivity', {
      trace: 'f0',
      sort: 'running',
      filter: 'conn',
      only: null,
    });
    const k = serve.groups.indexOf(group);
    expect(act[k]?.peak).toBeGreaterThan(0);
    // Its running time is the group's running time, bucket by bucket.
    let running = 0;
    for (const g of group.members) running += stats[g]!;
    let plotted = 0;
    for (let b = 0; b < act[k]!.activity.buckets; b++)
      plotted += act[k]!.activity.running[b]! * act[k]!.activity.bucketNs;
    expect(Math.abs(plotted - running) / running).toBeLessThan(1e-4);
  });

  it('highlight: what highlightFunction finds, plus the dlv calls of the function', () => {
    const h = engine.run('highlight', { trace: 'f0', dlv: ['f1'], func: 'main.lookup' });
    const direct = highlightFunction(traceIndexes(m), 'main.lookup');
    expect(Array.from(h.intervals)).toEqual(Array.from(direct.intervals));
    expect(h.samples).toBe(direct.samples.length);
    expect(h.intervals.length).toBeGreaterThan(10);
    expect(h.dlvSpans).toBeGreaterThan(0);
    // The lit lanes: the trace's goroutines of the function, and those of its dlv calls.
    expect(h.goroutineIds.length).toBeGreaterThanOrEqual(direct.goroutines.length);
    let lit = 0;
    for (const v of h.goroutineMask ?? []) lit += v;
    expect(lit).toBe(h.goroutineIds.length);
    // Sample times per goroutine add up to the samples.
    expect(h.sampleTimes?.length ?? 0).toBe(h.samples);
  });

  it('flame: the Blocked graph of the spike leads to main.lookup -> sync.(*Mutex).Lock', () => {
    const [spike] = engine.run('spikes', { trace: 'f0' });
    expect(spike).toBeDefined();
    const range = { startNs: spike!.startNs, endNs: spike!.endNs };
    const ids = Array.from(spike!.goroutines, (g) => m.goroutines.id[g]!);
    const p = flameAt({ source: 'trace:blocked' }, range, { kind: 'ids', ids });
    const v = engine.run('flame', p)!;
    expect(v.source.key).toBe('trace:blocked');
    expect(v.scopeCount).toBe(ids.length);
    // The tree names its nodes from its own table.
    const names = (n: number) => v.tree.names[v.tree.name[n]!] ?? '';
    let n = 0;
    const path: string[] = [];
    for (;;) {
      let best = -1;
      for (let c = n + 1; c < v.tree.end[n]!; c = v.tree.end[c]!)
        if (best < 0 || v.tree.total[c]! > v.tree.total[best]!) best = c;
      if (best < 0) break;
      path.push(names(best));
      n = best;
    }
    expect(path[0]).toBe('sync');
    const at = path.indexOf('main.lookup');
    expect(at).toBeGreaterThan(0);
    expect(path[at + 1]).toBe('sync.(*Mutex).Lock');
    // Same params: the cached answer; a search on top reuses the tree, adds the matches.
    expect(engine.run('flame', p)).toBe(v);
    const searched = { ...p, settings: { ...p.settings, search: 'lookup' } };
    const s = engine.run('flame', searched)!;
    expect(s.tree.total).toBe(v.tree.total);
    const matches = s.search!.match.reduce((n, x) => n + x, 0);
    expect(matches).toBeGreaterThan(0);
    // The share of a zoomed frame: fewer nodes than the whole graph, all of its weight matched
    // when the frame itself is main.lookup's.
    const zoomed = engine.run('flameSearch', {
      ...searched,
      settings: { ...searched.settings, zoom: path.slice(0, at + 1) },
    })!;
    expect(zoomed.count).toBeLessThanOrEqual(matches);
    expect(zoomed.share).toBe(1);
    // The graph itself does not depend on the zoom.
    expect(
      engine.run('flame', { ...p, settings: { ...p.settings, zoom: path.slice(0, 2) } })!.tree
        .total,
    ).toBe(v.tree.total);
  });

  it('flamePath: a blocked handler sits on its own stack in the graph', () => {
    const [spike] = engine.run('spikes', { trace: 'f0' });
    const range = { startNs: spike!.startNs, endNs: spike!.endNs };
    const p = flameAt({ source: 'trace:blocked' }, range);
    // A wait on the mutex of one of the spike's goroutines, inside the spike.
    const g = spike!.goroutines[0]!;
    let interval = -1;
    for (let i = m.goroutines.intervalStart[g]!; i < m.goroutines.intervalStart[g + 1]!; i++) {
      const end =
        i + 1 < m.goroutines.intervalStart[g + 1]! ? m.intervals.start[i + 1]! : m.durationNs;
      if (
        m.intervals.state[i] === GS_WAITING &&
        m.reasons[m.intervals.reason[i]!] === 'sync' &&
        m.intervals.start[i]! < range.endNs &&
        end > range.startNs
      )
        interval = i;
    }
    expect(interval).toBeGreaterThanOrEqual(0);
    const path = engine.run('flamePath', { ...p, trace: 'f0', interval });
    const v = engine.run('flame', p)!;
    expect(path.length).toBeGreaterThan(2);
    // Innermost first, each node the parent of the one before, ending at a root child.
    for (let k = 1; k < path.length; k++) expect(v.tree.parent[path[k - 1]!]).toBe(path[k]);
    expect(v.tree.parent[path[path.length - 1]!]).toBe(0);
    expect(v.tree.names[v.tree.name[path[path.length - 1]!]!]).toBe('sync');
  });

  it('topTable and sandwich of a profile', () => {
    const p = flameAt({ source: 'pprof:f2' }, null);
    const top = engine.run('topTable', { ...p, sort: { by: 'cum', desc: true }, limit: 5 })!;
    expect(top.rows).toHaveLength(5);
    for (let k = 1; k < top.rows.length; k++)
      expect(top.rows[k - 1]!.cum).toBeGreaterThanOrEqual(top.rows[k]!.cum);
    expect(top.more).toBeGreaterThan(0);
    const sw = engine.run('sandwich', { ...p, func: 'main.refreshCache' })!;
    expect(sw.callers.names[sw.callers.name[1]!]).toBe('main.refreshCache');
    expect(sw.callees.total[1]).toBe(sw.callers.total[1]);
  });

  it('unblock: arrows from wakers, and the U step back', () => {
    const [spike] = engine.run('spikes', { trace: 'f0' });
    const g = spike!.goroutines[0]!;
    let interval = -1;
    for (let i = m.goroutines.intervalStart[g]!; i < m.goroutines.intervalStart[g + 1]!; i++)
      if (m.intervals.state[i] === GS_WAITING && wakerOf(m.intervals, g, i + 1) >= 0) interval = i;
    const u = engine.run('unblock', { trace: 'f0', interval });
    expect(u.arrows.length).toBeGreaterThan(0);
    expect(u.arrows[0]!.to).toBe(g);
    expect(u.arrows[0]!.primary).toBe(true);
    expect(u.follow).toBeGreaterThanOrEqual(0);
  });

  it('exports: the CSV of a range and the pprof of a graph', () => {
    const csv = engine.run('intervalsCsv', {
      trace: 'f0',
      range: { startNs: 0, endNs: m.durationNs },
      filter: 'lookup',
      only: null,
    });
    // RFC 4180: records end with CRLF.
    expect(csv.text.split('\r\n')[0]).toBe(
      'goroutine,start_function,state,reason,start_ns,end_ns,duration_ns,function',
    );
    expect(csv.rows).toBe(csv.text.trim().split('\r\n').length - 1);
    const pprof = engine.run('flamePprof', flameAt({ source: 'trace:blocked' }, null))!;
    expect(pprof.name).toBe('trace-blocked.pb.gz');
    expect(pprof.bytes[0]).toBe(0x1f); // gzip
  });
});
