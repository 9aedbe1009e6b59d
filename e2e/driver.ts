// The app driver for end-to-end specs: open files, wait for the idle signal, read the snapshot.

import { expect, type Page } from '@playwright/test';
import { join } from 'node:path';
import type { Snapshot } from '../src/app/automation';

export const CORPUS =
  process.env.GOROSCOPE_CORPUS ?? join(import.meta.dirname, '../../shared/corpus');

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
    (window as unknown as { goroscope: { snapshot(): Snapshot } }).goroscope.snapshot(),
  );
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join('test-results', 'screenshots', `${name}.png`) });
}

/** A point inside a drawn span of the first lane (found from the pixels, not hard-coded). */
export async function findSpanPixel(page: Page): Promise<{ x: number; y: number }> {
  return page.getByTestId('timeline-canvas').evaluate((c: HTMLCanvasElement) => {
    const ctx = c.getContext('2d') as CanvasRenderingContext2D;
    const dpr = window.devicePixelRatio || 1;
    const bg = ctx.getImageData(Math.round(1300 * dpr), Math.round(850 * dpr), 1, 1).data;
    for (let y = 130; y < 400; y += 3) {
      const row = ctx.getImageData(0, Math.round(y * dpr), c.width, 1).data;
      for (let x = 230; x < c.width / dpr - 10; x += 2) {
        const i = Math.round(x * dpr) * 4;
        const d =
          Math.abs((row[i] as number) - (bg[0] as number)) +
          Math.abs((row[i + 2] as number) - (bg[2] as number));
        if (d > 60) return { x: x + 1, y };
      }
    }
    throw new Error('no span pixels found');
  });
}
