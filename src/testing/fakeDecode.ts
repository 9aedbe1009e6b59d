// A decode function for store tests: decodes on the spot with the real decoders (decodeFile), as
// the worker would, without a Worker. Bundles are unpacked as the worker unpacks them. And a store
// for tests, whose decoded files reach a LocalEngine as the page's reach the engine worker.

import { decodeFile } from '../formats/index';
import { isBundle, unpackBundle } from '../formats/bundle';
import type { InflateLimit } from '../base/budget';
import { describeError } from '../base/errors';
import { blobOf, type DecodeJob, type DecodeResult, type DecodeSource } from '../worker/client';
import { LocalEngine } from '../engine/local';
import { createSessionStore, type DecodeFn, type SessionStore } from '../store/session';

export function fakeDecode(
  name: string,
  source: DecodeSource,
  _onProgress?: (stage: string, fraction: number) => void,
  inflate?: InflateLimit,
): DecodeJob {
  const blob = blobOf(source) ?? new Blob([]);
  let cancelled = false;
  const result = blob.arrayBuffer().then((buf): DecodeResult => {
    if (cancelled) throw new DOMException('cancelled', 'AbortError');
    const bytes = new Uint8Array(buf);
    if (isBundle(bytes)) {
      try {
        const b = unpackBundle(bytes);
        return { ok: 'bundle', state: b.state, files: b.files };
      } catch (e) {
        return {
          ok: false,
          format: null,
          error: { kind: 'corrupt', message: `${name}: ${describeError(e)}` },
        };
      }
    }
    const o = decodeFile(name, bytes, { inflate });
    return o.ok
      ? { ok: true, file: o.file }
      : { ok: false, format: o.format, error: { kind: o.error.kind, message: o.error.message } };
  });
  return { result, cancel: () => (cancelled = true) };
}

/** Lets queued promise callbacks and timers run. */
export const settle = (ms = 20) => new Promise((r) => setTimeout(r, ms));

/**
 * A decode function that also hands each file it decodes to `engine` under its session id, as the
 * page's decode workers post their models to the engine worker.
 */
export function withEngine(engine: LocalEngine, decode: DecodeFn = fakeDecode): DecodeFn {
  return (name, source, onProgress, inflate, fileId) => {
    const job = decode(name, source, onProgress, inflate, fileId);
    return {
      result: job.result.then((r) => {
        if (r.ok === true && fileId !== undefined) engine.addFile(fileId, r.file);
        return r;
      }),
      cancel: job.cancel,
    };
  };
}

/** A session store for tests: `decode` (default: fakeDecode) feeding a LocalEngine. */
export function sessionStore(decode: DecodeFn = fakeDecode): SessionStore {
  const engine = new LocalEngine();
  return createSessionStore({ engine, decode: withEngine(engine, decode) });
}

/** Waits until the store has nothing loading and the engine has answered for the axis. */
export async function idle(store: SessionStore, maxMs = 10_000): Promise<void> {
  for (let t = 0; t < maxMs; t += 20) {
    const s = store.getState();
    if (!s.axisPending && !s.files.some((f) => f.status === 'loading')) return;
    await settle(20);
  }
  throw new Error('the store did not settle');
}
