// Decoder for `dlv trace` logs (grammar in ./grammar.ts). One pass over the lines, streaming the
// UTF-8 decode, writing spans through DlvBuilder. Every span is one traced call; a return closes
// the innermost open entry of the same function on the same goroutine (SUMMARY.md), and a return
// that finds none closes nothing.

import { clip, forEachLine, stripAnsi } from '../../base/text';
import { parseRfc3339 } from '../../base/rfc3339';
import { DlvBuilder, type DlvModel } from '../../model/dlv';
import {
  EBPF_ENTRY,
  EBPF_RETURN,
  GLUED_TIMESTAMPS,
  argsOpenParen,
  findHeaders,
  matchParen,
  startsWithHeader,
  type Header,
} from './grammar';

/** Bounds on what one call may hold, so a damaged or hostile log cannot exhaust memory. */
const MAX_ARGS_CHARS = 16 << 10;
const MAX_STACK_CHARS = 16 << 10;
const MAX_CONTINUATION_LINES = 10_000;

export interface DlvDecodeOptions {
  onProgress?: (fraction: number) => void;
}

export function decodeDlv(bytes: Uint8Array, options: DlvDecodeOptions = {}): DlvModel {
  const reader = new DlvReader();
  forEachLine(bytes, (line) => reader.line(line), options.onProgress);
  return reader.finish();
}

interface Pending {
  kind: 'entry' | 'return';
  span: number;
  parts: string[];
  chars: number;
  depth: number;
  inString: boolean;
  lines: number;
}

interface GoroutineState {
  /** Open spans that still count for nesting depth, outermost first. */
  open: number[];
}

class DlvReader {
  private readonly b = new DlvBuilder();
  private wallBase: bigint | null = null;
  private firstTs: string | null = null;
  private lastTs: string | null = null;
  private otherLines = 0;
  private unterminated = 0;
  private gluedTimestamps = 0;
  private pending: Pending | null = null;
  /** Span whose `Stack:` block may follow (the last line was its entry), or -1. */
  private stackTarget = -1;
  private stackLines: string[] | null = null;
  private stackChars = 0;
  private readonly goroutines = new Map<number, GoroutineState>();
  /** Open spans per goroutine and function, innermost last: what a return closes. */
  private readonly openByFunc = new Map<string, number[]>();
  /** Position of a span in its goroutine's `open` list, while it counts for depth. */
  private readonly posInOpen = new Map<number, number>();
  private readonly ebpfOpen: number[] = [];

  line(raw: string): void {
    const line = stripAnsi(raw);
    if (this.pending) {
      if (!startsTraceLine(line)) {
        this.continuePending(line);
        return;
      }
      this.finishPending(false);
    }
    if (this.stackLine(line)) return;
    if (line.length === 0) return; // nothing else to learn from an empty line

    const headers = findHeaders(line);
    if (headers.length === 0) {
      if (!this.ebpfLine(line)) this.other(line);
      return;
    }
    const first = headers[0];
    if (first && first.index > 0) this.other(line.slice(0, first.index));
    for (let i = 0; i < headers.length; i++) {
      const h = headers[i] as Header;
      const next = headers[i + 1];
      const end = next ? next.index : line.length;
      if (this.pending) this.finishPending(false); // a glued line cut a multi-line call short
      this.traceLine(h, line.slice(h.end, end));
    }
  }

  finish(): DlvModel {
    if (this.pending) this.finishPending(false);
    this.endStack();
    return this.b.finish({
      wallBaseNs: this.wallBase,
      firstTimestamp: this.firstTs,
      lastTimestamp: this.lastTs,
      otherLines: this.otherLines,
      unterminated: this.unterminated,
      gluedTimestamps: this.gluedTimestamps,
    });
  }

  private other(text: string): void {
    if (text.trim() === '') return;
    this.otherLines++;
    const glued = GLUED_TIMESTAMPS.exec(text);
    if (glued) this.gluedTimestamps += glued[0].split(' ').length - 1;
  }

  private traceLine(h: Header, afterHeader: string): void {
    this.endStack();
    const timeNs = this.time(h.ts);
    const rest = afterHeader.startsWith(' ') ? afterHeader.slice(1) : afterHeader;
    if (h.arrows === '>') this.entry(h.goroutine, h.frame, timeNs, rest, false);
    else this.ret(h.goroutine, timeNs, rest);
  }

