// Every corpus file through the real dispatch (sniff, gunzip, decode, summarize), exactly as
// `npm run summarize` and the workers run it, compared with its X.expected.json (SUMMARY.md).

import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { summarizeOutcome } from '../model/summary';
import { compareSummary, corpusFiles, expectedSummary } from '../testing/summaryCompare';
import { decodeFile, detectFormat } from './index';
import { sniffGoTrace } from './gotrace/sniff';

// Go 1.11-1.21 traces (the v1 format) are another issue: left out until their decoder lands.
const isV1 = (p: string) => {
  const minor = sniffGoTrace(new Uint8Array(readFileSync(p)).subarray(0, 16));
  return minor !== null && minor < 22;
};
const files = corpusFiles('dlv', 'pprof', 'combined', 'go-trace').filter((p) => !isV1(p));

describe('corpus through decodeFile', () => {
  it('finds the corpus', () => expect(files.length).toBeGreaterThan(25));
  for (const path of files) {
    it(path.split('/corpus/')[1] ?? path, () => {
      const outcome = decodeFile(basename(path), new Uint8Array(readFileSync(path)));
      expect(compareSummary(expectedSummary(path), summarizeOutcome(outcome))).toEqual([]);
    });
  }
});

describe('sniffing by content, not name', () => {
  it('names unrecognized files and never calls them a format', () => {
    const o = decodeFile(
      'random.bin',
      new Uint8Array(
        readFileSync(corpusFiles('go-trace/bad').find((p) => p.endsWith('random.bin'))!),
      ),
    );
    expect(o.ok).toBe(false);
    if (!o.ok) {
      expect(o.format).toBeNull();
      expect(o.error.message).toMatch(/^random\.bin: unrecognized file/);
    }
  });
  it('reads a dlv log whatever its name, and flags a name that promises a Go trace', () => {
    const path = corpusFiles('go-trace/bad').find((p) => p.endsWith('not-a-trace.trace'))!;
    const bytes = new Uint8Array(readFileSync(path));
    expect(detectFormat(bytes)).toBe('dlv-trace');
    const o = decodeFile('not-a-trace.trace', bytes);
    expect(o.ok && o.file.nameMismatch).toMatch(/not a Go execution trace|not one/);
    const s = summarizeOutcome(o);
    expect(s.calls).toBe(64);
    expect(s.error).toMatch(/bad file format/);
    const renamed = summarizeOutcome(decodeFile('dlv.log', bytes));
    expect(renamed.error).toBeUndefined();
  });
  it('tells a gzip-compressed profile from a damaged one', () => {
    const good = corpusFiles('pprof/other').find((p) => p.endsWith('sample.cpu.pb.gz'))!;
    expect(decodeFile('x', new Uint8Array(readFileSync(good))).ok).toBe(true);
    const cut = new Uint8Array(readFileSync(good)).subarray(0, 500);
    const o = decodeFile('x.pb.gz', cut);
    expect(o.ok).toBe(false);
    if (!o.ok) expect(o.error.message).toMatch(/truncated/);
  });
});
