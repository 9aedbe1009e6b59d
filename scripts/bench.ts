// `npm run bench`: the Go execution-trace decoder against Go's own bare reader (issue 18), on
// the spike program's traces, each step in its own process so peak memory is per step:
//
//   go bare reader   Go's internal/trace Reader reading every event, nothing else
//                    (scripts/tracebench, built from the newest toolchain's GOROOT: scripts/lib/goReader.ts)
//   summarize        what `npm run summarize -- FILE` does with the trace
//   model            the full TraceModel, as the page's decode worker builds it
//   go tool trace    `go tool trace -pprof=sched FILE` (only with --go-tool: slow, and it needs
//                    several GB on large traces)
//
// and prints wall time, CPU time (user + sys: the machine is shared, so a ratio of CPU times is
// the steadier figure), peak RSS, and the ratios to the bare reader measured in the same run;
// then issue 18's goals. Each step's page faults (/usr/bin/time's minor faults: pages it touched
// first) are priced at what this machine charges for a first write to fresh memory, measured
// before the steps. With --columns, where the model's bytes go, per column and per event.
//
// Traces (bench-data/, recorded on first use with the corpus spike program):
//   issue   Go 1.26, -d 3.9s -c 32                    (the issue's ~17 MB trace)
//   180m    Go 1.27, -d 20s -c 32 -hold 400ms         (the issue's ~180 MB trace)
//   1g      Go 1.27, -d 120s -c 32 -hold 400ms        (the issue's ~1 GB trace)
// How large a recording gets depends on how fast the machine runs the program: on a loaded one,
// record longer (`--record-duration 180m=60s`) or pass any file with --trace PATH.
//
// Options: --traces issue,180m (default; add 1g), --trace PATH (repeatable), --runs N (best of N),
// --steps go,summarize,model, --columns, --go-tool, --workers N (also the parallel decoder: runs
// of generations on N worker threads; the default steps decode in order, a generation at a time).

import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, symlinkSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { corpusPath } from '../src/testing/corpus';
import { TOOLCHAINS, buildGoReader, newestGoroot, type GoReader } from './lib/goReader';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DATA = join(ROOT, 'bench-data');
const SPIKE = corpusPath('programs/spike');

interface Preset {
  go: string;
  args: string[];
  about: string;
}
const PRESETS: Record<string, Preset> = {
  issue: { go: '1.26', args: ['-d', '3.9s', '-c', '32'], about: '~17 MB' },
  '180m': { go: '1.27', args: ['-d', '20s', '-c', '32', '-hold', '400ms'], about: '~180 MB' },
  '1g': { go: '1.27', args: ['-d', '120s', '-c', '32', '-hold', '400ms'], about: '~1 GB' },
};

/** One measured process. */
export interface Measured {
  /** Wall time of the whole process, ms (spawn to exit). */
  ms: number;
  /** User + system CPU time, ms. */
  cpuMs: number;
  maxRssKb: number;
  /** Minor page faults: pages the OS had to map (and zero-fill) when the process first touched them. */
  minorFaults: number;
  /** What the step reported on its stdout (last JSON line), if anything. */
  out: Record<string, unknown>;
}

function args(name: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < process.argv.length - 1; i++) {
    if (process.argv[i] === name) out.push(process.argv[i + 1] as string);
  }
  return out;
}
function arg(name: string, fallback: string): string {
  return args(name).pop() ?? fallback;
}

/** Runs a command under /usr/bin/time; its last stdout line is parsed as JSON when it is. */
export function measure(cmd: string, argv: string[], cwd = ROOT): Measured {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '@@time %e %U %S %M %R', cmd, ...argv], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  const wall = performance.now() - t0;
  const stats = /@@time (\S+) (\S+) (\S+) (\d+) (\d+)/.exec(r.stderr);
  if (r.status !== 0 || !stats) {
    throw new Error(`${basename(cmd)} ${argv.join(' ')} failed: ${r.stderr.slice(-2000)}`);
  }
  let out: Record<string, unknown> = {};
  const last = r.stdout.trim().split('\n').pop() ?? '';
  if (last.startsWith('{')) out = JSON.parse(last) as Record<string, unknown>;
  return {
    ms: wall,
    cpuMs: (Number(stats[2]) + Number(stats[3])) * 1000,
    maxRssKb: Number(stats[4]),
    minorFaults: Number(stats[5]),
    out,
  };
}

