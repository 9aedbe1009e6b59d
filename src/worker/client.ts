// Main-thread side of the decode workers: a pool (issue 21: no file, link or bundle may start
// workers without bound). At most `poolSize()` workers run (navigator.hardwareConcurrency, at
// most MAX_WORKERS), shared by every file of the page; the other files wait in a queue, in the
// order they came, and say how many are ahead of them. A worker decodes one file at a time and is
// kept for the next; cancelling a file that is being decoded stops its worker (and a new one
// takes its place when needed).

import type { DecodedFile, FormatId } from '../model/file';
import type { InflateLimit } from '../base/budget';
import type { EngineHandoff } from './handoff';
import type { BundleFile, DecodeRequest, WireError, WorkerMessage } from './protocol';

export type DecodeResult =
  /** `rev`: 0, or one more than the last preview of the file that went before (see Preview). */
  | { ok: true; file: DecodedFile; rev?: number }
  | { ok: false; format: FormatId | null; error: WireError }
  | { ok: 'bundle'; state: string; files: BundleFile[] };

/**
 * A local file, a URL, or bytes already in the page (a bundle's entries: each becomes a Blob only
 * when a worker takes it, hundreds of Blobs at once cost the page a second).
 */
export type DecodeSource = Blob | { url: string } | { bytes: Uint8Array };

/** The source as a Blob, or null for a URL. (Blob has a bytes() method: tell it apart first.) */
export function blobOf(source: DecodeSource): Blob | null {
  if (source instanceof Blob) return source;
  return 'bytes' in source ? new Blob([source.bytes as Uint8Array<ArrayBuffer>]) : null;
}

/**
 * The model of what is decoded so far of a large Go trace (worker/worker.ts), posted a few times
 * during its decode: `rev` counts them from 1, and the final model's rev is one more than the last
 * (DecodeResult). The engine worker receives the same previews from the decode worker.
 */
export interface Preview {
  file: DecodedFile;
  rev: number;
}

/** Where a decode stands: a stage, how far, and sometimes a preview of what is decoded so far. */
export type OnProgress = (stage: string, fraction: number, preview?: Preview) => void;

export interface DecodeJob {
  result: Promise<DecodeResult>;
  /** Stops the decode (or takes the file out of the queue); the promise then rejects with an AbortError. */
  cancel(): void;
}

/** Workers at most, whatever the machine reports: each holds a file's bytes and model. */
export const MAX_WORKERS = 4;

/** Workers the pool runs at most: the machine's cores, 1 to MAX_WORKERS. */
export function poolSize(): number {
  const n = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency : 0;
  return Math.max(1, Math.min(MAX_WORKERS, Number.isFinite(n) && n > 0 ? n : 2));
}

interface Task {
  name: string;
  source: DecodeSource;
  inflate: InflateLimit | undefined;
  /** Where the worker posts a copy of the model (worker/handoff.ts), or null. */
  engine: EngineHandoff | null;
  onProgress: OnProgress;
  settle: { resolve(r: DecodeResult): void; reject(e: unknown): void };
  worker: Worker | null;
}

function startWorker(): Worker {
  return new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'decode' });
}

/** A pool of decode workers (one per page: `decodePool`; tests make their own). */
export class DecodePool {
  private readonly idle: Worker[] = [];
  private running = 0;
  private readonly queue: Task[] = [];
  private pumpScheduled = false;

  constructor(
    private readonly size: number = poolSize(),
    private readonly spawn: () => Worker = startWorker,
  ) {}

  /** Starts a worker ahead of need, so the first file does not wait for one to boot. */
  prewarm(): void {
    if (this.idle.length > 0 || this.running > 0 || typeof Worker === 'undefined') return;
    const w = this.spawn();
    // A worker that fails to load is dropped; the next file starts its own and reports it.
    w.onerror = () => {
      const i = this.idle.indexOf(w);
      if (i >= 0) this.idle.splice(i, 1);
      w.terminate();
    };
    this.idle.push(w);
  }

  decode(
    name: string,
    source: DecodeSource,
    onProgress: OnProgress,
    inflate?: InflateLimit,
    engine: EngineHandoff | null = null,
  ): DecodeJob {
    let settle: Task['settle'] | null = null;
    const result = new Promise<DecodeResult>((resolve, reject) => {
      settle = { resolve, reject };
    });
    const task: Task = {
      name,
      source,
      inflate,
      engine,
      onProgress,
      settle: settle as unknown as Task['settle'],
      worker: null,
    };
    this.queue.push(task);
    performance.mark(`goroscope:start:${name}`);
    this.pump();
    return {
      result,
      cancel: () => this.cancel(task),
    };
  }

