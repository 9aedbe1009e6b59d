// Patterns from a link reach the flame graph through the view state and the store: they must run
// in linear time (RE2) and an invalid one must be shown, not thrown.

import { describe, expect, it } from 'vitest';
import { encodeTestProfile } from '../formats/pprof/testEncoder';
import { idle, sessionStore } from '../testing/fakeDecode';
import { flameSources } from './flameSources';
import { flameView } from './flameView';

// Names long enough that a backtracking engine never finishes `(.|.)*!$` on them.
const LONG = `main.${'x'.repeat(64)}`;
const profile = encodeTestProfile({
  sampleTypes: [['samples', 'count']],
  functions: [
    { id: 1, name: 'main.main' },
    { id: 2, name: LONG },
    { id: 3, name: `${LONG}!` },
  ],
  locations: [
    { id: 1, lines: [{ func: 1 }] },
    { id: 2, lines: [{ func: 2 }] },
    { id: 3, lines: [{ func: 3 }] },
  ],
  samples: [
    { locs: [2, 1], values: [3] },
    { locs: [3, 1], values: [1] },
  ],
});

async function viewFromLink(hash: string) {
  const store = sessionStore();
  store
    .getState()
    .addFiles([{ name: 'cpu.pprof', blob: new Blob([profile as Uint8Array<ArrayBuffer>]) }]);
  store.getState().restoreView(hash);
  // Until the file has decoded (a fixed wait was too short on a loaded machine).
  await idle(store);
  const s = store.getState();
  const sources = flameSources(
    s.files.map((f) => ({
      id: f.id,
      name: f.name,
      profile: f.decoded?.format === 'pprof' ? f.decoded.model : null,
    })),
  );
  return { flame: s.flame, view: flameView(sources, s.flame) };
}

describe('flame graph patterns from a link', () => {
  const bad = encodeURIComponent('(.|.)*!$');
  it('searches with a catastrophic pattern in linear time', async () => {
    const { flame, view } = await viewFromLink(`q=${bad}`);
    expect(flame.search).toBe('(.|.)*!$');
    expect(view?.patternError).toBeNull();
    expect(view?.search?.count).toBe(1);
    expect(view?.search?.share).toBe(0.25);
  });
  it('focuses, ignores and hides with it', async () => {
    expect((await viewFromLink(`focus=${bad}`)).view?.tree.total[0]).toBe(1);
    expect((await viewFromLink(`ignore=${bad}`)).view?.tree.total[0]).toBe(3);
    const hidden = (await viewFromLink(`hide=${bad}`)).view;
    expect(hidden?.tree.total[0]).toBe(4);
    expect(hidden?.tree.length).toBe(3); // root, main.main, LONG (the `!` frame is hidden)
  });
  it('shows an invalid or non-RE2 pattern as an error and keeps the graph', async () => {
    const { view } = await viewFromLink(`focus=${encodeURIComponent('(?<=a)b')}`);
    expect(view?.patternError).toMatch(/^focus: invalid pattern "\(\?<=a\)b": /);
    expect(view?.tree.total[0]).toBe(4);
  });
});
