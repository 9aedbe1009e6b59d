// gzip, decompressed in chunks with pako so progress can be reported and the output size bounded
// (a small hostile file must not inflate into gigabytes).

import { Inflate } from 'pako';
import { DecodeError } from '../base/errors';

export const GZIP_MAGIC_0 = 0x1f;
export const GZIP_MAGIC_1 = 0x8b;

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === GZIP_MAGIC_0 && bytes[1] === GZIP_MAGIC_1;
}

/** Decompressed bytes are refused beyond this size. */
export const MAX_INFLATED_BYTES = 2 ** 31 - 1;

export function gunzip(
  bytes: Uint8Array,
  onProgress?: (fraction: number) => void,
  maxBytes = MAX_INFLATED_BYTES,
): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let overflow = false;
  const inflator = new Inflate({ chunkSize: 1 << 18 });
  inflator.onData = (chunk: Uint8Array) => {
    if (overflow) return;
    total += chunk.length;
    if (total > maxBytes) {
      overflow = true;
      return;
    }
    chunks.push(chunk);
  };
  let finished = false;
  inflator.onEnd = (status: number) => {
    finished = status === 0;
  };
  const step = 1 << 20;
  for (let off = 0; off < bytes.length && !overflow; off += step) {
    const end = Math.min(bytes.length, off + step);
    inflator.push(bytes.subarray(off, end), end === bytes.length);
    // Z_BUF_ERROR (-5) at the last chunk: the stream stopped before its end.
    if (inflator.err === -5) break;
    if (inflator.err) {
      throw new DecodeError(
        'corrupt',
        `gzip data is corrupt: ${inflator.msg || 'inflate error'}`,
        off,
      );
    }
    onProgress?.(end / bytes.length);
  }
  if (overflow) {
    throw new DecodeError(
      'limit',
      `gzip data inflates beyond ${Math.round(maxBytes / 2 ** 20)} MiB`,
    );
  }
  if (!finished || !inflator.ended) {
    throw new DecodeError(
      'corrupt',
      `decompressing: unexpected end of gzip data after ${bytes.length} compressed bytes (${total} decompressed); the file is truncated`,
    );
  }
  const out = new Uint8Array(total);
  let pos = 0;
  for (const c of chunks) {
    out.set(c, pos);
    pos += c.length;
  }
  return out;
}