  private entry(g: number, frame: number, timeNs: number, rest: string, ebpf: boolean): void {
    let tracepoint: string | null = null;
    let call = rest;
    if (call.startsWith('[')) {
      const close = call.indexOf('] ');
      if (close > 0) {
        tracepoint = call.slice(1, close);
        call = call.slice(close + 2);
      }
    }
    const open = argsOpenParen(call);
    const func = (open < 0 ? call : call.slice(0, open)).trim();
    if (func === '') {
      this.otherLines++;
      return;
    }
    const scan = open < 0 ? null : matchParen(call, open, 0);
    const args =
      open < 0
        ? ''
        : scan && scan.close >= 0
          ? call.slice(open + 1, scan.close)
          : call.slice(open + 1);
    const span = this.openSpan(
      g,
      func,
      tracepoint,
      clip(args, MAX_ARGS_CHARS),
      frame,
      timeNs,
      ebpf,
    );
    if (scan && scan.close < 0) {
      this.pending = {
        kind: 'entry',
        span,
        parts: args.length ? [args] : [],
        chars: args.length,
        depth: scan.depth,
        inString: scan.inString,
        lines: 0,
      };
      return;
    }
    // Delve before 1.9 printed the return on the entry's line: `f(args) => (values)`.
    const after = scan ? call.slice(scan.close + 1) : '';
    const inline = inlineReturn(after);
    if (inline !== null) this.closeSpan(g, func, timeNs, inline);
    else this.stackTarget = span;
  }

  private ret(g: number, timeNs: number, rest: string): void {
    // `pkg.Func => (values)`; older Delve printed `=> (values)` without the function.
    let func = '';
    let values = rest;
    const arrow = rest.indexOf(' => ');
    if (rest.startsWith('=> ')) values = rest.slice(3);
    else if (arrow >= 0) {
      func = rest.slice(0, arrow).trim();
      values = rest.slice(arrow + 4);
    } else {
      func = rest.trim();
      values = '';
    }
    let text = values;
    let scan = null;
    if (values.startsWith('(')) {
      scan = matchParen(values, 0, 0);
      text = scan.close >= 0 ? values.slice(1, scan.close) : values.slice(1);
    }
    const span = this.closeSpan(g, func, timeNs, clip(text, MAX_ARGS_CHARS));
    if (scan && scan.close < 0) {
      this.pending = {
        kind: 'return',
        span,
        parts: text.length ? [text] : [],
        chars: text.length,
        depth: scan.depth,
        inString: scan.inString,
        lines: 0,
      };
    }
  }

  private ebpfLine(line: string): boolean {
    const e = EBPF_ENTRY.exec(line);
    if (e) {
      this.endStack();
      this.entry(Number(e[2]), -1, this.time(e[1]), e[3] ?? '', true);
      return true;
    }
    if (this.ebpfOpen.length === 0) return false;
    const r = EBPF_RETURN.exec(line);
    if (!r) return false;
    // eBPF returns name neither goroutine nor function: they close the latest open eBPF call.
    const span = this.ebpfOpen.pop() as number;
    const g = this.spanGoroutine.get(span) ?? 0;
    this.forgetOpen(span, g, this.spanFunc.get(span) ?? '');
    this.b.addReturn(g, this.time(r[1]), span, clip(r[2] ?? '', MAX_ARGS_CHARS));
    return true;
  }

  // Goroutine and function of open eBPF spans (eBPF returns carry neither).
  private readonly spanGoroutine = new Map<number, number>();
  private readonly spanFunc = new Map<number, string>();

  private openSpan(
    g: number,
    func: string,
    tracepoint: string | null,
    args: string,
    frame: number,
    startNs: number,
    ebpf: boolean,
  ): number {
    let gs = this.goroutines.get(g);
    if (!gs) {
      gs = { open: [] };
      this.goroutines.set(g, gs);
    }
    const span = this.b.addSpan({
      goroutine: g,
      func,
      tracepoint,
      args,
      depth: gs.open.length,
      frame,
      startNs,
      ebpf,
    });
    this.posInOpen.set(span, gs.open.length);
    gs.open.push(span);
    const key = funcKey(g, func);
    const list = this.openByFunc.get(key);
    if (list) list.push(span);
    else this.openByFunc.set(key, [span]);
    if (ebpf) {
      this.ebpfOpen.push(span);
      this.spanGoroutine.set(span, g);
      this.spanFunc.set(span, func);
    }
    return span;
  }

  /** Records a return line and closes the span it belongs to; returns that span or -1. */
  private closeSpan(g: number, func: string, timeNs: number, values: string): number {
    let span = -1;
    if (func === '') {
      const open = this.goroutines.get(g)?.open;
      span = open && open.length > 0 ? (open[open.length - 1] as number) : -1;
      if (span >= 0) this.forgetOpen(span, g, this.b.funcName(span));
    } else {
      const list = this.openByFunc.get(funcKey(g, func));
      if (list && list.length > 0) {
        span = list.pop() as number;
        this.forgetOpen(span, g, null);
      }
    }
    if (span >= 0) {
      const e = this.ebpfOpen.lastIndexOf(span);
      if (e >= 0) this.ebpfOpen.splice(e, 1);
    }
    this.b.addReturn(g, timeNs, span, values);
    return span;
  }

