// Held-out traces from other programs (testdata/README.md) against summaries made by Go's reader.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { summarizeTrace } from '../../model/traceSummary';
import { compareSummary } from '../../testing/summaryCompare';
import { decodeGoTrace } from './decode';

const dir = join(import.meta.dirname, 'testdata');
const traces = readdirSync(dir).filter((f) => f.endsWith('.trace'));

describe('fixtures from Go test programs', () => {
  it('finds them', () => expect(traces.length).toBeGreaterThanOrEqual(5));
  for (const name of traces) {
    it(name, () => {
      const expected = JSON.parse(
        readFileSync(join(dir, `${name}.expected.json`), 'utf8'),
      ) as Record<string, unknown>;
      const { model, error } = decodeGoTrace(new Uint8Array(readFileSync(join(dir, name))));
      expect(error).toBeNull();
      const actual = summarizeTrace(model);
      expect(compareSummary(expected, actual)).toEqual([]);
      // Informational in SUMMARY.md, but Go's reader and this one agree exactly here.
      expect(actual.eventsByKind).toEqual(expected.eventsByKind);
      expect(actual.threadCount).toBe(expected.threadCount);
    });
  }
});
