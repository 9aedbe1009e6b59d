// Search (issue 17) on the bundled example: `/` focuses the box, a typed query runs in the
// engine, the page shows the engine's count, n / N step through the results with the view
// following, the lanes without results are dimmed and "only lanes with results" filters them,
// Esc clears the search, the link keeps the query; the processor lanes say which goroutine ran
// (hover) and select its interval (click). Screenshots at two sizes in both themes.

import { expect, test, type Page } from '@playwright/test';
import { STATIC_PORT } from '../playwright.config';
import { join } from 'node:path';
import { CORPUS, openApp, openFiles, snapshot, waitForIdle } from './driver';

const APP = `http://127.0.0.1:${STATIC_PORT}/deep/sub/path/`;
const QUERY = 'state:waiting reason:sync';

async function openExample(page: Page): Promise<void> {
  await openApp(page);
  await page.getByTestId('load-example').click();
  expect(await waitForIdle(page)).toBe('ready');
}

async function search(page: Page, text: string): Promise<void> {
  await page.getByTestId('timeline').focus();
  await page.keyboard.press('/');
  await expect(page.getByTestId('search')).toBeFocused();
  await page.keyboard.type(text);
  await expect.poll(async () => (await snapshot(page)).search?.query).toBe(text);
}

/** Scrolls the lanes back to the top (a step to a result scrolls to its lane). */
async function lanesToTop(page: Page): Promise<void> {
  const box = (await page.getByTestId('timeline-canvas').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, -20_000);
}

/** The processor lane's tooltip and its point: hovering down the rows under the tracks. */
async function findProcLane(page: Page): Promise<{ x: number; y: number; title: string }> {
  const box = (await page.getByTestId('timeline-canvas').boundingBox())!;
  for (const fx of [0.5, 0.3, 0.7, 0.2, 0.85]) {
    const x = box.x + 230 + (box.width - 240) * fx;
    for (let y = box.y + 40; y < box.y + Math.min(box.height, 420); y += 4) {
      await page.mouse.move(x, y);
      const title = page.getByTestId('timeline').getByRole('tooltip').locator('.tooltip-title');
      if ((await title.count()) === 0) continue;
      const text = (await title.textContent()) ?? '';
      if (/^P\d+: .*G\d+/.test(text)) return { x, y, title: text };
    }
  }
  throw new Error('no processor lane with a goroutine found');
}

test('a query from the box: count, stepping, dimmed lanes, only lanes with results, Esc', async ({
  page,
}) => {
  await openExample(page);
  await search(page, QUERY);
  const snap = await snapshot(page);
  expect(snap.search!.error).toBeNull();
  const n = snap.search!.results;
  expect(n).toBeGreaterThan(10);
  // The page shows the engine's count.
  await expect(page.getByTestId('search-count')).toHaveText(`${n.toLocaleString('en-US')} results`);
  // Lanes with results are lit, the others dimmed.
  expect(snap.search!.lanes).toBeGreaterThan(0);
  expect(snap.search!.dimmed).toBeGreaterThan(0);

  // n steps (from the timeline), the view follows each result; N goes back.
  await page.getByTestId('timeline').focus();
  await page.keyboard.press('n');
  await expect.poll(async () => (await snapshot(page)).search?.current?.position).toBe(0);
  await page.keyboard.press('n');
  await expect.poll(async () => (await snapshot(page)).search?.current?.position).toBe(1);
  let s = await snapshot(page);
  const cur = s.search!.current!;
  expect(cur.kind).toBe('interval');
  expect(s.view!.startNs).toBeLessThanOrEqual(cur.startNs);
  expect(s.view!.endNs).toBeGreaterThan(cur.startNs);
  // The stepped-to wait is selected: its goroutine and state.
  expect(s.selected).toMatchObject({
    kind: 'interval',
    state: 'waiting',
    goroutine: cur.goroutine,
  });
  await page.keyboard.press('Shift+N');
  await expect.poll(async () => (await snapshot(page)).search?.current?.position).toBe(0);
  // Enter in the box steps too.
  await page.getByTestId('search').focus();
  await page.keyboard.press('Enter');
  await expect.poll(async () => (await snapshot(page)).search?.current?.position).toBe(1);

  // Only the lanes with results: nothing dimmed is left, as many lanes as have results.
  await page.getByTestId('search-only-lanes').check();
  await expect.poll(async () => (await snapshot(page)).search?.dimmed).toBe(0);
  s = await snapshot(page);
  expect(s.lanes.goroutines).toBeGreaterThan(0);
  expect(s.search!.onlyLanes).toBe(true);

  // In selection: a range dragged on the axis keeps only the results overlapping it.
  await page.getByTestId('search-only-lanes').uncheck();
  await page.getByTestId('timeline').focus();
  await page.keyboard.press('0');
  const box = (await page.getByTestId('timeline-canvas').boundingBox())!;
  await page.mouse.move(box.x + 240 + (box.width - 240) * 0.3, box.y + 20);
  await page.mouse.down();
  await page.mouse.move(box.x + 240 + (box.width - 240) * 0.5, box.y + 20, { steps: 4 });
  await page.mouse.up();
  expect((await snapshot(page)).selection).not.toBeNull();
  await page.getByTestId('search-in-selection').check();
  await expect.poll(async () => (await snapshot(page)).search?.inSelection).toBe(true);
  const part = (await snapshot(page)).search!.results;
  expect(part).toBeGreaterThan(0);
  expect(part).toBeLessThan(n);
  await page.getByTestId('search-in-selection').uncheck();

  // A bad query names its token under the box.
  await page.getByTestId('search').fill('state:sleepy');
  await expect(page.getByTestId('search-error')).toContainText('sleepy');
  expect((await snapshot(page)).search!.error).toContain('sleepy');

  // Esc in the timeline clears the search before anything else.
  await page.getByTestId('search').fill(QUERY);
  await expect.poll(async () => (await snapshot(page)).search?.results).toBe(n);
  await page.getByTestId('timeline').focus();
  await page.keyboard.press('Escape');
  await expect.poll(async () => (await snapshot(page)).search).toBeUndefined();
  await expect(page.getByTestId('search')).toHaveValue('');
});

