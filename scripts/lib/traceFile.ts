// The Node CLI's way to decode a Go execution trace file (issue 18): in parallel, reading the file
// in slices. The generations are found by their batch headers (one pass over the headers, the
// data skipped), cut into runs, and each run is decoded by a worker_threads worker that reads its
// own slice (scripts/lib/decodeWorker.ts): no process ever holds the whole file. The runs are
// joined in order into one sink (src/formats/gotrace/parallel.ts) as they arrive: a TraceBuilder
// for the model, or the summary sink, which holds no model at all.
//
// Traces the parallel decoder leaves to the sequential one (a fault anywhere, one generation, a
// run whose assumptions fail, Go 1.11-1.21) are decoded in order, with the whole file in memory:
// the results are the same, by construction and by test (parallel.test.ts).

import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { DecodeError } from '../../src/base/errors';
import { scanGenerations, type ByteSource, type RunResult } from '../../src/formats/gotrace/chunks';
import { decodeV2Into, faultError, readHeader } from '../../src/formats/gotrace/decode';
import { RunJoiner, decodeInOrder, planRuns } from '../../src/formats/gotrace/parallel';
import { V2_VERSIONS } from '../../src/formats/gotrace/spec';
import type { TraceSink } from '../../src/model/traceSink';
import { bundleScript } from './bundle';
import type { RunRequest } from './decodeWorker';

/** At most this many workers, whatever the machine has. */
const MAX_WORKERS = 8;

export interface TraceFileOptions {
  /**
   * Workers to decode runs with (default: the machine's cores, at most MAX_WORKERS); 0 decodes in
   * order, reading one generation at a time.
   */
  workers?: number;
  /** Bytes per run (default: about four runs per worker, 2-32 MiB). */
  runBytes?: number;
}

export interface TraceFileResult<S> {
  sink: S;
  /** The header's minor version (22 for `go 1.22 trace`). */
  minor: number;
  threadCount: number;
  /** Set when a later part is damaged or the file is truncated: the sink holds what came before. */
  error: DecodeError | null;
  /** Bytes at the end that were not decoded, and the file's size. */
  lostBytes: number;
  byteLength: number;
  /** How it was decoded: in runs by workers, or in order (and why). */
  how: string;
}

/** Reads a file in slices through one descriptor. */
export class FileSource implements ByteSource {
  readonly size: number;
  constructor(private readonly fd: number) {
    this.size = fstatSync(fd).size;
  }
  read(start: number, end: number): Uint8Array {
    return this.fill(new Uint8Array(Math.max(0, Math.min(end, this.size) - start)), start);
  }
  /**
   * Into the caller's buffer when it is large enough (decodeInOrder reads every generation into
   * one), so that no generation waits for the GC to give its buffer back. On the 176 MB trace
   * this left summarize's time and page faults as they were (the allocator already reused the
   * freed buffers) and its peak RSS 10-15 MiB lower.
   */
  readInto(start: number, end: number, scratch: Uint8Array): Uint8Array {
    const n = Math.max(0, Math.min(end, this.size) - start);
    return n <= scratch.length ? this.fill(scratch.subarray(0, n), start) : this.read(start, end);
  }
  /** `out` filled from `start`; past the end of a file that shrank meanwhile, zeros, as `read`. */
  private fill(out: Uint8Array, start: number): Uint8Array {
    let done = 0;
    while (done < out.length) {
      const n = readSync(this.fd, out, done, out.length - done, start + done);
      if (n <= 0) break;
      done += n;
    }
    out.fill(0, done);
    return out;
  }
}

let workerBundle: Promise<string> | null = null;

/**
 * Decodes the v2 trace at `path` into a sink made by `makeSink` (called again for the sequential
 * fallback). Null when the file is not a v2 trace (the caller decodes it otherwise). Throws
 * DecodeError when nothing usable can be read, as decodeGoTrace does.
 */