  /** Files waiting for a worker. */
  get queued(): number {
    return this.queue.length;
  }

  private cancel(task: Task): void {
    const q = this.queue.indexOf(task);
    if (q >= 0) {
      this.queue.splice(q, 1);
      this.schedulePump();
    } else if (task.worker !== null) {
      // Mid-decode: only stopping the worker stops the work.
      task.worker.terminate();
      task.worker = null;
      this.running--;
      this.schedulePump();
    } else {
      return; // already settled
    }
    task.settle.reject(new DOMException(`decoding ${task.name} was cancelled`, 'AbortError'));
  }

  /**
   * Pumps once the current task is over: "Close all" cancels hundreds of files in one go, and
   * pumping after each cancel started (and then stopped) a worker for every one of them.
   */
  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    queueMicrotask(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  /** Gives waiting files to free workers. */
  private pump(): void {
    while (this.queue.length > 0 && this.running < this.size) {
      const task = this.queue.shift() as Task;
      this.run(task);
    }
    this.tellQueue();
  }

  /** Tells each waiting file where it stands. */
  private tellQueue(): void {
    this.queue.forEach((t, i) => {
      t.onProgress(i === 0 ? 'queued, next' : `queued, ${i} file${i === 1 ? '' : 's'} ahead`, 0);
    });
  }

  private run(task: Task): void {
    const worker = this.idle.pop() ?? this.spawn();
    task.worker = worker;
    this.running++;
    const done = (r: DecodeResult | null, failed?: string): void => {
      if (task.worker !== worker) return; // cancelled meanwhile
      task.worker = null;
      this.running--;
      if (failed === undefined) {
        worker.onmessage = null;
        worker.onerror = null;
        this.idle.push(worker);
      } else {
        worker.terminate();
      }
      // Marks for benchmarks (scripts/bench-ui.ts): when each file's result reached the page.
      if (r !== null) task.settle.resolve(r);
      else {
        task.settle.resolve({
          ok: false,
          format: null,
          error: { kind: 'corrupt', message: failed ?? `${task.name}: the decoder stopped` },
        });
      }
      this.pump();
    };
    worker.onmessage = (ev: MessageEvent<WorkerMessage>) => {
      const msg = ev.data;
      if (msg.type === 'progress') {
        task.onProgress(msg.stage, msg.fraction);
        return;
      }
      if (msg.type === 'preview') {
        task.onProgress('decoding', msg.fraction, { file: msg.file, rev: msg.rev });
        return;
      }
      performance.mark(
        `goroscope:decoded:${task.name}`,
        msg.type === 'done' ? { detail: msg.timing } : undefined,
      );
      if (msg.type === 'done') done({ ok: true, file: msg.file, rev: msg.rev });
      else if (msg.type === 'bundle') done({ ok: 'bundle', state: msg.state, files: msg.files });
      else done({ ok: false, format: msg.format, error: msg.error });
    };
    worker.onerror = (ev: ErrorEvent) => {
      done(
        null,
        `${task.name}: the decoder stopped unexpectedly (${ev.message || 'worker error'})`,
      );
    };
    task.onProgress('starting', 0);
    const engine = task.engine;
    worker.postMessage(
      {
        type: 'decode',
        name: task.name,
        source: blobOf(task.source) ?? (task.source as { url: string }),
        inflate: task.inflate,
        ...(engine ? { engine } : {}),
      } satisfies DecodeRequest,
      engine ? [engine.port] : [],
    );
  }
}

/** The page's pool. */
const pool = typeof window !== 'undefined' ? new DecodePool() : null;

/** Starts a decode worker now (see DecodePool.prewarm); the page calls it once it is idle. */
export function prewarmDecoder(): void {
  pool?.prewarm();
}

/**
 * Decodes one file on the page's pool (queued behind the others when every worker is busy). With
 * `engine`, the worker also posts a copy of the model to the engine worker on that port
 * (worker/handoff.ts).
 */
export function decodeInWorker(
  name: string,
  source: DecodeSource,
  onProgress: OnProgress,
  inflate?: InflateLimit,
  engine: EngineHandoff | null = null,
): DecodeJob {
  if (pool === null) throw new Error('decodeInWorker needs a page');
  return pool.decode(name, source, onProgress, inflate, engine);
}
