// Messages between the page and the engine worker, and from a decode worker to the engine.

import type { DecodedFile } from '../model/file';
import { copyPrefix, type Typed } from '../model/columns';
import type { QueryName } from '../engine/api';

/** Anything with postMessage and onmessage: a Worker, a MessagePort, a worker's global scope. */
export interface Endpoint {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  onmessage: ((ev: MessageEvent) => void) | null;
}

export type ToEngine =
  /** A file is being decoded: its model will arrive on `port` (from the decode worker). */
  | { type: 'expect'; fileId: string; port: MessagePort }
  /** A decoded file given directly. */
  | { type: 'add'; fileId: string; file: DecodedFile }
  /** Forget a file (removed, failed); queries waiting for it fail. */
  | { type: 'drop'; fileId: string }
  | {
      type: 'query';
      id: number;
      channel: string | null;
      name: QueryName;
      params: unknown;
      /** Files still decoding whose model this query must read at least this revision of. */
      needs?: Record<string, number>;
    }
  /** Cancel a query that has not started (a running query runs to its end). */
  | { type: 'cancel'; id: number };

export type FromEngine =
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; error: { name: string; message: string } };

/** What a decode worker posts on the port the engine gave it. */
export type DecoderToEngine =
  /** The decoded model; `rev`: 0, or one more than the last preview that went before it. */
  | { type: 'file'; fileId: string; file: DecodedFile; rev: number }
  /** The model of what is decoded so far (`rev` from 1), replacing the previous preview. */
  | { type: 'preview'; fileId: string; file: DecodedFile; rev: number }
  | { type: 'failed'; fileId: string };

/**
 * A copy of a result whose typed arrays are fresh copies, and their buffers to transfer: the
 * page receives them without a copy on its own thread, and the engine's cached result keeps its
 * arrays (a transferred buffer is detached on the sending side).
 */
export function transferCopy(value: unknown): { value: unknown; transfer: Transferable[] } {
  const transfer: Transferable[] = [];
  const copy = (v: unknown, depth: number): unknown => {
    if (v === null || typeof v !== 'object' || depth > 12) return v;
    if (ArrayBuffer.isView(v)) {
      if (v instanceof DataView) return v;
      // A shared column (worker/handoff.ts) is read by both sides as it is: nothing to copy, and
      // a SharedArrayBuffer cannot be transferred.
      if (typeof SharedArrayBuffer !== 'undefined' && v.buffer instanceof SharedArrayBuffer)
        return v;
      // A buffer copy (copyPrefix: the model's columns live in resizable buffers, whose
      // typed-array copies V8 makes element by element, 6-20x slower).
      const out = copyPrefix(v as Typed, (v as Typed).length);
      transfer.push(out.buffer as ArrayBuffer);
      return out;
    }
    if (Array.isArray(v)) {
      // Arrays of numbers or strings are copied by postMessage as they are.
      if (v.length === 0 || typeof v[0] !== 'object') return v;
      return v.map((x) => copy(x, depth + 1));
    }
    if (Object.getPrototypeOf(v) !== Object.prototype) return v; // Map, Set, ...: cloned as is
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = copy(x, depth + 1);
    return out;
  };
  return { value: copy(value, 0), transfer };
}
