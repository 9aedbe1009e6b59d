// Issue 18's browser rows, for `npm run bench:ui -- --load-rows`: a large trace dropped in the page
// (the file input's change event, where a drop hands the file over) until data-state=ready, with
// the peak proportional set size (PSS) of all the browser's processes while it loads, against the
// goals (180 MB trace: ready within 8 s, at most 3x the file; ~1 GB: within 30 s, at most 3 GiB).
// Runs its own browser (Playwright's launchServer, whose process tree is ours to measure).

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { chromium } from '@playwright/test';

/** PIDs of `root` and all its descendants (from /proc's parent links). */
function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      // pid (comm) state ppid ...: comm may hold spaces, so split after its closing paren.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(d));
      children.set(ppid, list);
    } catch {
      // the process ended meanwhile
    }
  }
  const out: number[] = [];
  const walk = (p: number): void => {
    out.push(p);
    for (const c of children.get(p) ?? []) walk(c);
  };
  walk(root);
  return out;
}

/** Sum of PSS over `root`'s process tree, bytes (Linux: /proc/PID/smaps_rollup). */
export function treePss(root: number): number {
  let kb = 0;
  for (const pid of processTree(root)) {
    try {
      const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
      if (m) kb += Number(m[1]);
    } catch {
      // gone, or not ours to read
    }
  }
  return kb * 1024;
}

export interface LoadRow {
  trace: string;
  bytes: number;
  readyS: number;
  /**
   * Seconds from the drop until the timeline first drew goroutine lanes (the page's
   * goroscope:picture mark): of a preview while a large trace decodes, else of the whole trace.
   */
  pictureS: number;
  /** Seconds the decode workers spent decoding (their `done` timing), previews included. */
  decodeS: number;
  /** Of decodeS, the previews' snapshots and posting. */
  previewS: number;
  /** Peak PSS until ready. */
  peakPssBytes: number;
  /** Seconds from the drop until the engine answered every query asked by then (warm-up included). */
  settledS: number;
  /** Peak PSS until then: what the whole load costs. */
  peakSettledBytes: number;
  state: string;
  /** Whether the page was cross-origin isolated (the model shared by the page and the engine). */
  isolated: boolean;
}

/**
 * Opens each trace in a fresh page of a fresh browser and measures the row. `url`: the built
 * page (vite preview); `args`/`executablePath`: as the other benchmarks launch Chromium.
 */
export async function measureLoads(
  url: string,
  traces: string[],
  launch: { executablePath?: string; args: string[] },
): Promise<LoadRow[]> {
  const rows: LoadRow[] = [];
  for (const trace of traces) {
    const r = await measureDrop(url, [trace], launch);
    rows.push({ ...r, trace });
  }
  return rows;
}

/**
 * Drops `files` together on the page of a fresh browser, waits for ready (or error), and returns
 * the time, the peak PSS of all the browser's processes meanwhile, and how long a click on the
 * help button took while the files were being read: to the frame painted after the page handled
 * it (`clickAnsweredMs`, Event Timing) and to the dialog through Playwright (`clickMs`).
 */
