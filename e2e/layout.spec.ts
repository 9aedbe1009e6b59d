// The page's layout shell (issue 20): the splitter as a real handle, links that reopen the
// example and keep a spike's scope, Esc in one order, the small window without overflow, the
// tracks folded away, the PNG export of the whole timeline area; screenshots at 1440x900 and
// 1024x700, light and dark (test-results/layout-*.png).

import { expect, test, type Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openApp, snapshot, waitForIdle } from './driver';

async function openExample(page: Page): Promise<void> {
  await openApp(page);
  await page.getByTestId('load-example').click();
  expect(await waitForIdle(page)).toBe('ready');
  await expect(page.getByTestId('spike').first()).toBeVisible();
}

/** The example with its top spike opened (zoomed, selected, lanes limited, Blocked graph). */
async function openSpike(page: Page): Promise<void> {
  await openExample(page);
  await page.getByTestId('spike').first().click();
  await expect.poll(async () => (await snapshot(page)).flame?.source).toBe('trace:blocked');
}

/**
 * Selects a goroutine state interval: clicks down the middle of the lanes until the page says an
 * interval is selected (rows differ with the layout; tracks and labels select nothing).
 */
async function selectInterval(page: Page): Promise<void> {
  const box = (await page.getByTestId('timeline-canvas').boundingBox())!;
  for (let y = 40; y < box.height - 4; y += 5) {
    await page.mouse.click(box.x + box.width * 0.62, box.y + y);
    // A waiting interval, which has a stack (a click on a processor lane selects a running one).
    const sel = (await snapshot(page)).selected;
    if (sel?.kind === 'interval' && sel.state === 'waiting') return;
  }
  throw new Error('no goroutine interval found to select');
}

async function noPageOverflow(page: Page): Promise<void> {
  const m = await page.evaluate(() => ({
    sw: document.documentElement.scrollWidth,
    sh: document.documentElement.scrollHeight,
    w: window.innerWidth,
    h: window.innerHeight,
  }));
  expect(m.sw).toBeLessThanOrEqual(m.w);
  expect(m.sh).toBeLessThanOrEqual(m.h);
}

test('the timeline/flame splitter: a handle with height and cursor, dragged by mouse, touch and keys, remembered', async ({
  page,
}) => {
  await openExample(page);
  const splitter = page.getByTestId('splitter');
  const box = (await splitter.boundingBox())!;
  expect(box.height).toBeGreaterThanOrEqual(5);
  expect(await splitter.evaluate((e) => getComputedStyle(e).cursor)).toBe('row-resize');
  const flame = page.getByRole('region', { name: 'Flame graph' });
  const before = (await flame.boundingBox())!.height;

  // Mouse: drag up by 150 px across the flame graph's text; no text gets selected.
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2, box.y - 150, { steps: 8 });
  await page.mouse.up();
  const dragged = (await flame.boundingBox())!.height;
  expect(dragged).toBeGreaterThan(before + 120);
  expect(await page.evaluate(() => window.getSelection()?.toString() ?? '')).toBe('');

  // Keyboard: the handle has the focus after the drag; arrows move it.
  await expect(splitter).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  const keyed = (await flame.boundingBox())!.height;
  expect(keyed).toBeLessThan(dragged - 40);

  // Touch: a finger drag (pointer events of type touch) moves it too.
  const b2 = (await splitter.boundingBox())!;
  await splitter.evaluate((el, y) => {
    const at = (type: string, clientY: number) =>
      el.dispatchEvent(
        new PointerEvent(type, {
          pointerId: 7,
          pointerType: 'touch',
          isPrimary: true,
          bubbles: true,
          button: 0,
          buttons: 1,
          clientX: 300,
          clientY,
        }),
      );
    at('pointerdown', y);
    at('pointermove', y + 40);
    at('pointermove', y + 80);
    at('pointerup', y + 80);
  }, b2.y + 3);
  const touched = (await flame.boundingBox())!.height;
  expect(touched).toBeLessThan(keyed - 50);

  // Remembered across a reload.
  // The address bar names the example's files (?url=): a reload reopens them.
  await page.reload();
  expect(await waitForIdle(page)).toBe('ready');
  await expect
    .poll(async () => Math.abs((await flame.boundingBox())!.height - touched))
    .toBeLessThan(3);
});

