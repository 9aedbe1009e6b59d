// Stack sets from text, for tests and benchmarks (the Firefox Profiler's getProfileFromTextSamples
// in spirit, in the folded format of Brendan Gregg's stackcollapse scripts): one sample per line,
// frames from the outermost to the leaf separated by ';', then optionally a space and the weight.
//
//   main.main;main.handle;runtime.mallocgc 5
//   main.main;main.idle
//
// Blank lines and lines starting with '#' are skipped; a weight alone (` 3`) is a sample with an
// empty stack. A frame may carry a file and line as `name@file:line`.

import { StringTable } from '../base/growable';
import { StackBuilder } from '../model/stacks';
import type { WeightedStackSet } from './flame';

export function stackSetFromText(text: string): WeightedStackSet {
  const strings = new StringTable();
  strings.intern('');
  const b = new StackBuilder(strings);
  const stacks: number[] = [];
  const weights: number[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    // `path weight`, `weight` alone (an empty stack), or `path` (weight 1).
    const m = /^(?:(.*?)\s+)?(-?\d[\d.]*(?:e[+-]?\d+)?)$/i.exec(line);
    const path = m ? (m[1] ?? '').trim() : line;
    const weight = m ? Number(m[2]) : 1;
    const frames = path === '' ? [] : path.split(';').map((f) => frame(b, f.trim()));
    stacks.push(b.stackFromRoot(frames));
    weights.push(weight);
  }
  const { frames, stacks: table } = b.finish();
  return {
    frames,
    stacks: table,
    strings: strings.strings,
    sampleStacks: Int32Array.from(stacks),
    weights: Float64Array.from(weights),
  };
}

function frame(b: StackBuilder, text: string): number {
  const at = text.lastIndexOf('@');
  if (at <= 0) return b.frame(text, '', 0);
  const loc = text.slice(at + 1);
  const colon = loc.lastIndexOf(':');
  const line = colon >= 0 ? Number(loc.slice(colon + 1)) : 0;
  return b.frame(
    text.slice(0, at),
    colon >= 0 ? loc.slice(0, colon) : loc,
    Number.isFinite(line) ? line : 0,
  );
}

/** A deterministic pseudo-random generator (mulberry32). */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A synthetic stack set shaped like a server's CPU profile: `distinctStacks` leaf stacks grown
 * from shared prefixes (depth up to `maxDepth`, names from `functions` functions), and `samples`
 * samples spread over them with a skew (a few hot stacks, a long tail).
 */
export function syntheticStackSet(opts: {
  samples: number;
  distinctStacks: number;
  functions?: number;
  maxDepth?: number;
  seed?: number;
}): WeightedStackSet {
  const random = seededRandom(opts.seed ?? 1);
  const nFunc = opts.functions ?? 2000;
  const maxDepth = opts.maxDepth ?? 48;
  const strings = new StringTable();
  strings.intern('');
  const b = new StackBuilder(strings);
  const frames: number[] = [];
  for (let f = 0; f < nFunc; f++) {
    frames.push(b.frame(`pkg${f % 37}.func${f}`, `pkg${f % 37}/file${f % 101}.go`, 1 + (f % 500)));
  }
  // Leaf stacks: extend a random earlier stack's prefix by a few frames.
  const leaves: number[] = [];
  const depthOf: number[] = [];
  const seen = new Set<number>();
  // Parents of the stacks made so far (the builder only gives them at finish()).
  const parentOf: number[] = [];
  const stack = (parent: number, frame: number): number => {
    const s = b.stack(parent, frame);
    parentOf[s] = parent;
    return s;
  };
  const root = stack(-1, frames[0]!);
  while (leaves.length < opts.distinctStacks) {
    let s = root;
    let depth = 1;
    if (leaves.length > 0) {
      const from = Math.floor(random() * leaves.length);
      s = leaves[from]!;
      depth = depthOf[from]!;
      // Back up to a random ancestor, then grow.
      let up = Math.floor(random() * depth);
      while (up-- > 0 && depth > 1) {
        s = parentOf[s]!;
        depth--;
      }
    }
    const grow = 1 + Math.floor(random() * 6);
    for (let k = 0; k < grow && depth < maxDepth; k++) {
      // Skew toward low function numbers so names repeat across stacks, as in real profiles.
      const f = Math.floor(random() ** 2 * nFunc);
      s = stack(s, frames[f]!);
      depth++;
    }
    if (!seen.has(s)) {
      seen.add(s);
      leaves.push(s);
      depthOf.push(depth);
    }
  }
  const sampleStacks = new Int32Array(opts.samples);
  const weights = new Float64Array(opts.samples);
  for (let i = 0; i < opts.samples; i++) {
    // The first samples cover every stack once; the rest are skewed toward a few hot ones.
    const pick = i < leaves.length ? i : Math.floor(random() ** 3 * leaves.length);
    sampleStacks[i] = leaves[pick]!;
    weights[i] = 10_000_000;
  }
  const t = b.finish();
  return {
    frames: t.frames,
    stacks: t.stacks,
    strings: strings.strings,
    sampleStacks,
    weights,
  };
}
