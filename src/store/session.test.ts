import { describe, expect, it } from 'vitest';
import { decodeFile } from '../formats/index';
import { LocalEngine } from '../engine/local';
import {
  blobOf,
  type DecodeJob,
  type DecodeResult,
  type DecodeSource,
  type OnProgress,
} from '../worker/client';
import { readHeader } from '../formats/gotrace/decode';
import { bytesSource, generationSpans } from '../formats/gotrace/chunks';
import { decodeInOrder } from '../formats/gotrace/parallel';
import { TraceBuilder } from '../model/traceBuilder';
import type { TraceModel } from '../model/trace';
import type { DecodedFile } from '../model/file';
import { fakeDecode } from '../testing/fakeDecode';
import { readFileSync } from 'node:fs';
import { corpusPath } from '../testing/corpus';
import { goroutineOfInterval } from '../model/lookup';
import { createSessionStore, pageState } from './session';

/**
 * Decodes on the spot with the real decoders and hands the file to the engine, as a decode worker
 * would. Records the jobs it started and whether each was cancelled.
 */
function decoder(engine: LocalEngine) {
  const jobs: Array<{ name: string; cancelled: boolean }> = [];
  const decode = (
    name: string,
    source: DecodeSource,
    _p: unknown,
    _inflate: unknown,
    fileId?: string,
  ): DecodeJob => {
    const blob = blobOf(source) ?? new Blob([]);
    const job = { name, cancelled: false };
    jobs.push(job);
    const result = blob.arrayBuffer().then((buf): DecodeResult => {
      if (job.cancelled) throw new DOMException('cancelled', 'AbortError');
      const o = decodeFile(name, new Uint8Array(buf));
      if (!o.ok)
        return {
          ok: false,
          format: o.format,
          error: { kind: o.error.kind, message: o.error.message },
        };
      if (fileId !== undefined) engine.addFile(fileId, o.file);
      return { ok: true, file: o.file };
    });
    return { result, cancel: () => (job.cancelled = true) };
  };
  return { decode, jobs };
}

const dlv = (text: string, name = 'x.log') => ({ name, blob: new Blob([text]) });
const settle = () => new Promise((r) => setTimeout(r, 30));