  /**
   * Takes a closing span out of the open sets. Calls opened after it on the same goroutine and
   * still open lost their returns (a panic, a missed tracepoint): they stop counting for depth,
   * but a later return of their function may still close them.
   */
  private forgetOpen(span: number, g: number, funcToUnlist: string | null): void {
    if (funcToUnlist !== null) {
      const list = this.openByFunc.get(funcKey(g, funcToUnlist));
      const i = list ? list.lastIndexOf(span) : -1;
      if (list && i >= 0) list.splice(i, 1);
    }
    const pos = this.posInOpen.get(span);
    const gs = this.goroutines.get(g);
    if (pos === undefined || !gs) return;
    for (let j = pos; j < gs.open.length; j++) this.posInOpen.delete(gs.open[j] as number);
    gs.open.length = pos;
  }

  private continuePending(line: string): void {
    const p = this.pending as Pending;
    p.lines++;
    const scan = matchParen(line, -1, p.depth, p.inString);
    const piece = scan.close >= 0 ? line.slice(0, scan.close) : line;
    if (p.chars < MAX_ARGS_CHARS) {
      const t = piece.trim();
      p.parts.push(t);
      p.chars += t.length + 1;
    }
    if (scan.close >= 0) {
      this.finishPending(true);
      return;
    }
    p.depth = scan.depth;
    p.inString = scan.inString;
    if (p.lines >= MAX_CONTINUATION_LINES) this.finishPending(false);
  }

  private finishPending(closed: boolean): void {
    const p = this.pending as Pending;
    this.pending = null;
    if (!closed) this.unterminated++;
    const text = clip(p.parts.filter((s) => s.length > 0).join('\n'), MAX_ARGS_CHARS);
    if (p.kind === 'entry') {
      this.b.setArgs(p.span, text);
      if (closed) this.stackTarget = p.span;
    } else if (p.span >= 0) {
      this.b.setReturnValues(p.span, text);
    }
  }

  /** Collects a `Stack:` block printed after an entry; true when the line belonged to one. */
  private stackLine(line: string): boolean {
    if (this.stackLines === null) {
      if (this.stackTarget < 0 || !/^\s+Stack:\s*$/.test(line)) {
        if (line.trim() !== '' || this.stackTarget < 0) this.stackTarget = -1;
        return false;
      }
      this.stackLines = [];
      this.stackChars = 0;
      return true;
    }
    if (/^\t\t/.test(line) || /^\s{2,}\S/.test(line)) {
      if (this.stackChars < MAX_STACK_CHARS) {
        const t = line.trim();
        this.stackLines.push(t);
        this.stackChars += t.length + 1;
      }
      return true;
    }
    this.endStack();
    return false;
  }

  private endStack(): void {
    if (this.stackLines !== null && this.stackTarget >= 0 && this.stackLines.length > 0) {
      this.b.setStack(this.stackTarget, clip(this.stackLines.join('\n'), MAX_STACK_CHARS));
    }
    this.stackLines = null;
    this.stackTarget = -1;
  }

  private time(ts: string | undefined): number {
    if (ts === undefined) return NaN;
    const t = parseRfc3339(ts);
    if (t === null) return NaN;
    if (this.wallBase === null) {
      this.wallBase = t;
      this.firstTs = ts;
    }
    this.lastTs = ts;
    return Number(t - this.wallBase);
  }
}

function funcKey(g: number, func: string): string {
  return `${g}\u0000${func}`;
}

/** Whether a line begins a new trace line (so a pending multi-line call must end). */
function startsTraceLine(line: string): boolean {
  return startsWithHeader(line) || EBPF_ENTRY.test(line) || /^\s+Stack:\s*$/.test(line);
}

/**
 * The values of a return printed on the entry's line, ` => (values)` up to a `)` ending the
 * text (the first ` => (`), or null. What `/ => \((.*)\)$/` matched, by indexOf: that regular
 * expression was quadratic on a line of repeated ` => (`.
 */
function inlineReturn(after: string): string | null {
  if (!after.endsWith(')')) return null;
  // `.` does not match line terminators (lines are already split at \n): start after the last.
  let from = 0;
  for (let i = after.length - 1; i >= 0; i--) {
    const c = after.charCodeAt(i);
    if (c === 0x0d || c === 0x2028 || c === 0x2029) {
      from = i + 1;
      break;
    }
  }
  const k = after.indexOf(' => (', from);
  if (k < 0 || k + 5 > after.length - 1) return null;
  return after.slice(k + 5, after.length - 1);
}
