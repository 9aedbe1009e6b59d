// The details of a selected interval: what ended a wait.

import { describe, expect, it } from 'vitest';
import { traceOf } from '../analysis/testTrace';
import { intervalDetails } from './DetailsPanel';

describe('intervalDetails', () => {
  // As in the spike program's trace: a mutex wait that Go re-states (zero length) at the start
  // of a generation in the very nanosecond that its unlocker wakes it.
  const t = traceOf({
    end: 500,
    events: [
      { t: 0, g: 1, state: 'running' },
      { t: 100, g: 1, state: 'waiting', reason: 'sync', stack: 'main.a;sync.(*Mutex).Lock' },
      { t: 300, g: 1, state: 'waiting', status: true },
      { t: 300, g: 1, state: 'runnable', waker: 2, stack: 'main.b;sync.(*Mutex).Unlock' },
      { t: 0, g: 2, state: 'running' },
      { t: 0, g: 3, state: 'waiting', reason: 'network', stack: 'main.d;net.read' },
      { t: 400, g: 3, state: 'runnable' },
      { t: 0, g: 4, state: 'waiting', reason: 'select', stack: 'main.e;runtime.selectgo' },
      { t: 450, g: 4, state: 'notexist' },
    ],
  });
  const field = (interval: number, name: string) =>
    intervalDetails(t.m, interval, 'f', null).fields.find((f) => f[0] === name)?.[1];

  it('names the goroutine that ended a wait, past a re-statement of it', () => {
    const wait = t.m.goroutines.intervalStart[t.g(1)]! + 1;
    expect(field(wait, 'unblocked by')).toBe('G2 at 300 ns');
    expect(field(wait + 1, 'unblocked by')).toBe('G2 at 300 ns');
  });

  it('says the runtime ended a wait that no goroutine did, and nothing of one no wake-up ended', () => {
    const wait = t.m.goroutines.intervalStart[t.g(3)]!;
    expect(field(wait, 'unblocked by')).toBe('the runtime (timer, network poller or scheduler)');
    expect(field(t.m.goroutines.intervalStart[t.g(4)]!, 'unblocked by')).toBeUndefined();
  });
});
