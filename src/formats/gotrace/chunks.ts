// A v2 trace in runs of whole generations, for the parallel decoder (parallel.ts):
//   - `scanGenerations` finds where each generation's bytes are by reading batch headers only
//     (the same reading rules as generation.ts, whose structure it mirrors), from a ByteSource that
//     can read the file in slices (a File in the browser, a file descriptor in Node);
//   - `decodeRun` decodes one run's bytes on its own into a TraceLog (model/traceLog.ts), as if
//     its first generation started the trace, writing down what it assumed (continuation.ts).
// Both are pure: they run in a worker, in Node's worker_threads, or inline in tests.

import { TraceLog, type TraceLogData } from '../../model/traceLog';
import { ByteReader, READ_OK, readErrorText } from './bytes';
import { EntryLog, entryData, type EntryData, type OrderExit } from './continuation';
import { GenerationReader, TraceFault } from './generation';
import { Orderer } from './order';
import {
  EvCPUSamples,
  EvEndOfGeneration,
  EvEventBatch,
  EvExperimentalBatch,
  EvFrequency,
  EvStacks,
  EvStrings,
  EvSync,
  GO125,
  GO126,
  MAX_BATCH_SIZE,
} from './spec';

/** Bytes of a file, read in slices. */
export interface ByteSource {
  readonly size: number;
  /** Bytes [start, end) of the file (a view where the bytes are already in memory). */
  read(start: number, end: number): Uint8Array;
  /**
   * Bytes [start, end) into `scratch` when it is large enough (a view of it), else as `read`:
   * for reading one piece after another without allocating each (and the OS zero-filling it).
   */
  readInto?(start: number, end: number, scratch: Uint8Array): Uint8Array;
}

/** A source over bytes in memory: slices are views, nothing is copied. */
export function bytesSource(bytes: Uint8Array): ByteSource {
  return { size: bytes.length, read: (start, end) => bytes.subarray(start, end) };
}

/**
 * `src` read a block of `blockBytes` at a time: a read inside a block held is a view of it,
 * costing no call; one that crosses a block's end is read on its own. For a source whose every read
 * costs a fixed toll, like a File read with FileReaderSync in a worker (about 2 ms a call in
 * Chromium 156, whatever its size: the scan of a 176 MB trace read its 1,915 batch headers in
 * 4.4 s), and reads that move forward, as the scan and the in-order decode do. The last `blocks`
 * blocks are held, so that two readers a little apart (the scan a generation ahead of the decode,
 * worker/worker.ts) read each block once between them: every block read is a fresh buffer, which
 * costs the kernel's zero-filling and, in a heap as large as a decoder's, a garbage collection.
 * Views stay valid after the next block is read (a block is replaced, never written).
 */
export function blockCache(src: ByteSource, blockBytes: number, blocks = 1): ByteSource {
  /** Blocks held, the last read last. */
  const held: Array<{ start: number; bytes: Uint8Array }> = [];
  return {
    size: src.size,
    read(from, to) {
      for (let i = held.length - 1; i >= 0; i--) {
        const b = held[i]!;
        if (from >= b.start && to <= b.start + b.bytes.length)
          return b.bytes.subarray(from - b.start, to - b.start);
      }
      const first = Math.floor(from / blockBytes) * blockBytes;
      if (to > first + blockBytes) return src.read(from, to);
      const bytes = src.read(first, Math.min(src.size, first + blockBytes));
      held.push({ start: first, bytes });
      if (held.length > blocks) held.shift();
      return bytes.subarray(from - first, to - first);
    },
  };
}

/** One generation's bytes, as the generation reader would read it. */
export interface GenerationSpan {
  gen: number;
  byteStart: number;
  byteEnd: number;
}

export interface TraceScan {
  generations: GenerationSpan[];
  /**
   * What the sequential reader meets after these generations, null for a clean end. The parallel
   * decoder leaves traces that have one to it (the message and what was kept are its to say).
   */
  fault: { message: string; offset: number } | null;
}

