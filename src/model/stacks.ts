// Frames and stacks shared by every source of stacks (execution-trace transitions and CPU samples,
// pprof samples, dlv stacks): a frame table and a stack prefix tree, both columnar (Firefox
// Profiler src/types/profile.ts). Stack i is frame[i] called from stack parent[i] (-1 at the
// root), so identical stacks and shared prefixes are stored once and a flame graph can merge by
// stack index. Strings (function and file names) index into the owning model's string table.

import { Column, type StringTable } from '../base/growable';

export interface FrameTable {
  length: number;
  /** Function name, index into the owner's `strings`. */
  func: Uint32Array;
  /** Source file, index into `strings` (the empty string when unknown). */
  file: Uint32Array;
  /** Source line, 0 when unknown. */
  line: Uint32Array;
  /** 1 when this frame was inlined into its caller (pprof: not the last Line of a Location). */
  inlined: Uint8Array;
}

export interface StackTable {
  length: number;
  /** The innermost frame of this stack. */
  frame: Uint32Array;
  /** The stack of the caller, or -1 for a root frame. */
  parent: Int32Array;
}

/** Interns frames and stacks; `finish()` yields the typed tables. */
export class StackBuilder {
  private readonly fFunc = new Column(Uint32Array);
  private readonly fFile = new Column(Uint32Array);
  private readonly fLine = new Column(Uint32Array);
  private readonly fInlined = new Column(Uint8Array);
  private readonly sFrame = new Column(Uint32Array);
  private readonly sParent = new Column(Int32Array);
  private readonly frameIndex = new Map<string, number>();
  private readonly stackIndex = new Map<number, Map<number, number>>();

  constructor(readonly strings: StringTable) {}

  frame(func: string, file: string, line: number, inlined = false): number {
    const f = this.strings.intern(func);
    const fl = this.strings.intern(file);
    const key = `${f}:${fl}:${line}:${inlined ? 1 : 0}`;
    let i = this.frameIndex.get(key);
    if (i === undefined) {
      i = this.fFunc.push(f);
      this.fFile.push(fl);
      this.fLine.push(line);
      this.fInlined.push(inlined ? 1 : 0);
      this.frameIndex.set(key, i);
    }
    return i;
  }

  /** The stack `frame` called from `parent` (-1 for a root frame). */
  stack(parent: number, frame: number): number {
    let byFrame = this.stackIndex.get(parent);
    if (!byFrame) {
      byFrame = new Map();
      this.stackIndex.set(parent, byFrame);
    }
    let s = byFrame.get(frame);
    if (s === undefined) {
      s = this.sFrame.push(frame);
      this.sParent.push(parent);
      byFrame.set(frame, s);
    }
    return s;
  }

  /** Interns a stack given its frames from the root (outermost) to the leaf; -1 when empty. */
  stackFromRoot(frames: ArrayLike<number>): number {
    let s = -1;
    for (let i = 0; i < frames.length; i++) s = this.stack(s, frames[i] as number);
    return s;
  }

  finish(): { frames: FrameTable; stacks: StackTable } {
    return {
      frames: {
        length: this.fFunc.length,
        func: this.fFunc.finish(),
        file: this.fFile.finish(),
        line: this.fLine.finish(),
        inlined: this.fInlined.finish(),
      },
      stacks: {
        length: this.sFrame.length,
        frame: this.sFrame.finish(),
        parent: this.sParent.finish(),
      },
    };
  }
}

/** Frames of stack `s` from the leaf (innermost) to the root. */
export function stackFrames(stacks: StackTable, s: number): number[] {
  const out: number[] = [];
  for (let i = s; i >= 0; i = stacks.parent[i] as number) out.push(stacks.frame[i] as number);
  return out;
}