test('the sidebar: spikes first, files one line each with the offset editor on demand; collapsible and resizable', async ({
  page,
}) => {
  await openExample(page);
  const sidebar = page.getByTestId('sidebar');
  // Spikes come before the files, and the first spike is in view without scrolling.
  const spikesTop = (await sidebar.getByRole('region', { name: 'Blocking spikes' }).boundingBox())!
    .y;
  const filesTop = (await sidebar
    .getByRole('list', { name: 'Files in this session' })
    .boundingBox())!.y;
  expect(spikesTop).toBeLessThan(filesTop);
  await expect(page.getByTestId('spike').first()).toBeInViewport();
  // Files: one line each (no offset editor until asked for).
  for (const file of await page.getByTestId('file').all())
    expect((await file.boundingBox())!.height).toBeLessThan(34);
  await expect(page.getByTestId('offset-input')).toHaveCount(0);
  const badge = page
    .getByTestId('file')
    .filter({ hasText: 'cpu.pprof' })
    .getByTestId('alignment-badge');
  await expect(badge).toHaveText('clock');
  await badge.click();
  await expect(page.getByTestId('offset-input')).toHaveCount(1);

  // Resize (keyboard on the handle), collapse, and both are remembered.
  const width = (await sidebar.boundingBox())!.width;
  await page.getByTestId('sidebar-splitter').focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  expect((await sidebar.boundingBox())!.width).toBeCloseTo(width + 40, 0);
  await page.getByTestId('sidebar-toggle').click();
  await expect(sidebar).toHaveCount(0);
  // The address bar names the example's files (?url=): a reload reopens them.
  await page.reload();
  expect(await waitForIdle(page)).toBe('ready');
  await expect(sidebar).toHaveCount(0);
  await page.getByTestId('sidebar-toggle').click();
  expect((await sidebar.boundingBox())!.width).toBeCloseTo(width + 40, 0);
});

test('details in their own panel, stacks not broken mid-word', async ({ page }) => {
  await openSpike(page);
  await selectInterval(page);
  const dock = page.getByTestId('details-dock');
  await expect(dock.getByTestId('details')).toBeVisible();
  const box = (await page.getByTestId('timeline-canvas').boundingBox())!;
  // Right of the timeline, not under the spike list.
  expect((await dock.boundingBox())!.x).toBeGreaterThan(box.x + box.width - 5);
  const pre = dock.locator('pre').first();
  expect(await pre.evaluate((e) => getComputedStyle(e).whiteSpace)).toBe('pre');
  await page.screenshot({ path: 'test-results/layout-details-1400x860.png' });
  await dock.getByRole('button', { name: /Close the details/ }).click();
  await expect(dock).toHaveCount(0);
  expect((await snapshot(page)).selected).toBeNull();
});

test('Share on the example gives a ?url= link that reopens the same files and view', async ({
  page,
  context,
}) => {
  await openSpike(page);
  const before = await snapshot(page);
  await page.getByTestId('share').click();
  const dialog = page.getByRole('dialog', { name: 'Share this view' });
  await expect(dialog.getByTestId('share-local-warning')).toHaveCount(0);
  const link = await dialog.getByRole('textbox', { name: 'Link to this view' }).inputValue();
  // Every file of the example, by its address relative to the page.
  for (const name of before.files.map((f) => f.name))
    expect(link).toContain(`url=examples%2Fgo1.27%2F${name}`);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await dialog.getByTestId('copy-link').click();
  await expect(dialog.getByRole('status')).toHaveText('Link copied.');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);

  const second = await context.newPage();
  await second.goto(link);
  expect(await waitForIdle(second)).toBe('ready');
  const rounded = (r: { startNs: number; endNs: number } | null) =>
    r && { startNs: Math.round(r.startNs), endNs: Math.round(r.endNs) };
  await expect.poll(async () => (await snapshot(second)).view).toEqual(rounded(before.view));
  const after = await snapshot(second);
  expect(after.files.map((f) => f.name)).toEqual(before.files.map((f) => f.name));
  expect(after.selection).toEqual(rounded(before.selection));
  expect(after.flame?.heaviest).toEqual(before.flame?.heaviest);
});

test('links keep the spike scope: goroutine list, lane limit and picked frame', async ({
  page,
  context,
}) => {
  await openSpike(page);
  await page
    .getByTestId('top-table')
    .locator('td.fn', { hasText: /^main\.lookup$/ })
    .click();
  await expect.poll(async () => (await snapshot(page)).highlight?.frame).toBe('main.lookup');
  const before = await snapshot(page);
  expect(before.flame!.scope.kind).toBe('list');
  expect(before.flame!.scope.ids.length).toBeGreaterThan(1);
  expect(before.laneLimit).toEqual([...before.flame!.scope.ids].sort((a, b) => a - b));
  await expect(page.getByTestId('flame-scope')).toHaveValue('list');

  await expect.poll(() => new URL(page.url()).hash).toContain('gs=');
  const second = await context.newPage();
  await second.goto(page.url());
  expect(await waitForIdle(second)).toBe('ready');
  await expect.poll(async () => (await snapshot(second)).highlight?.frame).toBe('main.lookup');
  const after = await snapshot(second);
  expect(after.flame!.scope).toEqual(before.flame!.scope);
  expect(after.laneLimit).toEqual(before.laneLimit);
  expect(after.flame!.func).toBe('main.lookup');
  expect(after.flame!.totalValue).toBe(before.flame!.totalValue);
  expect(after.highlight).toEqual(before.highlight);
  await expect(second.getByTestId('flame-scope')).toHaveValue('list');
  await expect(second.getByTestId('lane-only')).toBeVisible();
});

