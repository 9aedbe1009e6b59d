// Latest-wins scheduling of asynchronous calls, per channel: at most one call of a channel runs at
// a time; a call made meanwhile waits, and a newer one replaces it (the replaced call rejects with
// an AbortError without ever starting). A view dragging a selection asks for a new flame graph
// every frame; the engine computes the first, then only the newest, never a backlog.

import { abortError } from './errors';

interface Waiting {
  start: () => Promise<unknown>;
  resolve(v: unknown): void;
  reject(e: unknown): void;
}

export class Coalescer {
  private readonly running = new Set<string>();
  private readonly waiting = new Map<string, Waiting>();
  private active = 0;
  private idlers: Array<() => void> = [];

  /** Runs `start` now, or when the channel's running call ends; null: no channel, runs now. */
  run<T>(channel: string | null, start: () => Promise<T>): Promise<T> {
    if (channel === null) return this.track(start());
    if (!this.running.has(channel)) return this.begin(channel, start);
    const before = this.waiting.get(channel);
    if (before) before.reject(abortError('superseded by a newer query on the same channel'));
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(channel, {
        start,
        resolve: resolve as (v: unknown) => void,
        reject,
      });
    });
  }

  /** Resolves once no call runs or waits and the callbacks of the last ones have run. */
  idle(): Promise<void> {
    return new Promise((resolve) => {
      this.idlers.push(resolve);
      this.checkIdle();
    });
  }

  private begin<T>(channel: string, start: () => Promise<T>): Promise<T> {
    this.running.add(channel);
    const p = this.track(start());
    const next = (): void => {
      this.running.delete(channel);
      const w = this.waiting.get(channel);
      if (!w) return;
      this.waiting.delete(channel);
      this.begin(channel, w.start).then(w.resolve, w.reject);
    };
    p.then(next, next);
    return p;
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.active++;
    const done = (): void => {
      this.active--;
      this.checkIdle();
    };
    p.then(done, done);
    return p;
  }

  private checkIdle(): void {
    if (this.idlers.length === 0) return;
    // A macrotask later: the callers' own `then` callbacks (which may ask more) run first.
    setTimeout(() => {
      if (this.active > 0 || this.waiting.size > 0) return;
      const idlers = this.idlers;
      this.idlers = [];
      for (const f of idlers) f();
    }, 0);
  }
}
