import { describe, expect, it } from 'vitest';
import { PAINT_BUDGET_MS, PaintScheduler, type FrameClock } from './paintScheduler';

/** A clock whose frames run when the test says, and whose time moves as painters spend it. */
function testClock() {
  let now = 0;
  let next = 1;
  const frames = new Map<number, () => void>();
  const clock: FrameClock = {
    request: (run) => {
      frames.set(next, run);
      return next++;
    },
    cancel: (h) => void frames.delete(h),
    now: () => now,
  };
  return {
    clock,
    /** Runs the frames requested so far; returns how many there were. */
    frame(): number {
      const due = [...frames.values()];
      frames.clear();
      for (const run of due) run();
      return due.length;
    },
    spend(ms: number) {
      now += ms;
    },
    get requested() {
      return frames.size;
    },
  };
}

describe('PaintScheduler (every canvas in one frame callback, within a budget)', () => {
  it('paints everything in one frame while the frame stays within the budget', () => {
    const t = testClock();
    const s = new PaintScheduler(t.clock);
    const log: string[] = [];
    const a = () => log.push('a');
    const b = () => log.push('b');
    s.request(a);
    s.request(b);
    s.request(a); // asked twice: painted once
    expect(t.requested).toBe(1);
    t.frame();
    expect(log).toEqual(['a', 'b']);
    expect(s.pending).toBe(0);
    expect(t.frame()).toBe(0);
  });

  it('leaves the canvases that can wait to the next frame once painting spent the budget', () => {
    const t = testClock();
    const s = new PaintScheduler(t.clock);
    const log: string[] = [];
    const timeline = () => {
      log.push('timeline');
      t.spend(PAINT_BUDGET_MS + 20);
    };
    const flame = () => log.push('flame');
    const overview = () => log.push('overview');
    // As a spike click asks: the flame graph and the overview first, the timeline last.
    s.request(flame);
    s.request(overview);
    s.request(timeline, true);
    t.frame();
    expect(log).toEqual(['timeline']);
    expect(s.pending).toBe(2);
    t.frame();
    expect(log).toEqual(['timeline', 'flame', 'overview']);
    expect(s.pending).toBe(0);
  });

  it('paints the urgent canvases in their frame even past the budget', () => {
    const t = testClock();
    const s = new PaintScheduler(t.clock);
    const log: string[] = [];
    const picture = () => {
      log.push('picture');
      t.spend(3 * PAINT_BUDGET_MS);
    };
    const overlay = () => log.push('overlay');
    s.request(picture, true);
    s.request(overlay, true);
    t.frame();
    expect(log).toEqual(['picture', 'overlay']);
  });

  it('does not let a busy timeline starve the others: a canvas waits one frame at most', () => {
    const t = testClock();
    const s = new PaintScheduler(t.clock);
    const log: string[] = [];
    const timeline = () => {
      log.push('timeline');
      t.spend(2 * PAINT_BUDGET_MS);
    };
    const flame = () => log.push('flame');
    s.request(flame);
    for (let k = 0; k < 3; k++) {
      s.request(timeline, true); // a zoom gesture: the timeline every frame
      t.frame();
    }
    expect(log).toEqual(['timeline', 'flame', 'timeline', 'timeline']);
  });

  it('paints the others when one painter throws, then reports its error', () => {
    const t = testClock();
    const s = new PaintScheduler(t.clock);
    const log: string[] = [];
    s.request(() => log.push('a'));
    s.request(() => {
      throw new Error('broken canvas');
    }, true);
    s.request(() => log.push('c'));
    expect(() => t.frame()).toThrow('broken canvas');
    expect(log).toEqual(['a', 'c']);
    expect(s.pending).toBe(0);
  });

  it('forgets a canvas that is gone, and the frame it alone waited for', () => {
    const t = testClock();
    const s = new PaintScheduler(t.clock);
    const log: string[] = [];
    const a = () => log.push('a');
    s.request(a);
    s.cancel(a);
    expect(t.requested).toBe(0);
    t.frame();
    expect(log).toEqual([]);
  });
});
