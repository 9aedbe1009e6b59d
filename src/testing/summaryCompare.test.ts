import { describe, expect, it } from 'vitest';
import { compareSummary } from './summaryCompare';

describe('compareSummary (SUMMARY.md rules)', () => {
  const expected = {
    format: 'go-trace',
    durationNs: 1_000_000,
    goroutineCount: 2,
    events: 10,
    goroutines: { '1': { running: 500, transitions: 3 } },
    topFlat: [{ name: 'a', value: 2 }],
    waitReasons: { sync: 1 },
  };
  it('accepts equal summaries, ns within 1000, and ignores informational keys', () => {
    const actual = {
      ...expected,
      durationNs: 1_000_999,
      events: 99,
      goroutines: { '1': { running: 1499, transitions: 3 } },
      extra: true,
    };
    expect(compareSummary(expected, actual)).toEqual([]);
  });
  it('reports count, ns, order and key differences', () => {
    const actual = {
      ...expected,
      durationNs: 1_001_001,
      goroutineCount: 3,
      goroutines: { '1': { running: 500, transitions: 4 }, '2': { running: 0, transitions: 1 } },
      topFlat: [{ name: 'b', value: 2 }],
      waitReasons: {},
    };
    const diffs = compareSummary(expected, actual);
    expect(diffs).toEqual([
      'durationNs: expected 1000000, got 1001001 (off by 1001 ns)',
      'goroutineCount: expected 2, got 3',
      'goroutines: unexpected keys 2',
      'goroutines.1.transitions: expected 3, got 4',
      'topFlat[0].name: expected "a", got "b"',
      'waitReasons.sync: missing',
    ]);
  });
  it('requires an error where the reference had one, in any wording', () => {
    expect(compareSummary({ error: 'bad' }, { format: 'x' })).toHaveLength(1);
    expect(compareSummary({ error: 'bad' }, { error: 'something else' })).toEqual([]);
    expect(compareSummary({ format: 'x' }, { format: 'x', error: 'boom' })).toHaveLength(1);
  });
});
