// Queries behind the flame graph: the graph for a source, range and settings (call tree or
// difference tree, search matches), the search's share of a zoomed frame, the stack path of the selected interval, the sandwich of
// a function, the top table, and the stack set as pprof. Stack sets and trees are kept in the
// memo of the file they come from (analysis/flameSources.ts, flameView.ts), so a query that
// changes only the zoom, the search or the table's sort reuses them.
//
// What crosses to the page is a FlameTree: the call tree's columns with a small name table of its
// own (the functions and files the tree uses, not the model's whole string table). The page
// draws, zooms, hit-tests and labels from it alone (render/flameTree.ts); the graph does not
// depend on the zoom, and only the search's share of the zoomed frame is asked again on a zoom
// (flameSearch).

import { stableJson } from '../base/json';
import {
  buildSandwich,
  buildTopTable,
  sortTopTable,
  type CallTree,
  type DiffTree,
  type WeightedStackSet,
} from '../analysis/flame';
import { flameSources, type FlameSource } from '../analysis/flameSources';
import { flameView, nodeByPath, type FlameSettings, type FlameView } from '../analysis/flameView';
import { intervalFunctions } from '../analysis/highlight';
import { reasonLabel } from '../analysis/reasons';
import { filteredGoroutines } from '../analysis/timelineRows';
import { goroutineGroups } from '../analysis/traceLanes';
import { rangeStacks } from '../analysis/traceStacks';
import type { LabelSummary } from '../analysis/profileStacks';
import { encodeProfileGzip } from '../formats/pprof/encode';
import type { QueryContext } from './engine';
import { whyIndexesOf } from './why';

/** Which goroutines range-following sources read. */
export type GoroutineScope =
  | { kind: 'all' }
  /** One goroutine (index in the trace). */
  | { kind: 'goroutine'; g: number }
  /** The lanes the lane filter keeps. */
  | { kind: 'lanes'; filter: string; only: number[] | null }
  /** Goroutines by Go id (a spike's). */
  | { kind: 'ids'; ids: number[] };

export interface FlameParams {
  /** The session's decoded files, in the order they were opened (profiles become tabs). */
  files: Array<{ id: string; name: string }>;
  settings: FlameSettings;
  /** The range range-following sources read (the selection, else the view), or null. */
  range: { startNs: number; endNs: number } | null;
  scope: GoroutineScope;
  /** A baseline range: the graph shows the difference from it. */
  compare: { startNs: number; endNs: number } | null;
}

/** A flame graph source as the page lists it (a tab). */
export interface SourceInfo {
  key: string;
  label: string;
  types: Array<{ type: string; unit: string }>;
  defaultType: number;
  note: string | null;
  labels: LabelSummary[];
  ranged: boolean;
  splittable: boolean;
}

/** A call tree as the page draws it (see the header). */
export interface FlameTree {
  /** Number of nodes; node 0 is the root ("all"). */
  length: number;
  parent: Int32Array;
  depth: Int32Array;
  /** The subtree of node i is [i, end[i]) (preorder). */
  end: Int32Array;
  self: Float64Array;
  total: Float64Array;
  /** What gives a node its width: `total`, or |self| summed over the subtree in a diff profile. */
  size: Float64Array;
  /** Function of each node, index into `names`; -1 for the root. */
  name: Int32Array;
  /** Where the node's (first) frame is: file (index into `names`, -1 unknown), line, inlined. */
  file: Int32Array;
  line: Int32Array;
  inlined: Uint8Array;
  names: string[];
  hasNegative: boolean;
  maxDepth: number;
}

export interface FlameResult {
  sources: SourceInfo[];
  source: SourceInfo;
  typeIndex: number;
  unit: string;
  tree: FlameTree;
  /** Search: per node 1 when its function matches (its share of a zoomed frame: flameSearch). */
  search: { match: Uint8Array } | null;
  patternError: string | null;
  /** Samples with a stack in the set (after label filters, before focus/ignore). */
  samples: number;
  /** A difference from a baseline range. */
  diff: boolean;
  /** Per node: its change (or signed value) as a share of the largest, for blue/red colours. */
  shares: Float64Array | null;
  /** Goroutines in the scope (null: all of them). */
  scopeCount: number | null;
}

