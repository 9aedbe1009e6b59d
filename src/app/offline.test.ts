import { afterEach, describe, expect, it, vi } from 'vitest';
import { afterQuiet } from './offline';

describe('afterQuiet (when the service worker is registered)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  function setup(busyAtStart: boolean) {
    vi.useFakeTimers();
    let busy = busyAtStart;
    const listeners = new Set<() => void>();
    const then = vi.fn();
    afterQuiet(
      () => busy,
      (f) => {
        listeners.add(f);
        return () => listeners.delete(f);
      },
      2000,
      then,
    );
    const set = (b: boolean) => {
      busy = b;
      for (const f of [...listeners]) f();
    };
    return { then, set, listeners };
  }

  it('waits the quiet time on an idle page, then runs once and stops listening', () => {
    const { then, set, listeners } = setup(false);
    vi.advanceTimersByTime(1999);
    expect(then).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(then).toHaveBeenCalledTimes(1);
    expect(listeners.size).toBe(0);
    set(true);
    set(false);
    vi.advanceTimersByTime(5000);
    expect(then).toHaveBeenCalledTimes(1);
  });

  it('does not run while a file is read, and restarts the wait after it', () => {
    const { then, set } = setup(false);
    vi.advanceTimersByTime(1500);
    set(true); // a file dropped before the quiet time was over
    vi.advanceTimersByTime(10_000);
    expect(then).not.toHaveBeenCalled();
    set(false);
    vi.advanceTimersByTime(1999);
    expect(then).not.toHaveBeenCalled();
    // Other changes of the page while idle do not restart the wait.
    set(false);
    vi.advanceTimersByTime(1);
    expect(then).toHaveBeenCalledTimes(1);
  });

  it('waits for a file already being read at the start (a link that opens a trace)', () => {
    const { then, set } = setup(true);
    vi.advanceTimersByTime(10_000);
    expect(then).not.toHaveBeenCalled();
    set(false);
    vi.advanceTimersByTime(2000);
    expect(then).toHaveBeenCalledTimes(1);
  });
});
