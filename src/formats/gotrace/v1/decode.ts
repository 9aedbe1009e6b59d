// Decodes Go execution traces of format versions 1.11, 1.19 and 1.21 (written by Go 1.11 to
// 1.21) into the same TraceModel, through the same TraceBuilder, as the 1.22+ decoder, with the
// meaning Go's own reader gives them: Go src/internal/trace/internal/tracev1 (the parser) and
// src/internal/trace/tracev1.go (the conversion to 1.22+ events), go1.26. golang.org/x/exp/trace,
// whose summaries the corpus holds, reads these files through the same code.
//
// Unlike 1.22+ traces, these are not split into self-contained generations: the clock frequency
// and the stack table are written at the very end, and the Ps' batches can only be ordered once
// all of them are read. So the whole file is read first (parse.ts: framing, checks and tables,
// keeping no event), then Go's merge runs over the Ps' batches (order.ts, decoding each event
// from the bytes as it is reached) and each event it gives is validated and converted into the
// builder at once (convert.ts). Go rejects the whole trace on any problem; here, when the clock
// frequency was read, the events before the problem are kept and the error says where.

import { DecodeError, DETAIL_MARK } from '../../../base/errors';
import type { TraceModel } from '../../../model/trace';
import { TraceBuilder } from '../../../model/traceBuilder';
import { Converter } from './convert';
import { Merge, movedBefore } from './order';
import { skipUvarint as skipVarint } from '../../varint';
import { parseV1, V1Fault, type V1Trace } from './parse';
import * as spec from './spec';
import { EvGoInSyscall, EvGoSysBlock, EvGoSysExit } from './spec';
import { GO111, GO119, GO121, HEADER_LEN } from './spec';

export interface GoTraceV1DecodeOptions {
  /** Progress per stage ("reading", then "decoding"): the fraction done. */
  onProgress?: (stage: string, fraction: number) => void;
}

/** The v1 format versions read here (Go's tracev1 reads exactly these). */
export const V1_DECODED_VERSIONS: readonly number[] = [GO111, GO119, GO121];

/**
 * Decodes a v1 trace whose header says `go 1.<minor> trace`. Throws DecodeError when nothing
 * usable can be read (damage before the end, where the clock frequency is, or before any event
 * could be ordered); returns a partial model with `error` set when a later problem stopped it.
 */
export function decodeGoTraceV1(
  bytes: Uint8Array,
  minor: number,
  options: GoTraceV1DecodeOptions = {},
): { model: TraceModel; error: DecodeError | null } {
  const progress = options.onProgress ?? (() => {});
  if (!V1_DECODED_VERSIONS.includes(minor)) {
    throw new DecodeError(
      'unsupported',
      `unsupported trace version go 1.${minor} (this viewer reads go 1.11, 1.19, 1.21 and 1.22+ traces)`,
    );
  }
  const total = bytes.length;
  const name = `go 1.${minor} trace`;

  progress('reading', 0);
  const t = parseV1(bytes, minor, (f) => progress('reading', f));
  if (t.ticksPerSec === 0) {
    if (t.fault !== null) {
      throw new DecodeError(
        'corrupt',
        `The file is ${isTruncation(t.fault) ? 'truncated (it ends early)' : 'damaged'}: nothing could be kept. ` +
          `Traces of Go 1.11-1.21 keep their clock frequency and stack table at the end of the file, ` +
          `so none of the ${t.events.toLocaleString('en-US')} events before the problem can be placed in time. ` +
          `Record the trace again and let it finish, or copy the whole file again.` +
          `${DETAIL_MARK}${name} ${isTruncation(t.fault) ? 'is truncated' : 'is damaged'}: ${t.fault.message}`,
        t.fault.offset,
      );
    }
    throw new DecodeError(
      'corrupt',
      `${name} has no EvFrequency event (it is written at the end of the trace: the file is probably truncated)`,
      total,
    );
  }

  // Every goroutine transition takes at least one byte of input: a bound for the reservation.
  const builder = new TraceBuilder({ maxIntervals: total });
  const conv = new Converter(t, builder, t.minTs);
  // Go's reader emits a Sync just before the first event (at its time - 1), and one after the last.
  if (t.events + t.cpuN > 0) {
    conv.sync(-1);
    builder.generation(-1, HEADER_LEN, total);
  }
  progress('decoding', 0);
  const streamFault = emit(t, conv, (f) => progress('decoding', f));
  conv.sync(conv.lastTs + 1);

  const fault: V1Fault | null = t.fault ?? streamFault;
  const lostBytes = t.fault !== null ? Math.max(0, total - t.fault.offset) : 0;
  const model = builder.finish({
    version: `1.${minor}`,
    threadCount: conv.threadCount,
    partial: fault !== null,
    lostBytes,
    byteLength: total,
  });
  if (fault === null) return { model, error: null };

  const all = t.events + t.cpuN;
  const kept = conv.converted;
  const truncated = t.fault !== null && isTruncation(t.fault);
  const pct = total > 0 ? ((100 * lostBytes) / total).toFixed(1) : '0';
  const keptText =
    kept <= 0
      ? 'no event before it could be decoded'
      : t.fault !== null
        ? `kept the ${kept.toLocaleString('en-US')} events before it that could be ordered; ${lostBytes} of ${total} bytes (${pct}%) not decoded`
        : `kept the ${kept.toLocaleString('en-US')} events before it, of ${all.toLocaleString('en-US')}`;
  const plain =
    kept <= 0
      ? `The file is ${truncated ? 'truncated (it ends early)' : 'damaged'}: nothing before the ${truncated ? 'cut' : 'damage'} could be kept.`
      : `The file is ${truncated ? 'truncated (it ends early)' : 'damaged'}: the ${kept.toLocaleString('en-US')} events before the ${truncated ? 'cut' : 'damage'} were kept.`;
  const advice = truncated
    ? ' Record the trace again and let it finish, or copy the whole file again.'
    : ' Record the trace again, or open a copy that was not damaged.';
  const message = `${plain}${advice}${DETAIL_MARK}${name} ${truncated ? 'is truncated' : 'is damaged'}: ${fault.message}; ${keptText}`;
  const error = new DecodeError('corrupt', message, fault.offset);
  if (kept <= 0) throw error;
  return { model, error };
}

