import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeGoTrace } from '../formats/gotrace/decode';
import { CORPUS_DIR, expectedSummary } from '../testing/summaryCompare';
import { activity, goroutineGroups, goroutineStats } from './traceLanes';

const path = join(CORPUS_DIR, 'combined/go1.27/trace.out');
const m = decodeGoTrace(new Uint8Array(readFileSync(path))).model;
const expected = expectedSummary(path) as {
  goroutines: Record<string, { running: number; waiting: number }>;
  goroutineCount: number;
  runningNsTotal: number;
};

describe('trace lanes', () => {
  it('groups every goroutine by start function, largest first', () => {
    const groups = goroutineGroups(m);
    const total = groups.reduce((n, g) => n + g.goroutines.length, 0);
    expect(total).toBe(expected.goroutineCount);
    for (let i = 1; i < groups.length; i++)
      expect(groups[i - 1]!.goroutines.length).toBeGreaterThanOrEqual(groups[i]!.goroutines.length);
    expect(groups.some((g) => g.name === 'net/http.(*conn).serve')).toBe(true);
  });

  it("totals per goroutine agree with Go's reader", () => {
    const s = goroutineStats(m);
    for (let g = 0; g < m.goroutines.length; g++) {
      const e = expected.goroutines[String(m.goroutines.id[g])];
      if (!e) continue;
      expect(Math.abs(s.runningNs[g]! - e.running)).toBeLessThanOrEqual(1000);
      expect(Math.abs(s.waitingNs[g]! - e.waiting)).toBeLessThanOrEqual(1000);
    }
  });

  it('activity integrates to the total running time', () => {
    const a = activity(m, 1000);
    let running = 0;
    for (let i = 0; i < a.buckets; i++) running += a.running[i]! * a.bucketNs;
    expect(Math.abs(running - expected.runningNsTotal) / expected.runningNsTotal).toBeLessThan(
      1e-6,
    );
  });
});
