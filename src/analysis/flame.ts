// Flame graph analysis over any weighted stack set: CPU samples of a pprof profile, CPU samples or
// blocked stacks of a time range of an execution trace, dlv stacks. Nothing here knows where the
// stacks came from, and nothing touches the DOM.
//
// The input is the shared frame table and stack prefix tree of model/stacks.ts plus one stack and
// one weight per sample. Because stacks are a prefix tree (stack i = frame[i] called from stack
// parent[i], with parent[i] < i as StackBuilder creates them), every per-stack question ("does
// this stack contain a function matching /re/?", "where is the outermost call of f?") is one pass
// in index order with the parent's answer already known, and the per-sample work is one weight
// sum per distinct stack.
//
// Call trees are columnar (Firefox Profiler's CallNodeTable; no object per node) and stored in
// depth-first preorder, so the subtree of node i is the index range [i, end[i]) and its children
// are i+1, end[i+1], end[end[i+1]], ... Node 0 is a synthetic root holding every sample.
//
// Invariants: total[i] = self[i] + sum of total over i's children; children are ordered by name
// (code point order, as pprof and Go sort) or, in "heavy" order, by total descending (speedscope's
// left-heavy view). Filters follow pprof's (internal/driver, profile/filter.go): `focus` keeps the
// samples whose stack has a function matching the pattern, `ignore` drops those that have one,
// `hide` removes matching frames from stacks (their callees move up to the caller). Patterns match
// function names with RE2's syntax and semantics, as pprof's do (base/pattern.ts).
//
// Typical use by a flame graph view (the engine memoizes each step; engine/flame.ts):
//   const tree = buildCallTree(set, { focus, hide });     // per set and filter
//   const hits = searchTree(tree, compilePattern(q, true), zoomNode);
// and on the page, per zoom and width: the icicle layout and its level-of-detail draw list
// (render/flameTree.ts).

import { Column } from '../base/growable';
import { compareCodePoints } from '../base/compare';
import { compileUserPattern, exactPattern, PatternError, type UserPattern } from '../base/pattern';
import type { FrameTable, StackTable } from '../model/stacks';

/** Stacks with a weight per sample: what every flame graph, call tree and top table reads. */
export interface WeightedStackSet {
  frames: FrameTable;
  stacks: StackTable;
  /** The string table the frames' `func` and `file` index into. */
  strings: readonly string[];
  /**
   * Stack of each sample (index into `stacks`); -1 leaves the sample out of every tree (a sample
   * without frames, or one a filter dropped).
   */
  sampleStacks: Int32Array;
  /** Weight of each sample: 1 for a count, ns for CPU time, bytes, or a difference (negative). */
  weights: Float64Array;
}

export type MergeBy = 'function' | 'frame';
export type ChildOrder = 'name' | 'heavy';

export interface CallTreeOptions {
  /** 'function' merges frames of a function (pprof's default); 'frame' keeps lines apart. */
  mergeBy?: MergeBy;
  /** 'name' (default, pprof and the Firefox Profiler) or 'heavy' (speedscope's left heavy). */
  order?: ChildOrder;
  /** Keep only samples whose stack contains a function matching this pattern (pprof -focus). */
  focus?: string;
  /** Drop samples whose stack contains a function matching this pattern (pprof -ignore). */
  ignore?: string;
  /** Remove frames of matching functions, their callees joining the caller (pprof -hide). */
  hide?: string;
  /** Bottom-up: leaf functions at the top, their callers below (the inverted call tree). */
  invert?: boolean;
}

export interface CallTree {
  /** Number of nodes; node 0 is the synthetic root. */
  length: number;
  strings: readonly string[];
  /** Parent node, -1 for the root. */
  parent: Int32Array;
  /** Function name of the node, index into `strings`; -1 for the root. */
  func: Int32Array;
  /** A frame of the node (the first merged into it), index into the set's frames; -1 for the root. */
  frame: Int32Array;
  /** 0 for the root, 1 for the outermost frames. */
  depth: Int32Array;
  /** Weight of samples whose stack ends at this node. */
  self: Float64Array;
  /** Weight of samples whose stack passes through this node. */
  total: Float64Array;
  /** Subtree of node i is [i, end[i]). */
  end: Int32Array;
  /**
   * What the layout gives width to: `total`, or when some weights are negative (a diff_base
   * profile) the absolute mass |self| summed over the subtree, so children always fit inside.
   */
  size: Float64Array;
  hasNegative: boolean;
  maxDepth: number;
}

