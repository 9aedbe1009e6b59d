// Decompression bombs for tests, made on the spot: a deflate block that inflates 1 MiB of zeros
// (about 1 KB, ending in a sync flush so it can be repeated) is repeated to reach any size, then
// wrapped in a gzip header and trailer (RFC 1952) whose ISIZE can tell the truth or lie.

import { constants, crc32, deflateRawSync, gzipSync } from 'node:zlib';

const MIB = 1 << 20;
const ZEROS = new Uint8Array(MIB);
/** Non-final deflate blocks inflating to 1 MiB of zeros; no back-reference leaves the copy. */
const BLOCK = new Uint8Array(deflateRawSync(ZEROS, { finishFlush: constants.Z_SYNC_FLUSH }));
/** A final, empty block with fixed Huffman codes: BFINAL=1, BTYPE=01, end-of-block (256). */
const FINAL = new Uint8Array([0x03, 0x00]);

/**
 * A gzip stream inflating to `mib` MiB of zeros. `declared` is the trailer's ISIZE (default: the
 * truth modulo 2^32); `complete: false` leaves the stream without its end (it cannot finish).
 */
export function gzipBomb(mib: number, options: { declared?: number; complete?: boolean } = {}) {
  const header = new Uint8Array([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0xff]);
  const size = 10 + mib * BLOCK.length + FINAL.length + 8;
  const out = new Uint8Array(size);
  out.set(header);
  let pos = 10;
  let crc = 0;
  for (let i = 0; i < mib; i++) {
    out.set(BLOCK, pos);
    pos += BLOCK.length;
    // A large bomb is stopped long before its trailer is checked: skip the CRC's cost there.
    if (mib <= 256) crc = crc32(ZEROS, crc);
  }
  if (options.complete === false) return out.subarray(0, pos);
  out.set(FINAL, pos);
  pos += 2;
  const view = new DataView(out.buffer);
  view.setUint32(pos, crc >>> 0, true);
  view.setUint32(pos + 4, (options.declared ?? mib * MIB) >>> 0, true);
  return out;
}

/** `bytes` gzip'd `times` times over (a bomb inside a bomb). */
export function gzipTimes(bytes: Uint8Array, times: number): Uint8Array {
  let b = bytes;
  for (let i = 0; i < times; i++) b = new Uint8Array(gzipSync(b, { level: 9 }));
  return b;
}
