// One-way folder sync for corpus:sync: copies files that are missing or differ in content from
// `source` into `target`, and reports what it did. Never deletes.

import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

export interface SyncReport {
  added: string[];
  updated: string[];
  unchanged: number;
  /** Files under `target` that `source` does not have (left in place). */
  onlyInTarget: string[];
}

function listFiles(root: string): string[] {
  const out: string[] = [];
  const visit = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) visit(p);
      else out.push(relative(root, p).split('\\').join('/'));
    }
  };
  if (existsSync(root)) visit(root);
  return out;
}

function sameContent(a: string, b: string): boolean {
  if (statSync(a).size !== statSync(b).size) return false;
  return readFileSync(a).equals(readFileSync(b));
}

export function syncTree(
  source: string,
  target: string,
  options: { dryRun?: boolean } = {},
): SyncReport {
  const report: SyncReport = { added: [], updated: [], unchanged: 0, onlyInTarget: [] };
  const sourceFiles = listFiles(source);
  const inSource = new Set(sourceFiles);
  for (const rel of sourceFiles) {
    const from = join(source, rel);
    const to = join(target, rel);
    if (!existsSync(to)) report.added.push(rel);
    else if (!sameContent(from, to)) report.updated.push(rel);
    else {
      report.unchanged++;
      continue;
    }
    if (!options.dryRun) {
      mkdirSync(dirname(to), { recursive: true });
      copyFileSync(from, to);
    }
  }
  for (const rel of listFiles(target)) if (!inSource.has(rel)) report.onlyInTarget.push(rel);
  return report;
}