/**
 * What this machine charges for memory: milliseconds per MiB for the first write to freshly
 * allocated pages (each one a page fault that the OS, and under a hypervisor the host too, must
 * back with zeroed memory) and for writing the same pages again. Run in a child process of its
 * own, as the steps are. On the 2-core VM these benchmarks were written on, the first write cost
 * about 55x the second (2.9 against 0.05 ms/MiB), so every byte a decoder keeps is paid for once
 * in page faults.
 */
function freshMemoryCost(): { firstMsPerMiB: number; againMsPerMiB: number } {
  const code = `const n = 64 << 20; const a = new Uint8Array(n);
    let t = performance.now(); a.fill(1); const first = performance.now() - t;
    t = performance.now(); a.fill(2); const again = performance.now() - t;
    console.log(JSON.stringify({ first: first / 64, again: again / 64 }));`;
  const r = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8' });
  try {
    const out = JSON.parse(r.stdout.trim()) as { first?: number; again?: number };
    return { firstMsPerMiB: out.first ?? NaN, againMsPerMiB: out.again ?? NaN };
  } catch {
    return { firstMsPerMiB: NaN, againMsPerMiB: NaN };
  }
}

function goBin(version: string): string {
  const go = join(TOOLCHAINS, `go-${version}`, 'bin/go');
  if (!existsSync(go)) {
    throw new Error(`no Go ${version} at ${go}: run scripts/get-go.sh ${version}`);
  }
  return go;
}

/** The preset's trace in bench-data/, recorded with the spike program when missing. */
function presetTrace(name: string): string {
  const p = PRESETS[name];
  if (!p) throw new Error(`unknown trace preset ${name} (${Object.keys(PRESETS).join(', ')})`);
  const file = join(DATA, `spike-${name}.trace`);
  if (existsSync(file)) return file;
  const go = goBin(p.go);
  const dir = join(DATA, `spike-${name}-run`);
  mkdirSync(dir, { recursive: true });
  const bin = join(DATA, `spike-go${p.go}`);
  if (!existsSync(bin)) {
    console.log(`building the spike program with Go ${p.go} ...`);
    const b = spawnSync(go, ['build', '-o', bin, '.'], {
      cwd: SPIKE,
      stdio: 'inherit',
      env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '', GOPROXY: 'off' },
    });
    if (b.status !== 0) throw new Error('building the spike program failed');
  }
  const argv = [...p.args];
  for (const o of args('--record-duration')) {
    const [k, v] = o.split('=');
    if (k === name && v) argv[1] = v;
  }
  console.log(`recording ${name} (${p.about}): spike ${argv.join(' ')} with Go ${p.go} ...`);
  const r = spawnSync(bin, argv, { cwd: dir, stdio: 'inherit' });
  if (r.status !== 0 || !existsSync(join(dir, 'trace.out'))) {
    throw new Error('running the spike program failed');
  }
  renameSync(join(dir, 'trace.out'), file);
  // The other benchmarks (bench:ui, bench:range) read bench-data/trace.out: the issue-sized one.
  if (name === 'issue' && !existsSync(join(DATA, 'trace.out'))) {
    symlinkSync(file, join(DATA, 'trace.out'));
  }
  return file;
}

// ---------------------------------------------------------------- child: one measured step

async function child(mode: string, file: string): Promise<void> {
  const t0 = performance.now();
  // In order, a generation at a time, as summarize and the page's worker decode (0), or in runs
  // on that many worker threads (the parallel decoder's step).
  const workers = Number(process.env.BENCH_WORKERS ?? 0);
  if (mode === 'summarize') {
    // What `npm run summarize -- FILE` does with one trace.
    const { summarizeTraceFile } = await import('./lib/summarizeTrace');
    const s = await summarizeTraceFile(file, { workers });
    process.stdout.write(
      `${JSON.stringify({ ms: performance.now() - t0, events: s?.events, error: s?.error, how: s?.how })}\n`,
    );
    return;
  }
  // The full model, decoded as the page's decoder does (in runs, by workers).
  const { decodeTraceModelFile } = await import('./lib/summarizeTrace');
  const { modelColumns } = await import('../src/model/size');
  const r = await decodeTraceModelFile(file, { workers });
  if (r === null) throw new Error(`${file} is not a Go 1.22+ execution trace`);
  const ms = performance.now() - t0;
  let events = 0;
  for (const n of Object.values(r.model.eventCounts)) events += n;
  const columns = modelColumns(r.model);
  process.stdout.write(
    `${JSON.stringify({ ms, events, version: r.model.version, error: r.error, how: r.how, columns })}\n`,
  );
}

