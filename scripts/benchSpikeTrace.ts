// The spike program's benchmark trace that `npm run bench:query` and `npm run bench:why` share,
// and the small helpers both need. The trace is the corpus spike program
// (testdata/programs/spike) built with Go 1.26 (GO=/path/to/go for another) and run with
// `-d DURATION -c CONCURRENCY`, recorded once into bench-data/spike-DURATION/ (with `-cN` after
// the duration when the concurrency is not 32), so that runs with other parameters never reuse
// or overwrite the default one.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { corpusPath } from '../src/testing/corpus';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const BENCH_DATA = join(ROOT, 'bench-data');

const GO_CANDIDATES = [
  process.env.GO,
  '/opt/go-toolchains/usr/lib/go-1.26/bin/go',
  '/usr/local/go/bin/go',
  'go',
].filter((g): g is string => typeof g === 'string' && g.length > 0);

/** The value after `name` on the command line, or `fallback`. */
export function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? (process.argv[i + 1] as string) : fallback;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  if (s.length === 0) return NaN;
  return s.length % 2 ? (s[h] as number) : ((s[h - 1] as number) + (s[h] as number)) / 2;
}

function findGo(): string | null {
  for (const g of GO_CANDIDATES) {
    if (spawnSync(g, ['version'], { encoding: 'utf8' }).status === 0) return g;
  }
  return null;
}

/** The trace of `spike -d duration -c concurrency`, recorded when missing (see the header). */
export function spikeTrace(duration = '3.9s', concurrency = '32'): string {
  if (!/^[0-9.]+(ns|us|µs|ms|s|m|h)$/.test(duration) || !/^[0-9]+$/.test(concurrency)) {
    throw new Error(`bad duration ${duration} or concurrency ${concurrency}`);
  }
  const name = `spike-${duration}${concurrency === '32' ? '' : `-c${concurrency}`}`;
  const dir = join(BENCH_DATA, name);
  const file = join(dir, 'trace.out');
  if (existsSync(file)) return file;
  const go = findGo();
  if (go === null) {
    throw new Error(`no ${file} and no Go toolchain to make one (set GO=/path/to/go)`);
  }
  mkdirSync(dir, { recursive: true });
  const bin = join(BENCH_DATA, 'spike');
  console.log(`building the spike program with ${go} ...`);
  const b = spawnSync(go, ['build', '-o', bin, '.'], {
    cwd: corpusPath('programs/spike'),
    stdio: 'inherit',
  });
  if (b.status !== 0) throw new Error('building the spike program failed');
  console.log(`recording: spike -d ${duration} -c ${concurrency} (in bench-data/${name}/) ...`);
  const r = spawnSync(bin, ['-d', duration, '-c', concurrency], { cwd: dir, stdio: 'inherit' });
  if (r.status !== 0 || !existsSync(file)) throw new Error('running the spike program failed');
  return file;
}
