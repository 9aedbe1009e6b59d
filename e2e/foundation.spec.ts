// The foundation journey: the empty page, the bundled example, bad files, several files at once,
// logs without timestamps, and the basic timeline gestures on dlv spans.

import { expect, test } from '@playwright/test';
import { join } from 'node:path';
import {
  CORPUS,
  findSpanPixel,
  openApp,
  openFiles,
  screenshot,
  snapshot,
  waitForIdle,
} from './driver';

test('the empty page offers a drop zone, a file picker and the example', async ({ page }) => {
  await openApp(page);
  await expect(page.locator('html')).toHaveAttribute('data-state', 'empty');
  await expect(page.getByTestId('dropzone')).toBeVisible();
  await expect(page.getByTestId('file-input')).toHaveAttribute('multiple', '');
  await expect(page.getByTestId('load-example')).toBeVisible();
  await screenshot(page, 'empty');
});

test('the example loads and shows its dlv spans on the timeline', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('load-example').click();
  expect(await waitForIdle(page)).toBe('ready');
  const snap = await snapshot(page);
  expect(snap.files.map((f) => f.name).sort()).toEqual(
    [
      'allocs.pprof',
      'block.pprof',
      'cpu.pprof',
      'dlv-trace.log',
      'goroutine.pprof',
      'heap.pprof',
      'mutex.pprof',
      'trace.out',
    ].sort(),
  );
  const dlv = snap.files.find((f) => f.name === 'dlv-trace.log');
  expect(dlv).toEqual({ name: 'dlv-trace.log', format: 'dlv-trace' });
  expect(snap.files.find((f) => f.name === 'trace.out')?.format).toBe('go-trace');
  expect(snap.dlvSpans).toBe(338);
  // The trace owns the axis: its goroutine and proc lanes, and the dlv log on its clock.
  expect(snap.lanes.goroutines).toBe(118);
  expect(snap.lanes.procs).toBe(2);
  expect(snap.durationNs).toBe(3055845953);
  const dlvAlign = snap.alignment.find((a) => a.file === 'dlv-trace.log')!;
  expect(dlvAlign.method).toBe('clock-snapshot');
  expect(dlvAlign.insideRunning).toBeGreaterThanOrEqual(0.98);
  await expect(page.getByTestId('timeline')).toBeVisible();
  // The spans are really drawn: the plot area holds many non-background pixels.
  expect(snap.lanes.total).toBe(118 + 2 + 7); // goroutines, procs, and 7 dlv lanes under their goroutines
  const coloured = await page.getByTestId('timeline-canvas').evaluate((c: HTMLCanvasElement) => {
    const ctx = c.getContext('2d') as CanvasRenderingContext2D;
    const dpr = window.devicePixelRatio || 1;
    const x0 = Math.round(230 * dpr);
    const img = ctx.getImageData(
      x0,
      Math.round(40 * dpr),
      c.width - x0,
      c.height - Math.round(40 * dpr),
    ).data;
    let n = 0;
    for (let i = 0; i < img.length; i += 4) {
      const r = img[i] as number;
      const g = img[i + 1] as number;
      const b = img[i + 2] as number;
      if (Math.max(r, g, b) - Math.min(r, g, b) > 50) n++;
    }
    return n;
  });
  expect(coloured).toBeGreaterThan(5000);
  await screenshot(page, 'example');
});

test('a bad file shows an alert naming it, and does not take down the others', async ({ page }) => {
  await openApp(page);
  await openFiles(page, [join(CORPUS, 'go-trace/bad/random.bin')]);
  expect(await waitForIdle(page)).toBe('error');
  const alert = page.getByRole('alert').first();
  await expect(alert).toContainText('random.bin');
  await expect(alert).toContainText('unrecognized file');
  await screenshot(page, 'bad-file');

  await openFiles(page, [
    join(CORPUS, 'dlv/dlv-stack.log'),
    join(CORPUS, 'pprof/other/truncated-cpu.pprof'),
  ]);
  expect(await waitForIdle(page)).toBe('ready');
  const snap = await snapshot(page);
  expect(snap.files).toHaveLength(3);
  expect(snap.files.find((f) => f.name === 'truncated-cpu.pprof')?.error).toMatch(
    /truncated|unexpected end/,
  );
  expect(snap.dlvSpans).toBe(71);
});

test('files dropped on the page join one session, in any order', async ({ page }) => {
  await openApp(page);
  const names = ['dlv-verbose3.log', 'dlv-stack.log'];
  const contents = await Promise.all(
    names.map(async (n) =>
      Array.from(
        new Uint8Array(await (await import('node:fs/promises')).readFile(join(CORPUS, 'dlv', n))),
      ),
    ),
  );
  await page.evaluate(
    ([names, contents]) => {
      const dt = new DataTransfer();
      names.forEach((n, i) => dt.items.add(new File([new Uint8Array(contents[i] as number[])], n)));
      const target = document.querySelector('[data-testid=dropzone]') as HTMLElement;
      target.dispatchEvent(new DragEvent('dragenter', { bubbles: true, dataTransfer: dt }));
      target.dispatchEvent(
        new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: dt }),
      );
    },
    [names, contents] as const,
  );
  expect(await waitForIdle(page)).toBe('ready');
  const snap = await snapshot(page);
  expect(snap.files.map((f) => f.format)).toEqual(['dlv-trace', 'dlv-trace']);
  expect(snap.dlvSpans).toBe(126 + 71);
});