// ---- building blocks -----------------------------------------------------------------------------

function sourcesOf(c: QueryContext, files: FlameParams['files']): FlameSource[] {
  return flameSources(
    files.map((f) => {
      const d = c.file(f.id);
      return {
        id: f.id,
        name: f.name,
        profile: d.format === 'pprof' ? d.model : null,
        trace: d.format === 'go-trace' ? d.model : null,
        rangeStacks:
          d.format === 'go-trace'
            ? c.memo(f.id)('rangeStacks', () => rangeStacks(c.indexes(f.id)))
            : null,
        why: d.format === 'go-trace' ? () => whyIndexesOf(c, f.id) : null,
      };
    }),
    (id) => c.memo(id),
  );
}

function info(s: FlameSource): SourceInfo {
  return {
    key: s.key,
    label: s.label,
    types: s.types,
    defaultType: s.defaultType,
    note: s.note,
    labels: s.labels,
    ranged: s.ranged,
    splittable: s.splittable,
  };
}

/** The trace of the session (the first), its file id, or null. */
function traceOf(c: QueryContext, files: FlameParams['files']): string | null {
  return files.find((f) => c.file(f.id).format === 'go-trace')?.id ?? null;
}

/** The goroutines of a scope as indexes of the trace (memoized per scope), and a key for them. */
function scopeGoroutines(
  c: QueryContext,
  traceId: string | null,
  scope: GoroutineScope,
): { goroutines: Int32Array | null; key: string } {
  if (traceId === null || scope.kind === 'all') return { goroutines: null, key: 'all' };
  const key = stableJson(scope);
  const m = c.trace(traceId);
  const memo = c.memo(traceId);
  const goroutines = memo(`scope:${key}`, (): Int32Array | null => {
    switch (scope.kind) {
      case 'goroutine':
        return scope.g >= 0 && scope.g < m.goroutines.length ? Int32Array.of(scope.g) : null;
      case 'lanes':
        return filteredGoroutines(
          m,
          memo('goroutineGroups', () => goroutineGroups(m)),
          scope,
        );
      case 'ids': {
        const byId = memo('goroutineById', () => {
          const map = new Map<number, number>();
          for (let g = 0; g < m.goroutines.length; g++) map.set(m.goroutines.id[g]!, g);
          return map;
        });
        const out: number[] = [];
        for (const id of scope.ids) {
          const g = byId.get(id);
          if (g !== undefined) out.push(g);
        }
        return Int32Array.from(out);
      }
    }
  });
  return { goroutines, key };
}

/** The analysis view for the params (trees from the source file's memo), or null: no source. */
function viewOf(
  c: QueryContext,
  p: FlameParams,
): { view: FlameView; sources: FlameSource[]; scopeCount: number | null } | null {
  const sources = sourcesOf(c, p.files);
  const { goroutines, key } = scopeGoroutines(c, traceOf(c, p.files), p.scope);
  const view = flameView(sources, p.settings, {
    range: p.range,
    goroutines,
    goroutinesKey: key,
    compare: p.compare,
  });
  return view ? { view, sources, scopeCount: goroutines ? goroutines.length : null } : null;
}

