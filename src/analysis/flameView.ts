// Everything the flame graph shows for a given set of settings, as one pure function: the engine's
// flame queries (engine/flame.ts) answer the flame graph panel and the automation snapshot with
// it, so both say the same thing. Trees are memoized in the source's memo by the set's key.

import { stableJson } from '../base/json';
import {
  buildCallTree,
  buildDiffTree,
  compilePattern,
  type DiffTree,
  PatternError,
  searchTree,
  type CallTree,
  type CallTreeOptions,
  type SearchResult,
  type WeightedStackSet,
} from './flame';
import { noMemo } from '../base/lru';
import type { FlameSource } from './flameSources';
import type { LabelFilter } from './profileStacks';

/** What decides the flame graph's tree (the store's flame state extends it). */
export interface FlameSettings {
  /** Source key (see ./flameSources), or null for the first available. */
  source: string | null;
  /** Sample type index chosen per source key. */
  types: Record<string, number>;
  /** Regular expression highlighting matching frames. */
  search: string;
  /** pprof-style filters (regular expressions on function names). */
  focus: string;
  ignore: string;
  hide: string;
  mergeBy: 'function' | 'frame';
  /** Zoomed-in frame: function names from the outermost frame down. */
  zoom: readonly string[];
  /** Sample label filters (string labels): keep samples with key=value, or drop them. */
  labels: ReadonlyArray<{ key: string; value: string; exclude: boolean }>;
  /** Blocked and scheduler wait: one root frame per wait reason ("what were they waiting on"). */
  split: 'none' | 'reason';
}

/** What range-following sources read: the time range and the goroutines in scope. */
export interface FlameRange {
  range: { startNs: number; endNs: number } | null;
  goroutines: Int32Array | null;
  /** What `goroutines` are, as a string (for memo keys; see SourceContext.goroutinesKey). */
  goroutinesKey?: string;
  /** A baseline range: the graph then shows the difference from it (before/after a spike). */
  compare: { startNs: number; endNs: number } | null;
}

export interface FlameView {
  source: FlameSource;
  typeIndex: number;
  unit: string;
  set: WeightedStackSet;
  options: CallTreeOptions;
  tree: CallTree;
  /** The zoom root: the deepest node reached by following `zoom`'s names. */
  root: number;
  search: SearchResult | null;
  /** An invalid pattern (filters then stay off), or null. */
  patternError: string | null;
  /** Samples with a stack in the set (after label filters, before focus/ignore). */
  samples: number;
  /** The difference tree when a baseline range is set (A: baseline, B: current). */
  diff: DiffTree | null;
}

export function currentSource(
  sources: readonly FlameSource[],
  key: string | null,
): FlameSource | undefined {
  return sources.find((s) => s.key === key) ?? sources[0];
}

export function flameView(
  sources: readonly FlameSource[],
  f: FlameSettings,
  r: FlameRange = { range: null, goroutines: null, compare: null },
): FlameView | null {
  const source = currentSource(sources, f.source);
  if (!source) return null;
  const typeIndex = Math.max(
    0,
    Math.min(f.types[source.key] ?? source.defaultType, source.types.length - 1),
  );
  const unit = source.types[typeIndex]?.unit ?? '';
  const filters: LabelFilter[] = f.labels.map((l) => ({
    key: l.key,
    values: [l.value],
    exclude: l.exclude,
  }));
  const ctx = {
    filters,
    range: r.range,
    goroutines: r.goroutines,
    goroutinesKey: r.goroutinesKey,
    split: f.split,
  };
  const set = source.stacks(typeIndex, ctx);
  let patternError: string | null = null;
  for (const [label, p] of [
    ['focus', f.focus],
    ['ignore', f.ignore],
    ['hide', f.hide],
    ['search', f.search],
  ] as const) {
    if (!p || patternError) continue;
    try {
      compilePattern(p);
    } catch (e) {
      patternError = `${label}: ${e instanceof PatternError ? e.message : String(e)}`;
    }
  }
  const options: CallTreeOptions = patternError
    ? { mergeBy: f.mergeBy }
    : {
        mergeBy: f.mergeBy,
        focus: f.focus || undefined,
        ignore: f.ignore || undefined,
        hide: f.hide || undefined,
      };
  // A baseline range turns the graph into a difference: B is the current range, A the baseline.
  const baseCtx = r.compare && source.ranged ? { ...ctx, range: r.compare } : null;
  const base = baseCtx ? source.stacks(typeIndex, baseCtx) : null;
  const setKey = source.setKey(typeIndex, ctx);
  const baseKey = baseCtx ? source.setKey(typeIndex, baseCtx) : '';
  const memo = setKey !== null && baseKey !== null ? source.memo : noMemo;
  const tree = base
    ? memo(stableJson(['diff-tree', baseKey, setKey, options]), () =>
        buildDiffTree(base, set, {
          focus: options.focus,
          ignore: options.ignore,
          hide: options.hide,
          basis: 'sum',
        }),
      )
    : memo(stableJson(['tree', setKey, options]), () => buildCallTree(set, options));
  const root = nodeByPath(tree, f.zoom);
  const search =
    f.search && !patternError ? searchTree(tree, compilePattern(f.search), root) : null;
  return {
    source,
    typeIndex,
    unit,
    set,
    options,
    tree,
    root,
    search,
    patternError,
    samples: countSamples(set),
    diff: base ? (tree as DiffTree) : null,
  };
}

function countSamples(set: WeightedStackSet): number {
  let n = 0;
  for (let i = 0; i < set.sampleStacks.length; i++) if ((set.sampleStacks[i] as number) >= 0) n++;
  return n;
}

/** The node reached by following function names from the root (the deepest match). */
export function nodeByPath(tree: CallTree, names: readonly string[]): number {
  let n = 0;
  for (const name of names) {
    let found = -1;
    for (let c = n + 1; c < (tree.end[n] as number); c = tree.end[c] as number) {
      const fi = tree.func[c] as number;
      if (fi >= 0 && tree.strings[fi] === name) {
        found = c;
        break;
      }
    }
    if (found < 0) break;
    n = found;
  }
  return n;
}

/** Function names from the outermost frame down to node n. */
export function pathOf(tree: CallTree, n: number): string[] {
  const out: string[] = [];
  for (let i = n; i > 0; i = tree.parent[i] as number)
    out.push(tree.strings[tree.func[i] as number] ?? '');
  return out.reverse();
}

/** String index of a function name in the tree's table, or -1. */
export function funcIndex(tree: CallTree, name: string | null): number {
  if (name === null) return -1;
  for (let i = 1; i < tree.length; i++) {
    const fi = tree.func[i] as number;
    if (tree.strings[fi] === name) return fi;
  }
  return -1;
}
