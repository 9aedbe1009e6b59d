// Decodes Go execution traces of format versions 1.22, 1.23, 1.25 and 1.26 (written by Go 1.22
// and later) into the columnar TraceModel, with the meaning Go's own reader gives each event
// (Go src/internal/trace, go1.26: reader.go, generation.go, batch.go, order.go).
//
// The input is read generation by generation (generation.ts), and each generation's events are
// ordered and emitted into the model builder (order.ts). Like Go's reader, a problem in a later
// part of the trace leaves everything before it usable: the result then carries the partial model
// and an error that says where decoding stopped and how much of the file was lost.

import { DecodeError, DETAIL_MARK } from '../../base/errors';
import type { TraceModel } from '../../model/trace';
import { TraceBuilder } from '../../model/traceBuilder';
import type { TraceSink } from '../../model/traceSink';
import { GenerationReader, TraceFault, type Generation } from './generation';
import { Orderer } from './order';
import { V1_VERSIONS, V2_VERSIONS } from './spec';
import { decodeGoTraceV1 } from './v1/decode';

export interface GoTraceDecodeOptions {
  /** Progress per generation: the fraction of the input's bytes decoded so far. */
  onProgress?: (stage: string, fraction: number) => void;
}

export interface GoTraceDecodeResult {
  model: TraceModel;
  /** Null when the whole trace decoded; otherwise what stopped decoding (the model is partial). */
  error: DecodeError | null;
}

/** Go's header: `go 1.N trace\0\0\0` (src/internal/trace/version/version.go, go1.26). */
export function readHeader(bytes: Uint8Array): { minor: number; length: number } | null {
  const prefix = 'go 1.';
  const suffix = ' trace\0\0\0';
  let i = 0;
  for (; i < prefix.length; i++) if (bytes[i] !== prefix.charCodeAt(i)) return null;
  let minor = 0;
  const digitsStart = i;
  while (i < bytes.length && i - digitsStart < 4) {
    const c = bytes[i] as number;
    if (c < 0x30 || c > 0x39) break;
    minor = minor * 10 + (c - 0x30);
    i++;
  }
  if (i === digitsStart) return null;
  for (let k = 0; k < suffix.length; k++, i++) {
    if (bytes[i] !== suffix.charCodeAt(k)) return null;
  }
  return { minor, length: i };
}

/**
 * Decodes a Go execution trace. Throws DecodeError when nothing usable can be read (not a
 * trace, an unsupported or future version, damage before the first event); returns a partial
 * model with `error` set when a later part is damaged or the file is truncated.
 */
export function decodeGoTrace(
  bytes: Uint8Array,
  options: GoTraceDecodeOptions = {},
): GoTraceDecodeResult {
  const progress = options.onProgress ?? (() => {});
  const header = readHeader(bytes);
  if (header === null) {
    throw new DecodeError('unrecognized', 'bad file format: not a Go execution trace?', 0);
  }
  const { minor } = header;
  if (V1_VERSIONS.includes(minor)) return decodeGoTraceV1(bytes, minor, options);
  if (!V2_VERSIONS.includes(minor)) {
    const newer = minor > Math.max(...V2_VERSIONS);
    throw new DecodeError(
      'unsupported',
      `${newer ? `this trace was written by Go 1.${minor}, in a format newer than this viewer reads` : `this trace's format (Go 1.${minor}) is not one this viewer reads`}; nothing was opened. ` +
        `goroscope reads the execution traces of Go ${readableVersions()}. ` +
        `Open it with the go tool trace of the Go that wrote it, or record it again with a Go listed here.` +
        `${DETAIL_MARK}unknown or unsupported trace version go 1.${minor}`,
    );
  }

  // Every goroutine transition takes at least one byte of input: a bound for the reservation.
  const builder = new TraceBuilder({ maxIntervals: bytes.length });
  const r = decodeV2Into(bytes, header.length, minor, builder, progress);
  const model = builder.finish({
    version: `1.${minor}`,
    threadCount: r.threadCount,
    partial: r.fault !== null,
    lostBytes: r.lostBytes,
    byteLength: bytes.length,
  });
  if (r.fault === null) return { model, error: null };
  const error = faultError(minor, bytes.length, r);
  if (!r.usable) throw error;
  return { model, error };
}

/** "1.11-1.21 (the older format), 1.22, 1.23, 1.25 and 1.26": the versions read, for messages. */
function readableVersions(): string {
  const v1 = [...V1_VERSIONS].sort((a, b) => a - b);
  const v2 = [...V2_VERSIONS].sort((a, b) => a - b).map((m) => `1.${m}`);
  const last = v2.pop();
  return `1.${v1[0]}-1.${v1.at(-1)} (the older format), ${v2.join(', ')} and ${last}`;
}