/**
 * Bytes the scanner reads at once: batch headers are small and the data between them is skipped,
 * so a window about a batch long reads little more than the headers.
 */
const WINDOW = 64 << 10;

/** A moving window over a ByteSource, so that reading a header costs no call when near the last. */
class Window {
  private buf: Uint8Array = new Uint8Array(0);
  private start = 0;
  constructor(private readonly src: ByteSource) {}
  /** A reader over at least `n` bytes from `pos` (fewer at the end of the file). */
  at(pos: number, n: number): ByteReader {
    if (pos < this.start || pos + n > this.start + this.buf.length) {
      this.start = pos;
      this.buf = this.src.read(pos, Math.min(this.src.size, pos + Math.max(n, WINDOW)));
    }
    return new ByteReader(this.buf, pos - this.start);
  }
  offset(r: ByteReader): number {
    return this.start + r.pos;
  }
}

interface Header {
  gen: number;
  start: number;
  dataEnd: number;
  endOfGeneration: boolean;
  /** The batch holds timed events of a thread (not a table, the sync data or an experiment). */
  events: boolean;
}

/** Header of the batch at `pos`, or null at a clean end of input (generation.ts readBatch). */
function readHeader(w: Window, size: number, pos: number, version: number): Header | null {
  if (pos >= size) return null;
  const r = w.at(pos, 64);
  const typ = r.readByte();
  if (typ === EvEndOfGeneration) {
    return { gen: 0, start: pos, dataEnd: w.offset(r), endOfGeneration: true, events: false };
  }
  if (typ !== EvEventBatch && typ !== EvExperimentalBatch) {
    throw new TraceFault(`expected batch event, got event ${typ}`, pos);
  }
  let exp = 0;
  if (typ === EvExperimentalBatch) {
    if (pos + 1 >= size) return null;
    exp = r.readByte();
  }
  const varint = (what: string): number => {
    const v = r.readUvarint();
    if (r.err !== READ_OK) {
      const e = r.err;
      r.err = READ_OK;
      throw new TraceFault(`error reading batch ${what}: ${readErrorText(e)}`, pos);
    }
    return v;
  };
  const gen = varint('gen');
  varint('M ID');
  varint('timestamp');
  const len = varint('size');
  if (len > MAX_BATCH_SIZE || len < 0) {
    throw new TraceFault(`invalid batch size ${len}, maximum is ${MAX_BATCH_SIZE}`, pos);
  }
  const dataStart = w.offset(r);
  if (size - dataStart < len) {
    throw new TraceFault(
      `failed to read full batch: read ${size - dataStart} but wanted ${len}`,
      pos,
    );
  }
  let events = exp === 0;
  if (events && len > 0) {
    const first = w.at(dataStart, 1).readByte();
    events = !(
      first === EvStrings ||
      first === EvStacks ||
      first === EvCPUSamples ||
      (first === EvFrequency && version < GO125) ||
      (first === EvSync && version >= GO125)
    );
  }
  return { gen, start: pos, dataEnd: dataStart + len, endOfGeneration: false, events };
}

/**
 * Where each generation is (generation.ts `next`, reading headers only). Damage the reader would
 * only find inside a batch (its strings, stacks, events) is not seen here: the run that holds it
 * reports it when decoded.
 */
export function scanGenerations(src: ByteSource, headerLength: number, version: number): TraceScan {
  const generations: GenerationSpan[] = [];
  const it = generationSpans(src, headerLength, version);
  for (let r = it.next(); ; r = it.next()) {
    if (r.done) return { generations, fault: r.value };
    generations.push(r.value);
  }
}

/** A trace's generations found as they are reached, then the fault that ended them (or null). */
export type GenerationStream = Generator<GenerationSpan, TraceScan['fault'], void>;

/**
 * `scanGenerations` one generation at a time, so that decoding can start before the scan has
 * read the whole file (worker/worker.ts decodes a large trace as its scan goes).
 */
