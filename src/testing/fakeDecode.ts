// A decode function for store tests: decodes on the spot with the real decoders (decodeFile), as
// the worker would, without a Worker. Bundles are unpacked as the worker unpacks them.

import { decodeFile } from '../formats/index';
import { isBundle, unpackBundle } from '../formats/bundle';
import type { InflateLimit } from '../base/budget';
import { describeError } from '../base/errors';
import type { DecodeJob, DecodeResult, DecodeSource } from '../worker/client';

export function fakeDecode(
  name: string,
  source: DecodeSource,
  _onProgress?: (stage: string, fraction: number) => void,
  inflate?: InflateLimit,
): DecodeJob {
  const blob = source instanceof Blob ? source : new Blob([]);
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