test('the link keeps the query, and a link opens with it', async ({ page, context }) => {
  await page.goto(`${APP}?url=examples/go1.27/trace.out`);
  expect(await waitForIdle(page)).toBe('ready');
  await search(page, 'region:lookup');
  await page.getByTestId('search-only-lanes').check();
  await expect.poll(() => new URL(page.url()).hash).toContain('sq=region%3Alookup');
  // The checkbox reaches the address a moment later than the query.
  await expect.poll(() => new URL(page.url()).hash).toMatch(/(^#|&)so=1(&|$)/);
  const before = await snapshot(page);
  const second = await context.newPage();
  await second.goto(page.url());
  expect(await waitForIdle(second)).toBe('ready');
  await expect(second.getByTestId('search')).toHaveValue('region:lookup');
  await expect
    .poll(async () => (await snapshot(second)).search)
    .toMatchObject({ query: 'region:lookup', onlyLanes: true, results: before.search!.results });
});

test('processor lanes: hover names the goroutine, click selects its interval', async ({ page }) => {
  await openExample(page);
  // Zoom in where the handlers run so that runs are wide enough to hit.
  await search(page, 'state:running');
  await page.getByTestId('timeline').focus();
  await page.keyboard.press('n');
  await expect.poll(async () => (await snapshot(page)).search?.current).not.toBeNull();
  await page.keyboard.press('Escape');
  await expect.poll(async () => (await snapshot(page)).search).toBeUndefined();
  await page.keyboard.press('s');
  await page.keyboard.press('s');
  await lanesToTop(page);
  const lane = await findProcLane(page);
  const id = Number(/G(\d+)/.exec(lane.title)![1]);
  await page.mouse.click(lane.x, lane.y);
  await expect
    .poll(async () => (await snapshot(page)).selected)
    .toMatchObject({ kind: 'interval', state: 'running', goroutine: id });
});

for (const scheme of ['light', 'dark'] as const) {
  for (const [w, h] of [
    [1440, 900],
    [1024, 700],
  ] as const) {
    test(`screenshots: ${w}x${h} ${scheme}`, async ({ page }) => {
      await page.setViewportSize({ width: w, height: h });
      await page.emulateMedia({ colorScheme: scheme });
      await openExample(page);
      await search(page, QUERY);
      // n steps through results the page has (before they arrive it does nothing).
      await expect(page.getByTestId('search-count')).toHaveText(/^[\d,]+ results$/);
      await page.getByTestId('timeline').focus();
      await page.keyboard.press('n');
      await page.keyboard.press('n');
      await expect.poll(async () => (await snapshot(page)).search?.current?.position).toBe(1);
      for (let k = 0; k < 6; k++) await page.keyboard.press('s');
      await snapshot(page);
      await page.screenshot({ path: `test-results/search-${w}x${h}-${scheme}.png` });
      // The completion list while typing a value.
      await page.getByTestId('search').fill('');
      await page.getByTestId('search').pressSequentially('reason:');
      await expect(page.getByTestId('search-completion')).toBeVisible();
      await page.screenshot({ path: `test-results/search-complete-${w}x${h}-${scheme}.png` });
      // The processor lanes and the GC marks without a search.
      await page.getByTestId('search').fill('');
      await page.getByTestId('timeline').focus();
      await page.keyboard.press('Escape');
      await lanesToTop(page);
      await page.mouse.move(5, 5);
      await snapshot(page);
      await page.screenshot({ path: `test-results/planes-${w}x${h}-${scheme}.png` });
    });
  }
}

test('screenshot: GC workers on the processor lanes and GC work on goroutine lanes', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await openApp(page);
  await openFiles(page, [join(CORPUS, 'go-trace/spike/go1.26.trace')]);
  expect(await waitForIdle(page)).toBe('ready');
  await search(page, 'reason:gc');
  await page.getByTestId('timeline').focus();
  await page.keyboard.press('n');
  await expect.poll(async () => (await snapshot(page)).search?.current).not.toBeNull();
  // The first such wait ends when the GC's mark termination wakes the sweeper: zoom there.
  const snap = await snapshot(page);
  const end = snap.search!.current!.endNs;
  await page.keyboard.press('Escape');
  await expect.poll(async () => (await snapshot(page)).search).toBeUndefined();
  await page.getByRole('button', { name: 'Expand all' }).click();
  await lanesToTop(page);
  const box = (await page.getByTestId('timeline-canvas').boundingBox())!;
  const v = snap.view!;
  const x = box.x + 220 + ((end - v.startNs) / (v.endNs - v.startNs)) * (box.width - 220);
  await page.mouse.move(x, box.y + 100);
  await page.keyboard.down('Control');
  for (let k = 0; k < 12; k++) await page.mouse.wheel(0, -300);
  await page.keyboard.up('Control');
  await page.mouse.move(5, 5);
  await snapshot(page);
  await page.screenshot({ path: 'test-results/planes-gc-1440x900-light.png' });
});
