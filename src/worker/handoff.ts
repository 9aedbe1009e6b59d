// Where a decoded model goes: to the engine worker (every analysis runs there) and to the page
// (it paints, hit-tests and describes one item with it). The one place that decides how:
//
// - In a cross-origin isolated page (the server or the service worker sends COOP and COEP, see
//   README "Hosting"), the decode worker has built the large columns in growable
//   SharedArrayBuffers already (model/columns.ts `reserveShared`); the rest (the small columns,
//   the processor intervals) move into SharedArrayBuffers here, one column at a time, each
//   resizable original given back as soon as it is copied: the engine and the page then read one
//   copy of the model between them.
// - Otherwise SharedArrayBuffer does not exist: the engine gets a copy (typed arrays sliced here
//   with memcpy, see transferCopy: structured clone would serialize every column here and
//   deserialize it again in the engine, several times slower) and the page the model itself, both
//   with their buffers transferred. The browser then holds the model twice.

import { release, type Typed } from '../model/columns';
import type { DecodedFile } from '../model/file';
import { transferCopy, type DecoderToEngine } from './engineProtocol';
import { transferables, type WorkerMessage, type WorkerTiming } from './protocol';

export interface EngineHandoff {
  fileId: string;
  port: MessagePort;
}

/** Whether this worker can share memory with the page and the engine. */
export function canShare(): boolean {
  return (
    typeof SharedArrayBuffer !== 'undefined' &&
    (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true
  );
}

/**
 * The decoded model to the engine and the page. `rev`: 0, or when previews of this file went before
 * (handOffPreview), one more than the last of them, so that both know this model replaces it.
 */
export function handOff(
  file: DecodedFile,
  timing: Omit<WorkerTiming, 'postedAt'>,
  engine: EngineHandoff | null,
  post: (msg: WorkerMessage, transfer: Transferable[]) => void,
  share: boolean = canShare(),
  rev = 0,
): void {
  const shared = toEngine(file, engine, share, 'file', rev);
  engine?.port.close();
  post(
    {
      type: 'done',
      file: shared ?? file,
      rev,
      timing: { ...timing, postedAt: performance.timeOrigin + performance.now() },
    },
    shared ? [] : transferables(file.model),
  );
}

/**
 * A preview of a file still being decoded (the model of what is decoded so far, in copies of the
 * builder's columns), to the engine and the page as handOff gives the final model; the engine's
 * port stays open for the next. `rev` counts previews from 1.
 */
export function handOffPreview(
  file: DecodedFile,
  rev: number,
  fraction: number,
  engine: EngineHandoff | null,
  post: (msg: WorkerMessage, transfer: Transferable[]) => void,
  share: boolean = canShare(),
): void {
  const shared = toEngine(file, engine, share, 'preview', rev);
  post(
    { type: 'preview', file: shared ?? file, rev, fraction },
    shared ? [] : transferables(file.model),
  );
}

/**
 * Posts model `rev` of a file to the engine (shared, or a copy whose buffers are transferred)
 * and returns the shared model, or null when it is not shared (the page then gets the model
 * itself, its buffers transferred: after this, since that detaches them).
 */
function toEngine(
  file: DecodedFile,
  engine: EngineHandoff | null,
  share: boolean,
  type: 'file' | 'preview',
  rev: number,
): DecodedFile | null {
  const shared = share ? shareColumns(file) : null;
  if (engine) {
    const copy = shared ? { value: shared, transfer: [] } : transferCopy(file);
    const msg: DecoderToEngine = {
      type,
      fileId: engine.fileId,
      file: copy.value as DecodedFile,
      rev,
    };
    engine.port.postMessage(msg, copy.transfer);
  }
  return shared;
}

/** The decode failed (or the file was a bundle): the engine will get no model for this id. */
export function handOffNothing(engine: EngineHandoff | null): void {
  if (!engine) return;
  const msg: DecoderToEngine = { type: 'failed', fileId: engine.fileId };
  engine.port.postMessage(msg);
  engine.port.close();
}

/**
 * `value` with every typed array moved into a SharedArrayBuffer (views of one buffer stay views
 * of one shared buffer). A resizable buffer (a column, model/columns.ts) is given back as soon as
 * its last view is copied, so the copy costs about one column at a time, not a second model: the
 * original must not be used afterwards.
 */
export function shareColumns<T>(value: T): T {
  const walk = (v: unknown, depth: number, onView: (x: ArrayBufferView) => unknown): unknown => {
    if (v === null || typeof v !== 'object' || depth > 12) return v;
    if (ArrayBuffer.isView(v)) return v instanceof DataView ? v : onView(v);
    if (Array.isArray(v)) {
      if (v.length === 0 || typeof v[0] !== 'object') return v;
      return v.map((x) => walk(x, depth + 1, onView));
    }
    if (Object.getPrototypeOf(v) !== Object.prototype) return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = walk(x, depth + 1, onView);
    return out;
  };
  // Views left to copy per buffer: a buffer is given back after its last one.
  const views = new Map<ArrayBufferLike, number>();
  walk(value, 0, (x) => views.set(x.buffer, (views.get(x.buffer) ?? 0) + 1));
  const moved = new Map<ArrayBufferLike, SharedArrayBuffer>();
  const share = (v: ArrayBufferView): ArrayBufferView => {
    const buf = v.buffer;
    if (buf instanceof SharedArrayBuffer) return v;
    const View = v.constructor as new (
      b: ArrayBufferLike,
      byteOffset: number,
      length: number,
    ) => ArrayBufferView;
    const length = v.byteLength / (v as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
    let sab = moved.get(buf);
    if (!sab) {
      sab = new SharedArrayBuffer(buf.byteLength);
      new Uint8Array(sab).set(new Uint8Array(buf, 0, buf.byteLength));
      moved.set(buf, sab);
    }
    const out = new View(sab, v.byteOffset, length);
    const left = (views.get(buf) ?? 1) - 1;
    views.set(buf, left);
    if (left === 0) release(v as Typed);
    return out;
  };
  return walk(value, 0, share) as T;
}