/** A call tree as the page draws it: its columns and a name table of its own. */
export function packTree(tree: CallTree, set: WeightedStackSet): FlameTree {
  const n = tree.length;
  const names: string[] = [];
  const local = new Map<string, number>();
  const intern = (s: string): number => {
    let i = local.get(s);
    if (i === undefined) {
      i = names.length;
      names.push(s);
      local.set(s, i);
    }
    return i;
  };
  const name = new Int32Array(n);
  const file = new Int32Array(n);
  const line = new Int32Array(n);
  const inlined = new Uint8Array(n);
  const byFunc = new Map<number, number>();
  const { frames } = set;
  for (let i = 0; i < n; i++) {
    const f = tree.func[i]!;
    if (f < 0) name[i] = -1;
    else {
      let k = byFunc.get(f);
      if (k === undefined) {
        k = intern(tree.strings[f] ?? '');
        byFunc.set(f, k);
      }
      name[i] = k;
    }
    const fr = tree.frame[i]!;
    if (fr >= 0 && fr < frames.length) {
      const fileName = set.strings[frames.file[fr]!] ?? '';
      file[i] = fileName ? intern(fileName) : -1;
      line[i] = frames.line[fr]!;
      inlined[i] = frames.inlined[fr]!;
    } else {
      file[i] = -1;
    }
  }
  return {
    length: n,
    parent: tree.parent,
    depth: tree.depth,
    end: tree.end,
    self: tree.self,
    total: tree.total,
    size: tree.size,
    name,
    file,
    line,
    inlined,
    names,
    hasNegative: tree.hasNegative,
    maxDepth: tree.maxDepth,
  };
}

/** Each node's value (or change, B - A) as a share of the largest magnitude. */
export function shares(values: (i: number) => number, n: number): Float64Array {
  let max = 0;
  for (let i = 1; i < n; i++) max = Math.max(max, Math.abs(values(i)));
  const out = new Float64Array(n);
  for (let i = 1; i < n; i++) out[i] = max > 0 ? values(i) / max : 0;
  return out;
}

// ---- queries -------------------------------------------------------------------------------------

/**
 * The flame graph for the params, or null when the session has no source of stacks. The zoom is
 * the page's: the graph is the same whatever it is (the search is matched over every node).
 */
export function flame(c: QueryContext, p: FlameParams): FlameResult | null {
  const v = viewOf(c, { ...p, settings: { ...p.settings, zoom: [] } });
  if (!v) return null;
  const { view, sources } = v;
  const { tree } = view;
  const d = view.diff as DiffTree | null;
  return {
    sources: sources.map(info),
    source: info(view.source),
    typeIndex: view.typeIndex,
    unit: view.unit,
    tree: packTree(tree, view.set),
    search: view.search ? { match: view.search.match } : null,
    patternError: view.patternError,
    samples: view.samples,
    diff: d !== null,
    shares: d
      ? shares((i) => d.totalB[i]! - d.totalA[i]!, d.length)
      : tree.hasNegative
        ? shares((i) => tree.total[i]!, tree.length)
        : null,
    scopeCount: v.scopeCount,
  };
}

/**
 * The search's matches in the zoomed frame (the deepest node the zoom's names reach): how many
 * nodes, and the weight of the samples under it with a match, each sample once.
 */
export function flameSearch(
  c: QueryContext,
  p: FlameParams,
): { count: number; matched: number; total: number; share: number } | null {
  const s = viewOf(c, p)?.view.search;
  return s ? { count: s.count, matched: s.matched, total: s.total, share: s.share } : null;
}

/**
 * The nodes on the selected interval's stack (the goroutine's own stack, outermost frame down),
 * so the graph shows where it sits; with reasons split the path starts at its reason. Empty when
 * the stack is not in the graph.
 */
export function flamePath(
  c: QueryContext,
  p: FlameParams & { trace: string; interval: number },
): Int32Array {
  const v = viewOf(c, p);
  const m = c.trace(p.trace);
  if (!v || p.interval < 0 || p.interval >= m.intervals.length) return new Int32Array(0);
  const { tree, source } = v.view;
  const names = intervalFunctions(m, p.interval).names;
  if (names.length === 0) return new Int32Array(0);
  const split = p.settings.split === 'reason' && source.splittable;
  const reason = m.reasons[m.intervals.reason[p.interval]!] ?? '';
  const node = nodeByPath(tree, split ? [reasonLabel(reason), ...names] : names);
  if (node <= 0) return new Int32Array(0);
  const out: number[] = [];
  for (let n = node; n > 0; n = tree.parent[n]!) out.push(n);
  return Int32Array.from(out);
}

