// Every canvas of the page paints in one requestAnimationFrame callback, within a budget. One input
// often changes several canvases: a click on a spike zooms the timeline, redraws the flame graph
// and the overview, and opens the details panel. Painted in one frame they made one main-thread
// task of 50-85 ms (the timeline 30-40 ms, the flame graph up to 11, then committing every changed
// canvas: 5-7 ms each in Chromium without a GPU, which copies them). Issue 18 asks for no task over
// 50 ms. So the urgent canvases (the timeline, and whichever canvas is under the pointer) are
// painted in the frame they asked for, and the others in that frame only while it has painted for
// less than PAINT_BUDGET_MS; the rest keep their picture one more frame and are painted in the
// next, first. A canvas that has waited a frame is painted in the next whatever the budget, so a
// gesture that keeps the timeline busy cannot starve the flame graph. A painter that throws does
// not keep the others from painting: the first error is rethrown once every painter has run.

/** A canvas's paint: draws its current picture. */
export type Painter = () => void;

/** Painting time a frame may spend before the canvases that can wait are left to the next. */
export const PAINT_BUDGET_MS = 12;

/** What the scheduler needs of the page (tests pass their own). */
export interface FrameClock {
  request(run: () => void): number;
  cancel(handle: number): void;
  now(): number;
}

const browserClock: FrameClock = {
  request: (run) => requestAnimationFrame(run),
  cancel: (h) => cancelAnimationFrame(h),
  now: () => performance.now(),
};

interface Waiting {
  /** Painted in the frame it asked for, whatever the budget. */
  urgent: boolean;
  /** Frames it has already been left out of. */
  waited: number;
}

export class PaintScheduler {
  private readonly waiting = new Map<Painter, Waiting>();
  private frame = 0;

  constructor(private readonly clock: FrameClock = browserClock) {}

  /** Paints `p` in the next frame (or the one after, if it can wait and that frame is full). */
  request(p: Painter, urgent = false): void {
    const w = this.waiting.get(p);
    if (w) w.urgent ||= urgent;
    else this.waiting.set(p, { urgent, waited: 0 });
    if (this.frame === 0) this.frame = this.clock.request(() => this.run());
  }

  /** Forgets `p` (its canvas is gone). */
  cancel(p: Painter): void {
    this.waiting.delete(p);
    if (this.waiting.size === 0 && this.frame !== 0) {
      this.clock.cancel(this.frame);
      this.frame = 0;
    }
  }

  /** Canvases waiting to be painted. */
  get pending(): number {
    return this.waiting.size;
  }

  private run(): void {
    this.frame = 0;
    const t0 = this.clock.now();
    let failure: { error: unknown } | null = null;
    const paint = (p: Painter) => {
      this.waiting.delete(p);
      try {
        p();
      } catch (error) {
        failure ??= { error };
      }
    };
    // Those that must be painted now first (in the order they asked), then the rest in theirs.
    const now = [...this.waiting].filter(([, w]) => w.urgent || w.waited > 0);
    const later = [...this.waiting].filter(([, w]) => !(w.urgent || w.waited > 0));
    for (const [p] of now) paint(p);
    for (const [p, w] of later) {
      if (this.clock.now() - t0 >= PAINT_BUDGET_MS) w.waited++;
      else paint(p);
    }
    if (this.waiting.size > 0 && this.frame === 0)
      this.frame = this.clock.request(() => this.run());
    if (failure) throw (failure as { error: unknown }).error;
  }
}

/** The page's scheduler: every CanvasHost paints through it. */
export const paintScheduler = new PaintScheduler();
