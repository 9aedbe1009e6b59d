// The unified timeline on a real trace: lanes for every goroutine, grouping, filter and sort,
// zoom from the whole trace down to single events and back, the overview, a selected interval's
// details (stack, what unblocked it, with a jump), and the shortcuts dialog.

import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS, openApp, openFiles, screenshot, snapshot, waitForIdle } from './driver';

const TRACE = join(CORPUS, 'go-trace/spike/go1.26.trace');
const expected = JSON.parse(readFileSync(`${TRACE}.expected.json`, 'utf8')) as {
  goroutineCount: number;
  procCount: number;
  durationNs: number;
};

test('a Go 1.26 trace: lanes, groups, filter, sort, zoom to single events, details and jumps', async ({
  page,
}) => {
  await openApp(page);
  await openFiles(page, [TRACE]);
  expect(await waitForIdle(page)).toBe('ready');
  let snap = await snapshot(page);
  expect(snap.files).toEqual([{ name: 'go1.26.trace', format: 'go-trace' }]);
  // A lane exists for every goroutine Go's reader saw, and for every P.
  expect(snap.lanes.goroutines).toBe(expected.goroutineCount);
  expect(snap.lanes.procs).toBe(expected.procCount);
  expect(Math.abs(snap.durationNs - expected.durationNs)).toBeLessThanOrEqual(1000);
  await expect(page.getByTestId('overview')).toBeVisible();
  await screenshot(page, 'timeline-trace');

  // Filter to the HTTP handlers' goroutines: their group is expanded when asked.
  await page.getByTestId('lane-filter').fill('main.main.func');
  await page.getByRole('button', { name: 'Expand all' }).click();
  await page.getByTestId('lane-sort').selectOption('blocked');
  await screenshot(page, 'timeline-filtered');

  // Zoom from the whole trace down to single events (under a microsecond across the view) and back.
  const box = (await page.getByTestId('timeline-canvas').boundingBox())!;
  await page.getByTestId('timeline').focus();
  await page.mouse.move(box.x + box.width * 0.55, box.y + 200);
  for (let i = 0; i < 120; i++) {
    await page.keyboard.press('w');
    const v = (await snapshot(page)).view!;
    if (v.endNs - v.startNs < 1000) break;
  }
  snap = await snapshot(page);
  expect(snap.view!.endNs - snap.view!.startNs).toBeLessThan(1000);
  await screenshot(page, 'timeline-ns-zoom');
  await page.keyboard.press('Home');
  snap = await snapshot(page);
  expect(snap.view).toEqual({ startNs: 0, endNs: snap.durationNs });

  // Click in the overview: the view (a tenth of the trace) moves there.
  await page.getByTestId('timeline').focus();
  await page.keyboard.press('w');
  await page.keyboard.press('w');
  const before = (await snapshot(page)).view!;
  const ob = (await page.getByTestId('overview-canvas').boundingBox())!;
  await page.mouse.click(ob.x + ob.width - 30, ob.y + ob.height / 2);
  const after = (await snapshot(page)).view!;
  expect(after.endNs - after.startNs).toBeCloseTo(before.endNs - before.startNs, -1);
  expect(after.endNs).toBeGreaterThan(before.endNs);
  await page.keyboard.press('0');

  // Select a goroutine interval: the details panel shows its state, stack and unblocker.
  await page.getByTestId('lane-filter').fill('');
  await page.getByTestId('lane-filter').fill('net/http.(*conn).serve');
  await page.getByRole('button', { name: 'Expand all' }).click();
  // Find a goroutine lane row by hovering down the plot until the tooltip names a goroutine.
  let found = false;
  for (let y = 120; y < box.height - 10 && !found; y += 8) {
    await page.mouse.move(box.x + box.width * 0.5, box.y + y);
    const tip = page.getByRole('tooltip');
    if (
      (await tip.count()) > 0 &&
      /^G\d+/.test((await tip.locator('.tooltip-title').textContent()) ?? '')
    ) {
      await page.mouse.click(box.x + box.width * 0.5, box.y + y);
      found = true;
    }
  }
  expect(found).toBe(true);
  snap = await snapshot(page);
  expect(snap.selected?.kind).toBe('interval');
  const details = page.getByTestId('details');
  await expect(details).toContainText(/^G\d+/);
  await expect(details).toContainText('state');
  await screenshot(page, 'timeline-interval-details');
  // Next interval, then the unblocker jump when this one has one.
  await details.getByRole('button', { name: 'next interval →' }).click();
  const next = (await snapshot(page)).selected;
  expect(next?.kind).toBe('interval');

  // "?" lists the shortcuts.
  await page.keyboard.press('Escape');
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Keyboard and mouse controls' })).toBeVisible();
  await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
});

test('what unblocked a waiting goroutine: the jump selects the unblocker at that moment', async ({
  page,
}) => {
  await openApp(page);
  await openFiles(page, [join(CORPUS, 'combined/go1.27/trace.out')]);
  expect(await waitForIdle(page)).toBe('ready');
  // Click intervals until one shows an unblocker (a channel or mutex wake-up).
  await page.getByTestId('lane-filter').fill('net/http.(*conn).serve');
  await page.getByRole('button', { name: 'Expand all' }).click();
  const box = (await page.getByTestId('timeline-canvas').boundingBox())!;
  let jumped = false;
  for (let y = 120; y < box.height - 10 && !jumped; y += 6) {
    for (const fx of [0.35, 0.5, 0.65, 0.8]) {
      await page.mouse.click(box.x + box.width * fx, box.y + y);
      const jump = page.getByTestId('jump-unblocker');
      if ((await jump.count()) > 0 && (await jump.isEnabled())) {
        const from = (await snapshot(page)).selected!;
        await expect(page.getByTestId('details')).toContainText('unblocked by');
        await screenshot(page, 'timeline-unblocked-by');
        await jump.click();
        const to = (await snapshot(page)).selected!;
        expect(to.kind).toBe('interval');
        expect(to).not.toEqual(from);
        jumped = true;
        break;
      }
    }
  }
  expect(jumped).toBe(true);
});
