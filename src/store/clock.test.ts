import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusFiles } from '../testing/summaryCompare';
import { idle, sessionStore } from '../testing/fakeDecode';

const file = (dir: string, name: string) => ({
  name,
  blob: new Blob([readFileSync(corpusFiles(dir).find((p) => p.endsWith(`/${name}`))!)]),
});

describe('the session clock in the store', () => {
  it('skips a trace that decoded to nothing, and follows the pick', async () => {
    const store = sessionStore();
    store
      .getState()
      .addFiles([
        file('go-trace/bad', 'fuzz-large-id.trace'),
        file('combined', 'trace.out'),
        file('go-trace/spike', 'go1.26.trace'),
      ]);
    await idle(store);
    const [damaged, combined, spike] = store.getState().files.map((f) => f.id);
    expect(store.getState().axis.traceId).toBe(combined);
    expect(store.getState().axis.clockCandidates).toEqual([combined, spike]);
    store.getState().setClockTrace(spike!);
    await idle(store);
    const s = store.getState();
    expect(s.axis.traceId).toBe(spike);
    expect(s.view).toEqual({ startNs: 0, endNs: s.axis.durationNs });
    store.getState().setClockTrace(damaged!);
    await idle(store);
    expect(store.getState().axis.traceId).toBe(combined);
  });
});
