// Links and bundles from anyone, through the session store: view states clamped to the axis,
// inputs that could not be asked for listed with their message, bundles not nested.

import { describe, expect, it } from 'vitest';
import { packBundle } from '../formats/bundle';
import { sessionStore, settle } from '../testing/fakeDecode';
import { clampRange, decodeViewState, MAX_HASH } from './viewState';

// A dlv log 3 s long: the session axis is [0, 3e9].
const LOG =
  '2026-01-01T00:00:00Z > goroutine(1): main.a()\n2026-01-01T00:00:03Z >> goroutine(1): main.a => ()\n';
const log = (name = 'a.log') => ({ name, blob: new Blob([LOG]) });

async function restored(hash: string) {
  const store = sessionStore();
  store.getState().addFiles([log()]);
  store.getState().restoreView(hash);
  await settle();
  return store.getState();
}

describe('view state from a link', () => {
  it('never applies an inverted or off-axis range (the "selection -99999999999997 s" link)', async () => {
    const s = await restored(
      'sel=99999999999990,99999999999997&v=-5,1000&cmp=4000000000,5000000000',
    );
    expect(s.axis.durationNs).toBe(3e9);
    expect(s.selection).toBeNull();
    expect(s.view).toEqual({ startNs: 0, endNs: 1000 });
    expect(s.flame.compare).toBeNull();
    const t = await restored('sel=2000000000,9000000000000');
    expect(t.selection).toEqual({ startNs: 2e9, endNs: 3e9 });
  });

  it('clamps ranges to the axis', () => {
    expect(clampRange({ startNs: -10, endNs: 5 }, 3)).toEqual({ startNs: 0, endNs: 3 });
    expect(clampRange({ startNs: 5, endNs: 9 }, 3)).toBeNull();
    expect(clampRange({ startNs: 0, endNs: 9 }, 0)).toBeNull();
  });

  it('drops numbers that are not finite, safe or in bounds, and unsafe keys', () => {
    const huge = '9'.repeat(400);
    expect(
      decodeViewState(
        `v=1,${huge}&sel=NaN,5&pick=0.d.${huge}&src=pprof:${huge}&st=0.${huge}&off=0:1e400,1:${huge}`,
      ),
    ).toEqual({});
    const s = decodeViewState('lc=__proto__|constructor|net/http&le=prototype');
    expect(s.lanes?.collapsed).toEqual({ 'net/http': true });
    expect(Object.getPrototypeOf(s.lanes?.collapsed)).toBe(Object.prototype);
    expect(decodeViewState(`q=x&zz=${'a'.repeat(MAX_HASH)}`)).toEqual({});
    expect(decodeViewState(`q=${'a'.repeat(2001)}&fn=main.f`)).toEqual({
      flame: { func: 'main.f' },
    });
    const zoom = decodeViewState(`zoom=${Array(600).fill('f').join('|')}`);
    expect(zoom.flame?.zoom).toHaveLength(256);
  });
});

describe('inputs that cannot be fetched', () => {
  it('are listed with their message while the others open', async () => {
    const store = sessionStore();
    store.getState().addFiles([{ name: 'http://[::1', error: 'not a valid URL' }, log()]);
    await settle();
    const files = store.getState().files;
    expect(files.map((f) => [f.name, f.status, f.error])).toEqual([
      ['http://[::1', 'error', 'not a valid URL'],
      ['a.log', 'ready', null],
    ]);
  });
});

describe('files whose job fails outright', () => {
  it('say why instead of staying "queued 0%" forever', async () => {
    // A job that rejects without being cancelled: the local file changed on disk, or no worker
    // could be started.
    const store = sessionStore(() => ({
      result: Promise.reject(new DOMException('the file could not be read', 'NotReadableError')),
      cancel() {},
    }));
    store.getState().addFiles([log('gone.log')]);
    await settle();
    const [f] = store.getState().files;
    expect([f?.status, f?.error]).toEqual(['error', 'gone.log: the file could not be read']);
  });
});

describe('bundles through the store', () => {
  it('open one level: the outer view wins and a nested bundle is listed as not opened', async () => {
    const bytes = async (b: Blob) => new Uint8Array(await b.arrayBuffer());
    const inner = await bytes(
      packBundle('v=1,2', [{ name: 'x.log', bytes: new TextEncoder().encode(LOG) }]),
    );
    const outer = packBundle('v=5,9', [
      { name: 'inner.goroscope', bytes: inner },
      { name: 'a.log', bytes: new TextEncoder().encode(LOG) },
    ]);
    const store = sessionStore();
    store.getState().addFiles([{ name: 'outer.goroscope', blob: outer }]);
    for (let i = 0; i < 20 && store.getState().files.some((f) => f.status === 'loading'); i++)
      await settle();
    await settle();
    const s = store.getState();
    expect(s.files.map((f) => [f.name, f.status])).toEqual([
      ['inner.goroscope', 'error'],
      ['a.log', 'ready'],
    ]);
    expect(s.files[0]?.error).toMatch(/a session bundle inside a session bundle is not opened/);
    expect(s.view).toEqual({ startNs: 5, endNs: 9 });
    expect(s.pendingView).toBeNull();
  });

  it('an empty bundle leaves nothing pending', async () => {
    const store = sessionStore();
    store.getState().addFiles([{ name: 'empty.goroscope', blob: packBundle('v=1,2', []) }]);
    await settle();
    expect(store.getState().files).toEqual([]);
    expect(store.getState().pendingView).toBeNull();
  });
});
