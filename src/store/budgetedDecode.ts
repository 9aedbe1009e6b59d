// Decode jobs drawing on the session's budget for decompressed data (base/budget.ts): before a
// job starts, its file is granted an allowance (sized from the gzip trailer when the bytes are
// local); when it ends, the file keeps what it inflated to, or gives everything back when it
// failed or was cancelled. The session releases a file's share when the file is removed.

import { gzipWant, gzipWantOfBlob, type InflateBudget, type InflateLimit } from '../base/budget';
import type { DecodeJob, DecodeSource, OnProgress } from '../worker/client';

/**
 * Starts decoding one file: what it may inflate to, and its id in the session (which names it to
 * the engine: the page's decode workers post the model there too).
 */
export type DecodeFn = (
  name: string,
  source: DecodeSource,
  onProgress: OnProgress,
  inflate?: InflateLimit,
  fileId?: string,
) => DecodeJob;

export function decodeWithBudget(
  budget: InflateBudget,
  decode: DecodeFn,
  key: string,
  name: string,
  source: DecodeSource,
  onProgress: OnProgress,
): DecodeJob {
  let inner: DecodeJob | null = null;
  let cancelled = false;
  const result = (async () => {
    // A URL's bytes are not here yet: its size is unknown (null).
    const want =
      source instanceof Blob
        ? await gzipWantOfBlob(source)
        : 'bytes' in source
          ? gzipWant(source.bytes.subarray(0, 2), source.bytes.subarray(-4), source.bytes.length)
          : null;
    // Files of unknown size take turns for their guessed allowance (InflateBudget.unknownTurn).
    const endTurn = want === null ? await budget.unknownTurn() : () => {};
    try {
      if (cancelled) throw new DOMException(`decoding ${name} was cancelled`, 'AbortError');
      const limit = budget.grant(key, want);
      inner = decode(name, source, onProgress, limit, key);
      try {
        const r = await inner.result;
        if (r.ok === true) budget.settle(key, r.file.inflatedBytes ?? 0);
        else budget.release(key);
        return r;
      } catch (e) {
        budget.release(key);
        throw e;
      }
    } finally {
      endTurn();
    }
  })();
  return {
    result,
    cancel() {
      cancelled = true;
      inner?.cancel();
      budget.release(key);
    },
  };
}
