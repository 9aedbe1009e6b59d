// go tool trace's analysis pages in the bottom panel (issue 16), on the spike program's Go 1.27
// trace: each tab opens; the goroutine table sorts and a group filters the lanes; a histogram
// bucket lists its instances and an instance zooms the timeline to it; the MMU chart draws and a
// worst window zooms there; logs filter; slow vs typical draws its two difference graphs. Then
// screenshots of every tab at two sizes, light and dark (test-results/screenshots/analysis-*.png).

import { expect, test, type Page } from '@playwright/test';
import { join } from 'node:path';
import { CORPUS, openApp, openFiles, screenshot, snapshot, waitForIdle } from './driver';

const TRACE = join(CORPUS, 'go-trace/spike/go1.27.trace');

async function open(page: Page): Promise<void> {
  await openApp(page);
  await openFiles(page, [TRACE]);
  expect(await waitForIdle(page)).toBe('ready');
}

const cellNumber = (s: string) => Number(s.trim());

test('goroutines: sort by count, click a group: the lanes show only its goroutines', async ({
  page,
}) => {
  await open(page);
  const before = await snapshot(page);
  await page.getByTestId('analysis-tab-goroutines').click();
  const table = page.getByTestId('goroutine-table');
  await expect(table).toBeVisible();
  await page.getByTestId('gsort-count').click();
  const counts = (
    await table.locator('tr[data-testid=goroutine-group] td:nth-child(2)').allTextContents()
  ).map(cellNumber);
  expect(counts.length).toBeGreaterThan(5);
  for (let i = 1; i < counts.length; i++) expect(counts[i]!).toBeLessThanOrEqual(counts[i - 1]!);
  // Go's figure for the handlers' group (testdata/analysis/spike-go1.27.expected.json).
  const first = table.getByTestId('goroutine-group').first();
  await expect(first.getByTestId('goroutine-group-name')).toHaveText(/net\/http/);
  await first.getByTestId('goroutine-group-name').click();
  // The lanes keep only the group's goroutines (the lane toolbar says how many it shows), and
  // the flame graph reads them.
  await expect(page.getByText(`Showing ${counts[0]} highlighted goroutines`)).toBeVisible();
  expect(counts[0]!).toBeLessThan(before.lanes.goroutines);
  await page.getByTestId('analysis-tab-flame').click();
  await expect(page.getByTestId('flamegraph')).toContainText(/goroutines of net\/http/);
  await page.getByTestId('analysis-tab-goroutines').click();
  // Expanding the group lists its goroutines.
  await first.getByRole('button', { name: /^Expand/ }).click();
  await expect(table.getByTestId('goroutine-row').first()).toBeVisible();
});

test('tasks: a histogram bucket lists its instances; an instance zooms the view to it', async ({
  page,
}) => {
  await open(page);
  const full = (await snapshot(page)).durationNs;
  await page.getByTestId('analysis-tab-tasks').click();
  const handle = page.getByTestId('task-type').filter({ hasText: 'handle' });
  const bucket = handle.locator('[data-testid=hist-bucket]:not(.empty)').last();
  const count = Number(await bucket.getAttribute('data-count'));
  await bucket.click({ force: true });
  const list = page.getByTestId('instances');
  await expect(list).toContainText(`${count}, slowest first`);
  await list.getByTestId('instance').first().click();
  await expect.poll(async () => (await snapshot(page)).selection).not.toBeNull();
  const snap = await snapshot(page);
  const sel = snap.selection!;
  expect(sel.endNs).toBeGreaterThan(sel.startNs);
  expect(snap.view!.startNs).toBeLessThanOrEqual(sel.startNs);
  expect(snap.view!.endNs).toBeGreaterThanOrEqual(sel.endNs);
  expect(snap.view!.endNs - snap.view!.startNs).toBeLessThan(full);
  // Its details say why it took its time (the root-cause engine, analysis/whySlow.ts).
  await expect(list.getByTestId('instance-why')).toContainText('blocked');
  // The instance's goroutines are the lanes shown.
  await expect(page.getByText(/Showing [1-9] highlighted goroutines?/)).toBeVisible();

  // Slow vs typical of the handle tasks.
  await handle.getByTestId('slow-typical').click();
  await expect(page.getByTestId('slow-summary')).toContainText('slow');
  await expect(page.getByTestId('slow-blocked-canvas')).toBeVisible();
});

