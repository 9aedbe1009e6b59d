// From a blocking spike to its cause (issue 7): the spike finder ranks the mutex pile-up of the
// spike program first, selecting it makes the Blocked flame graph lead to main.lookup ->
// sync.(*Mutex).Lock, clicking that frame lights up the lanes, and a blocked handler's
// "unblocked by" arrows lead back through the lock's holders.

import { expect, test, type Page } from '@playwright/test';
import { join, relative } from 'node:path';
import { CORPUS, openApp, openFiles, screenshot, snapshot, waitForIdle } from './driver';

// Every spike trace of the corpus, old format (Go 1.19, 1.21) and new.
const TRACES = ['go1.19', 'go1.21', 'go1.22', 'go1.23', 'go1.24', 'go1.25', 'go1.26', 'go1.27'].map(
  (v) => join(CORPUS, `go-trace/spike/${v}.trace`),
);
TRACES.push(join(CORPUS, 'combined/go1.27/trace.out'));

async function openSpike(page: Page, trace: string): Promise<void> {
  await openApp(page);
  await openFiles(page, [trace]);
  expect(await waitForIdle(page)).toBe('ready');
  const first = page.getByTestId('spike').first();
  await expect(first).toContainText('sync');
  await expect(first).toContainText('refreshCache');
  await first.click();
}

for (const trace of TRACES) {
  test(`the cache-lock spike ranks first and leads to main.lookup -> sync.(*Mutex).Lock: ${relative(CORPUS, trace)}`, async ({
    page,
  }) => {
    await openSpike(page, trace);
    const snap = await snapshot(page);
    expect(snap.selection).not.toBeNull();
    expect(snap.flame?.source).toBe('trace:blocked');
    const path = snap.flame!.heaviest;
    const at = path.indexOf('main.lookup');
    expect(at).toBeGreaterThan(0);
    expect(path[at + 1]).toBe('sync.(*Mutex).Lock');
    expect(path[0]).toBe('sync'); // the reason root: what they were all waiting on
  });
}

test('the journey: spike, Blocked flame graph, frame -> lanes, unblocked-by arrows', async ({
  page,
}) => {
  await openSpike(page, join(CORPUS, 'go-trace/spike/go1.26.trace'));
  await screenshot(page, 'spike-selected');
  const path = (await snapshot(page)).flame!.heaviest;

  // Click the main.lookup frame in the flame graph: find it by hovering along its row.
  const depth = path.indexOf('main.lookup') + 1;
  const canvas = page.getByTestId('flame-canvas');
  const box = (await canvas.boundingBox())!;
  let clicked = false;
  for (let x = 4; x < box.width && !clicked; x += 6) {
    await page.mouse.move(box.x + x, box.y + depth * 18 + 9);
    const title = page.getByTestId('flame').getByRole('tooltip').locator('.tooltip-title');
    if ((await title.count()) > 0 && (await title.textContent()) === 'main.lookup') {
      await page.mouse.click(box.x + x, box.y + depth * 18 + 9);
      clicked = true;
    }
  }
  expect(clicked).toBe(true);
  let snap = await snapshot(page);
  expect(snap.flame!.func).toBe('main.lookup');
  expect(snap.highlight?.frame).toBe('main.lookup');
  expect(snap.highlight!.goroutineLanes).toBeGreaterThan(10);
  expect(snap.highlight!.intervals).toBeGreaterThan(10);

  // The spike showed only the lanes that piled up; the frame offers the lanes it involves.
  await expect(page.getByTestId('lane-only')).toContainText('highlighted goroutines');
  await page.getByTestId('lane-only-highlight').click();
  await screenshot(page, 'spike-frame-lanes');
  // Back to the spike's own lanes: they are all blocked on the mutex during the spike.
  await page.getByTestId('spike').first().click();

  // A handler waiting on the mutex: its "unblocked by" arrows, then U follows the chain back.
  const tl = (await page.getByTestId('timeline-canvas').boundingBox())!;
  const sel = snap.selection!;
  const view = snap.view!;
  const xMid =
    tl.x +
    220 +
    (((sel.startNs + sel.endNs) / 2 - view.startNs) / (view.endNs - view.startNs)) *
      (tl.width - 220);
  let found = false;
  for (let y = 150; y < tl.height - 8 && !found; y += 4) {
    await page.mouse.move(xMid, tl.y + y);
    const tip = page.getByTestId('timeline').getByRole('tooltip');
    if ((await tip.count()) > 0 && /waiting \(sync/.test((await tip.textContent()) ?? '')) {
      await page.mouse.click(xMid, tl.y + y);
      found = true;
    }
  }
  expect(found).toBe(true);
  snap = await snapshot(page);
  expect(snap.selected?.kind).toBe('interval');
  expect(snap.arrows.length).toBeGreaterThan(0);
  await expect(page.getByTestId('details')).toContainText('unblocked by');
  await screenshot(page, 'spike-unblocked-by');
  const before = snap.selected;
  await page.getByTestId('timeline').focus();
  await page.keyboard.press('u');
  expect((await snapshot(page)).selected).not.toEqual(before);
});