/**
 * The child runs this script bundled into plain JavaScript, as the browser worker runs a bundle:
 * loading TypeScript through tsx would add ~50 MiB to every measured process.
 */
async function childCommand(): Promise<string[]> {
  const { bundleScript } = await import('./lib/bundle');
  // The decode workers' bundle too, so the measured process does not build it.
  process.env.GOROSCOPE_DECODE_WORKER = await bundleScript(
    fileURLToPath(new URL('./lib/decodeWorker.ts', import.meta.url)),
  );
  return [await bundleScript(fileURLToPath(import.meta.url))];
}

// ---------------------------------------------------------------- report

const mib = (kb: number): string => `${(kb / 1024).toFixed(0)} MiB`;
const sec = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const x = (a: number, b: number): string => `${(a / b).toFixed(2)}x`;

function table(rows: string[][]): void {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  for (const r of rows)
    console.log(`  ${r.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  ')}`);
}

function best(ms: Measured[]): Measured {
  return ms.reduce((a, b) => (b.ms < a.ms ? b : a));
}

interface Column {
  name: string;
  bytes: number;
  rows: number;
}

function printColumns(columns: Column[], events: number, fileBytes: number): void {
  const total = columns.reduce((s, c) => s + c.bytes, 0);
  console.log(
    `  model: ${(total / 2 ** 20).toFixed(1)} MiB = ${(total / events).toFixed(2)} bytes per event, ${x(total, fileBytes)} the file; the largest columns:`,
  );
  const rows: string[][] = [['column', 'rows', 'bytes/row', 'MiB', 'bytes/event', 'share']];
  for (const c of [...columns].sort((a, b) => b.bytes - a.bytes).slice(0, 24)) {
    rows.push([
      c.name,
      c.rows.toLocaleString('en-US'),
      c.rows > 0 ? (c.bytes / c.rows).toFixed(1) : '',
      (c.bytes / 2 ** 20).toFixed(1),
      (c.bytes / events).toFixed(2),
      `${((100 * c.bytes) / total).toFixed(1)}%`,
    ]);
  }
  table(rows);
}

