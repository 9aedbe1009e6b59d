// Rules of ARCHITECTURE.md that ESLint does not check, checked on the sources.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = import.meta.dirname;

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== 'testdata') out.push(...sources(p));
    } else if (/\.tsx?$/.test(name) && !/\.test\.ts$/.test(name)) out.push(p);
  }
  return out;
}

describe('architecture', () => {
  it('keeps no cache at module level: caches belong to whoever owns the data (base/lru.ts)', () => {
    // An empty Map, Set or WeakMap made at the top of a module, to be filled as the page runs,
    // outlives every model it holds: a cache with no owner. (Constant lookup tables are made
    // with their entries.)
    const found: string[] = [];
    for (const file of sources(SRC)) {
      const lines = readFileSync(file, 'utf8').split('\n');
      lines.forEach((line, i) => {
        if (/^(export )?(const|let|var) \w+(: [^=]+)? = new (Weak)?(Map|Set)(<.*>)?\(\)/.test(line))
          found.push(`${relative(SRC, file)}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(found).toEqual([]);
  });
});
