// The flame graph: drop cpu.pprof and mutex.pprof, switch source and sample type, search, zoom
// into a frame and back out, sort the top table, open the sandwich of a function.

import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS, openApp, openFiles, screenshot, snapshot, waitForIdle } from './driver';

const DIR = join(CORPUS, 'pprof/spike-go1.27');
const expected = (name: string) =>
  JSON.parse(readFileSync(join(DIR, `${name}.expected.json`), 'utf8')) as { totals: number[] };

/** Clicks the widest frame of a flame graph row, found from the snapshot's tree via the canvas. */
async function clickFrame(
  page: Page,
  testId: string,
  row: number,
  xFraction: number,
): Promise<void> {
  const box = (await page.getByTestId(`${testId}-canvas`).boundingBox())!;
  await page.mouse.click(box.x + box.width * xFraction, box.y + row * 18 + 9);
}

test('cpu.pprof and mutex.pprof in the flame graph: type, search, zoom, table, sandwich', async ({
  page,
}) => {
  await openApp(page);
  await openFiles(page, [join(DIR, 'mutex.pprof'), join(DIR, 'cpu.pprof')]);
  expect(await waitForIdle(page)).toBe('ready');

  // The CPU profile is shown first, in its default sample type, with every sample.
  let flame = (await snapshot(page)).flame!;
  expect(flame.label).toBe('cpu.pprof');
  expect(flame.sampleType).toBe('cpu');
  expect(flame.totalValue).toBe(expected('cpu.pprof').totals[1]);
  await expect(page.getByTestId('flame-canvas')).toBeVisible();

  // Switch the sample type: samples (count).
  await page.getByTestId('flame-type').selectOption({ label: 'samples (count)' });
  flame = (await snapshot(page)).flame!;
  expect(flame.sampleType).toBe('samples');
  expect(flame.totalValue).toBe(expected('cpu.pprof').totals[0]);

  // Search: matching frames and their share of the total.
  await page.getByTestId('flame-search').fill('sha256');
  await expect(page.getByTestId('flame-match')).toContainText('%');
  flame = (await snapshot(page)).flame!;
  expect(flame.search!.frames).toBeGreaterThan(0);
  expect(flame.search!.share).toBeGreaterThan(0.3);
  expect(flame.search!.share).toBeLessThan(1);
  await screenshot(page, 'flame-cpu-search');

  // Zoom into a frame of the second row (runtime.main or a goroutine entry) and back out with Esc.
  await clickFrame(page, 'flame', 1, 0.5);
  flame = (await snapshot(page)).flame!;
  expect(flame.zoom.length).toBe(1);
  expect(flame.func).toBe(flame.zoom[0]);
  await expect(page.getByRole('navigation', { name: 'Zoom path' })).toContainText(
    flame.zoom[0]!.slice(-20),
  );
  await clickFrame(page, 'flame', 2, 0.5);
  expect((await snapshot(page)).flame!.zoom.length).toBe(2);
  await screenshot(page, 'flame-zoomed');
  // Esc clears in the page's order (issue 20): the search, the picked function, then the zoom.
  await page.keyboard.press('Escape');
  expect((await snapshot(page)).flame!.search).toBeNull();
  await page.keyboard.press('Escape');
  expect((await snapshot(page)).flame!.func).toBeNull();
  expect((await snapshot(page)).flame!.zoom.length).toBe(2);
  await page.keyboard.press('Escape');
  expect((await snapshot(page)).flame!.zoom.length).toBe(1);
  await page.keyboard.press('Escape');
  expect((await snapshot(page)).flame!.zoom).toEqual([]);

  // The mutex profile: contention delay by default; the top table sorts by cum.
  await page.getByTestId('flame-search').fill('');
  await page.getByRole('tab', { name: 'mutex.pprof' }).click();
  flame = (await snapshot(page)).flame!;
  expect(flame.sampleType).toBe('delay');
  expect(flame.totalValue).toBe(expected('mutex.pprof').totals[1]);
  const table = page.getByTestId('top-table');
  await table.getByRole('button', { name: /^Cum/ }).click();
  await expect(table.locator('tbody tr').first().locator('td.fn')).toHaveText(
    'sync.(*Mutex).Unlock',
  );

  // Pick main.refreshCache in the table and open its sandwich: callers above, callees below.
  await table.locator('td.fn', { hasText: /^main\.refreshCache$/ }).click();
  await page.getByRole('button', { name: 'Sandwich' }).click();
  flame = (await snapshot(page)).flame!;
  expect(flame.mode).toBe('sandwich');
  expect(flame.func).toBe('main.refreshCache');
  await expect(page.getByTestId('flame-callers')).toBeVisible();
  await expect(page.getByTestId('flame-callees')).toBeVisible();
  await screenshot(page, 'flame-mutex-sandwich');

  // Focus on the picked function: only samples through it remain.
  await page.getByRole('button', { name: 'Flame graph' }).click();
  await page.getByTestId('flame-picked').getByRole('button', { name: 'Focus' }).click();
  const focused = (await snapshot(page)).flame!;
  expect(focused.totalValue).toBeLessThan(expected('mutex.pprof').totals[1]!);
  expect(focused.totalValue).toBeGreaterThan(0);
  await expect(page.getByTestId('flame-focus')).toBeVisible();
  await screenshot(page, 'flame-mutex-focus');
});

test('label filters and a -diff_base profile', async ({ page }) => {
  const testdata = join(import.meta.dirname, '../src/formats/pprof/testdata');
  await openApp(page);
  await openFiles(page, [join(testdata, 'labels.cpu.pprof')]);
  expect(await waitForIdle(page)).toBe('ready');
  const all = (await snapshot(page)).flame!;
  // Keep only the samples labelled handler=/api (pprof -tagfocus).
  const option = page.getByTestId('flame-label').locator('option', { hasText: 'handler = /api' });
  await page.getByTestId('flame-label').selectOption(await option.getAttribute('value'));
  const api = (await snapshot(page)).flame!;
  expect(api.totalValue).toBeGreaterThan(0);
  expect(api.totalValue).toBeLessThan(all.totalValue);
  // Click the chip: drop them instead (pprof -tagignore); the two parts add up to the whole.
  await page
    .getByTestId('flame-label-filter')
    .getByRole('button', { name: /handler=\/api/ })
    .click();
  const notApi = (await snapshot(page)).flame!;
  expect(api.totalValue + notApi.totalValue).toBe(all.totalValue);
  await screenshot(page, 'flame-labels');

  await page.getByRole('button', { name: 'Close all' }).click();
  await openFiles(page, [join(testdata, 'diff.cpu.pb.gz')]);
  expect(await waitForIdle(page)).toBe('ready');
  await expect(page.getByTestId('flame-negative')).toBeVisible();
  await screenshot(page, 'flame-diff-base');
});