async function benchTrace(
  file: string,
  reader: GoReader | null,
  command: string[],
  runs: number,
  steps: Set<string>,
  memory: { firstMsPerMiB: number; againMsPerMiB: number },
): Promise<void> {
  const size = statSync(file).size;
  const rep = (f: () => Measured): Measured => {
    const rs: Measured[] = [];
    for (let i = 0; i < runs; i++) rs.push(f());
    return best(rs);
  };
  const results: Array<[string, Measured]> = [];
  let bare: Measured | null = null;
  if (reader && steps.has('go')) {
    bare = rep(() => measure(reader.bin, [file]));
    results.push([`Go bare reader (${reader.version})`, bare]);
  }
  let summarize: Measured | null = null;
  if (steps.has('summarize')) {
    summarize = rep(() => measure(process.execPath, [...command, '--child', 'summarize', file]));
    results.push(['summarize', summarize]);
  }
  let model: Measured | null = null;
  if (steps.has('model')) {
    model = rep(() => measure(process.execPath, [...command, '--child', 'model', file]));
    results.push(['model (the worker)', model]);
  }
  const workers = Number(arg('--workers', '0'));
  if (workers > 0) {
    process.env.BENCH_WORKERS = String(workers);
    for (const mode of ['summarize', 'model']) {
      if (!steps.has(mode)) continue;
      const r = rep(() => measure(process.execPath, [...command, '--child', mode, file]));
      results.push([`${mode}, ${workers} workers`, r]);
    }
    delete process.env.BENCH_WORKERS;
  }
  if (process.argv.includes('--go-tool')) {
    const go = join(dirname(dirname(reader?.bin ?? '')), 'bin/go');
    const tool = spawnSync(existsSync(go) ? go : 'go', ['tool', '-n', 'trace'], {
      encoding: 'utf8',
    }).stdout.trim();
    if (tool) results.push(['go tool trace -pprof=sched', measure(tool, ['-pprof=sched', file])]);
  }
  const events = Number(bare?.out.events ?? model?.out.events ?? summarize?.out.events ?? 0);
  console.log(
    `\ntrace: ${file} (${(size / 1e6).toFixed(1)} MB, ${events.toLocaleString('en-US')} events${model?.out.version ? `, go ${String(model.out.version)} format` : ''})`,
  );
  const rows: string[][] = [
    ['step', 'wall', 'vs bare', 'CPU', 'vs bare', 'peak RSS', 'vs bare', 'RSS / file', 'MB/s'],
  ];
  for (const [name, r] of results) {
    rows.push([
      name,
      sec(r.ms),
      bare ? x(r.ms, bare.ms) : '',
      sec(r.cpuMs),
      bare ? x(r.cpuMs, bare.cpuMs) : '',
      mib(r.maxRssKb),
      bare ? x(r.maxRssKb, bare.maxRssKb) : '',
      x(r.maxRssKb * 1024, size),
      (size / 1e6 / (r.ms / 1000)).toFixed(1),
    ]);
  }
  table(rows);
  for (const [name, r] of results) {
    if (r.out.how) console.log(`  ${name}: decoded ${String(r.out.how)}`);
    if (r.out.error) console.log(`  note: ${name} reported: ${String(r.out.error)}`);
  }
  // Page faults (4 KiB pages; the process's own start counts too, about 2k for node), priced at
  // the probe's first-write cost: an estimate of the time a step spent being handed fresh memory,
  // little of which Go's bare reader (it keeps nothing) pays.
  for (const [name, r] of results) {
    const mibTouched = (r.minorFaults * 4096) / 2 ** 20;
    const priced = Number.isFinite(memory.firstMsPerMiB)
      ? ` ≈ ${sec(mibTouched * memory.firstMsPerMiB)} at this machine's cost`
      : '';
    console.log(
      `  ${name}: ${r.minorFaults.toLocaleString('en-US')} page faults (${mibTouched.toFixed(0)} MiB first touched)${priced}`,
    );
  }
  if (bare && summarize) {
    const t = summarize.ms / bare.ms;
    const m = (summarize.maxRssKb * 1024) / size;
    console.log(
      `  goal, summarize time <= 1.0x the bare reader: ${t.toFixed(2)}x (CPU ${x(summarize.cpuMs, bare.cpuMs)}) ${t <= 1 ? 'ok' : 'MISSED'}`,
    );
    console.log(
      `  goal, summarize peak <= 2x the file: ${m.toFixed(2)}x ${m <= 2 ? 'ok' : 'MISSED'}`,
    );
  }
  if (model && process.argv.includes('--columns') && Array.isArray(model.out.columns)) {
    printColumns(model.out.columns as Column[], events, size);
  }
}

async function main(): Promise<void> {
  const runs = Math.max(1, Number(arg('--runs', '1')));
  const steps = new Set(arg('--steps', 'go,summarize,model').split(','));
  const files = args('--trace').map((f) => resolve(f));
  if (files.length === 0) {
    for (const p of arg('--traces', 'issue,180m').split(',')) files.push(presetTrace(p));
  }
  const goroot = newestGoroot();
  let reader: GoReader | null = null;
  if (goroot === null) {
    console.log(`no Go toolchain under ${TOOLCHAINS}: run scripts/get-go.sh 1.27; no reference`);
  } else {
    reader = buildGoReader(ROOT, goroot, DATA);
    console.log(`reference: Go's bare reader, ${reader.how}`);
  }
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  console.log(`machine: load average ${load} on ${availableParallelism()} cores`);
  const memory = freshMemoryCost();
  console.log(
    Number.isFinite(memory.firstMsPerMiB) && memory.againMsPerMiB > 0
      ? `machine: first write to fresh memory ${memory.firstMsPerMiB.toFixed(2)} ms/MiB, writing it again ${memory.againMsPerMiB.toFixed(2)} ms/MiB (${(memory.firstMsPerMiB / memory.againMsPerMiB).toFixed(0)}x)`
      : 'machine: could not measure what a first write to fresh memory costs; page faults unpriced',
  );
  const command = await childCommand();
  for (const file of files) await benchTrace(file, reader, command, runs, steps, memory);
}

if (process.argv[2] === '--child') {
  await child(process.argv[3] as string, process.argv[4] as string);
} else {
  await main();
}
