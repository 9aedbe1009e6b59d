// Synthetic root frames on top of a model's stacks, without touching the model: a flame graph of
// blocked time split by wait reason has a first row "sync", "chan receive", "select", ... and the
// goroutines' real stacks below.
//
// The extension copies the model's frame and stack tables once (typed arrays, a few bytes per
// stack) and appends to them: one frame per label, and for each (label, stack) pair a query
// actually uses, the chain of new stacks "label, then the stack's frames". Appends never change
// an existing entry and a parent is always appended before its children, so the prefix order
// flame.ts relies on (parent[s] < s) holds, and a StackTable handed out earlier stays valid
// (it views a prefix that is never written again). The model's own stack indexes keep their
// meaning in the extended table, so sets over the extended table can mix plain and rooted stacks.

import type { FrameTable, StackTable } from '../model/stacks';

interface StackOwner {
  strings: readonly string[];
  frames: FrameTable;
  stacks: StackTable;
}

export class RootedStacks {
  /** Strings of the extended tables: the owner's, plus any label it did not have. */
  strings: readonly string[];
  frames: FrameTable;
  /** Frames at and after this index are synthetic roots. */
  readonly syntheticFrom: number;
  private readonly base: StackOwner;
  private frameBuf: Uint32Array;
  private parentBuf: Int32Array;
  private len: number;
  private view: StackTable | null = null;
  private readonly labelFrame = new Map<string, number>();
  /** Per synthetic frame (minus syntheticFrom): model stack -> extended stack, -1 when not made. */
  private readonly mapped: Int32Array[] = [];
  private readonly rootStack: number[] = [];

  constructor(base: StackOwner) {
    this.base = base;
    this.strings = base.strings;
    this.frames = base.frames;
    this.syntheticFrom = base.frames.length;
    const n = base.stacks.length;
    this.frameBuf = new Uint32Array(n + 256);
    this.parentBuf = new Int32Array(n + 256);
    this.frameBuf.set(base.stacks.frame.subarray(0, n));
    this.parentBuf.set(base.stacks.parent.subarray(0, n));
    this.len = n;
  }

  /** Number of stacks in the extended table now. */
  get stackCount(): number {
    return this.len;
  }

  /** The extended stack table as it is now (a stable object while nothing was appended). */
  get stacks(): StackTable {
    if (this.view === null || this.view.length !== this.len) {
      this.view = {
        length: this.len,
        frame: this.frameBuf.subarray(0, this.len),
        parent: this.parentBuf.subarray(0, this.len),
      };
    }
    return this.view;
  }

  /** Makes sure every label has a synthetic frame (one rebuild of the small tables if not). */
  addLabels(labels: Iterable<string>): void {
    const missing = [...new Set(labels)].filter((l) => !this.labelFrame.has(l));
    if (missing.length === 0) return;
    // Strings: reuse the owner's entry when the label is already a string there ("sync" and the
    // other reasons usually are); append the rest to a copy.
    const index = new Map<string, number>();
    const strings = this.strings;
    for (let i = 0; i < strings.length; i++) {
      const s = strings[i] as string;
      if (!index.has(s)) index.set(s, i);
    }
    let grown: string[] | null = null;
    const intern = (s: string): number => {
      const i = index.get(s);
      if (i !== undefined) return i;
      grown ??= strings.slice();
      grown.push(s);
      index.set(s, grown.length - 1);
      return grown.length - 1;
    };
    const empty = intern('');
    const funcs = missing.map(intern);
    if (grown) this.strings = grown;
    const old = this.frames;
    const n = old.length + missing.length;
    const frames: FrameTable = {
      length: n,
      func: new Uint32Array(n),
      file: new Uint32Array(n),
      line: new Uint32Array(n),
      inlined: new Uint8Array(n),
    };
    frames.func.set(old.func.subarray(0, old.length));
    frames.file.set(old.file.subarray(0, old.length));
    frames.line.set(old.line.subarray(0, old.length));
    frames.inlined.set(old.inlined.subarray(0, old.length));
    missing.forEach((label, k) => {
      const f = old.length + k;
      frames.func[f] = funcs[k] as number;
      frames.file[f] = empty;
      this.labelFrame.set(label, f);
      this.mapped.push(new Int32Array(0));
      this.rootStack.push(this.append(f, -1));
    });
    this.frames = frames;
  }

  /** The synthetic frame of `label` (added when new). */
  frameOf(label: string): number {
    let f = this.labelFrame.get(label);
    if (f === undefined) {
      this.addLabels([label]);
      f = this.labelFrame.get(label) as number;
    }
    return f;
  }

  /** The label of a frame when it is synthetic, else null. */
  labelOf(frame: number): string | null {
    if (frame < this.syntheticFrom || frame >= this.frames.length) return null;
    return this.strings[this.frames.func[frame] as number] ?? null;
  }

  /**
   * The extended stack "synthetic frame `root`, then model stack `s`" (-1: the root alone).
   * `root` is a frame from `frameOf`.
   */
  rooted(root: number, s: number): number {
    const k = root - this.syntheticFrom;
    if (s < 0) return this.rootStack[k] as number;
    let map = this.mapped[k] as Int32Array;
    if (map.length === 0) {
      map = new Int32Array(this.base.stacks.length).fill(-1);
      this.mapped[k] = map;
    }
    const hit = map[s] as number;
    if (hit >= 0) return hit;
    // Climb to the nearest mapped ancestor (or the root), then append the chain downwards.
    const { frame, parent } = this.base.stacks;
    const chain: number[] = [];
    let a = s;
    while (a >= 0 && (map[a] as number) < 0) {
      chain.push(a);
      a = parent[a] as number;
    }
    let p = a >= 0 ? (map[a] as number) : (this.rootStack[k] as number);
    for (let j = chain.length - 1; j >= 0; j--) {
      const c = chain[j] as number;
      p = this.append(frame[c] as number, p);
      map[c] = p;
    }
    return p;
  }

  private append(frame: number, parent: number): number {
    if (this.len === this.frameBuf.length) {
      const cap = this.len * 2;
      const f = new Uint32Array(cap);
      const p = new Int32Array(cap);
      f.set(this.frameBuf);
      p.set(this.parentBuf);
      // Earlier views keep the old buffers, whose filled prefix never changes.
      this.frameBuf = f;
      this.parentBuf = p;
    }
    this.frameBuf[this.len] = frame;
    this.parentBuf[this.len] = parent;
    return this.len++;
  }
}