describe('session store', () => {
  it('goes empty -> loading -> ready and asks the engine for the shared axis', async () => {
    const engine = new LocalEngine();
    const store = createSessionStore({ engine, decode: decoder(engine).decode });
    expect(pageState(store.getState())).toBe('empty');
    store
      .getState()
      .addFiles([
        dlv(
          '2026-01-01T00:00:01Z > goroutine(1): main.a()\n2026-01-01T00:00:03Z >> goroutine(1): main.a => ()\n',
          'a.log',
        ),
        dlv('2026-01-01T00:00:00Z > goroutine(2): main.b()\n', 'b.log'),
      ]);
    expect(pageState(store.getState())).toBe('loading');
    await settle();
    await engine.idle();
    const s = store.getState();
    expect(pageState(s)).toBe('ready');
    expect(s.axis.durationNs).toBe(3e9);
    expect(s.axis.dlv.map((t) => t.offsetNs).sort()).toEqual([0, 1e9]);
    expect(s.view).toEqual({ startNs: 0, endNs: 3e9 });
  });

  it('reports error only when no file could be read', async () => {
    const engine = new LocalEngine();
    const store = createSessionStore({ engine, decode: decoder(engine).decode });
    store
      .getState()
      .addFiles([{ name: 'r.bin', blob: new Blob([new Uint8Array([1, 2, 3, 250])]) }]);
    await settle();
    await engine.idle();
    expect(pageState(store.getState())).toBe('error');
    expect(store.getState().files[0]?.error).toMatch(/r\.bin: unrecognized file/);
    store.getState().addFiles([dlv('> goroutine(1): main.a()\n')]);
    await settle();
    await engine.idle();
    expect(pageState(store.getState())).toBe('ready');
    store.getState().removeFile(store.getState().files[0]!.id);
    await engine.idle();
    expect(store.getState().files).toHaveLength(1);
    expect(store.getState().axis.sequential).toHaveLength(1);
  });

  it('removing a file that is still loading cancels its decode and the engine forgets it', async () => {
    const engine = new LocalEngine();
    const d = decoder(engine);
    const store = createSessionStore({ engine, decode: d.decode });
    store.getState().addFiles([dlv('> goroutine(1): main.a()\n', 'slow.log')]);
    const id = store.getState().files[0]!.id;
    store.getState().removeFile(id);
    await settle();
    await engine.idle();
    // The decode was stopped (before it started, or cancelled: the session's budget wrapper may
    // not have started it yet), so it never handed its file over; the store has no trace of it.
    expect(d.jobs.every((j) => j.cancelled)).toBe(true);
    expect(engine.engine.hasFile(id)).toBe(false);
    expect(store.getState().files).toHaveLength(0);
    expect(pageState(store.getState())).toBe('empty');
  });

  it('leaves out files past the session limits, and says which', async () => {
    const store = createSessionStore({
      engine: new LocalEngine(),
      decode: fakeDecode,
      limits: { files: 3, bytes: 2 ** 30 },
    });
    const log = '2026-01-01T00:00:00Z > goroutine(1): main.a()\n';
    store.getState().addFiles([dlv(log, 'a.log'), dlv(log, 'b.log')]);
    store.getState().addFiles([dlv(log, 'c.log'), dlv(log, 'd.log'), dlv(log, 'e.log')]);
    expect(store.getState().files.map((f) => f.name)).toEqual(['a.log', 'b.log', 'c.log']);
    expect(store.getState().sessionError).toBe(
      '2 files were left out (d.log, e.log): a session opens at most 3 files and 1 GiB in all. Close some files to open others.',
    );
    // Bytes count too: a file that would pass the budget is left out, smaller ones still fit.
    const half = createSessionStore({
      engine: new LocalEngine(),
      decode: fakeDecode,
      limits: { files: 10, bytes: 2 ** 20 + 10 },
    });
    half
      .getState()
      .addFiles([
        { name: 'big.log', blob: new Blob([new Uint8Array(2 ** 20)]) },
        { name: 'more.log', blob: new Blob([new Uint8Array(64)]) },
        dlv('x', 'tiny.log'),
      ]);
    expect(half.getState().files.map((f) => f.name)).toEqual(['big.log', 'tiny.log']);
    expect(half.getState().sessionError).toMatch(/^1 file was left out \(more\.log\)/);
    await settle();
  });

  it('turns the progress reports of one task into one store update, and drops those of gone files', async () => {
    // The decode pool re-tells every waiting file where it stands whenever a file finishes: with
    // hundreds of files, one store update (and render) per report kept a click waiting seconds.
    const reports: Array<(stage: string, fraction: number) => void> = [];
    const store = createSessionStore({
      engine: new LocalEngine(),
      decode: (_name, _source, onProgress) => {
        reports.push(onProgress);
        return { result: new Promise<DecodeResult>(() => {}), cancel() {} };
      },
    });
    const names = Array.from({ length: 200 }, (_, i) => `f${i}.log`);
    store.getState().addFiles(names.map((name) => ({ name, bytes: new Uint8Array([1]) })));
    await settle(); // the budget's grants are asynchronous
    expect(reports).toHaveLength(200);
    let updates = 0;
    const unsubscribe = store.subscribe(() => updates++);
    reports.forEach((report, i) => report(`queued, ${i} files ahead`, 0));
    expect(updates).toBe(0);
    await Promise.resolve();
    expect(updates).toBe(1);
    expect(store.getState().files[199]?.stage).toBe('queued, 199 files ahead');
    // Bundle entries keep their bytes (for a new bundle) and count toward the byte limit.
    expect(store.getState().files[0]?.bytes).toEqual(new Uint8Array([1]));
    expect(store.getState().files[0]?.size).toBe(1);
    // Reports of the same task for removed files change nothing.
    store.getState().clear();
    updates = 0;
    reports.forEach((report) => report('decoding', 0.5));
    await Promise.resolve();
    expect(updates).toBe(0);
    unsubscribe();
    // A large entry becomes a Blob at once: the page does not keep its bytes beside the Blob.
    store.getState().addFiles([{ name: 'big.log', bytes: new Uint8Array(1 << 20) }]);
    const big = store.getState().files[0];
    expect([big?.bytes, big?.blob?.size]).toEqual([null, 1 << 20]);
  });

  it('shows previews of a trace while it decodes, then its whole model, keeping the pick and the zoom', async () => {
    // A preview as the decode worker makes it: the builder's snapshot after some generations.
    // (the corpus trace with the most generations: three)
    const bytes = new Uint8Array(readFileSync(corpusPath('combined/go1.27/trace.out')));
    const h = readHeader(bytes)!;
    const builder = new TraceBuilder({ maxIntervals: bytes.length });
    const meta = (threadCount: number) => ({
      version: '1.27',
      threadCount,
      partial: false,
      lostBytes: 0,
      byteLength: bytes.length,
    });
    const previews: TraceModel[] = [];
    const spans = generationSpans(bytesSource(bytes), h.length, h.minor);
    const r = decodeInOrder(bytesSource(bytes), spans, h.minor, builder, (_f, threads) => {
      previews.push(builder.snapshot(meta(threads)));
    });
    if ('failed' in r) throw new Error(r.failed);
    const whole = builder.finish(meta(r.threadCount));
    const asFile = (model: TraceModel): DecodedFile => ({
      format: 'go-trace',
      gzip: false,
      model,
      nameMismatch: null,
      warnings: [],
      partialError: null,
    });
    expect(previews.length).toBe(3);
    const preview = previews[1]!;
    expect(preview.durationNs).toBeLessThan(whole.durationNs);

    const engine = new LocalEngine();
    let report: OnProgress = () => {};
    let done: (r: DecodeResult) => void = () => {};
    const store = createSessionStore({
      engine,
      decode: (_name, _source, onProgress) => {
        report = onProgress;
        return { result: new Promise<DecodeResult>((ok) => (done = ok)), cancel() {} };
      },
    });
    store.getState().addFiles([{ name: 'big.trace', blob: new Blob([bytes]) }]);
    await settle();
    const id = store.getState().files[0]!.id;
    engine.addFile(id, asFile(previews[0]!));
    report('decoding', 0.2, { file: asFile(previews[0]!), rev: 1 });
    await settle();
    engine.addFile(id, asFile(preview));
    report('decoding', 0.4, { file: asFile(preview), rev: 2 });
    await settle();
    let s = store.getState();
    expect([s.files[0]?.status, s.files[0]?.rev, s.files[0]?.progress]).toEqual([
      'loading',
      2,
      0.4,
    ]);
    expect(s.files[0]?.decoded?.model).toBe(preview);
    expect(s.axis.durationNs).toBe(preview.durationNs);
    expect(s.view).toEqual({ startNs: 0, endNs: preview.durationNs });
    // Pick a goroutine's second interval and zoom in, then the whole model arrives.
    // (a goroutine whose intervals sit further on in the whole model: earlier ones gained some)
    const at = (m: TraceModel, k: number) => m.goroutines.intervalStart[k]!;
    let g = 0;
    while (at(preview, g + 1) - at(preview, g) < 3 || at(preview, g) === at(whole, g)) {
      if (++g >= preview.goroutines.length) throw new Error('no goroutine to pick');
    }
    const iv = preview.goroutines.intervalStart[g]! + 1;
    s.select({ kind: 'interval', fileId: id, interval: iv });
    s.setView({ startNs: 0, endNs: preview.durationNs / 2 });
    engine.addFile(id, asFile(whole));
    done({ ok: true, file: asFile(whole), rev: 3 });
    await settle();
    s = store.getState();
    expect([s.files[0]?.status, s.files[0]?.rev]).toEqual(['ready', 3]);
    expect(s.axis.durationNs).toBe(whole.durationNs);
    expect(s.view).toEqual({ startNs: 0, endNs: preview.durationNs / 2 });
    // The same interval of the whole model: same goroutine, same start.
    const sel = s.selected as { interval: number };
    expect(sel.interval).not.toBe(iv); // intervals of later goroutines moved up
    expect(goroutineOfInterval(whole, sel.interval)).toBe(g);
    expect(whole.intervals.start[sel.interval]).toBe(preview.intervals.start[iv]);
  });

  it('jump: selects, asks for the lane to be revealed, pans to an interval off the view', async () => {
    const engine = new LocalEngine();
    const store = createSessionStore({ engine, decode: decoder(engine).decode });
    const bytes = readFileSync(corpusPath('combined/go1.27/trace.out'));
    store.getState().addFiles([{ name: 'trace.out', blob: new Blob([bytes]) }]);
    for (let i = 0; i < 200 && pageState(store.getState()) !== 'ready'; i++) await settle();
    await engine.idle();
    const s = store.getState();
    const f = s.files[0]!;
    if (f.decoded?.format !== 'go-trace') throw new Error('no trace');
    const m = f.decoded.model;
    // A view over the first tenth; an interval that starts in the last tenth.
    s.setView({ startNs: 0, endNs: m.durationNs / 10 });
    let iv = m.intervals.length - 1;
    while (
      m.intervals.start[iv]! < 0.9 * m.durationNs ||
      m.intervals.start[iv]! > 0.95 * m.durationNs
    )
      iv--;
    s.jump({ kind: 'interval', fileId: f.id, interval: iv });
    let after = store.getState();
    expect(after.selected).toEqual({ kind: 'interval', fileId: f.id, interval: iv });
    expect(after.reveal).toEqual({ goroutine: goroutineOfInterval(m, iv), seq: 1 });
    // Same zoom, now over the interval.
    expect(after.view!.endNs - after.view!.startNs).toBeCloseTo(m.durationNs / 10);
    expect(after.view!.startNs).toBeLessThanOrEqual(m.intervals.start[iv]!);
    expect(after.view!.endNs).toBeGreaterThan(m.intervals.start[iv]!);
    // Again: a new request (the timeline scrolls again), the view stays.
    const view = after.view;
    after.jump({ kind: 'interval', fileId: f.id, interval: iv });
    after = store.getState();
    expect(after.reveal?.seq).toBe(2);
    expect(after.view).toEqual(view);
    // Pins stay until a new filter or list.
    after.setLanes({ pinned: [67] });
    after.setLanes({ sort: 'running' });
    expect(store.getState().lanes.pinned).toEqual([67]);
    after.setLanes({ filter: 'serve' });
    expect(store.getState().lanes.pinned).toEqual([]);
  });
});

