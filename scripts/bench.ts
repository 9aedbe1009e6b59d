// `npm run bench`: the Go execution trace decoder on a large trace, against Go's own full parse.
//
// Makes (or reuses) bench-data/trace.out: the corpus spike program, built with Go 1.26, run with
// `-d 10s -c 32` (about 20 MB, 4-5M events in the 1.26 format). Then measures, each in its own
// child process so peak memory is per step:
//   summarize   decodeGoTrace + summarizeTrace (what `npm run summarize` does with a trace)
//   model       decodeGoTrace alone, as the worker builds the full model, plus the model's size
//   go          `go tool trace -pprof=sched FILE` (Go's full parse of the same file)
// and prints wall time, MB/s, events/s and peak RSS, with the ratios to Go.
//
// Options: --file PATH (another trace), --duration 10s, --concurrency 32, --runs N (best of N).
// Environment: GO=/path/to/go (default: the Go 1.26 of scripts/get-go.sh, else `go`).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { corpusPath } from '../src/testing/corpus';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DATA = join(ROOT, 'bench-data');
const SPIKE = corpusPath('programs/spike');
const GO_CANDIDATES = [
  process.env.GO,
  '/opt/go-toolchains/usr/lib/go-1.26/bin/go',
  '/usr/local/go/bin/go',
  'go',
].filter((g): g is string => typeof g === 'string' && g.length > 0);

interface StepResult {
  ms: number;
  maxRssKb: number;
  events?: number;
  modelBytes?: number;
  error?: string;
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? (process.argv[i + 1] as string) : fallback;
}

function findGo(): string | null {
  for (const g of GO_CANDIDATES) {
    const r = spawnSync(g, ['version'], { encoding: 'utf8' });
    if (r.status === 0) return g;
  }
  return null;
}

/** Builds the spike program and records a trace into bench-data/, unless one is there. */
function ensureTrace(go: string | null, duration: string, concurrency: string): string {
  const file = join(DATA, 'trace.out');
  if (existsSync(file)) return file;
  if (go === null) {
    throw new Error(
      `no ${file} and no Go toolchain to make one (set GO=/path/to/go, or run scripts/get-go.sh 1.26)`,
    );
  }
  mkdirSync(DATA, { recursive: true });
  const bin = join(DATA, 'spike');
  console.log(`building the spike program with ${go} ...`);
  const b = spawnSync(go, ['build', '-o', bin, '.'], { cwd: SPIKE, stdio: 'inherit' });
  if (b.status !== 0) throw new Error('building the spike program failed');
  console.log(`recording: spike -d ${duration} -c ${concurrency} (in bench-data/) ...`);
  const r = spawnSync(bin, ['-d', duration, '-c', concurrency], { cwd: DATA, stdio: 'inherit' });
  if (r.status !== 0 || !existsSync(file)) throw new Error('running the spike program failed');
  return file;
}

// ---------------------------------------------------------------- child: one measured step

