// Every Go 1.11-1.21 execution trace of the shared corpus against its expected summary
// (testdata/SUMMARY.md), through the go-trace decoder and through the file dispatch the
// workers and `npm run summarize` use.

import { readFileSync } from 'node:fs';
import { basename, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../../base/errors';
import { summarizeOutcome } from '../../../model/summary';
import { summarizeTrace } from '../../../model/traceSummary';
import {
  CORPUS_DIR,
  NS_TOLERANCE,
  compareSummary,
  corpusFiles,
  expectedSummary,
} from '../../../testing/summaryCompare';
import { decodeFile } from '../../index';
import { decodeGoTrace, readHeader } from '../decode';
import { V1_VERSIONS } from '../spec';

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

/**
 * compareSummary, with one allowance. `runningNsTotal` is a sum of nanoseconds (of the
 * per-goroutine running times, each of which may differ by NS_TOLERANCE), but its key does not
 * end in "Ns", so compareSummary wants it exact. For v1 traces Go's own reader cannot give it
 * exactly: its merge starts from its map of Ps in Go's random map order, which decides how
 * events of equal time on different Ps are ordered, and each such tie moves an event by 1 ns.
 * On stress_1_11_good Go's reader (go1.26 internal/trace, the code golang.org/x/exp/trace
 * copies) returned 173451365, 173451366 and 173451367 over 20 runs of the same file; on
 * stress_1_21_good, four values. Here the difference may be at most NS_TOLERANCE.
 */
function compareV1(expected: Record<string, unknown>, actual: Record<string, unknown>): string[] {
  return compareSummary(expected, actual).filter((d) => {
    const m = /^runningNsTotal: expected (\d+), got (\d+)$/.exec(d);
    return m === null || Math.abs(Number(m[1]) - Number(m[2])) > NS_TOLERANCE;
  });
}

const v1Traces = corpusFiles('go-trace', 'combined').filter((p) => {
  const h = readHeader(readFileSync(p).subarray(0, 32));
  return h !== null && V1_VERSIONS.includes(h.minor);
});

describe('go 1.11-1.21 corpus traces (SUMMARY.md)', () => {
  it('finds them', () => {
    const names = v1Traces.map((p) => relative(CORPUS_DIR, p));
    expect(names).toContain('go-trace/spike/go1.19.trace');
    expect(names).toContain('go-trace/spike/go1.21.trace');
    expect(names).toContain('go-trace/bad/truncated-go1.19.trace');
    expect(names.filter((n) => n.includes('go-testdata-v1/')).length).toBeGreaterThanOrEqual(12);
  });

  for (const path of v1Traces) {
    it(relative(CORPUS_DIR, path), () => {
      const expected = expectedSummary(path);
      const actual = summarize(new Uint8Array(readFileSync(path)));
      expect(compareV1(expected, actual)).toEqual([]);
      if (expected.error !== undefined) {
        // The error names what failed and where.
        expect(String(actual.error)).toMatch(/at byte \d+/);
      } else {
        // The informational event counts of Go's reader match too.
        expect(actual.eventsByKind).toEqual(expected.eventsByKind);
      }
    });
  }
});

describe('go 1.11-1.21 corpus traces through decodeFile', () => {
  for (const path of v1Traces) {
    it(relative(CORPUS_DIR, path), () => {
      const outcome = decodeFile(basename(path), new Uint8Array(readFileSync(path)));
      expect(compareV1(expectedSummary(path), summarizeOutcome(outcome))).toEqual([]);
    });
  }
});