test('a log without timestamps is shown in a sequence view; a log without trace lines says why', async ({
  page,
}) => {
  await openApp(page);
  await openFiles(page, [join(CORPUS, 'dlv/dlv-mixed.log')]);
  expect(await waitForIdle(page)).toBe('ready');
  await expect(page.getByText('has no timestamps')).toBeVisible();
  expect((await snapshot(page)).dlvSpans).toBe(64);
  await screenshot(page, 'sequence-view');

  await page.getByRole('button', { name: 'Close all' }).click();
  await openFiles(page, [join(CORPUS, 'dlv/dlv-follow-glued.log')]);
  await waitForIdle(page);
  await expect(page.getByRole('status').first()).toContainText('--follow-calls');
  await expect(page.getByTestId('nothing')).toBeVisible();
  await screenshot(page, 'glued-log');
});

test('zoom, pan, select a range and a call on dlv spans', async ({ page }) => {
  await openApp(page);
  await openFiles(page, [join(CORPUS, 'combined/go1.27/dlv-trace.log')]);
  expect(await waitForIdle(page)).toBe('ready');
  const full = (await snapshot(page)).view;
  expect(full).not.toBeNull();

  // W zooms in around the centre, 0 fits again.
  await page.keyboard.press('w');
  await page.keyboard.press('w');
  let view = (await snapshot(page)).view!;
  expect(view.endNs - view.startNs).toBeLessThan(0.7 * (full!.endNs - full!.startNs));
  await page.keyboard.press('d');
  const panned = (await snapshot(page)).view!;
  expect(panned.startNs).toBeGreaterThan(view.startNs);
  await page.keyboard.press('0');
  expect((await snapshot(page)).view).toEqual(full);

  // Ctrl+wheel zooms at the pointer.
  const canvas = page.getByTestId('timeline-canvas');
  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + 600, box.y + 200);
  await page.keyboard.down('Control');
  await page.mouse.wheel(0, -400);
  await page.keyboard.up('Control');
  view = (await snapshot(page)).view!;
  expect(view.endNs - view.startNs).toBeLessThan(full!.endNs - full!.startNs);

  // Shift+drag selects; F zooms to it; Esc clears it.
  await page.keyboard.press('0');
  await page.keyboard.down('Shift');
  await page.mouse.move(box.x + 400, box.y + 300);
  await page.mouse.down();
  await page.mouse.move(box.x + 700, box.y + 300, { steps: 5 });
  await page.mouse.up();
  await page.keyboard.up('Shift');
  const sel = (await snapshot(page)).selection!;
  expect(sel.endNs - sel.startNs).toBeGreaterThan(0);
  await page.keyboard.press('f');
  view = (await snapshot(page)).view!;
  expect(Math.abs(view.startNs - sel.startNs)).toBeLessThan(1);
  await screenshot(page, 'selection-zoomed');
  // Esc clears one thing per press (session.escape's order): what the pointer previews or the
  // drag ended on goes first, then the selection; never more presses than the order has steps.
  for (let i = 0; i < 4 && (await snapshot(page)).selection !== null; i++)
    await page.keyboard.press('Escape');
  expect((await snapshot(page)).selection).toBeNull();

  // Click a call: the details panel shows it.
  await page.keyboard.press('0');
  const hit = await findSpanPixel(page);
  await page.mouse.click(box.x + hit.x, box.y + hit.y);
  const selected = (await snapshot(page)).selected;
  expect(selected?.func).toMatch(/^main\./);
  await expect(page.getByTestId('details')).toContainText(selected!.func);
  await expect(page.getByTestId('details')).toContainText('goroutine');
  await screenshot(page, 'details');
});

test('two traces: the page says which is the clock, and the user can pick the other', async ({
  page,
}) => {
  await openApp(page);
  await openFiles(page, [
    join(CORPUS, 'go-trace/bad/random.bin'),
    join(CORPUS, 'go-trace/spike/go1.26.trace'),
    join(CORPUS, 'go-trace/spike/go1.22.trace'),
  ]);
  expect(await waitForIdle(page)).toBe('ready');
  // The file that failed is never the clock; the first trace that decoded is.
  expect((await snapshot(page)).clock).toBe('go1.26.trace');
  const picker = page.getByTestId('clock-picker').locator('select');
  await expect(picker.locator('option')).toHaveText(['go1.26.trace', 'go1.22.trace']);
  const before = (await snapshot(page)).durationNs;
  await picker.selectOption({ label: 'go1.22.trace' });
  await expect.poll(async () => (await snapshot(page)).clock).toBe('go1.22.trace');
  expect(await waitForIdle(page)).toBe('ready');
  const after = (await snapshot(page)).durationNs;
  expect(after).toBeGreaterThan(0);
  expect(after).not.toBe(before);
  await screenshot(page, 'clock-picker');
});
