// Hostile shapes of input, made here: 10 MB of spaces, of newlines and of a prefix that a sniffer
// or a grammar looks for, repeated. Every sniffer and decoder must answer in time linear in the
// input (issue 21: an unanchored dlv pattern took 3.5 s on 100k spaces and did not finish on
// 1 MB), and fail, when it fails, with a DecodeError. The 1 s bound is a bound on complexity, not
// a speed goal: a linear pass over 10 MB takes tens of milliseconds, a quadratic one minutes.

import { describe, expect, it } from 'vitest';
import { isDecodeError } from '../base/errors';
import { isBundle, unpackBundle } from './bundle';
import { decodeDlv } from './dlv/decode';
import { sniffDlv } from './dlv/sniff';
import { decodeGoTrace } from './gotrace/decode';
import { sniffGoTrace } from './gotrace/sniff';
import { gunzip, isGzip } from './gzip';
import { decodeFile, detectFormat } from './index';
import { decodePprof } from './pprof/decode';
import { sniffPprof } from './pprof/sniff';

const SIZE = 10 << 20;
const LIMIT_MS = 1000;
const enc = (s: string) => new Uint8Array(Array.from(s, (c) => c.charCodeAt(0)));

/** `head` once, then `unit` repeated up to SIZE bytes. */
function filled(unit: string, head = ''): Uint8Array {
  const out = new Uint8Array(SIZE);
  const h = enc(head);
  out.set(h);
  const u = enc(unit);
  out.set(u.subarray(0, SIZE - h.length), h.length);
  // Double the repeated part until it fills the buffer.
  for (let n = u.length; h.length + n < SIZE; n *= 2)
    out.copyWithin(h.length + n, h.length, h.length + n);
  return out;
}

const TRACE_V2 = 'go 1.22 trace\0\0\0';
const TRACE_V1 = 'go 1.19 trace\0\0\0';
const BUNDLE = 'GOROSCOPE-SESSION 1\n';
const TS = '2026-01-01T00:00:00.123456789Z ';

/** Inputs per decoder: spaces, newlines, and the prefixes it looks for, repeated. */
const SHAPES: Record<string, Array<[string, string]>> = {
  common: [
    [' ', ''],
    ['\n', ''],
    ['\r\n', ''],
  ],
  dlv: [
    ['> goroutine(', ''],
    ['>> goroutine(1):', ''],
    ['> goroutine(1):frame(', ''],
    [' ', '> goroutine(1): main.f('],
    [' ', `${TS}> goroutine(1): main.f() => (`],
    [' => (', '> goroutine(1): main.f()'],
    ['(', '> goroutine(1): main.f'],
    ['.(', '> goroutine(1): main'],
    ['[', '> goroutine(1): main.f'],
    ['"', '> goroutine(1): main.f('],
    ['\n', '> goroutine(1): main.f('],
    ['\t\t', '> goroutine(1): main.f()\n\tStack:\n'],
    [TS, ''],
    [TS.slice(0, 20), ''],
    ['9', `${TS.slice(0, 19)}.`],
    ['> (1) ', ''],
    ['\x1b[', ''],
    ['\x1b]', ''],
    ['\x1b[0', '\x1b['],
  ],
  trace: [
    ['go 1.', ''],
    [TRACE_V2, ''],
    [TRACE_V1, ''],
    [' ', TRACE_V2],
    ['\n', TRACE_V2],
    ['\xff', TRACE_V2],
    ['\x00', TRACE_V2],
    [' ', TRACE_V1],
    ['\n', TRACE_V1],
    ['\xff', TRACE_V1],
    ['\x00', TRACE_V1],
  ],
  pprof: [
    ['\x0a\x00', ''],
    ['\x0a', ''],
    ['\x12\x00', ''],
    ['\x0a\x02\x08\x01', ''],
    ['\xff', '\x0a'],
    ['\x80', '\x6a'],
  ],
  bundle: [
    [BUNDLE, ''],
    [' ', BUNDLE],
    ['\n', BUNDLE],
    ['{"files":[', BUNDLE],
  ],
  gzip: [
    ['\x1f\x8b', ''],
    [' ', '\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff'],
  ],
};

const all = Object.values(SHAPES).flat();

const DECODERS: Array<[string, (b: Uint8Array) => unknown, Array<[string, string]>]> = [
  ['decodeFile (dispatch)', (b) => decodeFile('hostile', b), all],
  ['detectFormat', detectFormat, all],
  ['sniffGoTrace', sniffGoTrace, all],
  ['sniffDlv', sniffDlv, all],
  ['sniffPprof', sniffPprof, all],
  ['isBundle', isBundle, all],
  ['isGzip', isGzip, all],
  ['decodeDlv', (b) => decodeDlv(b), [...SHAPES.common!, ...SHAPES.dlv!]],
  ['decodeGoTrace', (b) => decodeGoTrace(b), [...SHAPES.common!, ...SHAPES.trace!]],
  ['decodePprof', (b) => decodePprof(b), [...SHAPES.common!, ...SHAPES.pprof!]],
  ['unpackBundle', unpackBundle, [...SHAPES.common!, ...SHAPES.bundle!]],
  ['gunzip', (b) => gunzip(b), [...SHAPES.common!, ...SHAPES.gzip!]],
];

const label = (s: string) => JSON.stringify(s).slice(0, 40);

/** ms to run `run` on `bytes`; throws when it fails with anything but a DecodeError. */
function timed(name: string, run: (b: Uint8Array) => unknown, bytes: Uint8Array): number {
  const t0 = performance.now();
  try {
    run(bytes);
  } catch (e) {
    // Failing is fine; failing with an untyped error is not.
    if (!isDecodeError(e)) throw new Error(`${name}: ${e}`, { cause: e });
  }
  return performance.now() - t0;
}

describe('every sniffer and decoder is linear on 10 MB of hostile text', () => {
  for (const [name, run, shapes] of DECODERS) {
    it(name, () => {
      const slow: string[] = [];
      for (const [unit, head] of shapes) {
        const what = `${name} on ${label(head)} + ${label(unit)}…`;
        const ms = timed(what, run, filled(unit, head));
        if (ms <= LIMIT_MS) continue;
        // Over the bound: on a loaded machine a linear pass can be slow too. A quadratic one is
        // 16 times slower on 4 times the input, a linear one 4 times: check the growth, each
        // size timed three times and the fastest kept (a pause of the machine or of the garbage
        // collector lands in one run, not in all three).
        const best = (b: Uint8Array) => Math.min(...[0, 1, 2].map(() => timed(what, run, b)));
        const full = Math.min(ms, best(filled(unit, head)));
        if (full <= LIMIT_MS) continue;
        const quarter = best(filled(unit, head).subarray(0, SIZE / 4));
        // Allocation-heavy linear work grows faster than 4x under a loaded collector (up to ~10x
        // was seen): 12 sits between that and quadratic's 16.
        if (full > 12 * Math.max(quarter, 1))
          slow.push(`${what}: ${full.toFixed(0)} ms, ${quarter.toFixed(0)} ms on a quarter`);
      }
      expect(slow).toEqual([]);
    });
  }
});