test('MMU: the chart draws and a worst window zooms there', async ({ page }) => {
  await open(page);
  await page.getByTestId('analysis-tab-mmu').click();
  const chart = page.getByTestId('mmu-chart');
  await expect(chart.locator('polyline')).toHaveCount(1);
  const points = (await chart.locator('polyline').getAttribute('points'))!.split(' ');
  expect(points.length).toBeGreaterThan(50);
  const worst = page.getByTestId('mmu-worst-window');
  await expect(worst.first()).toBeVisible();
  await worst.first().click();
  const snap = await snapshot(page);
  // The default window size is 1 ms: the selection is that window.
  expect(snap.selection!.endNs - snap.selection!.startNs).toBe(1_000_000);
  expect(snap.view!.endNs - snap.view!.startNs).toBeLessThan(snap.durationNs);
  // Go's MMU at 1 ms for this trace is 0.391 (testdata/analysis/spike-go1.27.expected.json).
  await expect(worst.first()).toContainText('39.1%');
  // The goroutine table follows the selection when asked: that window's figures.
  await page.getByTestId('analysis-tab-goroutines').click();
  // The whole-trace table first (its rows arrive from the engine).
  await expect(page.getByTestId('goroutine-group').first()).toBeVisible();
  const all = await page.getByTestId('goroutine-group').count();
  await page.getByTestId('goroutines-in-range').check();
  await expect(page.getByTestId('goroutines-view')).toContainText(/in 1\.00 ms from/);
  await expect.poll(() => page.getByTestId('goroutine-group').count()).toBeLessThan(all);
});

test('logs: listed and filtered with an RE2 pattern', async ({ page }) => {
  await open(page);
  await page.getByTestId('analysis-tab-logs').click();
  const rows = page.getByTestId('log-row');
  await expect(rows.first()).toBeVisible();
  const all = await rows.count();
  await page.getByTestId('logs-filter').fill('no such log text at all');
  await expect(rows).toHaveCount(0);
  await page.getByTestId('logs-filter').fill('(');
  await expect(page.getByRole('alert')).toBeVisible();
  await page.getByTestId('logs-filter').fill('');
  await expect(rows).toHaveCount(all);
});

for (const scheme of ['light', 'dark'] as const) {
  for (const [w, h] of [
    [1440, 900],
    [1024, 700],
  ] as const) {
    test.describe(`screenshots ${scheme} ${w}x${h}`, () => {
      test.use({ colorScheme: scheme, viewport: { width: w, height: h } });
      test('every tab', async ({ page }) => {
        await open(page);
        const tag = `${scheme}-${w}x${h}`;
        await page.getByTestId('analysis-tab-goroutines').click();
        await expect(page.getByTestId('goroutine-table')).toBeVisible();
        await page.getByTestId('goroutine-group-name').first().click();
        await page
          .getByRole('button', { name: /^Expand/ })
          .first()
          .click();
        await screenshot(page, `analysis-goroutines-${tag}`);
        await page.getByTestId('analysis-tab-tasks').click();
        const bucket = page
          .getByTestId('task-type')
          .filter({ hasText: 'handle' })
          .locator('[data-testid=hist-bucket]:not(.empty)')
          .last();
        await bucket.click({ force: true });
        await page.getByTestId('instance').first().click();
        await screenshot(page, `analysis-tasks-${tag}`);
        await page.getByTestId('slow-typical').first().click();
        await expect(page.getByTestId('slow-blocked-canvas')).toBeVisible();
        await screenshot(page, `analysis-slow-${tag}`);
        await page.getByTestId('analysis-tab-mmu').click();
        await expect(page.getByTestId('mmu-worst-window').first()).toBeVisible();
        await screenshot(page, `analysis-mmu-${tag}`);
        await page.getByTestId('analysis-tab-logs').click();
        await expect(page.getByTestId('log-row').first()).toBeVisible();
        await screenshot(page, `analysis-logs-${tag}`);
        // A log's time zooms to it on its goroutine's lane, where it has a mark.
        await page.getByTestId('log-row').first().getByRole('button').first().click();
        await screenshot(page, `analysis-logmark-${tag}`);
      });
    });
  }
}