async function child(mode: string, file: string): Promise<void> {
  const { decodeGoTrace } = await import('../src/formats/gotrace/decode');
  const { summarizeTrace } = await import('../src/model/traceSummary');
  const bytes = readFileSync(file); // a Buffer is a Uint8Array: no copy, as the worker has it
  const t0 = performance.now();
  const { model, error } = decodeGoTrace(bytes);
  let events = 0;
  for (const n of Object.values(model.eventCounts)) events += n;
  if (mode === 'summarize') summarizeTrace(model);
  const ms = performance.now() - t0;
  const result: StepResult = {
    ms,
    maxRssKb: process.resourceUsage().maxRSS,
    events,
    modelBytes: modelSize(model),
  };
  if (error) result.error = error.message;
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/** Bytes held by the model: its typed arrays, plus 2 bytes per character of its strings. */
function modelSize(model: object): number {
  let bytes = 0;
  const seen = new Set<object>();
  const visit = (v: unknown): void => {
    if (v === null || typeof v !== 'object' || seen.has(v)) {
      if (typeof v === 'string') bytes += 2 * v.length;
      return;
    }
    seen.add(v);
    if (ArrayBuffer.isView(v)) {
      bytes += v.byteLength;
      return;
    }
    for (const x of Array.isArray(v) ? v : Object.values(v)) visit(x);
  };
  visit(model);
  return bytes;
}

/**
 * The child runs this script bundled into plain JavaScript, as the browser worker runs a bundle:
 * loading TypeScript through tsx would add ~50 MiB to every measured process. Falls back to tsx
 * when esbuild (installed with tsx and vite) cannot be loaded.
 */
async function childCommand(): Promise<string[]> {
  const self = fileURLToPath(import.meta.url);
  try {
    const esbuild = await import('esbuild');
    // Under node_modules/.cache: out of git, and out of the linter's way.
    const dir = join(ROOT, 'node_modules/.cache/goroscope-bench');
    mkdirSync(dir, { recursive: true });
    const outfile = join(dir, 'bench-child.mjs');
    await esbuild.build({
      entryPoints: [self],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile,
      external: ['esbuild'],
      logLevel: 'error',
    });
    return [outfile];
  } catch (e) {
    console.log(`(esbuild unavailable, measuring through tsx: ${String(e)})`);
    return ['--import', 'tsx', self];
  }
}

function runChild(command: string[], mode: string, file: string): StepResult {
  const r = spawnSync(process.execPath, [...command, '--child', mode, file], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0) throw new Error(`${mode} step failed: ${r.stderr}`);
  const line = r.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as StepResult;
}

/** `go tool trace -pprof=sched FILE`, timed with /usr/bin/time when present. */
function runGo(go: string, file: string): StepResult | string {
  // Resolve the tool binary once so the measured run does not include building it.
  const n = spawnSync(go, ['tool', '-n', 'trace'], { encoding: 'utf8' });
  const tool = n.status === 0 ? n.stdout.trim() : '';
  const cmd = tool !== '' && existsSync(tool) ? [tool] : [go, 'tool', 'trace'];
  const args = [...cmd.slice(1), '-pprof=sched', file];
  if (existsSync('/usr/bin/time')) {
    const t0 = performance.now();
    const r = spawnSync('/usr/bin/time', ['-f', '%M', cmd[0] as string, ...args], {
      encoding: 'utf8',
      maxBuffer: 256 << 20,
    });
    const ms = performance.now() - t0;
    if (r.status !== 0) return `go tool trace failed: ${r.stderr.slice(-500)}`;
    const kb = Number(r.stderr.trim().split('\n').pop());
    return { ms, maxRssKb: Number.isFinite(kb) ? kb : NaN };
  }
  const t0 = performance.now();
  const r = spawnSync(cmd[0] as string, args, { encoding: 'utf8', maxBuffer: 256 << 20 });
  if (r.status !== 0) return `go tool trace failed: ${r.stderr.slice(-500)}`;
  return { ms: performance.now() - t0, maxRssKb: NaN };
}

function best(results: StepResult[]): StepResult {
  return results.reduce((a, b) => (b.ms < a.ms ? b : a));
}

async function main(): Promise<void> {
  const go = findGo();
  const file = resolve(
    arg('--file', '') || ensureTrace(go, arg('--duration', '10s'), arg('--concurrency', '32')),
  );
  const size = statSync(file).size;
  const runs = Math.max(1, Number(arg('--runs', '1')));
  const mb = size / 2 ** 20;
  console.log(`\ntrace: ${file} (${mb.toFixed(1)} MiB)`);

  const command = await childCommand();
  const steps: Array<[string, StepResult]> = [];
  for (const mode of ['summarize', 'model']) {
    const rs: StepResult[] = [];
    for (let i = 0; i < runs; i++) rs.push(runChild(command, mode, file));
    steps.push([mode, best(rs)]);
  }
  let goResult: StepResult | null = null;
  let goNote = '';
  if (go === null) {
    goNote = 'Go comparison skipped: no Go toolchain found (set GO=/path/to/go)';
  } else {
    const r = runGo(go, file);
    if (typeof r === 'string') goNote = `Go comparison skipped: ${r}`;
    else goResult = r;
  }

  const events = steps[0]?.[1].events ?? 0;
  const rows: string[][] = [
    ['step', 'wall', 'MB/s', 'Mevents/s', 'peak RSS', 'model size', 'vs go'],
  ];
  for (const [mode, r] of steps) {
    rows.push([
      mode,
      `${(r.ms / 1000).toFixed(2)} s`,
      (mb / (r.ms / 1000)).toFixed(1),
      ((r.events ?? 0) / 1e6 / (r.ms / 1000)).toFixed(2),
      `${(r.maxRssKb / 1024).toFixed(0)} MiB`,
      mode === 'model' ? `${((r.modelBytes ?? 0) / 2 ** 20).toFixed(0)} MiB` : '',
      goResult ? `${(r.ms / goResult.ms).toFixed(3)}x time` : '',
    ]);
  }
  if (goResult) {
    rows.push([
      'go tool trace -pprof=sched',
      `${(goResult.ms / 1000).toFixed(2)} s`,
      (mb / (goResult.ms / 1000)).toFixed(1),
      (events / 1e6 / (goResult.ms / 1000)).toFixed(2),
      `${(goResult.maxRssKb / 1024).toFixed(0)} MiB`,
      '',
      '1x',
    ]);
  }
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  for (const r of rows) console.log(r.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  '));
  console.log(`\nevents: ${events.toLocaleString('en-US')}`);
  if (goNote) console.log(goNote);

  const summarize = steps[0]?.[1];
  const model = steps[1]?.[1];
  console.log('\ngoals:');
  if (summarize && goResult) {
    const ratio = summarize.ms / goResult.ms;
    console.log(
      `  summarize time <= 0.2x go tool trace: ${ratio.toFixed(3)}x ${ratio <= 0.2 ? 'ok' : 'MISSED'}`,
    );
  }
  if (summarize) {
    const mib = summarize.maxRssKb / 1024;
    console.log(`  summarize peak < 400 MiB: ${mib.toFixed(0)} MiB ${mib < 400 ? 'ok' : 'MISSED'}`);
  }
  if (model?.modelBytes !== undefined) {
    const x = model.modelBytes / size;
    console.log(`  model <= 10x file size: ${x.toFixed(2)}x ${x <= 10 ? 'ok' : 'MISSED'}`);
  }
  for (const [mode, r] of steps) if (r.error) console.log(`  note: ${mode} reported: ${r.error}`);
}

if (process.argv[2] === '--child') {
  await child(process.argv[3] as string, process.argv[4] as string);
} else {
  await main();
}
