// Every execution trace of the shared corpus against its expected summary (SUMMARY.md), and Go's
// golden reader tests (go-conformance/*.expect): SUCCESS files decode, FAILURE files are rejected
// with an error that matches Go's expected pattern.

import { existsSync, readFileSync } from 'node:fs';
import { basename, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../base/errors';
import { summarizeTrace } from '../../model/traceSummary';
import {
  CORPUS_DIR,
  compareSummary,
  corpusFiles,
  expectedSummary,
} from '../../testing/summaryCompare';
import { decodeGoTrace, readHeader } from './decode';
import { V1_VERSIONS } from './spec';

function summarize(bytes: Uint8Array): Record<string, unknown> {
  try {
    const { model, error } = decodeGoTrace(bytes);
    const s = summarizeTrace(model);
    if (error) s.error = error.message;
    return s;
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    return { error: e.message, kind: e.kind };
  }
}

const traces = corpusFiles('go-trace', 'combined').filter((p) => {
  const head = readFileSync(p).subarray(0, 32);
  // Everything in go-trace/ is meant as a trace (bad/ holds non-traces on purpose).
  return p.includes('/go-trace/') || readHeader(head) !== null;
});
const isV1 = (p: string): boolean => {
  const h = readHeader(readFileSync(p).subarray(0, 32));
  return h !== null && V1_VERSIONS.includes(h.minor);
};

describe('go-trace corpus summaries (SUMMARY.md)', () => {
  it('finds the corpus', () => expect(traces.length).toBeGreaterThanOrEqual(45));
  for (const path of traces.filter((p) => !isV1(p))) {
    it(relative(CORPUS_DIR, path), () => {
      const expected = expectedSummary(path);
      const actual = summarize(new Uint8Array(readFileSync(path)));
      expect(compareSummary(expected, actual)).toEqual([]);
      if (expected.error !== undefined) {
        // The error names what failed and where.
        expect(String(actual.error)).toMatch(/byte|version|format/);
        // With `partial`, Go read some events first: this decoder shows at least those, unless
        // nothing but Sync events came before the problem (then there is nothing to show).
        if (expected.partial === true && actual.events !== undefined) {
          expect(actual.partial).toBe(true);
          expect(actual.events as number).toBeGreaterThanOrEqual(expected.events as number);
        }
      }
    });
  }
});

// Go 1.11-1.21 traces (the v1 format) are compared in v1/corpus.test.ts.

describe("Go's golden reader tests (go-conformance/*.expect)", () => {
  const dir = `${CORPUS_DIR}/go-trace/go-conformance`;
  const cases = corpusFiles('go-trace/go-conformance').filter((p) =>
    existsSync(p.replace(/\.trace$/, '.expect')),
  );
  it('finds them', () => expect(cases.length).toBeGreaterThanOrEqual(20));
  for (const path of cases) {
    const expect_ = readFileSync(path.replace(/\.trace$/, '.expect'), 'utf8').trim();
    it(`${basename(path)}: ${expect_}`, () => {
      const bytes = new Uint8Array(readFileSync(path));
      if (expect_ === 'SUCCESS') {
        const { error } = decodeGoTrace(bytes);
        expect(error).toBeNull();
        return;
      }
      const m = /^FAILURE "(.*)"$/.exec(expect_);
      expect(m, `unexpected .expect content in ${dir}`).not.toBeNull();
      const pattern = new RegExp(m?.[1] ?? '');
      let message = '';
      try {
        message = decodeGoTrace(bytes).error?.message ?? '';
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toMatch(pattern);
    });
  }
});
