// Why (issue 15) and "two clicks from a spike to its culprit" (issue 20): on the bundled example,
// the top spike says who held it up; a click on that cause selects the culprit and brings its
// lane into view although the spike limits the lanes to the goroutines that piled up (pinned
// above them); the Cause flame source weighs the culprits' stacks; a blocked handler's chain of
// wakers is drawn and listed under "Why was this blocked?". Screenshots at two sizes, light and
// dark, in test-results/why-*.png.

import { expect, test, type Page } from '@playwright/test';
import { join } from 'node:path';
import { openApp, snapshot, waitForIdle } from './driver';

async function openExample(page: Page): Promise<void> {
  await openApp(page);
  await page.getByTestId('load-example').click();
  expect(await waitForIdle(page, 60_000)).toBe('ready');
}

const shot = (page: Page, name: string) =>
  page.screenshot({ path: join('test-results', `why-${name}.png`) });

/** Hovers down the middle of the selection until a lane's tooltip says it waits on sync; clicks. */
async function clickBlockedHandler(page: Page): Promise<void> {
  const snap = await snapshot(page);
  const tl = (await page.getByTestId('timeline-canvas').boundingBox())!;
  const sel = snap.selection!;
  const view = snap.view!;
  const xMid =
    tl.x +
    220 +
    (((sel.startNs + sel.endNs) / 2 - view.startNs) / (view.endNs - view.startNs)) *
      (tl.width - 220);
  for (let y = 40; y < tl.height - 8; y += 4) {
    await page.mouse.move(xMid, tl.y + y);
    const tip = page.getByTestId('timeline').getByRole('tooltip');
    if ((await tip.count()) > 0 && /waiting \(sync/.test((await tip.textContent()) ?? '')) {
      await page.mouse.click(xMid, tl.y + y);
      return;
    }
  }
  throw new Error('no blocked handler found under the selection');
}

for (const size of [
  { width: 1440, height: 900 },
  { width: 1024, height: 700 },
]) {
  for (const colorScheme of ['light', 'dark'] as const) {
    test.describe(`${size.width}x${size.height} ${colorScheme}`, () => {
      test.use({ viewport: size, colorScheme });
      const tag = `${size.width}-${colorScheme}`;

      test('two clicks from the top spike to the goroutine that held the lock, in view', async ({
        page,
      }) => {
        await openExample(page);
        const spike = page.getByTestId('spike').first();
        const cause = page.getByTestId('spike-cause').first();
        await expect(cause).toHaveText(/^held up by G67 main\.refreshCache: running \d+%$/);
        // No "SYNC sync": the badge says the family, the title is not repeated.
        await expect(spike.locator('.spike-reason')).toHaveCount(0);
        await spike.click();
        let snap = await snapshot(page);
        // The spike limits the lanes to the goroutines that piled up: G67 is not among them.
        expect(snap.visibleGoroutines).not.toContain(67);
        await cause.click();
        await expect
          .poll(async () => {
            snap = await snapshot(page);
            return [
              snap.selected?.kind === 'interval' && snap.selected.goroutine,
              snap.visibleGoroutines.includes(67),
            ];
          })
          .toEqual([67, true]);
        expect(snap.selected?.kind === 'interval' && snap.selected.state).toBe('running');
        expect(snap.pinnedGoroutines).toEqual([67]);
        await expect(page.getByTestId('pinned-lane')).toHaveText(/pinned: G67/);
        await shot(page, `cause-${tag}`);
        // The way back: unpinning leaves the spike's lanes only.
        await page.getByTestId('pinned-lane').getByRole('button').click();
        await expect.poll(async () => (await snapshot(page)).pinnedGoroutines).toEqual([]);
      });

      test('the Cause flame source, and the chain of a blocked handler', async ({ page }) => {
        await openExample(page);
        await page.getByTestId('spike').first().click();
        await page.getByRole('tab', { name: 'Cause', exact: true }).click();
        let snap = await snapshot(page);
        expect(snap.flame?.source).toBe('trace:cause');
        expect(snap.flame!.totalValue).toBeGreaterThan(0);
        // The heaviest culprit state is the refresher running, down to main.refreshCache.
        expect(snap.flame!.heaviest[0]).toBe('running');
        expect(snap.flame!.heaviest).toContain('main.refreshCache');
        await shot(page, `flame-${tag}`);

        await clickBlockedHandler(page);
        snap = await snapshot(page);
        expect(snap.selected?.kind === 'interval' && snap.selected.state).toBe('waiting');
        expect(snap.chain).not.toBeNull();
        expect(snap.chain!.arrows).toBeGreaterThan(0);
        expect(snap.chain!.lines[0]).toMatch(/^G\d+ waited .* \(sync\)/);
        const why = page.getByTestId('why-chain');
        await expect(why).toContainText('Why was this blocked?');
        await expect(why.locator('li')).toHaveCount(snap.chain!.lines.length);
        // "jump to G67 (unblocker)" and U reach the lock's holder, outside the spike's lanes: its
        // lane comes into view (pinned). Back to the handler afterwards (its chain is listed).
        const handler = snap.selected;
        await page.getByTestId('jump-unblocker').click();
        await expect
          .poll(async () => {
            const s = await snapshot(page);
            const g = s.selected?.kind === 'interval' ? s.selected.goroutine : -1;
            return [g, s.visibleGoroutines.includes(g)];
          })
          .toEqual([snap.chain!.charged[0]!.goroutine, true]);
        await page.getByTestId('pinned-lane').getByRole('button').click();
        await expect.poll(async () => (await snapshot(page)).visibleGoroutines).not.toContain(67);
        await page.getByTestId('timeline').focus();
        if (handler?.kind !== 'interval') throw new Error('no handler');
        await clickBlockedHandler(page);
        await page.keyboard.press('u');
        await expect
          .poll(async () => {
            const s = await snapshot(page);
            const g = s.selected?.kind === 'interval' ? s.selected.goroutine : -1;
            return [g, s.visibleGoroutines.includes(g)];
          })
          .toEqual([67, true]);
        await clickBlockedHandler(page);
        snap = await snapshot(page);
        // The chain runs through lanes the spike's limit hides: pinned on demand.
        await why.getByTestId('why-chain-pin').click();
        await expect
          .poll(async () => (await snapshot(page)).pinnedGoroutines)
          .toContain(snap.chain!.charged[0]!.goroutine);
        await shot(page, `chain-${tag}`);
        await why.screenshot({ path: join('test-results', `why-chain-details-${tag}.png`) });
        // The handler waits inside a "lookup" region: why was that region slow?
        const slow = page.getByTestId('why-slow').first();
        await expect(slow).toContainText('region lookup');
        await slow.click();
        const view = page.getByTestId('why-slow-view');
        await expect(view).toContainText(/blocked \(sync\) .*%/);
        await expect(view).toContainText('held up by');
        await page
          .getByTestId('why-slow-list')
          .screenshot({ path: join('test-results', `why-slow-${tag}.png`) });
        // A goroutine of the chain is a link: it jumps there, with its lane in view.
        const links = why.getByTestId('why-chain-goroutine');
        const last = links.last();
        const id = Number((await last.textContent())!.slice(1));
        await last.click();
        await expect
          .poll(async () => {
            const s = await snapshot(page);
            return [
              s.selected?.kind === 'interval' && s.selected.goroutine,
              s.visibleGoroutines.includes(id),
            ];
          })
          .toEqual([id, true]);
      });
    });
  }
}

test('an empty timeline says why and clears what hides the lanes', async ({ page }) => {
  await openExample(page);
  await page.getByTestId('spike').first().click();
  await page.getByTestId('lane-filter').fill('67');
  await expect(page.getByTestId('lanes-empty')).toContainText('matches none of the');
  await shot(page, 'empty-lanes');
  await page.getByTestId('lanes-show-all').click();
  await expect.poll(async () => (await snapshot(page)).visibleGoroutines).toContain(67);
});

test('a task clicked on the tasks track: why was it slow', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await openExample(page);
  await page.getByTestId('spike').first().click();
  const tl = (await page.getByTestId('timeline-canvas').boundingBox())!;
  const tip = page.getByTestId('timeline').getByRole('tooltip');
  let clicked = false;
  for (let y = 40; y < 300 && !clicked; y += 3) {
    for (const fx of [0.45, 0.55, 0.65]) {
      const x = tl.x + 220 + fx * (tl.width - 220);
      await page.mouse.move(x, tl.y + y);
      if ((await tip.count()) > 0 && /^task handle/.test((await tip.textContent()) ?? '')) {
        await page.mouse.click(x, tl.y + y);
        clicked = true;
        break;
      }
    }
  }
  expect(clicked).toBe(true);
  const why = page.getByTestId('why-task');
  await expect(why).toContainText('Why was task handle slow?');
  await expect(page.getByTestId('why-slow-view')).toContainText('running');
  await why.screenshot({ path: join('test-results', 'why-task-1440-light.png') });
  // Selecting an interval replaces it.
  await clickBlockedHandler(page);
  await expect(page.getByTestId('why-task')).toHaveCount(0);
});
