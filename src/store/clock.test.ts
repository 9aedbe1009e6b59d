import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusFiles } from '../testing/summaryCompare';
import { fakeDecode, settle } from '../testing/fakeDecode';
import { createSessionStore } from './session';

const file = (dir: string, name: string) => ({
  name,
  blob: new Blob([readFileSync(corpusFiles(dir).find((p) => p.endsWith(`/${name}`))!)]),
});

describe('the session clock in the store', () => {
  it('skips a trace that decoded to nothing, and follows the pick', async () => {
    const store = createSessionStore({ decode: fakeDecode });
    store
      .getState()
      .addFiles([
        file('go-trace/bad', 'fuzz-large-id.trace'),
        file('combined', 'trace.out'),
        file('go-trace/spike', 'go1.26.trace'),
      ]);
    for (let i = 0; i < 100 && store.getState().files.some((f) => f.status === 'loading'); i++)
      await settle(50);
    const [damaged, combined, spike] = store.getState().files.map((f) => f.id);
    expect(store.getState().axis.traceId).toBe(combined);
    expect(store.getState().axis.clockCandidates).toEqual([combined, spike]);
    store.getState().setClockTrace(spike!);
    const s = store.getState();
    expect(s.axis.traceId).toBe(spike);
    expect(s.view).toEqual({ startNs: 0, endNs: s.axis.durationNs });
    store.getState().setClockTrace(damaged!);
    expect(store.getState().axis.traceId).toBe(combined);
  });
});