/** First child of node i, or -1. */
export function firstChild(tree: CallTree, i: number): number {
  return i + 1 < tree.end[i]! ? i + 1 : -1;
}

/** Next sibling of node i, or -1. */
export function nextSibling(tree: CallTree, i: number): number {
  const p = tree.parent[i]!;
  if (p < 0) return -1;
  const next = tree.end[i]!;
  return next < tree.end[p]! ? next : -1;
}

/** Children of node i, in order (allocates; for views and tests, not for hot loops). */
export function childrenOf(tree: CallTree, i: number): number[] {
  const out: number[] = [];
  for (let c = i + 1; c < tree.end[i]!; c = tree.end[c]!) out.push(c);
  return out;
}

/** Name of node i ('' for the root). */
export function nodeName(tree: CallTree, i: number): string {
  const f = tree.func[i]!;
  return f < 0 ? '' : (tree.strings[f] ?? '');
}

/** Names from the outermost frame down to node i. */
export function nodePath(tree: CallTree, i: number): string[] {
  const out: string[] = [];
  for (let n = i; n > 0; n = tree.parent[n]!) out.push(nodeName(tree, n));
  return out.reverse();
}

// ---- patterns -------------------------------------------------------------------------------

// Patterns come from the user, a link or a bundle: they run on RE2 (base/pattern.ts), in time
// linear in the name, never on JavaScript's backtracking RegExp (issue 21: `(.|.)*!$` in a link
// froze the tab).
export { PatternError, exactPattern };

/** What a filter or search tests function names with: a compiled user pattern. */
export type NameMatcher = Pick<UserPattern, 'test'>;

/** Compiles a user pattern (RE2 syntax); throws PatternError with the reason when it is not valid. */
export function compilePattern(source: string, ignoreCase = false): UserPattern {
  return compileUserPattern(source, { ignoreCase });
}

/** Per frame: 1 when the frame's function name matches `re` (each name tested once). */
function frameMatches(set: WeightedStackSet, r: NameMatcher): Uint8Array {
  const { frames, strings } = set;
  const byName = new Int8Array(strings.length).fill(-1);
  const out = new Uint8Array(frames.length);
  for (let f = 0; f < frames.length; f++) {
    const name = frames.func[f]!;
    let m = byName[name]!;
    if (m < 0) {
      m = r.test(strings[name] ?? '') ? 1 : 0;
      byName[name] = m;
    }
    out[f] = m;
  }
  return out;
}

/** Per stack: 1 when the stack contains a frame flagged in `frameFlag`. */
function stacksContaining(stacks: StackTable, frameFlag: Uint8Array): Uint8Array {
  const out = new Uint8Array(stacks.length);
  for (let s = 0; s < stacks.length; s++) {
    const p = stacks.parent[s]!;
    out[s] = frameFlag[stacks.frame[s]!]! | (p >= 0 ? out[p]! : 0);
  }
  return out;
}

function checkPrefixOrder(stacks: StackTable): void {
  for (let s = 0; s < stacks.length; s++) {
    if (stacks.parent[s]! >= s) {
      throw new Error(
        `stack table is not in prefix order: stack ${s} has parent ${stacks.parent[s]}`,
      );
    }
  }
}

// ---- per-stack weights after filters -----------------------------------------------------------

interface StackWeights {
  /** Summed weight of the samples of each stack that pass the filters. */
  weight: Float64Array;
  /** 1 when at least one sample of the stack passes (a zero weight still makes a node). */
  present: Uint8Array;
  /** Per frame: 1 when hidden. */
  hidden: Uint8Array | null;
}

