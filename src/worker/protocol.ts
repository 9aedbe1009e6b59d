// Messages between the page and a decode worker. One worker decodes one file; results cross as
// typed-array columns whose buffers are transferred, not copied.

import type { InflateLimit } from '../base/budget';
import type { DecodeErrorKind } from '../base/errors';
import type { DecodedFile, FormatId } from '../model/file';

export interface DecodeRequest {
  type: 'decode';
  name: string;
  /**
   * A File or Blob (structured-cloned by reference, read inside the worker), or a URL the worker
   * fetches itself (`?url=` links), so the bytes never pass through the main thread.
   */
  source: Blob | { url: string };
  /** What the file may inflate to, granted from the session's budget (base/budget.ts). */
  inflate?: InflateLimit;
  /** Where to post a copy of the model for the engine worker (see ./handoff.ts), if anywhere. */
  engine?: { fileId: string; port: MessagePort };
}

export interface WireError {
  kind: DecodeErrorKind;
  message: string;
  offset?: number;
}

export type WorkerMessage =
  | { type: 'progress'; stage: string; fraction: number }
  /** What is decoded so far (a Go trace decoded a generation at a time): `rev` counts from 1. */
  | { type: 'preview'; file: DecodedFile; rev: number; fraction: number }
  | {
      type: 'done';
      file: DecodedFile;
      /** 0, or when previews went before, one more than the last of them. */
      rev: number;
      /** Where the worker's time went (ms), for benchmarks and the curious. */
      timing: WorkerTiming;
    }
  | { type: 'failed'; format: FormatId | null; error: WireError }
  /** The file was a session bundle: its files (buffers transferred) and the view state. */
  | { type: 'bundle'; state: string; files: BundleFile[] };

/** A file of a session bundle; `error` says why it is not opened (a bundle in the bundle). */
export interface BundleFile {
  name: string;
  bytes: Uint8Array;
  error?: string;
}

/** Where a worker's time went, for benchmarks and the curious. */
export interface WorkerTiming {
  readMs: number;
  decodeMs: number;
  /** Of decodeMs, the previews (worker.ts: snapshots of the model and posting them). */
  previewMs?: number;
  /** When the request reached the worker and when the result was posted (epoch ms, as
   * `performance.timeOrigin + performance.now()`, comparable across threads). */
  receivedAt: number;
  postedAt: number;
}

/** Every ArrayBuffer under a model, so postMessage can transfer them instead of copying. */
export function transferables(value: unknown, out: Set<ArrayBuffer> = new Set()): ArrayBuffer[] {
  const visit = (v: unknown, depth: number): void => {
    if (v === null || typeof v !== 'object' || depth > 6) return;
    if (ArrayBuffer.isView(v)) {
      if (v.buffer instanceof ArrayBuffer && v.buffer.byteLength > 0) out.add(v.buffer);
      return;
    }
    if (Array.isArray(v)) {
      // Arrays of strings or numbers hold no buffers; only look into arrays of objects.
      if (v.length > 0 && typeof v[0] === 'object') for (const x of v) visit(x, depth + 1);
      return;
    }
    for (const x of Object.values(v)) visit(x, depth + 1);
  };
  visit(value, 0);
  return [...out];
}