test('Esc clears in one order, whichever panel has the focus, as the help says', async ({
  page,
}) => {
  await openSpike(page);
  // A selected interval, a picked function, a flame search, one zoom level.
  await selectInterval(page);
  await page
    .getByTestId('top-table')
    .locator('td.fn', { hasText: /^main\.lookup$/ })
    .click();
  await page.getByTestId('flame-search').fill('lookup');
  // Zoom one level: click the second row of the flame graph.
  const flame = (await page.getByTestId('flame-canvas').boundingBox())!;
  await page.mouse.click(flame.x + flame.width * 0.3, flame.y + 18 + 9);
  let s = await snapshot(page);
  expect(s.flame!.zoom.length).toBe(1);
  expect(s.flame!.func).not.toBeNull();
  expect(s.flame!.search).not.toBeNull();
  expect(s.selection).not.toBeNull();
  // The flame graph has the focus, and shows it.
  const section = page.getByRole('region', { name: 'Flame graph' });
  expect(await section.evaluate((e) => getComputedStyle(e).outlineStyle)).toBe('solid');

  await page.keyboard.press('Escape');
  s = await snapshot(page);
  expect([s.flame!.search, s.flame!.func !== null]).toEqual([null, true]);
  await page.keyboard.press('Escape');
  s = await snapshot(page);
  expect([s.flame!.func, s.selected !== null]).toEqual([null, true]);
  // From the timeline now: the same order goes on.
  await page.getByTestId('timeline').focus();
  await page.keyboard.press('Escape');
  s = await snapshot(page);
  expect([s.selected, s.selection !== null]).toEqual([null, true]);
  await page.keyboard.press('Escape');
  s = await snapshot(page);
  expect([s.selection, s.flame!.zoom.length]).toEqual([null, 1]);
  await page.keyboard.press('Escape');
  expect((await snapshot(page)).flame!.zoom).toEqual([]);

  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard and mouse controls' });
  await expect(help).toContainText(
    "the search box's query, the flame search, the highlighted function, the selected item, the time selection, then one flame zoom level",
  );
});

test('at 1024x700: no page overflow, one-row flame toolbars, tracks fold away (remembered)', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  await openExample(page);
  await noPageOverflow(page);
  // Fold the tracks: find the trace's header row in the label column by its tooltip, click it.
  const box = (await page.getByTestId('timeline-canvas').boundingBox())!;
  const tip = page.getByTestId('timeline').locator('.tooltip');
  let folded = false;
  for (let y = 36; y < 160 && !folded; y += 4) {
    await page.mouse.move(box.x + 60, box.y + y);
    if (!/go 1\.\d+ trace/.test((await tip.allTextContents()).join(' '))) continue;
    await page.mouse.click(box.x + 60, box.y + y);
    folded = (await snapshot(page)).tracksCollapsed;
  }
  expect(folded).toBe(true);
  await page.getByTestId('spike').first().click();
  await expect.poll(async () => (await snapshot(page)).flame?.source).toBe('trace:blocked');
  await noPageOverflow(page);
  for (const bar of await page.locator('.flame-tabs, .flame-toolbar').all()) {
    const h = (await bar.boundingBox())!.height;
    expect(h).toBeLessThan(40);
  }
  // Remembered by the browser, not only by the link: a fresh visit opens them folded.
  await openExample(page);
  expect((await snapshot(page)).tracksCollapsed).toBe(true);
  await noPageOverflow(page);
});

test('PNG export: the timeline area with its title, legend and axis', async ({ page }) => {
  await openSpike(page);
  await page.getByTestId('export').click();
  const [png] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export-png').click(),
  ]);
  const path = join('test-results', 'layout-export.png');
  await png.saveAs(path);
  const bytes = await readFile(path);
  expect(bytes.subarray(1, 4).toString()).toBe('PNG');
  // IHDR: width and height, big-endian at 16 and 20. Taller than the lanes canvas alone.
  const canvas = await page.getByTestId('timeline-canvas').evaluate((c: HTMLCanvasElement) => ({
    w: c.width,
    h: c.height,
  }));
  expect(bytes.readUInt32BE(16)).toBe(canvas.w);
  expect(bytes.readUInt32BE(20)).toBeGreaterThan(canvas.h + 60);
});

for (const [w, h] of [
  [1440, 900],
  [1024, 700],
] as const) {
  for (const scheme of ['light', 'dark'] as const) {
    test(`screenshot after ${w}x${h} ${scheme}`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize({ width: w, height: h });
      await openSpike(page);
      await noPageOverflow(page);
      await page.waitForTimeout(500);
      await page.screenshot({ path: `test-results/layout-after-${w}x${h}-${scheme}.png` });
      await selectInterval(page);
      await expect(page.getByTestId('details')).toBeVisible();
      await noPageOverflow(page);
      await page.screenshot({ path: `test-results/layout-after-details-${w}x${h}-${scheme}.png` });
    });
  }
}