function isTruncation(f: V1Fault): boolean {
  return f.eof;
}

/**
 * Runs Go's merge and converts its stream as it comes. As Go does after its merge, the stream
 * must be in time order, and each syscall exit is put at the real time its syscall returned
 * (a stable sort: parse.ts lists the exits that move, by new time, and they are merged back in
 * here). Returns the problem that stopped it, or null.
 */
function emit(t: V1Trace, conv: Converter, onProgress: (fraction: number) => void): V1Fault | null {
  const m = new Merge(t);
  const total = t.events + t.cpuN;
  const S = t.movedAt.length;
  const moved = new Set(t.movedAt);
  const lastSysBlock = new Float64Array(t.goroutines.ids.length).fill(NaN);
  const buf = t.bytes;
  let mi = 0;
  let prev = -Infinity;
  let nextReport = 1 << 18;
  try {
    while (m.next()) {
      const ts = m.ts;
      const typ = m.typ;
      const g = m.g;
      if (ts < prev) {
        // parser.go: sort.IsSorted, else ErrTimeOrder.
        return new V1Fault(
          `time stamps out of order: ${m.cpu >= 0 ? 'a CPU sample' : spec.eventName(typ)} is earlier than the event before it`,
          m.at,
        );
      }
      prev = ts;
      if (typ === EvGoSysBlock || typ === EvGoInSyscall) {
        lastSysBlock[g] = ts;
      } else if (typ === EvGoSysExit) {
        // Arguments: goroutine, seq, the real ticks of the return (0: none).
        const real = t.ticks.read(buf, skipVarint(buf, skipVarint(buf, m.off)), buf.length);
        if (!t.ticks.zero && real === real) {
          const block = lastSysBlock[g] as number;
          if (block !== block) return new V1Fault('stray syscall exit', m.at);
          if (real < block) {
            return new V1Fault('time stamps out of order: a syscall exits before it blocked', m.at);
          }
          if (S > 0 && moved.has(m.at)) continue; // emitted at its real time
        }
      }
      while (mi < S && movedBefore(t.movedTs[mi] as number, t.movedOld[mi] as number, ts)) {
        const err = emitMoved(t, conv, mi++);
        if (err !== null) return err;
      }
      const err = conv.event(
        typ,
        m.at,
        m.proc,
        ts,
        g,
        m.cpu >= 0 ? (t.cpuStack[m.cpu] as number) : 0,
        m.a0,
        m.a1,
        m.a2,
        m.a3,
        m.argEnd,
      );
      if (err !== null) return new V1Fault(err, m.at);
      if (m.merged >= nextReport) {
        onProgress(m.merged / total);
        nextReport = m.merged + (1 << 18);
      }
    }
  } catch (e) {
    if (!(e instanceof V1Fault)) throw e;
    return e;
  }
  while (mi < S) {
    const err = emitMoved(t, conv, mi++);
    if (err !== null) return err;
  }
  onProgress(1);
  return null;
}

function emitMoved(t: V1Trace, conv: Converter, i: number): V1Fault | null {
  const at = t.movedAt[i] as number;
  // Its arguments (goroutine, seq, real ticks) play no part in its conversion.
  const err = conv.event(
    spec.EvGoSysExit,
    at,
    t.movedP[i] as number,
    t.movedTs[i] as number,
    t.movedG[i] as number,
    0,
    0,
    0,
    0,
    0,
    0,
  );
  return err === null ? null : new V1Fault(err, at);
}
