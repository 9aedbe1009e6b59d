// The columnar model of a `dlv trace` log: one span per traced call, in typed-array columns
// (struct of arrays, Firefox Profiler src/types/profile.ts style), plus one row per entry/return
// line for alignment against an execution trace. Strings (function names, arguments, stacks) are
// interned in one table; nothing here holds one object per call.

import { Column, StringTable } from '../base/growable';

/** Line kinds in `DlvModel.lines.kind`. */
export const DLV_LINE_ENTRY = 1;
export const DLV_LINE_RETURN = 2;

export interface DlvSpans {
  /** Goroutine id of the call (Delve's goroutine(G)). Float64 because ids are int64 in Go. */
  goroutine: Float64Array;
  /** Function name, index into `strings`. */
  func: Uint32Array;
  /** Tracepoint name from `[name] ` prefixes, index into `strings`, or -1. */
  tracepoint: Int32Array;
  /** Arguments as printed (between the call's parentheses), index into `strings`. */
  args: Uint32Array;
  /** Return values as printed by the first closing return, index into `strings`, or -1. */
  returns: Int32Array;
  /** Stack printed after the entry line (`--stack N`), index into `strings`, or -1. */
  stack: Int32Array;
  /** Nesting depth per goroutine: open calls of the same goroutine when this one began. */
  depth: Uint16Array;
  /** `--follow-calls` frame(D) as printed, or -1. */
  frame: Int32Array;
  /** ns since the log's first timestamp (`DlvModel.wallBaseNs`); NaN when the log has none. */
  startNs: Float64Array;
  /** ns of the closing return; NaN when never closed or the log has no timestamps. */
  endNs: Float64Array;
  /** Position of the entry line among entry/return lines: the sequence axis. */
  startSeq: Uint32Array;
  /** Position of the closing return line, or -1 when never closed. */
  endSeq: Int32Array;
  /** 1 when the span came from `--ebpf` output (`> (G) f(args)` / `=> v`). */
  ebpf: Uint8Array;
}

export interface DlvLines {
  kind: Uint8Array;
  goroutine: Float64Array;
  /** ns since `wallBaseNs`; NaN for a line without a timestamp. */
  timeNs: Float64Array;
  /** The span this line opened or closed, or -1 (a return that closed nothing). */
  span: Int32Array;
}

export interface DlvModel {
  kind: 'dlv';
  spanCount: number;
  spans: DlvSpans;
  lineCount: number;
  lines: DlvLines;
  strings: string[];
  /** Wall-clock ns since the Unix epoch of the first timestamped entry/return line. */
  wallBaseNs: bigint | null;
  /** First and last timestamps of entry/return lines, as written in the log. */
  firstTimestamp: string | null;
  lastTimestamp: string | null;
  /** Lines that were neither entries nor returns nor part of them (program output, stacks...). */
  otherLines: number;
  /** Entries whose multi-line arguments never closed before the next trace line or the end. */
  unterminated: number;
  /** Timestamps printed with no trace line after them (a `--follow-calls` root never hit). */
  gluedTimestamps: number;
}

/** Writes a DlvModel column by column. Decoders call it; it never sees text. */
export class DlvBuilder {
  readonly strings = new StringTable();
  private readonly s = {
    goroutine: new Column(Float64Array),
    func: new Column(Uint32Array),
    tracepoint: new Column(Int32Array),
    args: new Column(Uint32Array),
    returns: new Column(Int32Array),
    stack: new Column(Int32Array),
    depth: new Column(Uint16Array),
    frame: new Column(Int32Array),
    startNs: new Column(Float64Array),
    endNs: new Column(Float64Array),
    startSeq: new Column(Uint32Array),
    endSeq: new Column(Int32Array),
    ebpf: new Column(Uint8Array),
  };
  private readonly l = {
    kind: new Column(Uint8Array),
    goroutine: new Column(Float64Array),
    timeNs: new Column(Float64Array),
    span: new Column(Int32Array),
  };