export async function decodeTraceFile<S extends TraceSink>(
  path: string,
  makeSink: (byteLength: number) => S,
  options: TraceFileOptions = {},
): Promise<TraceFileResult<S> | null> {
  const fd = openSync(path, 'r');
  let plan: ReturnType<typeof planRuns> = null;
  let minor = 0;
  let size = 0;
  let workers = 0;
  let why = 'no workers';
  try {
    const src = new FileSource(fd);
    size = src.size;
    const header = readHeader(src.read(0, 64));
    if (header === null || !V2_VERSIONS.includes(header.minor)) return null;
    minor = header.minor;
    workers = Math.max(0, options.workers ?? Math.min(MAX_WORKERS, availableParallelism()));
    const scan = scanGenerations(src, header.length, minor);
    if (workers > 0) {
      const runBytes =
        options.runBytes ?? Math.min(32 << 20, Math.max(2 << 20, Math.ceil(size / (workers * 4))));
      plan = planRuns(scan, runBytes);
      why = 'a fault, or a single run';
    }
    if (plan === null) {
      // In order, one generation's bytes at a time.
      const sink = makeSink(size);
      const r = decodeInOrder(src, scan, minor, sink);
      if ('threadCount' in r) {
        return {
          sink,
          minor,
          threadCount: r.threadCount,
          error: null,
          lostBytes: 0,
          byteLength: size,
          how: `in order, a generation at a time (${why})`,
        };
      }
      why = r.failed;
    }
  } finally {
    closeSync(fd);
  }
  if (plan !== null) {
    const sink = makeSink(size);
    const joiner = new RunJoiner(sink);
    const failed = await runPool(path, minor, plan, workers, joiner);
    if (failed === null) {
      joiner.finish();
      return {
        sink,
        minor,
        threadCount: joiner.state.threads.size,
        error: null,
        lostBytes: 0,
        byteLength: size,
        how: `${plan.length} runs on ${Math.min(workers, plan.length)} workers`,
      };
    }
    why = failed;
  }
  // In order, with the whole file in memory: what the sequential decoder says of a fault.
  const bytes = new Uint8Array(readFileSync(path));
  const sink = makeSink(bytes.length);
  const r = decodeV2Into(bytes, (readHeader(bytes) as { length: number }).length, minor, sink);
  const error = r.fault === null ? null : faultError(minor, bytes.length, r);
  if (error !== null && !r.usable) throw error;
  return {
    sink,
    minor,
    threadCount: r.threadCount,
    error,
    lostBytes: r.lostBytes,
    byteLength: bytes.length,
    how: `in order (${why})`,
  };
}

/**
 * Decodes the planned runs on `n` workers and joins them in order as they arrive. Returns null
 * when every run joined, else why not (the caller then decodes in order).
 */
async function runPool(
  path: string,
  minor: number,
  plan: NonNullable<ReturnType<typeof planRuns>>,
  n: number,
  joiner: RunJoiner,
): Promise<string | null> {
  // A bundle made ahead (scripts/run.mjs, the benchmark) saves building one here.
  workerBundle ??= process.env.GOROSCOPE_DECODE_WORKER
    ? Promise.resolve(process.env.GOROSCOPE_DECODE_WORKER)
    : bundleScript(fileURLToPath(new URL('./decodeWorker.ts', import.meta.url)));
  const bundle = await workerBundle;
  const count = Math.min(n, plan.length);
  const pool = Array.from({ length: count }, () => new Worker(bundle));
  const done = new Map<number, RunResult>();
  let next = 0;
  let joined = 0;
  // Runs dispatched but not yet joined are bounded, so memory stays a few runs' worth.
  const ahead = count * 2 + 1;
  try {
    return await new Promise<string | null>((resolve) => {
      let failed = false;
      const idle: Worker[] = [...pool];
      /** Gives idle workers the next runs, keeping the runs not yet joined bounded. */
      const feed = (): void => {
        while (!failed && idle.length > 0 && next < plan.length && next - joined < ahead) {
          const w = idle.pop() as Worker;
          const r = plan[next] as (typeof plan)[number];
          const req: RunRequest = {
            id: next++,
            path,
            byteStart: r.byteStart,
            byteEnd: r.byteEnd,
            version: minor,
            continued: r.continued,
          };
          w.postMessage(req);
        }
      };
      const fail = (why: string): void => {
        if (failed) return;
        failed = true;
        resolve(why);
      };
      for (const w of pool) {
        w.on('message', (msg: { id: number; result?: RunResult; error?: string }) => {
          if (failed) return;
          idle.push(w);
          if (msg.error !== undefined || !msg.result) {
            fail(`a worker failed: ${msg.error ?? 'no result'}`);
            return;
          }
          done.set(msg.id, msg.result);
          feed(); // before joining: the workers decode while this thread joins
          while (done.has(joined)) {
            const run = done.get(joined) as RunResult;
            done.delete(joined);
            if (!joiner.add(run)) {
              fail(joiner.failed ?? 'the runs could not be joined');
              return;
            }
            joined++;
          }
          if (joined === plan.length) resolve(null);
          else feed();
        });
        w.on('error', (e) => fail(`a worker failed: ${e.message}`));
      }
      feed();
    });
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
}