export async function measureDrop(
  url: string,
  files: string[],
  launch: { executablePath?: string; args: string[] },
): Promise<LoadRow & { clickMs: number; clickAnsweredMs: number }> {
  const server = await chromium.launchServer({ ...launch, headless: true });
  const pid = server.process().pid as number;
  const browser = await chromium.connect(server.wsEndpoint());
  try {
    const page = await browser.newPage({
      viewport: { width: 1600, height: 1000 },
      bypassCSP: true,
    });
    await page.goto(url);
    await page.evaluate(
      `document.querySelector('[data-testid=file-input]').addEventListener('change', () => performance.mark('bench:picked'), { capture: true });
       new MutationObserver(() => { const s = document.documentElement.dataset.state; if ((s === 'ready' || s === 'error') && !performance.getEntriesByName('bench:ready').length) performance.mark('bench:ready'); })
         .observe(document.documentElement, { attributes: true, attributeFilter: ['data-state'] });
       window.__clickAnswered = NaN;
       new PerformanceObserver((l) => { for (const e of l.getEntries()) if (e.name === 'click') window.__clickAnswered = e.duration; })
         .observe({ type: 'event', durationThreshold: 16 });`,
    );
    let peak = treePss(pid);
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        peak = Math.max(peak, treePss(pid));
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    await page.getByTestId('file-input').setInputFiles(files);
    // A click while the files are read: the page must answer it.
    let clickMs = NaN;
    const help = page.getByRole('button', { name: 'Keyboard and mouse controls' });
    if (await help.isVisible().catch(() => false)) {
      const t0 = Date.now();
      await help.click();
      await page.getByRole('dialog').waitFor();
      clickMs = Date.now() - t0;
      await page.keyboard.press('Escape');
    }
    await page.waitForFunction(
      `['ready', 'error'].includes(document.documentElement.dataset.state)`,
      null,
      { timeout: 600_000 },
    );
    // Memory settles a little after ready (the worker's buffers are given back).
    await new Promise((r) => setTimeout(r, 1000));
    const peakReady = peak;
    // Then the engine works on: the first answers the page asked for and its warm-up (spikes, the
    // analysis tables). The load is over when it has answered everything asked so far.
    const t0 = Date.now();
    await page.evaluate('window.goroscope.snapshot()');
    const settledAfterReadyS = (Date.now() - t0) / 1000;
    sampling = false;
    await sampler;
    const [t, pictureS, decodeS, previewS] = (await page.evaluate(
      `(() => {
         const at = (n) => performance.getEntriesByName(n)[0]?.startTime ?? NaN;
         const decoded = performance.getEntriesByType('mark').filter((m) => m.name.startsWith('goroscope:decoded:'));
         const worker = decoded.reduce((n, m) => n + (m.detail ? m.detail.decodeMs : 0), 0);
         const previews = decoded.reduce((n, m) => n + (m.detail?.previewMs ?? 0), 0);
         return [(at('bench:ready') - at('bench:picked')) / 1000, (at('goroscope:picture') - at('bench:picked')) / 1000, worker / 1000, previews / 1000];
       })()`,
    )) as [number, number, number, number];
    const state = (await page.evaluate('document.documentElement.dataset.state')) as string;
    const isolated = (await page.evaluate('crossOriginIsolated')) as boolean;
    const bytes = files.reduce((n, f) => n + statSync(f).size, 0);
    // The Event Timing duration of the click: from the input to the frame painted after it was
    // handled (clickMs adds Playwright's round trips to find, check and click the button).
    const clickAnsweredMs = (await page.evaluate('window.__clickAnswered')) as number;
    return {
      trace: files.join(','),
      bytes,
      readyS: t,
      pictureS,
      decodeS,
      previewS,
      peakPssBytes: peakReady,
      settledS: t + 1 + settledAfterReadyS,
      peakSettledBytes: peak,
      isolated,
      state,
      clickMs,
      clickAnsweredMs,
    };
  } finally {
    await browser.close();
    await server.close();
  }
}

/** Prints the rows with the goals. */
export function printLoadRows(rows: LoadRow[]): void {
  console.log('\nissue 18, a large trace dropped in the page (peak PSS of all browser processes):');
  for (const r of rows) {
    const mb = r.bytes / 1e6;
    const big = r.bytes > 500e6;
    const goalS = big ? 30 : 8;
    const goalBytes = big ? 3 * 2 ** 30 : 3 * r.bytes;
    const mib = (b: number) =>
      `${(b / 2 ** 20).toFixed(0)} MiB = ${(b / r.bytes).toFixed(2)}x the file`;
    console.log(
      `  ${basename(r.trace)} (${mb.toFixed(0)} MB, ${r.isolated ? 'cross-origin isolated: one model' : 'not isolated: the model twice'}): ` +
        `first picture of the lanes at ${r.pictureS.toFixed(2)} s (goal 1.5 s: ${r.pictureS <= 1.5 ? 'ok' : 'MISSED'}); ` +
        `${r.state} in ${r.readyS.toFixed(2)} s (of which decoding in the worker ${r.decodeS.toFixed(2)} s, its previews ${r.previewS.toFixed(2)} s) ` +
        `(goal ${goalS} s: ${r.readyS <= goalS ? 'ok' : 'MISSED'}), peak until then ${mib(r.peakPssBytes)}` +
        `\n    the engine's first answers and warm-up done at ${r.settledS.toFixed(2)} s, peak until then ${mib(r.peakSettledBytes)} ` +
        `(goal ${big ? '3 GiB' : '3x'}: ${r.peakSettledBytes <= goalBytes ? 'ok' : 'MISSED'})`,
    );
  }
}