function stackWeights(set: WeightedStackSet, o: CallTreeOptions): StackWeights {
  const { stacks } = set;
  // One pass over the stacks, as the passes below: cheap beside them.
  checkPrefixOrder(stacks);
  const weight = new Float64Array(stacks.length);
  const present = new Uint8Array(stacks.length);
  const n = set.sampleStacks.length;
  for (let i = 0; i < n; i++) {
    const s = set.sampleStacks[i]!;
    if (s < 0) continue;
    weight[s] = weight[s]! + set.weights[i]!;
    present[s] = 1;
  }
  // Focus and ignore decide per stack, so they cost one pass over the stacks, not the samples.
  if (o.focus) {
    const keep = stacksContaining(stacks, frameMatches(set, compilePattern(o.focus)));
    for (let s = 0; s < stacks.length; s++) if (!keep[s]) present[s] = 0;
  }
  if (o.ignore) {
    const drop = stacksContaining(stacks, frameMatches(set, compilePattern(o.ignore)));
    for (let s = 0; s < stacks.length; s++) if (drop[s]) present[s] = 0;
  }
  for (let s = 0; s < stacks.length; s++) if (!present[s]) weight[s] = 0;
  const hidden = o.hide ? frameMatches(set, compilePattern(o.hide)) : null;
  return { weight, present, hidden };
}

/** Marks the stacks that are present or are a prefix of one that is. */
function usedStacks(stacks: StackTable, present: Uint8Array): Uint8Array {
  const used = present.slice();
  for (let s = stacks.length - 1; s >= 0; s--) {
    const p = stacks.parent[s]!;
    if (used[s] && p >= 0) used[p] = 1;
  }
  return used;
}

// ---- tree building -----------------------------------------------------------------------------

/**
 * Builds a tree node by node (parents before children) and lays it out in preorder. Children
 * are found by (parent, key) in one numeric map: key is a function's string index or a frame.
 */
class TreeBuilder {
  readonly parent = new Column(Int32Array, 4096);
  readonly key = new Column(Int32Array, 4096);
  readonly frame = new Column(Int32Array, 4096);
  readonly self: Array<Column<Float64Array>>;
  private readonly index = new Map<number | string, number>();

  constructor(
    private readonly keySpace: number,
    selfColumns = 1,
  ) {
    this.self = Array.from({ length: selfColumns }, () => new Column(Float64Array, 4096));
    this.push(-1, -1, -1);
  }

  private push(parent: number, key: number, frame: number): number {
    this.parent.push(parent);
    this.key.push(key);
    this.frame.push(frame);
    for (const c of this.self) c.push(0);
    return this.parent.length - 1;
  }

  get length(): number {
    return this.parent.length;
  }

  child(parent: number, key: number, frame: number): number {
    // Exact below 2^53; a string beyond (never in practice: 2^53 / keySpace parents).
    const k =
      parent < Number.MAX_SAFE_INTEGER / this.keySpace - 1
        ? parent * this.keySpace + key
        : `${parent}:${key}`;
    let c = this.index.get(k);
    if (c === undefined) {
      c = this.push(parent, key, frame);
      this.index.set(k, c);
    }
    return c;
  }

  addSelf(node: number, w: number, column = 0): void {
    const c = this.self[column]!;
    c.set(node, c.get(node) + w);
  }
}

interface Preorder {
  /** New index of each built node. */
  newIndex: Int32Array;
  /** Built node at each new index. */
  oldIndex: Int32Array;
  parent: Int32Array;
  depth: Int32Array;
  end: Int32Array;
  maxDepth: number;
}

/**
 * Orders the built nodes depth-first, children sorted. `rank[key]` orders keys by name; in heavy
 * order children sort by `weight` descending first.
 */
