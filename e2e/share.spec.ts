// Hosting and sharing: the static build from a sub-path, ?url= links, the view in the hash,
// CORS and HTTP failures explained, session bundles, and offline use (cross-origin isolated by the
// service worker).

import { expect, test, type Page } from '@playwright/test';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { STATIC_PORT } from '../playwright.config';
import { CORPUS, findSpanPixel, openFiles, screenshot, snapshot, waitForIdle } from './driver';

const APP = `http://127.0.0.1:${STATIC_PORT}/deep/sub/path/`;
const CORS = `http://127.0.0.1:${STATIC_PORT + 1}`;
const NO_CORS = `http://127.0.0.1:${STATIC_PORT + 2}`;

async function zoomSelectPick(page: Page): Promise<void> {
  await page.keyboard.press('w');
  await page.keyboard.press('w');
  await page.keyboard.press('d');
  const box = (await page.getByTestId('timeline-canvas').boundingBox())!;
  await page.keyboard.down('Shift');
  await page.mouse.move(box.x + 500, box.y + 250);
  await page.mouse.down();
  await page.mouse.move(box.x + 800, box.y + 250, { steps: 4 });
  await page.mouse.up();
  await page.keyboard.up('Shift');
  const hit = await findSpanPixel(page);
  await page.mouse.click(box.x + hit.x, box.y + hit.y);
  expect((await snapshot(page)).selected).not.toBeNull();
}

const rounded = (r: { startNs: number; endNs: number } | null) =>
  r && { startNs: Math.round(r.startNs), endNs: Math.round(r.endNs) };

test('a ?url= link from a sub-path reopens the same files at the same view', async ({
  page,
  context,
}) => {
  await page.goto(`${APP}?url=/corpus/combined/go1.27/dlv-trace.log`);
  expect(await waitForIdle(page)).toBe('ready');
  expect((await snapshot(page)).dlvSpans).toBe(338);
  await zoomSelectPick(page);
  const before = await snapshot(page);
  expect(before.selection).not.toBeNull();
  await expect.poll(() => new URL(page.url()).hash).toContain('pick=');
  const link = page.url();
  expect(link).toContain('/deep/sub/path/?url=');

  const second = await context.newPage();
  await second.goto(link);
  expect(await waitForIdle(second)).toBe('ready');
  await expect.poll(async () => (await snapshot(second)).view).toEqual(rounded(before.view));
  const after = await snapshot(second);
  expect(after.selection).toEqual(rounded(before.selection));
  expect(after.selected).toEqual(before.selected);
  await screenshot(second, 'share-reopened');
});

test('files from another origin: CORS allowed works, CORS refused and HTTP errors are explained', async ({
  page,
}) => {
  await page.goto(`${APP}?url=${encodeURIComponent(`${CORS}/corpus/dlv/dlv-stack.log`)}`);
  expect(await waitForIdle(page)).toBe('ready');
  expect((await snapshot(page)).dlvSpans).toBe(71);

  await page.goto(
    `${APP}?url=${encodeURIComponent(`${NO_CORS}/corpus/dlv/dlv-stack.log`)}&url=/corpus/nope.log`,
  );
  expect(await waitForIdle(page)).toBe('error');
  const alerts = page.getByRole('alert');
  await expect(alerts.filter({ hasText: 'Access-Control-Allow-Origin' })).toHaveCount(1);
  await expect(alerts.filter({ hasText: 'HTTP 404' })).toHaveCount(1);
  await screenshot(page, 'share-cors-error');
});

test('local files: the share dialog says a link cannot carry them and offers a session bundle', async ({
  page,
  context,
}) => {
  await page.goto(APP);
  await openFiles(page, [
    join(CORPUS, 'combined/go1.27/dlv-trace.log'),
    join(CORPUS, 'dlv/dlv-mixed.log'),
  ]);
  expect(await waitForIdle(page)).toBe('ready');
  await zoomSelectPick(page);
  const before = await snapshot(page);
  await page.getByTestId('share').click();
  await expect(page.getByTestId('share-local-warning')).toContainText('cannot carry them');
  await screenshot(page, 'share-dialog');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('download-bundle').click(),
  ]);
  const path = join('test-results', 'session.goroscope');
  await download.saveAs(path);

  const second = await context.newPage();
  await second.goto(APP);
  await openFiles(second, [path]);
  expect(await waitForIdle(second)).toBe('ready');
  await expect
    .poll(async () => (await snapshot(second)).files.map((f) => f.name))
    .toEqual(['dlv-trace.log', 'dlv-mixed.log']);
  await expect.poll(async () => (await snapshot(second)).view).toEqual(rounded(before.view));
  expect((await snapshot(second)).selected).toEqual(before.selected);
  expect((await readFile(path)).subarray(0, 19).toString()).toBe('GOROSCOPE-SESSION 1');
});

