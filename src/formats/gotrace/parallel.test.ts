// The parallel decoder must give exactly what decoding in order gives: every v2 trace of the
// corpus, and traces made with the test writer, decoded in runs of one generation each (the
// hardest case: every boundary is a run boundary) and compared column by column with the
// sequential decode.

import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TraceModel } from '../../model/trace';
import { TraceBuilder } from '../../model/traceBuilder';
import { seededRandom } from '../../analysis/stackSetText';
import { CORPUS_DIR, corpusFiles } from '../../testing/summaryCompare';
import { decodeGoTrace, readHeader } from './decode';
import {
  blockCache,
  bytesSource,
  generationSpans,
  scanGenerations,
  type ByteSource,
} from './chunks';
import { decodeInOrder, decodeRunsInline } from './parallel';
import * as S from './spec';
import { V2_VERSIONS } from './spec';
import { TraceWriter } from './testWriter';

/** The trace decoded in runs, or why not (a fallback the caller would take). */
export function decodeInRuns(bytes: Uint8Array, targetBytes = 1): TraceModel | string {
  const h = readHeader(bytes);
  if (h === null) return 'not a trace';
  const builder = new TraceBuilder({ maxIntervals: bytes.length });
  const r = decodeRunsInline(bytes, h.length, h.minor, builder, targetBytes);
  if (r === null) return 'decoded in order (one run, or a fault)';
  if ('failed' in r) return `runs not joined: ${r.failed}`;
  return builder.finish({
    version: `1.${h.minor}`,
    threadCount: r.joiner.state.threads.size,
    partial: false,
    lostBytes: 0,
    byteLength: bytes.length,
  });
}

/**
 * Where two models differ (a path such as `intervals.start[123]`), or null when they are equal.
 * Typed arrays are compared as bytes: `toEqual` walks millions of elements one by one through its
 * generic equality, which took a minute per spike trace on a loaded machine.
 */
export function modelDiff(a: unknown, b: unknown, path = 'model'): string | null {
  if (Object.is(a, b)) return null;
  if (ArrayBuffer.isView(a) || ArrayBuffer.isView(b)) {
    if (!ArrayBuffer.isView(a) || !ArrayBuffer.isView(b))
      return `${path}: one is not a typed array`;
    if (a.constructor !== b.constructor)
      return `${path}: ${a.constructor.name} vs ${b.constructor.name}`;
    const x = Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    const y = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
    if (x.equals(y)) return null;
    const n = Math.min(x.length, y.length);
    let i = 0;
    while (i < n && x[i] === y[i]) i++;
    const el = (a as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
    return `${path}: lengths ${a.byteLength / el} and ${b.byteLength / el}, first difference at [${Math.floor(i / el)}]`;
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null)
    return `${path}: ${String(a)} vs ${String(b)}`;
  if (a instanceof Map || b instanceof Map) {
    if (!(a instanceof Map) || !(b instanceof Map)) return `${path}: one is not a Map`;
    return modelDiff([...a.entries()], [...b.entries()], `${path}(entries)`);
  }
  if (Array.isArray(a) !== Array.isArray(b)) return `${path}: array vs object`;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length || ka.some((k) => !Object.prototype.hasOwnProperty.call(b, k)))
    return `${path}: keys ${ka.join(',')} vs ${kb.join(',')}`;
  for (const k of ka) {
    const d = modelDiff(
      (a as Record<string, unknown>)[k],
      (b as Record<string, unknown>)[k],
      `${path}.${k}`,
    );
    if (d !== null) return d;
  }
  return null;
}

const v2 = corpusFiles('go-trace', 'combined').filter((p) => {
  const h = readHeader(readFileSync(p).subarray(0, 32));
  return h !== null && V2_VERSIONS.includes(h.minor);
});

describe('decoding in runs of generations gives the sequential model', () => {
  for (const path of v2) {
    it(relative(CORPUS_DIR, path), () => {
      const bytes = new Uint8Array(readFileSync(path));
      let seq: TraceModel;
      try {
        const r = decodeGoTrace(bytes);
        if (r.error) return; // damaged: the parallel decoder leaves it to the sequential one
        seq = r.model;
      } catch {
        return;
      }
      const par = decodeInRuns(bytes);
      if (typeof par === 'string') {
        // Only a one-generation trace may stay in order.
        expect(par, path).toMatch(/one run/);
        expect(seq.generations.length).toBeLessThan(2);
        return;
      }
      expect(modelDiff(par, seq)).toBeNull();
    });
  }
});

/**
 * A source that reads into the caller's buffer when it is large enough, leaving what lies past
 * the bytes read as garbage (0xaa), so that a view kept of an earlier generation reads wrong.
 */
function reusingSource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    read: (start, end) => bytes.slice(start, end),
    readInto(start, end, scratch) {
      const n = Math.min(end, bytes.length) - start;
      if (n > scratch.length) return bytes.slice(start, end);
      scratch.fill(0xaa);
      scratch.set(bytes.subarray(start, start + n));
      return scratch.subarray(0, n);
    },
  };
}

