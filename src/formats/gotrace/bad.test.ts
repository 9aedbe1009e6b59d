// Damaged input: truncation at every byte, seeded bit flips, random bytes behind a valid header.
// The decoder may only return (possibly with an error) or throw DecodeError; never anything
// else, and always in bounded time.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DecodeError, splitDetail } from '../../base/errors';
import { CORPUS_DIR } from '../../testing/summaryCompare';
import { decodeGoTrace } from './decode';
import * as S from './spec';
import { TraceWriter } from './testWriter';

const corpus = (p: string): Uint8Array => new Uint8Array(readFileSync(`${CORPUS_DIR}/${p}`));

/** Decodes, asserting the outcome is a model or a DecodeError; returns the error message, if any. */
function attempt(bytes: Uint8Array): { error: string | null; generations: number } {
  try {
    const { model, error } = decodeGoTrace(bytes);
    return { error: error?.message ?? null, generations: model.generations.length };
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    return { error: e.message, generations: 0 };
  }
}

/** Mulberry32: a small seeded PRNG so failures reproduce. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function small126(): Uint8Array {
  const w = new TraceWriter(26);
  for (let gen = 1; gen <= 3; gen++) {
    w.sync(gen, gen * 1000, 1e9, { dt: 1, mono: gen, sec: 1_700_000_000 + gen, nsec: 5 })
      .strings(gen, [
        [1, 'sleep'],
        [2, 'main.f'],
        [3, 'f.go'],
      ])
      .stacks(gen, [[1, [[0x10, 2, 3, 7]]]])
      .events(gen, 1, gen * 1000, [
        [S.EvProcStatus, 0, 0, S.ProcRunningStatus],
        [S.EvGoStatus, 0, 1, 1, S.GoRunningStatus],
        [S.EvGoBlock, 10, 1, 1],
        [S.EvGoUnblock, 10, 1, 1, 1],
        [S.EvGoStart, 1, 1, 2],
      ])
      .endOfGeneration();
  }
  return w.bytes();
}

describe('truncation at every byte', () => {
  const cases: Array<[string, Uint8Array]> = [
    ['go 1.22 (go122-annotations)', corpus('go-trace/go-conformance/go122-annotations.trace')],
    ['go 1.23 (go123-sync)', corpus('go-trace/go-conformance/go123-sync.trace')],
    ['go 1.25 (go125-sync)', corpus('go-trace/go-conformance/go125-sync.trace')],
    ['go 1.26 (synthetic, 3 generations)', small126()],
  ];
  for (const [name, bytes] of cases) {
    it(name, () => {
      for (let n = 0; n < bytes.length; n++) attempt(bytes.subarray(0, n));
    });
  }

  it('go 1.26: keeps every complete generation and says how much was lost', () => {
    const bytes = small126();
    const full = attempt(bytes);
    expect(full).toEqual({ error: null, generations: 3 });
    // Cut inside the third generation.
    const third = bytes.length - 20;
    const cut = attempt(bytes.subarray(0, third));
    expect(cut.generations).toBe(2);
    expect(cut.error).toMatch(/kept 2 complete generations/);
    expect(cut.error).toMatch(/bytes \([\d.]+%\) not decoded/);
  });

  it('a real go 1.26 trace cut at many places', () => {
    const bytes = corpus('combined/go1.27/trace.out');
    for (let n = 0; n < bytes.length; n += 97) attempt(bytes.subarray(0, n));
    // Past the first generation, cuts keep it.
    const r = attempt(bytes.subarray(0, bytes.length - 100));
    expect(r.generations).toBeGreaterThanOrEqual(1);
    expect(r.error).not.toBeNull();
  });
});

describe('seeded bit flips', () => {
  const cases: Array<[string, Uint8Array, number]> = [
    [
      'go122-annotations-stress',
      corpus('go-trace/go-conformance/go122-annotations-stress.trace'),
      1500,
    ],
    ['go122-gc-stress', corpus('go-trace/go-conformance/go122-gc-stress.trace'), 600],
    ['go125-sync', corpus('go-trace/go-conformance/go125-sync.trace'), 2000],
    ['combined go 1.26', corpus('combined/go1.27/trace.out'), 300],
  ];
  for (const [name, original, rounds] of cases) {
    it(name, () => {
      const next = rng(0x5eed ^ original.length);
      let slowest = 0;
      for (let i = 0; i < rounds; i++) {
        const bytes = original.slice();
        const flips = 1 + Math.floor(next() * 4);
        for (let k = 0; k < flips; k++) {
          // Leave the header alone half of the time so the flips reach the batches.
          const lo = next() < 0.5 ? 16 : 0;
          const at = lo + Math.floor(next() * (bytes.length - lo));
          bytes[at] = (bytes[at] as number) ^ (1 << Math.floor(next() * 8));
        }
        const t0 = performance.now();
        attempt(bytes);
        slowest = Math.max(slowest, performance.now() - t0);
      }
      expect(slowest).toBeLessThan(2000);
    });
  }
});

describe('garbage behind a valid header', () => {
  it('random bytes', () => {
    const next = rng(42);
    for (let i = 0; i < 500; i++) {
      const len = 16 + Math.floor(next() * 400);
      const bytes = new Uint8Array(len);
      bytes.set(new TextEncoder().encode('go 1.26 trace\0\0\0'));
      for (let k = 16; k < len; k++) bytes[k] = Math.floor(next() * 256);
      // Batches are more likely to parse if they start like one.
      if (next() < 0.5) bytes[16] = S.EvEventBatch;
      const r = attempt(bytes);
      expect(r.error === null || r.error.length > 0).toBe(true);
    }
  });

  it('many threads whose events can never be ordered: an error, in bounded time', () => {
    const w = new TraceWriter(22).sync(1, 0, 1e9);
    w.events(1, 1, 10, [
      [S.EvProcStatus, 0, 0, S.ProcRunningStatus],
      [S.EvGoStatus, 0, 1, 1, S.GoRunningStatus],
    ]);
    for (let m = 2; m < 20000; m++) {
      w.events(1, m, 100 + m, [
        [S.EvProcStatus, 0, m, S.ProcIdleStatus],
        [S.EvProcStart, 1, m, 1],
        [S.EvGoStart, 1, 5, 1], // goroutine 5 never becomes runnable
      ]);
    }
    const t0 = performance.now();
    expect(attempt(w.bytes()).error).toMatch(/broken trace/);
    expect(performance.now() - t0).toBeLessThan(10_000);
  });

  it('a huge declared batch size is refused without allocating it', () => {
    const w = new TraceWriter(26);
    w.out.push(S.EvEventBatch, 1, 1, 1, 0xff, 0xff, 0xff, 0xff, 0x0f); // size 2^32-1
    expect(attempt(w.bytes()).error).toMatch(/invalid batch size/);
  });
});

describe('messages in plain words, the detail on demand (issue 20)', () => {
  const message = (p: string) => attempt(corpus(p)).error ?? '';
  it('damage at the start: says nothing was kept, without a contradicting percentage up front', () => {
    const { text, detail } = splitDetail(message('go-trace/bad/fuzz-0cb1786dee0f090b.trace'));
    expect(text).toMatch(/^The file is damaged: nothing before the damage could be kept/);
    expect(text).toMatch(/Record the trace again/);
    expect(text).not.toMatch(/not decoded|%/);
    expect(detail).toMatch(/expected frequency or clock snapshot event, got 48/);
  });
  it('a future version: names every format read, the 1.11-1.21 ones too', () => {
    const { text } = splitDetail(message('go-trace/bad/future-version.trace'));
    expect(text).toMatch(/written by Go 1\.99, in a format newer than this viewer reads/);
    expect(text).toMatch(/Go 1\.11-1\.21 \(the older format\), 1\.22, 1\.23, 1\.25 and 1\.26/);
  });
  it('a truncated batch: says the file is truncated and what was kept', () => {
    const { text, detail } = splitDetail(message('go-trace/bad/truncated-go1.26.trace'));
    expect(text).toMatch(/^The file is truncated \(it ends early\)/);
    expect(detail).toMatch(/failed to read full batch/);
    // Cut in a later generation: the events before the cut are counted.
    const bytes = small126();
    const cut = splitDetail(attempt(bytes.subarray(0, bytes.length - 20)).error ?? '');
    expect(cut.text).toMatch(
      /^The file is truncated \(it ends early\): the [\d,]+ events before the cut were kept\./,
    );
    expect(cut.detail).toMatch(/kept 2 complete generations/);
  });
});
