// The `why` command as a user runs it: its JSON, exit status and usage errors (testdata/WHY.md).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORPUS_DIR, REPO_ROOT } from '../src/testing/corpus';

function why(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/why.ts', ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('npm run why', () => {
  it('charges a window of the go1.27 spike trace as the reference does', () => {
    const expected = JSON.parse(
      readFileSync(join(CORPUS_DIR, 'why/spike-go1.27.expected.json'), 'utf8'),
    ) as { blockedNs: number; causes: Array<{ goroutine: number; state: string; ns: number }> };
    const r = why(
      join(CORPUS_DIR, 'go-trace/spike/go1.27.trace'),
      '--from',
      '590000000',
      '--to',
      '830000000',
      '--reason',
      'sync',
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      spikes: Array<{
        reason: string;
        startNs: number;
        endNs: number;
        blockedNs: number;
        causes: Array<{ goroutine: number; state: string; ns: number; stack: string[] }>;
      }>;
    };
    expect(Object.keys(doc)).toEqual(['spikes']);
    expect(doc.spikes).toHaveLength(1);
    const s = doc.spikes[0]!;
    expect([s.reason, s.startNs, s.endNs]).toEqual(['sync', 590000000, 830000000]);
    expect(s.blockedNs).toBe(expected.blockedNs);
    expect(s.causes).toHaveLength(10);
    expect(s.causes.map((c) => [c.goroutine, c.state, c.ns])).toEqual(
      expected.causes.map((c) => [c.goroutine, c.state, c.ns]),
    );
    expect(s.causes[0]!.stack).toContain('main.refreshCache');
  });

  it('lists the ranked spikes with their causes', () => {
    const r = why(join(CORPUS_DIR, 'go-trace/spike/go1.26.trace'), '--causes', '1');
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      spikes: Array<{ reason: string; excessNs: number; causes: Array<{ stack: string[] }> }>;
    };
    expect(doc.spikes.length).toBeGreaterThan(1);
    expect(doc.spikes[0]!.reason).toBe('sync');
    expect(doc.spikes[0]!.excessNs).toBeGreaterThan(0);
    expect(doc.spikes[0]!.causes).toHaveLength(1);
    expect(doc.spikes[0]!.causes[0]!.stack).toContain('main.refreshCache');
  });

  it('exits 1 with what it could read when the trace is damaged, or with an error', () => {
    // The spike trace cut at 97%: the complete generation before the cut is charged.
    const bytes = readFileSync(join(CORPUS_DIR, 'go-trace/spike/go1.26.trace'));
    const dir = mkdtempSync(join(tmpdir(), 'why-'));
    const cutPath = join(dir, 'cut.trace');
    writeFileSync(cutPath, bytes.subarray(0, Math.floor(bytes.length * 0.97)));
    const cut = why(cutPath, '--causes', '1');
    expect(cut.status).toBe(1);
    const doc = JSON.parse(cut.stdout) as {
      error: string;
      spikes: Array<{ reason: string; causes: Array<{ stack: string[] }> }>;
    };
    expect(doc.error).toMatch(/^cut\.trace: .*truncated/);
    expect(doc.spikes.length).toBeGreaterThan(0);
    const broken = why(join(CORPUS_DIR, 'go-trace/bad/truncated-go1.26.trace'));
    expect(broken.status).toBe(1);
    expect(JSON.parse(broken.stdout)).toMatchObject({
      error: expect.stringMatching(/^truncated-go1\.26\.trace: /),
      spikes: [],
    });
    const missing = why(join(dir, 'no-such-file.trace'));
    expect(missing.status).toBe(1);
    expect(JSON.parse(missing.stdout)).toMatchObject({ spikes: [] });
  });

  it('exits 2 on bad usage, with a message and no stack trace', () => {
    for (const args of [
      [],
      ['a.trace', 'b.trace'],
      ['a.trace', '--from', '5'],
      ['a.trace', '--from', 'x', '--to', '9'],
      ['a.trace', '--bogus'],
    ]) {
      const r = why(...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^why: .+\nusage: npm run --silent why -- TRACE/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
