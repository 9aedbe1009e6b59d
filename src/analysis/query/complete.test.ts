import { describe, expect, it } from 'vitest';
import { DlvBuilder } from '../../model/dlv';
import { traceOf, type TestTransition } from '../testTrace';
import { completeQuery, quoteValue, type CompletionSources } from './complete';
import { buildDlvQueryIndex, buildQueryIndex } from './queryIndex';
import { parseQuery } from './syntax';

// Goroutines 1, 6, 60-69 and 600 (start function main.worker, main.main for 1); waits on
// "sync" (3 runs), "chan receive" (1) and "sync.(*Cond).Wait" (1).
const events: TestTransition[] = [];
const ids = [1, 6, ...Array.from({ length: 10 }, (_, i) => 60 + i), 600];
for (const g of ids) {
  const root = g === 1 ? 'main.main' : 'main.worker';
  events.push({ t: 0, g, state: 'running', stack: `${root};main.start` });
}
events.push({
  t: 10,
  g: 6,
  state: 'waiting',
  reason: 'sync',
  stack: 'main.worker;main.lookup;sync.(*Mutex).Lock',
});
events.push({
  t: 10,
  g: 60,
  state: 'waiting',
  reason: 'sync',
  stack: 'main.worker;main.lookupAll',
});
events.push({
  t: 10,
  g: 61,
  state: 'waiting',
  reason: 'sync',
  stack: 'main.worker;pkg.(*T).lookup',
});
events.push({
  t: 10,
  g: 62,
  state: 'waiting',
  reason: 'chan receive',
  stack: 'main.worker;main.recv',
});
events.push({
  t: 10,
  g: 63,
  state: 'waiting',
  reason: 'sync.(*Cond).Wait',
  stack: 'main.worker;x.Wait',
});
const t = traceOf({
  end: 100,
  events,
  tasks: [{ name: 'handle', start: 1, end: 50, g: 6 }],
  regions: [
    { name: 'lookup', g: 6, start: 2, end: 20 },
    { name: 'lookup', g: 60, start: 2, end: 20 },
    { name: 'my lookup', g: 61, start: 2, end: 20 },
    { name: 'encode', g: 6, start: 30, end: 40 },
  ],
  logs: [{ t: 5, g: 6, category: 'phase', message: 'lock' }],
});
const d = new DlvBuilder();
d.addSpan({
  goroutine: 6,
  func: 'main.parse',
  tracepoint: null,
  args: '1',
  depth: 0,
  frame: -1,
  startNs: 0,
  ebpf: false,
});
const dlv = d.finish({
  wallBaseNs: null,
  firstTimestamp: null,
  lastTimestamp: null,
  otherLines: 0,
  unterminated: 0,
  gluedTimestamps: 0,
});
const sources: CompletionSources = {
  trace: { model: t.m, index: buildQueryIndex(t.m) },
  dlv: [{ index: buildDlvQueryIndex(dlv) }],
};

/** Completes at the `|` mark in `text`. */
function at(marked: string, limit?: number) {
  const caret = marked.indexOf('|');
  const text = marked.slice(0, caret) + marked.slice(caret + 1);
  const c = completeQuery(text, caret, sources, limit === undefined ? {} : { limit });
  return { ...c, text, labels: c.items.map((i) => i.label) };
}

/** The text after accepting the first suggestion. */
function accept(marked: string, k = 0): string {
  const c = at(marked);
  const item = c.items[k];
  if (!item) throw new Error(`no suggestion for ${marked}`);
  return c.text.slice(0, c.from) + item.insert + c.text.slice(c.to);
}

