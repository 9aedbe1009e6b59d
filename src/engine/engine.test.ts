import { describe, expect, it } from 'vitest';
import { findSpikes } from '../analysis/spikes';
import { decodedTrace, traceOf, type TestTransition } from '../analysis/testTrace';
import { traceIndexes } from '../analysis/traceIndex';
import { Engine } from './engine';
import { FileNotLoaded, QueryError } from './errors';
import { LocalEngine } from './local';

/** Five goroutines wait on the network all along; three pile up on a mutex at 400-500. */
function pileUp(): ReturnType<typeof traceOf> {
  const events: TestTransition[] = [];
  for (let g = 1; g <= 5; g++)
    events.push({ t: 0, g, state: 'waiting', reason: 'network', stack: 'main.serve;net.read' });
  for (let g = 6; g <= 8; g++) {
    events.push({ t: 0, g, state: 'running' });
    events.push({
      t: 400,
      g,
      state: 'waiting',
      reason: 'sync',
      stack: 'main.handle;main.lookup;sync.(*Mutex).Lock',
    });
    events.push({ t: 500, g, state: 'runnable', waker: 9 });
  }
  events.push({ t: 0, g: 9, state: 'running' });
  return traceOf({ end: 1000, events });
}

describe('Engine', () => {
  it("keeps a file's one-of products (timeline view, processor lanes) however many parameterized products come and go", () => {
    const t = pileUp();
    const engine = new Engine({ maxDerived: 2 });
    engine.addFile('t', decodedTrace(t.m));
    const view = engine.run('traceView', { trace: 't' });
    const lanes = engine.run('runtimeLanes', { trace: 't' });
    // MMU curves for eight sets of options fill the file's bounded memo several times over.
    for (let k = 0; k < 8; k++) {
      const flags = { stw: !!(k & 1), background: !!(k & 2), assist: !!(k & 4) };
      engine.run('mmuCurve', {
        trace: 't',
        flags: { ...flags, sweep: false, perProc: false },
        points: 8,
      });
    }
    expect(engine.run('traceView', { trace: 't' })).toBe(view);
    expect(engine.run('runtimeLanes', { trace: 't' })).toBe(lanes);
  });

  it('answers a query with what the analysis returns, and caches it by name and params', () => {
    const t = pileUp();
    const engine = new Engine();
    engine.addFile('t', decodedTrace(t.m));
    const spikes = engine.run('spikes', { trace: 't' });
    const direct = findSpikes(traceIndexes(t.m));
    expect(spikes.map((s) => [s.series, s.startNs, s.endNs])).toEqual(
      direct.map((s) => [s.series, s.startNs, s.endNs]),
    );
    expect(spikes[0]?.series).toBe('sync');
    expect(spikes[0]?.familyLabel).toBe('sync');
    // Same name and params (even as another object): the cached result itself.
    expect(engine.run('spikes', { trace: 't' })).toBe(spikes);
  });

  it('drops a file with its cached results; a query on a missing file throws FileNotLoaded', () => {
    const engine = new Engine();
    engine.addFile('t', decodedTrace(pileUp().m));
    const before = engine.run('spikes', { trace: 't' });
    engine.dropFile('t');
    expect(() => engine.run('spikes', { trace: 't' })).toThrow(FileNotLoaded);
    // Added again (a new model under the same id): computed anew, not the old result.
    engine.addFile('t', decodedTrace(pileUp().m));
    expect(engine.run('spikes', { trace: 't' })).not.toBe(before);
  });

  it('refuses an unknown query', () => {
    const engine = new Engine();
    engine.addFile('t', decodedTrace(pileUp().m));
    expect(() => engine.run('nope' as 'spikes', { trace: 't' })).toThrow(QueryError);
  });

  it('bounds its results by entries', () => {
    const engine = new Engine({ maxResults: 1 });
    engine.addFile('a', decodedTrace(pileUp().m));
    engine.addFile('b', decodedTrace(pileUp().m));
    const a = engine.run('spikes', { trace: 'a' });
    engine.run('spikes', { trace: 'b' });
    expect(engine.run('spikes', { trace: 'a' })).not.toBe(a);
  });
});

describe('LocalEngine', () => {
  it('runs queries in a later task; a newer query on a busy channel replaces the waiting one', async () => {
    const local = new LocalEngine();
    local.addFile('t', decodedTrace(pileUp().m));
    const first = local.query('spikes', { trace: 't' }, { channel: 'c' });
    const second = local.query('spikes', { trace: 't' }, { channel: 'c' });
    const third = local.query('spikes', { trace: 't' }, { channel: 'c' });
    await expect(second).rejects.toMatchObject({ name: 'AbortError' });
    expect((await first)[0]?.series).toBe('sync');
    expect((await third)[0]?.series).toBe('sync');
    await local.idle();
  });
});
