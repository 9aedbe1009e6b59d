// Main-thread side of the decode workers: one worker per file, cancellable.

import type { DecodedFile, FormatId } from '../model/file';
import type { InflateLimit } from '../base/budget';
import type { EngineHandoff } from './handoff';
import type { BundleFile, DecodeRequest, WireError, WorkerMessage } from './protocol';

export type DecodeResult =
  | { ok: true; file: DecodedFile }
  | { ok: false; format: FormatId | null; error: WireError }
  | { ok: 'bundle'; state: string; files: BundleFile[] };

export type DecodeSource = Blob | { url: string };

export interface DecodeJob {
  result: Promise<DecodeResult>;
  /** Stops the worker; the promise then rejects with an AbortError. */
  cancel(): void;
}

/** A worker started ahead of need (see `prewarmDecoder`), or null. */
let spare: Worker | null = null;

function startWorker(): Worker {
  return new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'decode' });
}

/**
 * Starts a decode worker now, so the next file does not wait for one to boot (a few hundred ms
 * in Chromium: a new thread, the worker bundle fetched, compiled and run). The page calls it once
 * it is idle, and again after using the spare.
 */
export function prewarmDecoder(): void {
  if (spare !== null || typeof Worker === 'undefined') return;
  const w = startWorker();
  // A spare that fails to load (say, its script cannot be fetched) is dropped here, where nobody
  // would hear of it; the next file then starts its own worker, whose failure it reports.
  w.onerror = () => {
    if (spare === w) spare = null;
    w.terminate();
  };
  spare = w;
}

/**
 * Decodes one file in a worker. With `engine`, the worker also posts a copy of the model to the
 * engine worker on that port (worker/handoff.ts).
 */
export function decodeInWorker(
  name: string,
  source: DecodeSource,
  onProgress: (stage: string, fraction: number) => void,
  inflate?: InflateLimit,
  engine: EngineHandoff | null = null,
): DecodeJob {
  const worker = spare ?? startWorker();
  spare = null;
  let settle: { resolve(r: DecodeResult): void; reject(e: unknown): void } | null = null;
  const result = new Promise<DecodeResult>((resolve, reject) => {
    settle = { resolve, reject };
  });
  const finish = (): void => {
    worker.terminate();
    // The next file gets a booted worker too (one spare at most; a cheap idle thread).
    setTimeout(prewarmDecoder, 1000);
    settle = null;
  };
  worker.onmessage = (ev: MessageEvent<WorkerMessage>) => {
    const msg = ev.data;
    if (msg.type === 'progress') {
      onProgress(msg.stage, msg.fraction);
      return;
    }
    const s = settle;
    finish();
    // Marks for benchmarks (scripts/bench-ui.ts): when each file's result reached the page.
    performance.mark(
      `goroscope:decoded:${name}`,
      msg.type === 'done' ? { detail: msg.timing } : undefined,
    );
    if (msg.type === 'done') s?.resolve({ ok: true, file: msg.file });
    else if (msg.type === 'bundle')
      s?.resolve({ ok: 'bundle', state: msg.state, files: msg.files });
    else s?.resolve({ ok: false, format: msg.format, error: msg.error });
  };
  worker.onerror = (ev: ErrorEvent) => {
    const s = settle;
    finish();
    const message = `${name}: the decoder stopped unexpectedly (${ev.message || 'worker error'})`;
    s?.resolve({
      ok: false,
      format: null,
      error: { kind: 'corrupt', message },
    });
  };
  performance.mark(`goroscope:start:${name}`);
  const req: DecodeRequest = {
    type: 'decode',
    name,
    source,
    inflate,
    ...(engine ? { engine } : {}),
  };
  worker.postMessage(req, engine ? [engine.port] : []);
  return {
    result,
    cancel() {
      const s = settle;
      finish();
      s?.reject(new DOMException(`decoding ${name} was cancelled`, 'AbortError'));
    },
  };
}