test('after the first visit the app opens offline, with its server stopped', async ({
  browser,
}) => {
  const port = STATIC_PORT + 20;
  const server = spawn(
    'npx',
    ['tsx', 'e2e/static-server.ts', String(port), String(port + 1), String(port + 2)],
    {
      stdio: 'ignore',
      detached: true,
    },
  );
  try {
    const url = `http://127.0.0.1:${port}/deep/sub/path/`;
    const context = await browser.newContext();
    const page = await context.newPage();
    await expect(async () => {
      await page.goto(url);
    }).toPass({ timeout: 20_000 });
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await expect
      .poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null))
      .toBe(true);
    // The host sends no isolation headers: the first visit is not isolated (the model is copied
    // to the engine); the service worker adds them, so the page it serves shares the model.
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
    process.kill(-(server.pid as number));
    await page.reload();
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    await expect(page.getByTestId('dropzone')).toBeVisible();
    await page.getByTestId('load-example').click();
    expect(await waitForIdle(page)).toBe('ready');
    expect((await snapshot(page)).dlvSpans).toBe(338);
    await screenshot(page, 'offline');
    await context.close();
  } finally {
    try {
      process.kill(-(server.pid as number));
    } catch {
      // already stopped
    }
  }
});

test('a trace link keeps the spike, the flame graph and the lanes; exports hold the selection', async ({
  page,
  context,
}) => {
  await page.goto(`${APP}?url=/corpus/go-trace/spike/go1.26.trace`);
  expect(await waitForIdle(page)).toBe('ready');
  await page.getByTestId('spike').first().click();
  await page
    .getByTestId('top-table')
    .locator('td.fn', { hasText: /^main\.lookup$/ })
    .click();
  await page.getByTestId('lane-filter').fill('net/http');
  const before = await snapshot(page);
  await expect.poll(() => new URL(page.url()).hash).toContain('fn=main.lookup');
  await expect.poll(() => new URL(page.url()).hash).toContain('lf=net');

  const second = await context.newPage();
  await second.goto(page.url());
  expect(await waitForIdle(second)).toBe('ready');
  await expect.poll(async () => (await snapshot(second)).view).toEqual(rounded(before.view));
  const after = await snapshot(second);
  expect(after.selection).toEqual(rounded(before.selection));
  expect(after.flame?.source).toBe('trace:blocked');
  expect(after.flame?.func).toBe('main.lookup');
  await expect(second.getByTestId('lane-filter')).toHaveValue('net/http');
  await second.close();

  // Export the selection's Blocked stacks as pprof and read it back with the project's decoder.
  await page.getByTestId('export').click();
  const [dl] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export-pprof').click(),
  ]);
  const file = join('test-results', dl.suggestedFilename());
  await dl.saveAs(file);
  const { decodePprof } = await import('../src/formats/pprof/decode');
  const { gunzip } = await import('../src/formats/gzip');
  const p = decodePprof(gunzip(new Uint8Array(await readFile(file))));
  expect(p.sampleTypes[0]).toEqual({ type: 'delay', unit: 'nanoseconds' });
  expect(p.sampleCount).toBeGreaterThan(0);
  // The blocked time of the spike's goroutines in the selection (the flame graph's total).
  expect(Math.abs(Number(p.totals[0]) - before.flame!.totalValue)).toBeLessThan(p.sampleCount + 1);
  expect(Number(p.durationNanos)).toBe(
    Math.round(before.selection!.endNs - before.selection!.startNs),
  );
  const go = '/opt/go-toolchains/usr/lib/go-1.26/bin/go';
  if (existsSync(go)) {
    const r = spawnSync(go, ['tool', 'pprof', '-top', file], { encoding: 'utf8' });
    expect(r.stdout).toMatch(/sync\.\(\*Mutex\)\.Lock/);
  }
  const [csv] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export-csv').click(),
  ]);
  const csvPath = join('test-results', 'intervals.csv');
  await csv.saveAs(csvPath);
  const text = (await readFile(csvPath)).toString();
  // RFC 4180: records end with CRLF.
  expect(text.split('\r\n')[0]).toBe(
    'goroutine,start_function,state,reason,start_ns,end_ns,duration_ns,function',
  );
  expect(text).toMatch(/waiting,sync,/);
  const [png] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export-png').click(),
  ]);
  const pngPath = join('test-results', 'timeline.png');
  await png.saveAs(pngPath);
  expect((await readFile(pngPath)).subarray(1, 4).toString()).toBe('PNG');
});