/** The sandwich of a function: its callers (inverted) and its callees, laid out whole. */
export function sandwich(
  c: QueryContext,
  p: FlameParams & { func: string },
): { callers: FlameTree; callees: FlameTree } | null {
  const v = viewOf(c, p);
  if (!v) return null;
  const { set, options, source } = v.view;
  const s = source.memo(
    stableJson(['sandwich', p.func, options, p.settings, p.range, p.scope]),
    () => buildSandwich(set, p.func, options),
  );
  return { callers: packTree(s.callers, set), callees: packTree(s.callees, set) };
}

export interface TopRows {
  /** The first rows in the asked order: function, flat and cum. */
  rows: Array<{ name: string; flat: number; cum: number }>;
  /** Functions left out beyond the limit. */
  more: number;
  /** Weight of all samples, for percentages. */
  total: number;
  unit: string;
}

/**
 * Flat and cum per function (pprof's top), sorted, the first `limit` rows. Functions only seen in
 * samples of zero weight (for this sample type) are left out, as pprof does.
 */
export function topTable(
  c: QueryContext,
  p: FlameParams & { sort: { by: 'flat' | 'cum' | 'name'; desc: boolean }; limit: number },
): TopRows | null {
  const v = viewOf(c, p);
  if (!v) return null;
  const table = buildTopTable(v.view.tree);
  const order = sortTopTable(table, p.sort.by, p.sort.desc).filter(
    (r) => table.flat[r] !== 0 || table.cum[r] !== 0,
  );
  const shown = order.subarray(0, Math.max(0, p.limit));
  return {
    rows: Array.from(shown, (r) => ({
      name: table.strings[table.func[r]!] ?? '',
      flat: table.flat[r]!,
      cum: table.cum[r]!,
    })),
    more: order.length - shown.length,
    total: table.total,
    unit: v.view.unit,
  };
}

/** Sample type written for each trace source (pprof's names for the same kinds of profile). */
const SAMPLE_TYPES: Record<string, [string, string]> = {
  'trace:cpu': ['samples', 'count'],
  'trace:blocked': ['delay', 'nanoseconds'],
  'trace:sched': ['delay', 'nanoseconds'],
  'trace:syscall': ['syscall', 'nanoseconds'],
  'trace:cause': ['delay', 'nanoseconds'],
};

/** The flame graph's stack set (source, range, goroutines, labels) as gzip'd pprof bytes. */
export function flamePprof(
  c: QueryContext,
  p: FlameParams,
): { bytes: Uint8Array; name: string; samples: number } | null {
  const v = viewOf(c, { ...p, compare: null });
  if (!v) return null;
  const { view } = v;
  const type = SAMPLE_TYPES[view.source.key] ?? [
    view.source.types[view.typeIndex]?.type ?? 'value',
    view.unit || 'count',
  ];
  const range = view.source.ranged ? p.range : null;
  const traceId = traceOf(c, p.files);
  const wall = traceId === null ? null : c.trace(traceId).wallClockStartNs;
  const bytes = encodeProfileGzip(view.set, {
    sampleType: type,
    ...(range && wall !== null ? { timeNanos: wall + BigInt(Math.round(range.startNs)) } : {}),
    ...(range ? { durationNanos: range.endNs - range.startNs } : {}),
    comments: [
      `goroscope export: ${view.source.label}${range ? `, ${Math.round(range.startNs)}-${Math.round(range.endNs)} ns` : ''}`,
    ],
  });
  const slug = view.source.key.replace(/[^a-z0-9]+/gi, '-');
  return {
    bytes,
    name: `${slug}${range ? `-${Math.round(range.startNs / 1e6)}ms` : ''}.pb.gz`,
    samples: view.samples,
  };
}