describe('decoding in order a generation at a time gives the sequential model', () => {
  for (const path of v2) {
    it(relative(CORPUS_DIR, path), () => {
      const bytes = new Uint8Array(readFileSync(path));
      const h = readHeader(bytes);
      if (h === null) throw new Error('not a trace');
      let seq: TraceModel;
      try {
        const r = decodeGoTrace(bytes);
        if (r.error) return;
        seq = r.model;
      } catch {
        return;
      }
      const builder = new TraceBuilder({ maxIntervals: bytes.length });
      // Read as the worker reads a File: a block at a time (small here, so that generations and
      // the scanner's windows cross blocks), scanning as it decodes, each with its own block.
      const src = blockCache(bytesSource(bytes), 32 << 10);
      const spans = generationSpans(blockCache(bytesSource(bytes), 32 << 10), h.length, h.minor);
      const meta = (threadCount: number) => ({
        version: `1.${h.minor}`,
        threadCount,
        partial: false,
        lostBytes: 0,
        byteLength: bytes.length,
      });
      // A preview after every generation, as the worker takes them: the builder must not feel it.
      const previews: TraceModel[] = [];
      const r = decodeInOrder(src, spans, h.minor, builder, (_f, threads) => {
        previews.push(builder.snapshot(meta(threads)));
      });
      if ('failed' in r) throw new Error(r.failed);
      expect(modelDiff(builder.finish(meta(r.threadCount)), seq)).toBeNull();
      expect(previews.length).toBe(seq.generations.length);
      // Every generation read into one reused buffer, as the Node CLI reads a file: nothing
      // decoded may keep a view of a generation's bytes past its decode.
      const reused = new TraceBuilder({ maxIntervals: bytes.length });
      const scanned = scanGenerations(bytesSource(bytes), h.length, h.minor);
      const into = decodeInOrder(reusingSource(bytes), scanned, h.minor, reused);
      if ('failed' in into) throw new Error(into.failed);
      expect(modelDiff(reused.finish(meta(into.threadCount)), seq)).toBeNull();
      // Each preview is the model of its first generations (up to the Sync that ends a trace).
      const k = Math.floor((seq.generations.length - 1) / 2);
      const first = new TraceBuilder({ maxIntervals: bytes.length });
      const scan = scanGenerations(bytesSource(bytes), h.length, h.minor);
      const part = { generations: scan.generations.slice(0, k + 1), fault: null };
      const rk = decodeInOrder(bytesSource(bytes), part, h.minor, first);
      if ('failed' in rk) throw new Error(rk.failed);
      expect(previewDiff(previews[k]!, first.finish(meta(rk.threadCount)))).toBeNull();
    });
  }
});

/**
 * Where a preview differs from the model of the same generations decoded as a whole trace: that
 * one ends with a Sync 1 ns after its last event (syncAtLast), which counts an event and moves
 * the end of the trace, where procs still running close, by 1 ns.
 */
function previewDiff(preview: TraceModel, whole: TraceModel): string | null {
  const strip = (m: TraceModel) => ({
    ...m,
    durationNs: 0,
    eventCounts: {},
    procIntervals: { ...m.procIntervals, end: null },
  });
  const d = modelDiff(strip(preview), strip(whole));
  if (d !== null) return d;
  if (Math.abs(preview.durationNs - whole.durationNs) > 1) return 'durationNs';
  const a = preview.procIntervals.end;
  const b = whole.procIntervals.end;
  for (let i = 0; i < a.length; i++) {
    if (!(Math.abs((a[i] as number) - (b[i] as number)) <= 1)) return `procIntervals.end[${i}]`;
  }
  return null;
}

// Traces made with the test writer, two generations each: state that crosses the boundary.
const NONE = 2n ** 64n - 1n; // NoThread
function twoGenerations(
  secondStatusOfG1: number,
  regionEndName: number,
  secondStatusOfG3: number = S.GoRunnableStatus,
): Uint8Array {
  const w = new TraceWriter(26);
  const tables = (gen: number) =>
    w
      .sync(gen, gen * 1000, 1e9, { dt: 1, mono: gen, sec: 1_700_000_000 + gen, nsec: 5 })
      .strings(gen, [
        [2, 'main.f'],
        [3, 'f.go'],
        [11, 'task'],
        [12, 'region'],
        [13, 'sync'],
        [14, 'other'],
      ])
      .stacks(gen, [[1, [[0x10, 2, 3, 7]]]]);
  tables(1)
    .events(1, 1, 1000, [
      [S.EvProcStatus, 0, 0, S.ProcRunningStatus],
      [S.EvGoStatus, 0, 1, 1, S.GoRunningStatus],
      [S.EvUserTaskBegin, 1, 7, 0, 11, 1],
      [S.EvUserRegionBegin, 1, 7, 12, 1],
      [S.EvGCBegin, 1, 1, 1],
      [S.EvGoCreate, 1, 2, 1, 1],
      [S.EvGoCreate, 1, 3, 1, 1],
      [S.EvGoBlock, 1, 13, 1],
      [S.EvGoStart, 1, 2, 1],
    ])
    .endOfGeneration();
  tables(2)
    .events(2, 1, 2000, [
      [S.EvProcStatus, 0, 0, S.ProcRunningStatus],
      [S.EvGoStatus, 0, 2, 1, S.GoRunningStatus],
      [S.EvGoStatus, 0, 1, NONE, secondStatusOfG1],
      [S.EvGoStatus, 0, 3, NONE, secondStatusOfG3],
      [S.EvGCActive, 1, 2],
      [S.EvGoUnblock, 1, 1, 1, 1],
      [S.EvGoBlock, 1, 13, 1],
      [S.EvGoStart, 1, 1, 2],
      [S.EvUserRegionEnd, 1, 7, regionEndName, 1],
      [S.EvUserTaskEnd, 1, 7, 1],
      [S.EvGCEnd, 1, 3],
    ])
    .endOfGeneration();
  return w.bytes();
}