export function* generationSpans(
  src: ByteSource,
  headerLength: number,
  version: number,
): GenerationStream {
  const w = new Window(src);
  const size = src.size;
  let pos = headerLength;
  try {
    if (version >= GO126) {
      for (;;) {
        const start = pos;
        let gen = 0;
        let events = false;
        for (;;) {
          const b = readHeader(w, size, pos, version);
          if (b === null) {
            if (events) {
              throw new TraceFault(
                'incomplete generation found; trace likely truncated (no end-of-generation marker)',
                pos,
              );
            }
            return null;
          }
          if (gen === 0) gen = b.gen;
          pos = b.dataEnd;
          if (b.endOfGeneration) break;
          if (b.gen === 0) throw new TraceFault(`invalid generation number ${b.gen}`, b.start);
          if (b.gen !== gen) {
            throw new TraceFault(
              'broken trace: missing end-of-generation event, or generations are interleaved',
              b.start,
            );
          }
          events ||= b.events;
        }
        yield { gen, byteStart: start, byteEnd: pos };
      }
    }
    // Before Go 1.26: a generation ends where a batch of the next one begins.
    let spill: Header | null = null;
    for (let first = true; ; first = false) {
      if (!first && spill === null) return null;
      const start = spill?.start ?? pos;
      let gen = spill?.gen ?? 0;
      if (spill) pos = spill.dataEnd;
      spill = null;
      for (;;) {
        let b: Header | null;
        try {
          b = readHeader(w, size, pos, version);
        } catch (e) {
          // Go decodes what it read of this generation, then reports the error (spillErr).
          if (gen !== 0 && e instanceof TraceFault) {
            yield { gen, byteStart: start, byteEnd: pos };
            return { message: e.message, offset: e.offset };
          }
          throw e;
        }
        if (b === null) break;
        if (b.gen === 0) throw new TraceFault(`invalid generation number ${b.gen}`, b.start);
        if (gen === 0) gen = b.gen;
        if (b.gen === gen + 1) {
          spill = b;
          break;
        }
        if (b.gen !== gen) throw new TraceFault('generations out of order', b.start);
        pos = b.dataEnd;
      }
      yield { gen, byteStart: start, byteEnd: spill?.start ?? pos };
    }
  } catch (e) {
    if (!(e instanceof TraceFault)) throw e;
    return { message: e.message, offset: e.offset };
  }
}

/** A run decoded on its own (see parallel.ts). */
export interface RunResult {
  log: TraceLogData;
  /** What the run assumed of the state before it; null for a run that starts the trace. */
  entry: EntryData | null;
  exit: OrderExit;
  /** A problem met inside the run (the sequential decoder then says what and where). */
  fault: string | null;
}

/**
 * Decodes the generations in `bytes` (file offsets `base` ..), on their own: as the start of the
 * trace when `continued` is false, else writing down what is assumed of the state before.
 */
export function decodeRun(
  bytes: Uint8Array,
  base: number,
  version: number,
  continued: boolean,
): RunResult {
  const sink = new TraceLog(bytes.length);
  const entry = continued ? new EntryLog() : null;
  const reader = new GenerationReader(bytes, 0, version, sink);
  const order = new Orderer(bytes, sink, entry);
  let fault: string | null = null;
  try {
    for (;;) {
      const g = reader.next();
      if (g === null) break;
      order.run(g);
      if (reader.deferred !== null) throw reader.deferred;
    }
  } catch (e) {
    if (!(e instanceof TraceFault)) throw e;
    fault = `${e.message} (byte ${base + e.offset})`;
  }
  const log = sink.finish();
  const gens = log.generations;
  for (let i = 0; i < gens.length; i++) {
    gens.byteStart[i] = (gens.byteStart[i] as number) + base;
    gens.byteEnd[i] = (gens.byteEnd[i] as number) + base;
  }
  return {
    log,
    entry: entry ? entryData(entry, sink.strings.strings) : null,
    exit: order.exit(),
    fault,
  };
}
