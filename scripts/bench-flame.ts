// Flame graph benchmark: `npx tsx scripts/bench-flame.ts [--runs N] [--samples N] [--stacks N]`.
//
// The issue's goal: "a profile with 100k samples and 20k distinct stacks lays out in under
// 100 ms". Builds a synthetic stack set of that shape (src/analysis/stackSetText.ts), then times,
// uncached, what the page does when a range or a filter changes: the call tree (per-stack weights,
// merge by function, name order, preorder), the icicle layout and the 1600 px draw list. Also
// times the other views and a pprof decode of the same samples. Prints medians of N runs (after
// warm-up) as JSON; exit status 1 when the layout median misses the goal.

import { performance } from 'node:perf_hooks';
import {
  buildCallTree,
  buildDiffTree,
  buildSandwich,
  buildTopTable,
  searchTree,
} from '../src/analysis/flame';
import { flameRects } from '../src/render/flameTree';
import { syntheticStackSet } from '../src/analysis/stackSetText';
import { decodePprof } from '../src/formats/pprof/decode';
import { encodeStackSet } from '../src/formats/pprof/testEncoder';

const GOAL_MS = 100;

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function time(runs: number, f: () => unknown): { median: number; min: number; max: number } {
  for (let k = 0; k < 3; k++) f(); // warm-up: let the JIT settle
  const xs: number[] = [];
  for (let k = 0; k < runs; k++) {
    const t0 = performance.now();
    f();
    xs.push(performance.now() - t0);
  }
  const round = (v: number): number => Math.round(v * 100) / 100;
  return { median: round(median(xs)), min: round(Math.min(...xs)), max: round(Math.max(...xs)) };
}

function main(): number {
  const runs = arg('runs', 15);
  const samples = arg('samples', 100_000);
  const distinct = arg('stacks', 20_000);
  const set = syntheticStackSet({ samples, distinctStacks: distinct });
  const half = syntheticStackSet({ samples, distinctStacks: distinct, seed: 2 });
  const tree = buildCallTree(set);
  const hot = tree.strings[tree.func[Math.min(3, tree.length - 1)]!] ?? '';
  const profile = encodeStackSet(set);

  const layout = time(runs, () => flameRects(buildCallTree(set), 0, 1600));
  const result = {
    shape: {
      samples,
      distinctSampleStacks: new Set(set.sampleStacks).size,
      stackTableNodes: set.stacks.length,
      callTreeNodes: tree.length,
      maxDepth: tree.maxDepth,
      profileBytes: profile.length,
    },
    runs,
    ms: {
      'layout (call tree + icicle + draw list)': layout,
      'call tree only': time(runs, () => buildCallTree(set)),
      'icicle + draw list (tree cached)': time(runs, () => flameRects(tree, 0, 1600)),
      'call tree, heavy order': time(runs, () => buildCallTree(set, { order: 'heavy' })),
      'call tree, focus + hide': time(runs, () =>
        buildCallTree(set, { focus: 'pkg1\\.', hide: 'pkg2\\.' }),
      ),
      'inverted tree': time(runs, () => buildCallTree(set, { invert: true })),
      'top table': time(runs, () => buildTopTable(buildCallTree(set))),
      search: time(runs, () => searchTree(tree, /func1\d$/)),
      [`sandwich (${hot})`]: time(runs, () => buildSandwich(set, hot)),
      'diff tree': time(runs, () => buildDiffTree(set, half)),
      'pprof decode (same samples)': time(Math.min(runs, 7), () => decodePprof(profile)),
    },
    goalMs: GOAL_MS,
    meetsGoal: layout.median < GOAL_MS,
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  return result.meetsGoal ? 0 : 1;
}

process.exitCode = main();