describe('modelDiff', () => {
  it('finds a difference in a typed array, a field or a Map, and none in equal models', () => {
    const m = () => ({ a: new Uint32Array([1, 2, 3]), s: ['x'], m: new Map([[1, 'y']]) });
    expect(modelDiff(m(), m())).toBeNull();
    const b = m();
    b.a[2] = 9;
    expect(modelDiff(m(), b)).toBe('model.a: lengths 3 and 3, first difference at [2]');
    const c = m();
    c.s[0] = 'z';
    expect(modelDiff(m(), c)).toBe('model.s.0: x vs z');
    const d = m();
    d.m.set(1, 'q');
    expect(modelDiff(m(), d)).not.toBeNull();
    expect(modelDiff(m(), { ...m(), a: new Int32Array([1, 2, 3]) })).toMatch(
      /Uint32Array vs Int32Array/,
    );
  });
});

describe('state across a generation boundary', () => {
  it('a waiting goroutine, an open region and task, and a GC in progress join exactly', () => {
    const bytes = twoGenerations(S.GoWaitingStatus, 12);
    const { model, error } = decodeGoTrace(bytes);
    expect(error).toBeNull();
    expect(model.regions.length).toBe(1); // begun in one generation, ended in the next
    expect(model.ranges.reports[0]).toBe(2); // GCBegin, then GCActive
    expect(modelDiff(decodeInRuns(bytes), model)).toBeNull();
  });

  it('a run whose goroutine changed status is not joined (Go reports the inconsistency)', () => {
    const bytes = twoGenerations(S.GoRunnableStatus, 12);
    expect(decodeGoTrace(bytes).error?.message).toMatch(/inconsistent status for goroutine 1/);
    // The run meets the damage itself here (its own ordering fails); either way it is not joined.
    expect(decodeInRuns(bytes)).toMatch(
      /runs not joined: (goroutine 1 changed status|a run met damage)/,
    );
    // A status that changes without hurting the run's own ordering: the join's check sees it.
    const quiet = twoGenerations(S.GoWaitingStatus, 12, S.GoWaitingStatus);
    expect(decodeGoTrace(quiet).error?.message).toMatch(/inconsistent status for goroutine 3/);
    expect(decodeInRuns(quiet)).toMatch(/runs not joined: goroutine 3 changed status/);
  });

  it('a region end that does not match the region open before the run is not joined', () => {
    const bytes = twoGenerations(S.GoWaitingStatus, 14);
    expect(decodeGoTrace(bytes).error?.message).toMatch(/misuse of region in goroutine 1/);
    expect(decodeInRuns(bytes)).toMatch(/runs not joined: a region end on goroutine 1/);
  });
});

describe('blockCache', () => {
  const bytes = new Uint8Array(100_000).map((_, i) => (i * 7919) % 251);
  function counted(): { src: ByteSource; calls: () => number } {
    let calls = 0;
    const inner = bytesSource(bytes);
    return {
      src: { size: inner.size, read: (a, b) => (calls++, inner.read(a, b).slice()) },
      calls: () => calls,
    };
  }

  it('gives the bytes asked for, wherever the reads fall', () => {
    const { src } = counted();
    const cached = blockCache(src, 4096);
    const rand = seededRandom(12345);
    for (let i = 0; i < 2000; i++) {
      const a = Math.floor(rand() * bytes.length);
      const b = Math.min(bytes.length, a + Math.floor(rand() * 10_000));
      expect(Buffer.from(cached.read(a, b)).equals(Buffer.from(bytes.subarray(a, b)))).toBe(true);
    }
  });

  it('reads a forward scan a block at a time; a read crossing a block is read on its own', () => {
    const { src, calls } = counted();
    const cached = blockCache(src, 4096);
    for (let pos = 0; pos + 64 <= bytes.length; pos += 100) cached.read(pos, pos + 64);
    // 25 blocks, and the reads that cross one of the 24 block ends.
    expect(calls()).toBeLessThanOrEqual(25 + 24);
    const before = calls();
    const held = cached.read(50_000, 50_010);
    cached.read(90_000, 90_010); // another block: the view held stays valid
    expect(Array.from(held)).toEqual(Array.from(bytes.subarray(50_000, 50_010)));
    expect(calls()).toBe(before + 2);
  });
});