describe('query completion', () => {
  it('suggests keys at the start of a term, filtered by what is typed', () => {
    expect(at('|').labels).toContain('state');
    expect(at('|').context).toBe('key');
    expect(at('st|').labels).toEqual(['state']);
    expect(accept('st|')).toBe('state:');
    expect(accept('state:waiting du|')).toBe('state:waiting dur>');
    expect(at('d|').labels).toEqual(['dlv', 'dur']);
    expect(accept('-re|')).toBe('-reason:');
    expect(at('w|').labels).toEqual(['wakes', 'wokenby']);
    // An operator already there is kept.
    expect(accept('sta|:waiting')).toBe('state:waiting');
  });

  it('suggests states with their interval counts', () => {
    const c = at('state:w|');
    expect(c.items).toEqual([{ label: 'waiting', insert: 'waiting', detail: '5 intervals' }]);
    expect(accept('state:running,r|')).toBe('state:running,running');
  });

  it('suggests the reason families present, then Go reasons', () => {
    const c = at('reason:|');
    expect(c.labels).toEqual(['sync', 'channel', 'sync', 'chan receive', 'sync.(*Cond).Wait']);
    expect(c.items[0]!.detail).toContain('4 intervals'); // sync and sync.(*Cond).Wait
    // Go's "sync" reason as text is quoted (unquoted it would be the family).
    expect(c.items[2]!.insert).toBe('"sync"');
    expect(accept('reason:cha|', 1)).toBe('reason:"chan receive"');
    expect(accept('reason="chan|')).toBe('reason="chan receive"');
  });

  it('suggests functions by prefix first, then by substring, as the query must spell them', () => {
    expect(at('fn:main.look|').labels).toEqual(['main.lookup', 'main.lookupAll']);
    expect(at('fn:lookup|').labels).toEqual(['main.lookup', 'main.lookupAll', 'pkg.(*T).lookup']);
    expect(accept('fn:sync.|')).toBe('fn:sync.(*Mutex).Lock');
    expect(at('fn:look|', 2).labels).toHaveLength(2);
    expect(at('fn:/look|').items).toEqual([]);
  });

  it('suggests region, task and log names, most used first', () => {
    expect(at('region:|').labels).toEqual(['lookup', 'encode', 'my lookup']);
    expect(at('region:look|').labels).toEqual(['lookup', 'my lookup']);
    expect(accept('region:my|')).toBe('region:"my lookup"');
    expect(at('task:|').items).toEqual([{ label: 'handle', insert: 'handle', detail: '1 task' }]);
    expect(at('log:|').labels).toEqual(['lock', 'phase']); // a message and a category
    expect(at('dlv:|').labels).toEqual(['main.parse']);
  });

  it('suggests goroutine ids by prefix with their start function', () => {
    expect(at('g:6|').labels).toEqual([
      '6',
      '60',
      '61',
      '62',
      '63',
      '64',
      '65',
      '66',
      '67',
      '68',
      '69',
      '600',
    ]);
    expect(at('g:6|', 3).labels).toEqual(['6', '60', '61']);
    expect(at('wakes:1|').items).toEqual([{ label: '1', insert: '1', detail: 'main.main' }]);
    expect(at('g:60|').items[1]).toEqual({ label: '600', insert: '600', detail: 'main.worker' });
    expect(accept('g:1,6|')).toBe('g:1,6');
    expect(at('g:x|').items).toEqual([]);
  });

  it('suggests units for a duration', () => {
    expect(at('dur>5|').labels).toEqual(['5ns', '5µs', '5ms', '5s']);
    expect(at('dur:>5|').labels).toEqual(['>5ns', '>5µs', '>5ms', '>5s']);
    expect(accept('dur>5|', 2)).toBe('dur>5ms');
  });

  it('replaces the whole value under the caret, inside groups too', () => {
    expect(accept('(region:enc| | g:1)')).toBe('(region:encode | g:1)');
    expect(accept('state:waiting region:lo|okup')).toBe('state:waiting region:lookup');
  });

  it('has nothing to offer inside a pattern or after an unknown key', () => {
    expect(at('region:/lo|').context).toBe('none');
    expect(at('foo:|').items).toEqual([]);
  });

  it('works without a trace (keys, states, units)', () => {
    const c = completeQuery('state:', 6, {});
    expect(c.items.map((i) => i.label)).toEqual(['running', 'runnable', 'waiting', 'syscall']);
    expect(completeQuery('fn:x', 4, {}).items).toEqual([]);
  });

  it('quotes values that would not read back as themselves', () => {
    for (const v of ['chan receive', 'a|b', 'f)', '*', '/x/', 'say "hi"', '']) {
      const q = quoteValue(v);
      expect(q.startsWith('"')).toBe(true);
      const parsed = parseQuery(`log=${q}`);
      expect(parsed.ok && parsed.query.alternatives[0]![0]!.value).toMatchObject({ text: v });
    }
    for (const v of ['sync.(*Mutex).Lock', 'pkg.F[go.shape.int]', 'main.main.func1']) {
      expect(quoteValue(v)).toBe(v);
    }
  });
});