/** What decoding a v2 trace into a sink met (see `decodeV2Into`). */
export interface V2Outcome {
  threadCount: number;
  fault: TraceFault | null;
  /** Bytes at the end that were not decoded. */
  lostBytes: number;
  /** Complete generations decoded, and the one being decoded when the fault came. */
  complete: number;
  current: Generation | null;
  /** Whether anything besides Syncs was decoded. */
  usable: boolean;
  /** Events kept (besides Syncs). */
  events: number;
}

/**
 * Decodes the v2 trace in `bytes` (format `go 1.<minor>`, header of `headerLength` bytes) into
 * `sink`, in order, as Go's reader does: the sequential decoder, into a TraceBuilder or the
 * summary sink.
 */
export function decodeV2Into(
  bytes: Uint8Array,
  headerLength: number,
  minor: number,
  sink: TraceSink,
  progress: (stage: string, fraction: number) => void = () => {},
): V2Outcome {
  const reader = new GenerationReader(bytes, headerLength, minor, sink);
  const order = new Orderer(bytes, sink);
  const total = bytes.length;
  let fault: TraceFault | null = null;
  let current: Generation | null = null;
  let complete = 0;
  let lostFrom = total;
  progress('decoding', 0);
  try {
    for (;;) {
      let g: Generation | null;
      try {
        g = reader.next();
      } catch (e) {
        // Go emits the Sync that closes what was read, then reports the error.
        order.syncAtLast();
        lostFrom = reader.stoppedAt >= 0 ? reader.stoppedAt : reader.position;
        throw e;
      }
      if (g === null) {
        order.syncAtLast();
        break;
      }
      current = g;
      lostFrom = g.byteStart;
      order.run(g);
      current = null;
      complete++;
      lostFrom = total;
      progress('decoding', g.byteEnd / total);
      if (reader.deferred !== null) {
        order.syncAtLast();
        lostFrom = reader.stoppedAt;
        throw reader.deferred;
      }
    }
  } catch (e) {
    if (!(e instanceof TraceFault)) throw e;
    fault = e;
  }
  progress('decoding', 1);
  return {
    threadCount: order.threadCount,
    fault,
    lostBytes: fault === null ? 0 : Math.max(0, total - lostFrom),
    complete,
    current,
    usable: order.events > order.syncs,
    events: Math.max(0, order.events - order.syncs),
  };
}

/** The error a fault in a v2 trace gives: where decoding stopped, what was kept and lost. */
export function faultError(minor: number, total: number, r: V2Outcome): DecodeError {
  const fault = r.fault as TraceFault;
  const { complete, current, lostBytes } = r;
  const plural = (n: number): string => `${n} complete generation${n === 1 ? '' : 's'}`;
  const where =
    current !== null
      ? `generation ${current.gen} (bytes ${current.byteStart}-${current.byteEnd})`
      : complete === 0
        ? 'the first generation'
        : `the generation after ${plural(complete)}`;
  const kept =
    complete > 0 || r.usable
      ? `kept ${plural(complete)}${current !== null ? ' and the events of the broken one before the problem' : ''}`
      : 'nothing could be decoded';
  // Reads that ran out of bytes: the file ends early (an interrupted write or a cut copy).
  const truncated = /failed to read full|incomplete generation|unexpected EOF/.test(fault.message);
  const pct = total > 0 ? ((100 * lostBytes) / total).toFixed(1) : '0';
  const detail =
    `go 1.${minor} trace ${truncated ? 'is truncated' : 'is damaged'}: ${where}: ${fault.message}; ` +
    `${kept}; ${lostBytes} of ${total} bytes (${pct}%) not decoded`;
  // In plain words first (issue 20): what happened, what was kept, what to do.
  const events = r.usable ? r.events : 0;
  const keptText =
    events > 0
      ? `the ${events.toLocaleString('en-US')} events before the ${truncated ? 'cut' : 'damage'} were kept`
      : `nothing before the ${truncated ? 'cut' : 'damage'} could be kept, as it is in the first part of the trace (Go writes a trace in generations, each complete only at its end)`;
  const advice = truncated
    ? 'Record the trace again and let it finish (stop the trace before the program exits), or copy the whole file again.'
    : 'Record the trace again, or open a copy that was not damaged.';
  const plain = `The file is ${truncated ? 'truncated (it ends early)' : 'damaged'}: ${keptText}. ${advice}`;
  return new DecodeError('corrupt', `${plain}${DETAIL_MARK}${detail}`, fault.offset);
}
