// The comparison rules of testdata/SUMMARY.md, written once for every decoder's corpus
// tests: counts equal; nanosecond values (keys ending in `Ns` and per-goroutine state times)
// within 1000 ns; top lists equal in names, values and order; informational keys ignored; an
// expected `error` requires an error (any wording). Returns the differences, empty when equal.

import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS_DIR } from './corpus';

const INFORMATIONAL = new Set(['events', 'eventsByKind', 'threadCount', 'warnings']);
/** Objects whose key sets are data (a missing or extra key is a difference). */
const MAPS = new Set(['functions', 'waitReasons', 'goroutines']);
export const NS_TOLERANCE = 1000;

export function compareSummary(
  expected: Record<string, unknown>,
  actual: Record<string, unknown>,
): string[] {
  const diffs: string[] = [];
  if (expected.error !== undefined) {
    if (typeof actual.error !== 'string' || actual.error.length === 0) {
      diffs.push(`expected an error (reference: ${JSON.stringify(expected.error)}), got none`);
    }
    // With `partial`, the reference read some events first; what the project shows of them is
    // checked by the format's own tests, not by equality here.
    return diffs;
  }
  if (actual.error !== undefined) diffs.push(`unexpected error: ${String(actual.error)}`);
  for (const [key, value] of Object.entries(expected)) {
    if (INFORMATIONAL.has(key)) continue;
    walk(key, value, actual[key], key, diffs);
  }
  return diffs;
}

const GOROUTINE_TIME_PATH = /^goroutines\.[^.]+\.(running|runnable|waiting|syscall)$/;

function walk(path: string, e: unknown, a: unknown, key: string, diffs: string[]): void {
  if (typeof e === 'number') {
    if (typeof a !== 'number') {
      diffs.push(`${path}: expected ${e}, got ${JSON.stringify(a)}`);
      return;
    }
    const ns = key.endsWith('Ns') || GOROUTINE_TIME_PATH.test(path);
    const ok = ns ? Math.abs(a - e) <= NS_TOLERANCE : a === e;
    if (!ok) diffs.push(`${path}: expected ${e}, got ${a}${ns ? ` (off by ${a - e} ns)` : ''}`);
    return;
  }
  if (Array.isArray(e)) {
    if (!Array.isArray(a)) {
      diffs.push(`${path}: expected an array, got ${JSON.stringify(a)}`);
      return;
    }
    if (a.length !== e.length) diffs.push(`${path}: expected ${e.length} items, got ${a.length}`);
    for (let i = 0; i < Math.min(a.length, e.length); i++)
      walk(`${path}[${i}]`, e[i], a[i], key, diffs);
    return;
  }
  if (e !== null && typeof e === 'object') {
    if (a === null || typeof a !== 'object' || Array.isArray(a)) {
      diffs.push(`${path}: expected an object, got ${JSON.stringify(a)}`);
      return;
    }
    const eo = e as Record<string, unknown>;
    const ao = a as Record<string, unknown>;
    if (MAPS.has(key)) {
      const extra = Object.keys(ao).filter((k) => !(k in eo));
      if (extra.length > 0) {
        const more = extra.length > 10 ? ` (+${extra.length - 10} more)` : '';
        diffs.push(`${path}: unexpected keys ${extra.slice(0, 10).join(', ')}${more}`);
      }
    }
    for (const [k, v] of Object.entries(eo)) {
      if (k in ao) walk(`${path}.${k}`, v, ao[k], k, diffs);
      else diffs.push(`${path}.${k}: missing`);
    }
    return;
  }
  if (e !== a) diffs.push(`${path}: expected ${JSON.stringify(e)}, got ${JSON.stringify(a)}`);
}

export { CORPUS_DIR } from './corpus';

/** Corpus data files (each with an `X.expected.json`) under the given corpus sub-folders. */
export function corpusFiles(...dirs: string[]): string[] {
  const out: string[] = [];
  const visit = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) visit(p);
      else if (!name.endsWith('.expected.json') && existsSync(`${p}.expected.json`)) out.push(p);
    }
  };
  for (const d of dirs) visit(join(CORPUS_DIR, d));
  return out;
}

export function expectedSummary(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(`${path}.expected.json`, 'utf8')) as Record<string, unknown>;
}
