// gzip, decompressed in slices with pako so progress can be reported and the output bounded: a
// small hostile file must not inflate into gigabytes (base/budget.ts: the session's budget for
// decompressed data, of which each file is granted an allowance).

import { Inflate } from 'pako';
import {
  DEFAULT_INFLATE_LIMIT,
  DEFLATE_MAX_RATIO,
  gzipDeclaredSize,
  type InflateLimit,
} from '../base/budget';
import { DecodeError } from '../base/errors';
import { formatBytes } from '../base/format';

export const GZIP_MAGIC_0 = 0x1f;
export const GZIP_MAGIC_1 = 0x8b;

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === GZIP_MAGIC_0 && bytes[1] === GZIP_MAGIC_1;
}

/**
 * Compressed bytes pushed to pako at a time. pako inflates all it is given before returning, so
 * this bounds the work done past the allowance: 64 KiB inflate to at most 64 MiB.
 */
const INPUT_SLICE = 64 << 10;

/** Thrown from pako's output callback to stop inflating at once. */
class Overflow {}

export function gunzip(
  bytes: Uint8Array,
  onProgress?: (fraction: number) => void,
  limit: InflateLimit = DEFAULT_INFLATE_LIMIT,
): Uint8Array {
  const declared = gzipDeclaredSize(bytes, bytes, bytes.length);
  // The trailer counts the last member only, so an intact file is at least that large: one that
  // declares more than its allowance will not fit, and is inflated without keeping the output,
  // only to tell a bomb (stopped at the allowance, holding nothing) from a truncated file (whose
  // last four bytes are not a trailer). Should it fit after all, it is inflated again for real.
  if (declared !== null && declared > limit.allowanceBytes) {
    inflate(bytes, onProgress, limit, declared, true);
  }
  return inflate(bytes, onProgress, limit, declared, false);
}

function inflate(
  bytes: Uint8Array,
  onProgress: ((fraction: number) => void) | undefined,
  limit: InflateLimit,
  declared: number | null,
  dry: boolean,
): Uint8Array {
  const allowance = limit.allowanceBytes;
  // An honest declared size lets the output be written in place (one copy of the data, not two).
  let out: Uint8Array | null =
    !dry &&
    declared !== null &&
    declared > 0 &&
    declared <= allowance &&
    declared <= bytes.length * DEFLATE_MAX_RATIO
      ? new Uint8Array(declared)
      : null;
  let chunks: Uint8Array[] = [];
  let total = 0;
  const inflator = new Inflate({ chunkSize: 1 << 18 });
  inflator.onData = (chunk: Uint8Array) => {
    if (total + chunk.length > allowance) throw new Overflow();
    if (dry) {
      // Counting only.
    } else if (out !== null && total + chunk.length <= out.length) out.set(chunk, total);
    else {
      if (out !== null) {
        // More than declared (a multi-member file): collect the rest in pieces.
        chunks = [out.subarray(0, total)];
        out = null;
      }
      chunks.push(chunk);
    }
    total += chunk.length;
  };
  let finished = false;
  inflator.onEnd = (status: number) => {
    finished = status === 0;
  };
  let nextProgress = 0;
  for (let off = 0; off < bytes.length; off += INPUT_SLICE) {
    const end = Math.min(bytes.length, off + INPUT_SLICE);
    try {
      inflator.push(bytes.subarray(off, end), end === bytes.length);
    } catch (e) {
      if (e instanceof Overflow) throw overBudget(limit, declared);
      throw new DecodeError('corrupt', `gzip data is corrupt: ${String(e)}`, off);
    }
    // Z_BUF_ERROR (-5) at the last slice: the stream stopped before its end.
    if (inflator.err === -5) break;
    if (inflator.err) {
      throw new DecodeError(
        'corrupt',
        `gzip data is corrupt: ${inflator.msg || 'inflate error'}`,
        off,
      );
    }
    if (end >= nextProgress || end === bytes.length) {
      onProgress?.(end / bytes.length);
      nextProgress = end + (1 << 20);
    }
  }
  if (!finished || !inflator.ended) {
    throw new DecodeError(
      'corrupt',
      `decompressing: unexpected end of gzip data after ${bytes.length} compressed bytes (${total} decompressed); the file is truncated`,
    );
  }
  if (out !== null) return total === out.length ? out : out.subarray(0, total);
  const joined = new Uint8Array(total);
  let pos = 0;
  for (const c of chunks) {
    joined.set(c, pos);
    pos += c.length;
  }
  return joined;
}

function overBudget(limit: InflateLimit, declared: number | null): DecodeError {
  const { allowanceBytes: allowance, budgetBytes: budget, availableBytes: available } = limit;
  const b = formatBytes(budget);
  const head = 'the file inflates past the memory budget';
  if (allowance === 0) {
    return new DecodeError(
      'limit',
      `${head}: other files hold all of the session's ${b} budget for decompressed data; ` +
        'close some of them and open this file again',
    );
  }
  if (allowance < available) {
    const lie =
      declared !== null && declared < allowance
        ? `; its gzip trailer declares only ${formatBytes(declared)}: the file is damaged or a decompression bomb`
        : '';
    return new DecodeError(
      'limit',
      `${head}: more than ${formatBytes(allowance)} decompressed, the share of the ` +
        `session's ${b} budget for decompressed data granted to it${lie}`,
    );
  }
  const others =
    allowance < budget ? `; other files hold ${formatBytes(budget - allowance)} of it` : '';
  const says =
    declared === null
      ? ''
      : declared > allowance
        ? `; its gzip trailer declares ${formatBytes(declared)}`
        : `; its gzip trailer declares only ${formatBytes(declared)}`;
  return new DecodeError(
    'limit',
    `${head}: more than ${formatBytes(allowance)} decompressed ` +
      `(the session's budget for decompressed data is ${b}${others})${says}`,
  );
}
