// `npm run analyze` as a command: its JSON document, its exit statuses, no stack traces.

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusPath, REPO_ROOT } from '../src/testing/corpus';

function analyze(...args: string[]): { status: number | null; out: string; err: string } {
  const r = spawnSync(
    join(REPO_ROOT, 'node_modules/.bin/tsx'),
    [join(REPO_ROOT, 'scripts/analyze.ts'), ...args],
    {
      encoding: 'utf8',
    },
  );
  return { status: r.status, out: r.stdout, err: r.stderr };
}

describe('npm run analyze', () => {
  it('prints the ANALYSIS.md document and exits 0', () => {
    const r = analyze(
      '--',
      corpusPath('go-trace/spike/go1.27.trace'),
      '--mmu-windows',
      '1000000,50000000',
    );
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.out) as Record<string, Array<Record<string, unknown>>>;
    expect(Object.keys(doc)).toEqual(['trace', 'goroutineGroups', 'tasks', 'regions', 'mmu']);
    expect(doc.goroutineGroups![0]).toEqual({
      startFunction: 'main.worker',
      count: 2,
      executionNs: 839735113,
    });
    expect(doc.mmu!.map((x) => x.windowNs)).toEqual([1000000, 50000000]);
    expect(doc.mmu![0]!.utilization).toBeCloseTo(0.390784, 6);
  }, 60_000);

  it('exits 2 on bad usage, 1 on a file that is not a trace or is damaged', () => {
    for (const args of [
      [],
      ['a.trace', 'b.trace'],
      ['x.trace', '--mmu-windows', '10,-1'],
      ['--frobnicate'],
    ]) {
      const r = analyze(...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.err).toMatch(/^analyze: .*\nusage: /);
      expect(r.out).toBe('');
    }
    const pprof = analyze(corpusPath('combined/go1.27/cpu.pprof'));
    expect(pprof.status).toBe(1);
    expect(JSON.parse(pprof.out)).toEqual({
      trace: 'cpu.pprof',
      error: 'cpu.pprof: not a Go execution trace (pprof)',
    });
    const cut = analyze(corpusPath('go-trace/bad/truncated-go1.19.trace'));
    expect(cut.status).toBe(1);
    const doc = JSON.parse(cut.out) as Record<string, unknown>;
    expect(typeof doc.error).toBe('string');
    expect(cut.err).not.toMatch(/\n\s+at /);
  }, 120_000);
});