function preorder(
  b: TreeBuilder,
  rank: Int32Array,
  weight: Float64Array,
  order: ChildOrder,
): Preorder {
  const n = b.length;
  const bParent = b.parent.finish();
  const bKey = b.key.finish();
  // Children in CSR form.
  const childCount = new Int32Array(n + 1);
  for (let i = 1; i < n; i++) childCount[bParent[i]! + 1] = childCount[bParent[i]! + 1]! + 1;
  for (let i = 0; i < n; i++) childCount[i + 1] = childCount[i + 1]! + childCount[i]!;
  const childStart = childCount; // childStart[i] .. childStart[i+1]
  const fill = childStart.slice(0, n);
  const children = new Int32Array(Math.max(0, n - 1));
  for (let i = 1; i < n; i++) {
    const p = bParent[i]!;
    children[fill[p]!] = i;
    fill[p] = fill[p]! + 1;
  }
  const byName = (x: number, y: number): number => rank[bKey[x]!]! - rank[bKey[y]!]! || x - y;
  const cmp =
    order === 'heavy'
      ? (x: number, y: number): number => weight[y]! - weight[x]! || byName(x, y)
      : byName;
  for (let i = 0; i < n; i++) {
    const a = childStart[i]!;
    const z = childStart[i + 1]!;
    if (z - a > 1) children.subarray(a, z).sort(cmp);
  }
  // Subtree sizes (children were built after their parents).
  const size = new Int32Array(n).fill(1);
  for (let i = n - 1; i > 0; i--) size[bParent[i]!] = size[bParent[i]!]! + size[i]!;
  // Depth-first: a node's first child follows it; the next child follows that child's subtree.
  const newIndex = new Int32Array(n);
  const oldIndex = new Int32Array(n);
  const parent = new Int32Array(n);
  const depth = new Int32Array(n);
  const end = new Int32Array(n);
  parent[0] = -1;
  end[0] = n;
  let maxDepth = 0;
  // Each node's place is known when its parent is placed (oldIndex[0] = 0: the root stays first).
  for (let ni = 0; ni < n; ni++) {
    const old = oldIndex[ni]!;
    newIndex[old] = ni;
    end[ni] = ni + size[old]!;
    let next = ni + 1;
    const d = depth[ni]! + 1;
    for (let k = childStart[old]!; k < childStart[old + 1]!; k++) {
      const c = children[k]!;
      oldIndex[next] = c;
      parent[next] = ni;
      depth[next] = d;
      if (d > maxDepth) maxDepth = d;
      next += size[c]!;
    }
  }
  return { newIndex, oldIndex, parent, depth, end, maxDepth };
}

/** Ranks of the keys used by a built tree, in name order. */
function keyRanks(
  b: TreeBuilder,
  keySpace: number,
  compare: (x: number, y: number) => number,
): Int32Array {
  const rank = new Int32Array(keySpace).fill(-1);
  const keys: number[] = [];
  for (let i = 1; i < b.length; i++) {
    const k = b.key.get(i);
    if (rank[k] === -1) {
      rank[k] = 0;
      keys.push(k);
    }
  }
  keys.sort(compare);
  for (let r = 0; r < keys.length; r++) rank[keys[r]!] = r;
  return rank;
}

/** Turns a built tree into a CallTree: totals, order, preorder layout. */
function finishTree(
  b: TreeBuilder,
  strings: readonly string[],
  funcOfKey: (key: number) => number,
  rank: Int32Array,
  order: ChildOrder,
  column = 0,
): CallTree & { pre: Preorder } {
  const n = b.length;
  const bParent = b.parent.finish();
  const bSelf = b.self[column]!.finish();
  const bTotal = bSelf.slice();
  for (let i = n - 1; i > 0; i--) bTotal[bParent[i]!] = bTotal[bParent[i]!]! + bTotal[i]!;
  const pre = preorder(b, rank, bTotal, order);
  const func = new Int32Array(n);
  const frame = new Int32Array(n);
  const self = new Float64Array(n);
  const total = new Float64Array(n);
  let hasNegative = false;
  for (let ni = 0; ni < n; ni++) {
    const old = pre.oldIndex[ni]!;
    const key = b.key.get(old);
    func[ni] = key < 0 ? -1 : funcOfKey(key);
    frame[ni] = b.frame.get(old);
    self[ni] = bSelf[old]!;
    total[ni] = bTotal[old]!;
    if (self[ni]! < 0) hasNegative = true;
  }
  return {
    length: n,
    strings,
    parent: pre.parent,
    func,
    frame,
    depth: pre.depth,
    self,
    total,
    end: pre.end,
    size: hasNegative ? absoluteSize(pre.parent, self) : total,
    hasNegative,
    maxDepth: pre.maxDepth,
    pre,
  };
}

