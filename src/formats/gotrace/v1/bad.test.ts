// Damaged v1 input: truncation at every byte, seeded bit flips, random bytes behind a valid
// header, hostile lengths and orderings. The decoder may only return (possibly with an error) or
// throw DecodeError; never anything else, and always in bounded time.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../../base/errors';
import { CORPUS_DIR } from '../../../testing/summaryCompare';
import { decodeGoTrace } from '../decode';
import * as S from './spec';
import { V1Writer } from './testWriter';

const corpus = (p: string): Uint8Array => new Uint8Array(readFileSync(`${CORPUS_DIR}/${p}`));

/** Decodes, asserting the outcome is a model or a DecodeError; returns the error, if any. */
function attempt(bytes: Uint8Array): { error: string | null; events: number } {
  try {
    const { model, error } = decodeGoTrace(bytes);
    let events = 0;
    for (const n of Object.values(model.eventCounts)) events += n;
    if (error) expect(error).toBeInstanceOf(DecodeError);
    return { error: error?.message ?? null, events };
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    expect(e.message.length).toBeGreaterThan(0);
    return { error: e.message, events: 0 };
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

describe('truncation at every byte', () => {
  // [name, file, cut every `step` bytes]: every byte of one small trace, and a spread of cuts
  // in others (each decode that gets past the footer builds a model: ~15 ms on the CI VM).
  const cases: Array<[string, string, number]> = [
    [
      'go 1.11 (user_task_region_1_11)',
      'go-trace/go-testdata-v1/user_task_region_1_11_good.trace',
      4,
    ],
    [
      'go 1.19 (user_task_region_1_19)',
      'go-trace/go-testdata-v1/user_task_region_1_19_good.trace',
      4,
    ],
    [
      'go 1.21 (user_task_region_1_21)',
      'go-trace/go-testdata-v1/user_task_region_1_21_good.trace',
      1,
    ],
    [
      'go 1.21 (stress_start_stop_1_21)',
      'go-trace/go-testdata-v1/stress_start_stop_1_21_good.trace',
      9,
    ],
  ];
  for (const [name, path, step] of cases) {
    it(
      name,
      () => {
        const bytes = corpus(path);
        let errors = 0;
        let slowest = 0;
        for (let n = 0; n < bytes.length; n += step) {
          const t0 = performance.now();
          const r = attempt(bytes.subarray(0, n));
          slowest = Math.max(slowest, performance.now() - t0);
          if (r.error === null) continue;
          // Only a cut between two entries of the stack table at the very end goes unnoticed
          // (Go's parser reads such a file too); any other cut is an error that says where.
          errors++;
          expect(r.error).toMatch(/byte \d+|not a Go execution trace/);
        }
        expect(errors).toBeGreaterThan((bytes.length / step) * 0.6);
        expect(slowest).toBeLessThan(2000);
      },
      180_000,
    );
  }

  it("Go's own truncated go 1.19 trace: the error names the event and the offset", () => {
    const r = attempt(corpus('go-trace/bad/truncated-go1.19.trace'));
    expect(r.error).toMatch(/truncated/);
    expect(r.error).toMatch(/failed to read event \d+ \(GoSysCall\) argument/);
    expect(r.error).toMatch(/at byte \d+/);
  });

  it('a real go 1.21 trace cut at many places', () => {
    const bytes = corpus('go-trace/spike/go1.21.trace');
    for (let n = 16; n < bytes.length; n += 49999) {
      expect(attempt(bytes.subarray(0, n)).error).not.toBeNull();
    }
  });
});

describe('seeded bit flips', () => {
  const cases: Array<[string, string, number]> = [
    ['stress_start_stop_1_21', 'go-trace/go-testdata-v1/stress_start_stop_1_21_good.trace', 600],
    ['http_1_19', 'go-trace/go-testdata-v1/http_1_19_good.trace', 300],
    ['user_task_region_1_11', 'go-trace/go-testdata-v1/user_task_region_1_11_good.trace', 600],
    ['fmt_1_21_pprof', 'go-trace/go-testdata-v1/fmt_1_21_pprof_good.trace', 300],
    ['spike go1.21', 'go-trace/spike/go1.21.trace', 12],
  ];
  for (const [name, path, rounds] of cases) {
    it(name, () => {
      const original = corpus(path);
      const next = rng(0x5eed ^ original.length);
      let slowest = 0;
      let errors = 0;
      for (let i = 0; i < rounds; i++) {
        const bytes = original.slice();
        const flips = 1 + Math.floor(next() * 4);
        for (let k = 0; k < flips; k++) {
          // Leave the header alone so the flips reach the events.
          const at = 16 + Math.floor(next() * (bytes.length - 16));
          bytes[at] = (bytes[at] as number) ^ (1 << Math.floor(next() * 8));
        }
        const t0 = performance.now();
        if (attempt(bytes).error !== null) errors++;
        slowest = Math.max(slowest, performance.now() - t0);
      }
      expect(errors).toBeGreaterThan(0);
      expect(slowest).toBeLessThan(5000);
    });
  }
});

describe('garbage and hostile input behind a valid header', () => {
  it('random bytes', () => {
    const next = rng(42);
    for (let i = 0; i < 2000; i++) {
      const len = 16 + Math.floor(next() * 400);
      const bytes = new Uint8Array(len);
      bytes.set(new V1Writer([11, 19, 21][i % 3]).bytes());
      for (let k = 16; k < len; k++) bytes[k] = Math.floor(next() * 256);
      // Start like a batch half of the time, so more of it is read.
      if (next() < 0.5) {
        bytes[16] = S.EvBatch | (1 << 6);
        bytes[17] = 0;
      }
      const r = attempt(bytes);
      expect(r.error === null || r.error.length > 0).toBe(true);
    }
  });

  it('huge declared lengths are refused without allocating them', () => {
    const str = new V1Writer(21).batch(0, 1);
    str.out.push(S.EvString);
    str.uvarint(1).uvarint(2 ** 40);
    expect(attempt(str.bytes()).error).toMatch(/string has too large length/);
    const ev = new V1Writer(21).batch(0, 1);
    ev.out.push(S.EvGoCreate | (3 << 6));
    ev.uvarint(1e9);
    expect(attempt(ev.bytes()).error).toMatch(/length-prefixed argument too big/);
    const stk = new V1Writer(21).batch(0, 1).ev(S.EvStack, 5000, 1, 5000, 0);
    expect(attempt(stk.frequency(1e9).bytes()).error).toMatch(/wrong number of arguments|frames/);
  });

  it('many Ps whose events can never be ordered: an error, in bounded time', () => {
    // P 0 runs a long stream of events; 20000 other Ps each wait to start goroutine 5, which
    // never becomes runnable. Go's merge would look at every waiting P for every event.
    const w = new V1Writer(21).batch(0, 10).ev(S.EvProcStart, 0, 1).ev(S.EvGomaxprocs, 1, 1, 0);
    for (let i = 0; i < 200000; i++) w.ev(S.EvHeapAlloc, 1, i);
    for (let p = 1; p <= 20000; p++) w.batch(p, 5).ev(S.EvGoStartLocal, 1, 5);
    w.frequency(1e9);
    const t0 = performance.now();
    const r = attempt(w.bytes());
    expect(r.error).toMatch(/no consistent ordering/);
    expect(performance.now() - t0).toBeLessThan(20_000);
  });

  it('events before any batch, unknown types, a batch with the wrong argument count', () => {
    expect(attempt(new V1Writer(21).ev(S.EvGoEnd, 1).bytes()).error).toMatch(/no batches yet/);
    const unknown = new V1Writer(21).batch(0, 1);
    unknown.out.push(63);
    expect(attempt(unknown.bytes()).error).toMatch(/unknown event type 63/);
    // CPU samples do not exist before go 1.19.
    const cpu = new V1Writer(11).batch(0, 1).cpuSample(1, 0, 0, 0);
    expect(attempt(cpu.bytes()).error).toMatch(/unknown event type 49/);
    const batch = new V1Writer(21);
    batch.out.push(S.EvBatch, 0);
    expect(attempt(batch.bytes()).error).toMatch(/EvBatch has wrong number of arguments/);
  });
});
