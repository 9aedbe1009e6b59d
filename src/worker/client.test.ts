// The decode pool (issue 21): at most its size of workers at once, the rest queued in order and
// told how many files are ahead, workers reused, a cancelled file taken out of the queue or its
// worker stopped. Workers here are stand-ins that answer when the test says so.

import { describe, expect, it } from 'vitest';
import { DecodePool, type DecodeResult } from './client';
import type { WorkerMessage } from './protocol';

class FakeWorker {
  onmessage: ((ev: MessageEvent<WorkerMessage>) => void) | null = null;
  onerror: ((ev: ErrorEvent) => void) | null = null;
  readonly received: string[] = [];
  terminated = false;
  postMessage(msg: { name: string }): void {
    this.received.push(msg.name);
  }
  terminate(): void {
    this.terminated = true;
  }
  /** Answers the file it was given last: decoded as an (empty) dlv log. */
  answer(): void {
    this.onmessage?.({
      data: { type: 'failed', format: null, error: { kind: 'corrupt', message: 'done' } },
    } as MessageEvent<WorkerMessage>);
  }
}

function setup(size: number) {
  const workers: FakeWorker[] = [];
  const pool = new DecodePool(size, () => {
    const w = new FakeWorker();
    workers.push(w);
    return w as unknown as Worker;
  });
  const stages = new Map<string, string>();
  const results = new Map<string, DecodeResult | 'cancelled'>();
  const add = (name: string) => {
    const job = pool.decode(name, new Blob([]), (stage) => stages.set(name, stage));
    job.result.then(
      (r) => results.set(name, r),
      () => results.set(name, 'cancelled'),
    );
    return job;
  };
  return { pool, workers, stages, results, add };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('DecodePool', () => {
  it('runs at most its size of workers and queues the rest, in order, saying how many are ahead', () => {
    const { workers, stages, add, pool } = setup(2);
    for (const n of ['a', 'b', 'c', 'd', 'e']) add(n);
    expect(workers.length).toBe(2);
    expect(workers.map((w) => w.received)).toEqual([['a'], ['b']]);
    expect(pool.queued).toBe(3);
    expect(stages.get('c')).toBe('queued, next');
    expect(stages.get('d')).toBe('queued, 1 file ahead');
    expect(stages.get('e')).toBe('queued, 2 files ahead');
  });

  it('reuses a worker for the next file, and the queue moves up', async () => {
    const { workers, stages, results, add, pool } = setup(1);
    add('a');
    add('b');
    add('c');
    (workers[0] as FakeWorker).answer();
    await tick();
    expect(results.has('a')).toBe(true);
    expect(workers.length).toBe(1);
    expect((workers[0] as FakeWorker).received).toEqual(['a', 'b']);
    expect(stages.get('c')).toBe('queued, next');
    expect(pool.queued).toBe(1);
  });

  it('takes a cancelled file out of the queue, and stops the worker of one being decoded', async () => {
    const { workers, results, add } = setup(1);
    const a = add('a');
    add('b');
    const c = add('c');
    c.cancel();
    await tick();
    expect(results.get('c')).toBe('cancelled');
    a.cancel();
    await tick();
    expect(results.get('a')).toBe('cancelled');
    expect((workers[0] as FakeWorker).terminated).toBe(true);
    // b gets a fresh worker, and c is never decoded.
    expect(workers.length).toBe(2);
    expect((workers[1] as FakeWorker).received).toEqual(['b']);
  });

  it('cancelling every file in one go starts no worker for the files behind them', async () => {
    // "Close all" on hundreds of files: each cancel of a running file used to start the next
    // queued one, which was cancelled a moment later.
    const { workers, results, add } = setup(2);
    const jobs = ['a', 'b', 'c', 'd', 'e'].map(add);
    for (const j of jobs) j.cancel();
    await tick();
    expect(workers.length).toBe(2);
    expect(workers.every((w) => w.terminated)).toBe(true);
    expect([...results.values()]).toEqual(Array(5).fill('cancelled'));
    // The pool is still usable.
    add('f');
    expect(workers.length).toBe(3);
    expect((workers[2] as FakeWorker).received).toEqual(['f']);
  });

  it('reports a worker that dies as that file failing, and goes on with the next', async () => {
    const { workers, results, add } = setup(1);
    add('a');
    add('b');
    (workers[0] as FakeWorker).onerror?.({ message: 'boom' } as ErrorEvent);
    await tick();
    const r = results.get('a');
    expect(r !== 'cancelled' && r?.ok === false && r.error.message).toMatch(
      /a: the decoder stopped unexpectedly \(boom\)/,
    );
    expect((workers[1] as FakeWorker).received).toEqual(['b']);
  });
});