function absoluteSize(parent: Int32Array, self: Float64Array): Float64Array {
  const size = new Float64Array(self.length);
  for (let i = self.length - 1; i >= 0; i--) {
    size[i] = size[i]! + Math.abs(self[i]!);
    if (i > 0) size[parent[i]!] = size[parent[i]!]! + size[i]!;
  }
  return size;
}

function strip(t: CallTree & { pre?: Preorder }): CallTree {
  delete t.pre;
  return t;
}

/** How a set's frames become tree keys, and how keys sort. */
function keying(set: WeightedStackSet, mergeBy: MergeBy) {
  const { frames, strings } = set;
  if (mergeBy === 'frame') {
    return {
      keySpace: frames.length,
      keyOf: (f: number) => f,
      funcOfKey: (k: number) => frames.func[k]!,
      compare: (x: number, y: number) =>
        compareCodePoints(strings[frames.func[x]!] ?? '', strings[frames.func[y]!] ?? '') ||
        compareCodePoints(strings[frames.file[x]!] ?? '', strings[frames.file[y]!] ?? '') ||
        frames.line[x]! - frames.line[y]! ||
        frames.inlined[x]! - frames.inlined[y]! ||
        x - y,
    };
  }
  return {
    keySpace: strings.length,
    keyOf: (f: number) => frames.func[f]!,
    funcOfKey: (k: number) => k,
    compare: (x: number, y: number) => compareCodePoints(strings[x] ?? '', strings[y] ?? ''),
  };
}

/** The call tree of a stack set (not memoized: see `callTree`). */
export function buildCallTree(set: WeightedStackSet, options: CallTreeOptions = {}): CallTree {
  const mergeBy = options.mergeBy ?? 'function';
  const order = options.order ?? 'name';
  const { stacks } = set;
  const { weight, present, hidden } = stackWeights(set, options);
  const k = keying(set, mergeBy);
  const b = new TreeBuilder(k.keySpace);
  const frameKey = (s: number): number => k.keyOf(stacks.frame[s]!);
  const isHidden = (s: number): boolean => hidden !== null && hidden[stacks.frame[s]!] === 1;
  if (options.invert) {
    // Bottom-up: each present stack read from its leaf to its root.
    for (let s = 0; s < stacks.length; s++) {
      if (!present[s]) continue;
      let node = 0;
      for (let t = s; t >= 0; t = stacks.parent[t]!) {
        if (!isHidden(t)) node = b.child(node, frameKey(t), stacks.frame[t]!);
      }
      b.addSelf(node, weight[s]!);
    }
  } else {
    const used = usedStacks(stacks, present);
    const nodeOf = new Int32Array(stacks.length);
    for (let s = 0; s < stacks.length; s++) {
      if (!used[s]) continue;
      const p = stacks.parent[s]!;
      const pn = p < 0 ? 0 : nodeOf[p]!;
      nodeOf[s] = isHidden(s) ? pn : b.child(pn, frameKey(s), stacks.frame[s]!);
      if (present[s]) b.addSelf(nodeOf[s]!, weight[s]!);
    }
  }
  const rank = keyRanks(b, k.keySpace, k.compare);
  return strip(finishTree(b, set.strings, k.funcOfKey, rank, order));
}

// ---- sandwich ------------------------------------------------------------------------------------

export interface Sandwich {
  /**
   * Callers of the function, inverted: the root's only child is the function, its children are
   * the function's callers, theirs the callers' callers. Each sample enters once, through its
   * innermost call of the function.
   */
  callers: CallTree;
  /**
   * Callees of the function: the root's only child is the function, below it what it called. Each
   * sample enters once, from its outermost call of the function (recursion stays visible below).
   */
  callees: CallTree;
}

/**
 * The sandwich view of one function (by name; speedscope's sandwich, the Firefox Profiler's
 * "merge/focus on function"). Both trees merge by function and honour focus/ignore/hide. Both
 * roots total the function's cum weight.
 */
