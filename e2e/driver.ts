// The app driver for end-to-end specs: open files, wait for the idle signal, read the snapshot.

import { expect, type Page } from '@playwright/test';
import { join } from 'node:path';
import type { Snapshot } from '../src/app/automation';

export { CORPUS } from './paths';

export async function openApp(page: Page, path = ''): Promise<void> {
  await page.goto(path);
  await expect(page.locator('html')).toHaveAttribute('data-state', /.+/);
}

/** Picks files through the page's `<input type=file multiple>`. */
export async function openFiles(page: Page, paths: string[]): Promise<void> {
  await page.getByTestId('file-input').first().setInputFiles(paths);
}

/** Waits until nothing is loading and returns the final state. */
export async function waitForIdle(page: Page, timeout = 30_000): Promise<Snapshot['state']> {
  await page.waitForFunction(
    () => ['ready', 'error'].includes(document.documentElement.dataset.state ?? ''),
    null,
    {
      timeout,
    },
  );
  return (await page.locator('html').getAttribute('data-state')) as Snapshot['state'];
}

export async function snapshot(page: Page): Promise<Snapshot> {
  return page.evaluate(() =>
    (window as unknown as { goroscope: { snapshot(): Promise<Snapshot> } }).goroscope.snapshot(),
  );
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join('test-results', 'screenshots', `${name}.png`) });
}

/**
 * A point inside a drawn call in the timeline (found from the pixels, not hard-coded): the first
 * saturated pixel below the axis and right of the labels (backgrounds and labels are grey).
 */
export async function findSpanPixel(
  page: Page,
  testId = 'timeline-canvas',
): Promise<{ x: number; y: number }> {
  return page.getByTestId(testId).evaluate((c: HTMLCanvasElement) => {
    const ctx = c.getContext('2d') as CanvasRenderingContext2D;
    const dpr = window.devicePixelRatio || 1;
    for (let y = 60; y < c.height / dpr - 4; y += 3) {
      const row = ctx.getImageData(0, Math.round(y * dpr), c.width, 1).data;
      for (let x = 240; x < c.width / dpr - 10; x += 2) {
        const i = Math.round(x * dpr) * 4;
        const r = row[i] as number;
        const g = row[i + 1] as number;
        const b = row[i + 2] as number;
        // Span fills are saturated: check the pixel two to the right too, so edges are avoided.
        const j = i + Math.round(2 * dpr) * 4;
        const sat = (k: number) =>
          Math.max(row[k]!, row[k + 1]!, row[k + 2]!) - Math.min(row[k]!, row[k + 1]!, row[k + 2]!);
        if (Math.max(r, g, b) - Math.min(r, g, b) > 50 && sat(j) > 50)
          return { x: x + 2, y: y + 1 };
      }
    }
    throw new Error('no span pixels found');
  });
}

/**
 * Starts recording how long the page takes to answer input: the Event Timing API's duration of
 * each click and key press, from the input to the next frame painted after it was handled (what
 * the user waits for; Playwright's own round trips to find and check the element are not in it).
 * `answered()` gives the longest since the call: 0 when every one was answered within 16 ms (the
 * API reports no shorter event).
 */
export async function recordInputLatency(page: Page): Promise<{ answered(): Promise<number> }> {
  const key = `__latency${Math.random().toString(36).slice(2)}`;
  await page.evaluate((key) => {
    const w = window as unknown as Record<string, number>;
    w[key] = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries())
        if (e.name === 'click' || e.name === 'keydown') w[key] = Math.max(w[key]!, e.duration);
    }).observe({ type: 'event', durationThreshold: 16 } as PerformanceObserverInit);
  }, key);
  return {
    answered: async () => {
      // Event Timing entries arrive after the frame they end at: let one more frame pass.
      await page.evaluate(
        () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))),
      );
      return page.evaluate((key) => (window as unknown as Record<string, number>)[key]!, key);
    },
  };
}