describe('Esc', () => {
  it('clears one thing per press in a fixed order: query, search, highlight, item, selection, zoom', () => {
    const store = createSessionStore({ engine: new LocalEngine() });
    const s = store.getState();
    s.setFlame({ search: 'lookup', func: 'main.lookup', mode: 'sandwich', zoom: ['a', 'b'] });
    s.select({ kind: 'interval', fileId: 'f1', interval: 3 });
    s.setSelection({ startNs: 10, endNs: 20 });
    s.setSearch({ query: 'region:lookup' });
    const steps: Array<string | null> = [];
    for (let i = 0; i < 8; i++) steps.push(store.getState().escape());
    expect(steps).toEqual([
      'query',
      'search',
      'highlight',
      'item',
      'selection',
      'zoom',
      'zoom',
      null,
    ]);
    expect(store.getState().search.query).toBe('');
    const after = store.getState();
    expect(after.flame).toMatchObject({ search: '', func: null, mode: 'flame', zoom: [] });
    expect(after.selected).toBeNull();
    expect(after.selection).toBeNull();
  });
  it('skips what is not there: with only a selection and a zoom, the selection goes first', () => {
    const store = createSessionStore({ engine: new LocalEngine() });
    store.getState().setFlame({ zoom: ['a'] });
    store.getState().setSelection({ startNs: 1, endNs: 2 });
    expect(store.getState().escape()).toBe('selection');
    expect(store.getState().flame.zoom).toEqual(['a']);
    expect(store.getState().escape()).toBe('zoom');
  });
});