export function buildSandwich(
  set: WeightedStackSet,
  funcName: string,
  options: CallTreeOptions = {},
): Sandwich {
  const order = options.order ?? 'name';
  const { stacks, frames } = set;
  const { weight, present, hidden } = stackWeights(set, options);
  const k = keying(set, 'function');
  const target = set.strings.indexOf(funcName);
  const isHidden = (s: number): boolean => hidden !== null && hidden[stacks.frame[s]!] === 1;
  const isTarget = (s: number): boolean =>
    target >= 0 && frames.func[stacks.frame[s]!] === target && !isHidden(s);

  // Callees: the outermost call of the target on each stack roots the stack's suffix.
  const callees = new TreeBuilder(k.keySpace);
  const used = usedStacks(stacks, present);
  const nodeOf = new Int32Array(stacks.length).fill(-1);
  for (let s = 0; s < stacks.length; s++) {
    if (!used[s]) continue;
    const p = stacks.parent[s]!;
    const pn = p < 0 ? -1 : nodeOf[p]!;
    if (pn < 0) {
      nodeOf[s] = isTarget(s) ? callees.child(0, target, stacks.frame[s]!) : -1;
    } else {
      nodeOf[s] = isHidden(s) ? pn : callees.child(pn, k.keyOf(stacks.frame[s]!), stacks.frame[s]!);
    }
    if (present[s] && nodeOf[s]! >= 0) callees.addSelf(nodeOf[s]!, weight[s]!);
  }

  // Callers: the innermost call of the target on each stack, read upward to the root.
  const innermost = new Int32Array(stacks.length).fill(-1);
  for (let s = 0; s < stacks.length; s++) {
    const p = stacks.parent[s]!;
    innermost[s] = isTarget(s) ? s : p >= 0 ? innermost[p]! : -1;
  }
  const atCall = new Float64Array(stacks.length);
  const reached = new Uint8Array(stacks.length);
  for (let s = 0; s < stacks.length; s++) {
    const t = innermost[s]!;
    if (!present[s] || t < 0) continue;
    atCall[t] = atCall[t]! + weight[s]!;
    reached[t] = 1;
  }
  const callers = new TreeBuilder(k.keySpace);
  for (let t = 0; t < stacks.length; t++) {
    if (!reached[t]) continue;
    let node = callers.child(0, target, stacks.frame[t]!);
    for (let u = stacks.parent[t]!; u >= 0; u = stacks.parent[u]!) {
      if (!isHidden(u)) node = callers.child(node, k.keyOf(stacks.frame[u]!), stacks.frame[u]!);
    }
    callers.addSelf(node, atCall[t]!);
  }
  return {
    callers: strip(
      finishTree(
        callers,
        set.strings,
        k.funcOfKey,
        keyRanks(callers, k.keySpace, k.compare),
        order,
      ),
    ),
    callees: strip(
      finishTree(
        callees,
        set.strings,
        k.funcOfKey,
        keyRanks(callees, k.keySpace, k.compare),
        order,
      ),
    ),
  };
}

// ---- top table -----------------------------------------------------------------------------------

export interface TopTable {
  length: number;
  strings: readonly string[];
  /** Function name, index into `strings`. */
  func: Int32Array;
  /** Weight of samples whose leaf is the function. */
  flat: Float64Array;
  /** Weight of samples whose stack contains the function, each sample once (pprof's cum). */
  cum: Float64Array;
  /** Weight of all samples (for percentages). */
  total: number;
}

/**
 * Flat and cum per function from a (top-down) call tree: flat sums `self` over the function's
 * nodes; cum sums `total` over the nodes of the function that have no ancestor of the same
 * function, so recursion counts a sample once (pprof internal/report).
 */
