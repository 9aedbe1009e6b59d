// A fuzz-style loop over the corpus: seeded mutations of real files (bit flips, truncations,
// splices of other files, length fields inflated to huge varints, repeated chunks; gzip'd files
// also mutated inside and compressed again) through decodeFile, as the workers run it, for a
// bounded time. Nothing may escape as a throw, no case may take long (a hang, or work far beyond
// the input's size), and every failure must be a DecodeError with a message, never a decoder
// bug (a TypeError or RangeError turned into a message, kept as its `cause`). A decoded model
// must also summarize. Session bundles get the same treatment through unpackBundle.
//
// GOROSCOPE_FUZZ_SECONDS sets the time (default 20 s), GOROSCOPE_FUZZ_SEED replays a run; the
// seed is in every failure's message. Under CI the default seed is fixed, so that a run that
// lands is repeatable; elsewhere every run explores new cases.

import { readFileSync, statSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { isDecodeError } from '../base/errors';
import { seededRandom } from '../analysis/stackSetText';
import { summarizeOutcome } from '../model/summary';
import { corpusFiles } from '../testing/summaryCompare';
import { packBundle, unpackBundle } from './bundle';
import { decodeFile } from './index';

const SECONDS = Number(process.env.GOROSCOPE_FUZZ_SECONDS ?? 20);
const SEED = Number(process.env.GOROSCOPE_FUZZ_SEED ?? (process.env.CI ? 1 : Date.now() % 2 ** 31));
/** One case may take this long (the largest input is 256 KB: a linear decoder needs far less). */
const CASE_LIMIT_MS = 3000;
const MAX_INPUT = 256 << 10;

const corpus = corpusFiles('dlv', 'pprof', 'combined', 'go-trace')
  .filter((p) => statSync(p).size <= MAX_INPUT)
  .map((p) => {
    const bytes = new Uint8Array(readFileSync(p));
    return { name: p.split('/').pop()!, bytes, inflated: inflated(bytes) };
  });

/** What a gzip'd corpus file holds (null when it is not gzip'd, or is a damaged one). */
function inflated(b: Uint8Array): Uint8Array | null {
  if (b[0] !== 0x1f || b[1] !== 0x8b) return null;
  try {
    return new Uint8Array(gunzipSync(b));
  } catch {
    return null;
  }
}

type Rand = () => number;
const int = (r: Rand, n: number) => Math.floor(r() * n);

/** A varint encoding a huge length: what an inflated length field looks like. */
function hugeVarint(r: Rand): number[] {
  const big = [
    [0xff, 0xff, 0xff, 0xff, 0x0f],
    [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01],
    [0x80, 0x80, 0x80, 0x80, 0x08],
    [0xfe, 0xff, 0xff, 0x7f],
  ];
  return big[int(r, big.length)]!;
}

/** One mutation of `b` (a fresh array), and what it was, for the failure message. */
function mutate(b: Uint8Array, r: Rand): [Uint8Array, string] {
  if (b.length === 0) return [new Uint8Array([int(r, 256)]), 'one random byte'];
  const at = (n = b.length) => int(r, Math.max(1, n));
  switch (int(r, 6)) {
    case 0: {
      const out = b.slice();
      const flips = 1 + int(r, 8);
      for (let i = 0; i < flips && out.length; i++) out[at()]! ^= 1 << int(r, 8);
      return [out, `${flips} bit flips`];
    }
    case 1: {
      const n = at();
      return [b.slice(0, n), `truncated to ${n}`];
    }
    case 2: {
      const other = corpus[int(r, corpus.length)]!.bytes;
      const from = at(other.length);
      const len = 1 + int(r, Math.min(4096, other.length - from));
      const pos = at();
      const out = new Uint8Array(b.length + len);
      out.set(b.subarray(0, pos));
      out.set(other.subarray(from, from + len), pos);
      out.set(b.subarray(pos), pos + len);
      return [out, `spliced ${len} bytes at ${pos}`];
    }
    case 3: {
      const v = hugeVarint(r);
      const pos = at();
      const out = b.slice();
      out.set(v.slice(0, Math.max(0, out.length - pos)), pos);
      return [out, `length field inflated at ${pos}`];
    }
    case 4: {
      const from = at();
      const len = 1 + int(r, Math.min(64, b.length - from));
      const times = 1 + int(r, 2000);
      const chunk = b.subarray(from, from + len);
      const out = new Uint8Array(b.length + len * times);
      out.set(b.subarray(0, from + len));
      for (let i = 1; i <= times; i++) out.set(chunk, from + len * i);
      out.set(b.subarray(from + len), from + len * (times + 1));
      return [out, `${len} bytes at ${from} repeated ${times} times`];
    }
    default: {
      const out = b.slice();
      const pos = at();
      const n = 1 + int(r, 16);
      for (let i = 0; i < n && pos + i < out.length; i++) out[pos + i] = int(r, 256);
      return [out, `${n} random bytes at ${pos}`];
    }
  }
}

describe('fuzz', () => {
  it(
    `decodeFile on mutated corpus files for ${SECONDS} s (seed ${SEED})`,
    () => {
      expect(corpus.length).toBeGreaterThan(20);
      const r = seededRandom(SEED);
      const problems: string[] = [];
      const deadline = performance.now() + SECONDS * 1000;
      let cases = 0;
      while (performance.now() < deadline && problems.length < 10) {
        const file = corpus[int(r, corpus.length)]!;
        let [bytes, what] = mutate(file.bytes, r);
        if (r() < 0.3)
          [bytes, what] = mutate(bytes, r).map((x, i) => (i ? `${what}, ${x}` : x)) as [
            Uint8Array,
            string,
          ];
        // A gzip'd file: half the time mutate what is inside, so the mutation reaches the decoder.
        if (file.inflated && r() < 0.5) {
          const [inner, w] = mutate(file.inflated, r);
          bytes = new Uint8Array(gzipSync(inner));
          what = `inside the gzip: ${w}`;
        }
        const label = `seed ${SEED} case ${cases}: ${file.name}, ${what}`;
        const t0 = performance.now();
        let outcome;
        try {
          outcome = decodeFile(file.name, bytes);
          if (outcome.ok) summarizeOutcome(outcome);
        } catch (e) {
          problems.push(`${label}: threw ${String(e)}`);
          continue;
        }
        const ms = performance.now() - t0;
        if (ms > CASE_LIMIT_MS) problems.push(`${label}: took ${ms.toFixed(0)} ms`);
        if (!outcome.ok) {
          const e = outcome.error;
          if (!isDecodeError(e) || e.message.trim() === '')
            problems.push(`${label}: failed without a typed error`);
          else if (e.cause !== undefined)
            problems.push(`${label}: decoder bug: ${String(e.cause)}`);
        }
        cases++;
      }
      console.log(`fuzz: ${cases} cases in ${SECONDS} s, seed ${SEED}`);
      expect(problems).toEqual([]);
    },
    (SECONDS + 60) * 1000,
  );

  it(`unpackBundle on mutated bundles (seed ${SEED})`, async () => {
    const r = seededRandom(SEED ^ 0x5eed);
    const small = corpus.filter((f) => f.bytes.length < 16 << 10).slice(0, 6);
    const bundle = new Uint8Array(await packBundle('v=1,2&q=main', small).arrayBuffer());
    const problems: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const [bytes, what] = mutate(bundle, r);
      try {
        unpackBundle(bytes);
      } catch (e) {
        if (!isDecodeError(e) || e.message.trim() === '')
          problems.push(`seed ${SEED} case ${i}: ${what}: ${String(e)}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
