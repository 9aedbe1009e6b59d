import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { syncTree } from './syncTree';

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'sync-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return root;
}

describe('syncTree', () => {
  it('copies new and changed files, keeps the rest, deletes nothing', () => {
    const src = tree({ 'a.json': 'same', 'new/b.trace': 'B', 'c.md': 'v2' });
    const dst = tree({ 'a.json': 'same', 'c.md': 'v1', 'local.txt': 'mine' });
    const r = syncTree(src, dst);
    expect(r).toEqual({
      added: ['new/b.trace'],
      updated: ['c.md'],
      unchanged: 1,
      onlyInTarget: ['local.txt'],
    });
    expect(readFileSync(join(dst, 'new/b.trace'), 'utf8')).toBe('B');
    expect(readFileSync(join(dst, 'c.md'), 'utf8')).toBe('v2');
    expect(readFileSync(join(dst, 'local.txt'), 'utf8')).toBe('mine');
    // A second run finds nothing to do.
    expect(syncTree(src, dst)).toMatchObject({ added: [], updated: [], unchanged: 3 });
  });

  it('changes nothing on a dry run', () => {
    const src = tree({ 'x.txt': 'new' });
    const dst = tree({});
    expect(syncTree(src, dst, { dryRun: true }).added).toEqual(['x.txt']);
    expect(syncTree(src, dst).added).toEqual(['x.txt']);
  });
});