export function buildTopTable(tree: CallTree): TopTable {
  const row = new Map<number, number>();
  const func = new Column(Int32Array, 256);
  const flat = new Column(Float64Array, 256);
  const cum = new Column(Float64Array, 256);
  const onPath = new Map<number, number>();
  const path: number[] = [];
  for (let i = 1; i < tree.length; i++) {
    const f = tree.func[i]!;
    const d = tree.depth[i]!;
    while (path.length >= d) {
      const g = tree.func[path.pop()!]!;
      onPath.set(g, onPath.get(g)! - 1);
    }
    let r = row.get(f);
    if (r === undefined) {
      r = func.push(f);
      flat.push(0);
      cum.push(0);
      row.set(f, r);
    }
    flat.set(r, flat.get(r) + tree.self[i]!);
    const active = onPath.get(f) ?? 0;
    if (active === 0) cum.set(r, cum.get(r) + tree.total[i]!);
    onPath.set(f, active + 1);
    path.push(i);
  }
  return {
    length: func.length,
    strings: tree.strings,
    func: func.finish(),
    flat: flat.finish(),
    cum: cum.finish(),
    total: tree.total[0] ?? 0,
  };
}

/** Row order of a top table: by flat or cum, descending (or ascending), ties by name. */
export function sortTopTable(
  table: TopTable,
  by: 'flat' | 'cum' | 'name',
  descending = true,
): Int32Array {
  const order = new Int32Array(table.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  const name = (r: number): string => table.strings[table.func[r]!] ?? '';
  const dir = descending ? 1 : -1;
  const col = by === 'flat' ? table.flat : table.cum;
  order.sort((x, y) =>
    by === 'name'
      ? dir * -compareCodePoints(name(x), name(y))
      : dir * (col[y]! - col[x]!) || compareCodePoints(name(x), name(y)),
  );
  return order;
}

// ---- search --------------------------------------------------------------------------------------

export interface SearchResult {
  /** Per node: 1 when the node's function matches. */
  match: Uint8Array;
  /** Number of matching nodes in the searched subtree. */
  count: number;
  /** Weight of the samples under `root` whose stack has at least one match (each sample once). */
  matched: number;
  /** total[root]. */
  total: number;
  /** matched / total (0 when total is 0). */
  share: number;
}

/**
 * Nodes under `root` whose function matches `r`, and the share of root's weight they cover.
 * A path is one sample's stack, so the outermost matching nodes hold disjoint samples: their
 * totals add up without counting a sample twice. A match among root's ancestors covers it all.
 */
export function searchTree(tree: CallTree, r: NameMatcher, root = 0): SearchResult {
  const byName = new Map<number, boolean>();
  const matches = (i: number): boolean => {
    const f = tree.func[i]!;
    if (f < 0) return false;
    let m = byName.get(f);
    if (m === undefined) {
      m = r.test(tree.strings[f] ?? '');
      byName.set(f, m);
    }
    return m;
  };
  const match = new Uint8Array(tree.length);
  const end = tree.end[root]!;
  let count = 0;
  for (let i = root; i < end; i++) {
    if (matches(i)) {
      match[i] = 1;
      count++;
    }
  }
  let matched = 0;
  let covered = false;
  for (let a = tree.parent[root]!; a >= 0 && !covered; a = tree.parent[a]!) covered = matches(a);
  if (covered || match[root]) matched = tree.total[root]!;
  else {
    for (let i = root + 1; i < end;) {
      if (match[i]) {
        matched += tree.total[i]!;
        i = tree.end[i]!;
      } else i++;
    }
  }
  const total = tree.total[root]!;
  return { match, count, matched, total, share: total !== 0 ? matched / total : 0 };
}

// ---- differential --------------------------------------------------------------------------------

/** A call tree of two sets; `frame` indexes B's frame table (-1 for nodes only in A). */
export interface DiffTree extends CallTree {
  /** Weights of the base (A) and the new (B) set; A scaled when normalized. */
  selfA: Float64Array;
  selfB: Float64Array;
  totalA: Float64Array;
  totalB: Float64Array;
  /** The factor A's weights were multiplied by (1 unless normalized). */
  scaleA: number;
}

export interface DiffOptions extends Omit<CallTreeOptions, 'mergeBy' | 'invert'> {
  /** What gives nodes their width: B (default), A, or A + B. `self`/`total` hold the same. */
  basis?: 'a' | 'b' | 'sum';
  /** Scale A so its total equals B's (profiles of different lengths). */
  normalize?: boolean;
}

/**
 * Two stack sets merged into one tree by function name (the sets may have different string and
 * frame tables), with A's and B's weight per node for gain/loss colouring.
 */
export function buildDiffTree(
  a: WeightedStackSet,
  b: WeightedStackSet,
  options: DiffOptions = {},
): DiffTree {
  const strings: string[] = [];
  const joint = new Map<string, number>();
  const weights = [stackWeights(a, options), stackWeights(b, options)];
  const sets = [a, b];
  const builder = new TreeBuilder(a.strings.length + b.strings.length, 2);
  const totals = [0, 0];
  weights.forEach((w, side) => {
    for (let s = 0; s < w.weight.length; s++) totals[side] = totals[side]! + w.weight[s]!;
  });
  const scaleA = options.normalize && totals[0] !== 0 ? totals[1]! / totals[0]! : 1;
  sets.forEach((set, side) => {
    const { stacks, frames } = set;
    const { weight, present, hidden } = weights[side]!;
    const toJoint = new Int32Array(set.strings.length).fill(-1);
    const key = (s: number): number => {
      const f = frames.func[stacks.frame[s]!]!;
      let j = toJoint[f]!;
      if (j < 0) {
        const name = set.strings[f] ?? '';
        j = joint.get(name) ?? -1;
        if (j < 0) {
          j = strings.length;
          strings.push(name);
          joint.set(name, j);
        }
        toJoint[f] = j;
      }
      return j;
    };
    const used = usedStacks(stacks, present);
    const nodeOf = new Int32Array(stacks.length);
    const scale = side === 0 ? scaleA : 1;
    for (let s = 0; s < stacks.length; s++) {
      if (!used[s]) continue;
      const p = stacks.parent[s]!;
      const pn = p < 0 ? 0 : nodeOf[p]!;
      const hide = hidden !== null && hidden[stacks.frame[s]!] === 1;
      // Frames index the set they came from: kept for B's nodes, -1 for nodes only in A.
      nodeOf[s] = hide ? pn : builder.child(pn, key(s), side === 1 ? stacks.frame[s]! : -1);
      if (side === 1 && !hide && builder.frame.get(nodeOf[s]!) < 0) {
        builder.frame.set(nodeOf[s]!, stacks.frame[s]!);
      }
      if (present[s]) builder.addSelf(nodeOf[s]!, weight[s]! * scale, side);
    }
  });
  const rank = keyRanks(builder, strings.length, (x, y) =>
    compareCodePoints(strings[x] ?? '', strings[y] ?? ''),
  );
  // Lay the tree out once, by the basis (its weights decide the heavy order), then read A's and
  // B's columns in that order.
  const byOldA = builder.self[0]!.finish();
  const byOldB = builder.self[1]!.finish();
  const basis = options.basis ?? 'b';
  const basisSelf = new Column(Float64Array, builder.length);
  for (let i = 0; i < builder.length; i++) {
    basisSelf.push(
      basis === 'a' ? byOldA[i]! : basis === 'b' ? byOldB[i]! : byOldA[i]! + byOldB[i]!,
    );
  }
  builder.self.push(basisSelf);
  const tree = finishTree(builder, strings, (k) => k, rank, options.order ?? 'name', 2);
  const inOrder = (byOld: Float64Array): { self: Float64Array; total: Float64Array } => {
    const self = new Float64Array(tree.length);
    for (let ni = 0; ni < tree.length; ni++) self[ni] = byOld[tree.pre.oldIndex[ni]!]!;
    const total = self.slice();
    for (let i = total.length - 1; i > 0; i--)
      total[tree.parent[i]!] = total[tree.parent[i]!]! + total[i]!;
    return { self, total };
  };
  const sideA = inOrder(byOldA);
  const sideB = inOrder(byOldB);
  return {
    ...strip(tree),
    selfA: sideA.self,
    selfB: sideB.self,
    totalA: sideA.total,
    totalB: sideB.total,
    scaleA,
  };
}
