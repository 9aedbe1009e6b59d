import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCallTree, buildTopTable } from '../../analysis/flame';
import { traceIndexes } from '../../analysis/traceIndex';
import { rangeStacks, traceStackSet } from '../../analysis/traceStacks';
import { CORPUS_DIR } from '../../testing/summaryCompare';
import { decodeGoTrace } from '../gotrace/decode';
import { gunzip } from '../gzip';
import { decodePprof } from './decode';
import { encodeProfileGzip } from './encode';
import { topFunctions } from '../../model/profileSummary';

const m = decodeGoTrace(
  new Uint8Array(readFileSync(join(CORPUS_DIR, 'go-trace/spike/go1.26.trace'))),
).model;

describe('exporting a range as pprof', () => {
  // The cache-lock spike of the spike program, 600-760 ms.
  const set = traceStackSet(rangeStacks(traceIndexes(m)), 'blocked', 600e6, 760e6);

  it('writes what the project decoder reads back: same total, same top functions', () => {
    const bytes = encodeProfileGzip(set, {
      sampleType: ['delay', 'nanoseconds'],
      durationNanos: 160e6,
    });
    const p = decodePprof(gunzip(bytes));
    expect(p.sampleTypes).toEqual([{ type: 'delay', unit: 'nanoseconds' }]);
    let total = 0;
    for (let i = 0; i < set.sampleStacks.length; i++)
      if (set.sampleStacks[i]! >= 0) total += Math.round(set.weights[i]!);
    expect(Number(p.totals[0])).toBe(total);
    const table = buildTopTable(buildCallTree(set));
    const flat = Array.from(
      { length: table.length },
      (_, r) => [table.strings[table.func[r]!]!, Math.round(table.flat[r]!)] as const,
    )
      .filter(([, v]) => v > 0)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, 5);
    const top = topFunctions(p, 0, 5).flat.map((e) => [e.name, e.value]);
    // Rounding each sample's ns can move a top value by a few ns.
    expect(top.map((e) => e[0])).toEqual(flat.map((e) => e[0]));
    for (let k = 0; k < top.length; k++)
      expect(Math.abs((top[k]![1] as number) - flat[k]![1])).toBeLessThan(100);
  });

  it('opens in go tool pprof when Go is here', () => {
    const go = ['/opt/go-toolchains/usr/lib/go-1.26/bin/go'].find((g) => existsSync(g));
    if (!go) return; // CI has no Go; the decoder check above always runs.
    const dir = mkdtempSync(join(tmpdir(), 'goroscope-'));
    const file = join(dir, 'blocked.pb.gz');
    writeFileSync(file, encodeProfileGzip(set, { sampleType: ['delay', 'nanoseconds'] }));
    const r = spawnSync(go, ['tool', 'pprof', '-top', file], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/sync\.\(\*Mutex\)\.Lock/);
  });
});