  get spanCount(): number {
    return this.s.func.length;
  }
  get lineCount(): number {
    return this.l.kind.length;
  }

  addSpan(span: {
    goroutine: number;
    func: string;
    tracepoint: string | null;
    args: string;
    depth: number;
    frame: number;
    startNs: number;
    ebpf: boolean;
  }): number {
    const s = this.s;
    const seq = this.lineCount;
    s.goroutine.push(span.goroutine);
    s.func.push(this.strings.intern(span.func));
    s.tracepoint.push(span.tracepoint === null ? -1 : this.strings.intern(span.tracepoint));
    s.args.push(this.strings.intern(span.args));
    s.returns.push(-1);
    s.stack.push(-1);
    s.depth.push(Math.min(span.depth, 0xffff));
    s.frame.push(span.frame);
    s.startNs.push(span.startNs);
    s.endNs.push(NaN);
    s.startSeq.push(seq);
    s.endSeq.push(-1);
    const index = s.ebpf.push(span.ebpf ? 1 : 0);
    this.addLine(DLV_LINE_ENTRY, span.goroutine, span.startNs, index);
    return index;
  }

  /** Records a return line; when `span` >= 0 it closes that span. */
  addReturn(goroutine: number, timeNs: number, span: number, values: string): void {
    const seq = this.lineCount;
    this.addLine(DLV_LINE_RETURN, goroutine, timeNs, span);
    if (span < 0) return;
    this.s.endNs.set(span, timeNs);
    this.s.endSeq.set(span, seq);
    this.s.returns.set(span, this.strings.intern(values));
  }

  setStack(span: number, stack: string): void {
    this.s.stack.set(span, this.strings.intern(stack));
  }

  setArgs(span: number, args: string): void {
    this.s.args.set(span, this.strings.intern(args));
  }

  setReturnValues(span: number, values: string): void {
    this.s.returns.set(span, this.strings.intern(values));
  }

  funcName(span: number): string {
    return this.strings.strings[this.s.func.get(span)] ?? '';
  }

  isClosed(span: number): boolean {
    return this.s.endSeq.get(span) >= 0;
  }

  private addLine(kind: number, goroutine: number, timeNs: number, span: number): void {
    this.l.kind.push(kind);
    this.l.goroutine.push(goroutine);
    this.l.timeNs.push(timeNs);
    this.l.span.push(span);
  }

  finish(meta: {
    wallBaseNs: bigint | null;
    firstTimestamp: string | null;
    lastTimestamp: string | null;
    otherLines: number;
    unterminated: number;
    gluedTimestamps: number;
  }): DlvModel {
    const s = this.s;
    const l = this.l;
    return {
      kind: 'dlv',
      spanCount: this.spanCount,
      spans: {
        goroutine: s.goroutine.finish(),
        func: s.func.finish(),
        tracepoint: s.tracepoint.finish(),
        args: s.args.finish(),
        returns: s.returns.finish(),
        stack: s.stack.finish(),
        depth: s.depth.finish(),
        frame: s.frame.finish(),
        startNs: s.startNs.finish(),
        endNs: s.endNs.finish(),
        startSeq: s.startSeq.finish(),
        endSeq: s.endSeq.finish(),
        ebpf: s.ebpf.finish(),
      },
      lineCount: this.lineCount,
      lines: {
        kind: l.kind.finish(),
        goroutine: l.goroutine.finish(),
        timeNs: l.timeNs.finish(),
        span: l.span.finish(),
      },
      strings: this.strings.strings,
      ...meta,
    };
  }
}

/** First and last timestamp of a log's entry/return lines (ns on its own axis), or null without any. */
export function dlvTimeExtent(m: DlvModel): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < m.lineCount; i++) {
    const t = m.lines.timeNs[i] as number;
    if (t < lo) lo = t;
    if (t > hi) hi = t;
  }
  return lo <= hi ? [lo, hi] : null;
}
