// A cursor over the trace bytes: unsigned varints (through formats/varint.ts, the one varint
// reader) and single bytes, read straight from one Uint8Array with no DataView and no allocation
// per value.
//
// Numbers: a varint of up to 7 bytes (49 bits) is exact as a float64. Longer ones come back as a
// number read as a signed 64-bit value: Go's IDs are int64 (ThreadID, GoID, ProcID), and the
// runtime writes "none" as uint64(-1), a 10-byte varint that must read back as exactly -1 (Go
// src/internal/trace/resources.go, go1.26: NoThread = -1). Values in [2^53, 2^63) are rounded to
// the nearest float64; the only such values in real traces are far-apart PCs, and the wall clock,
// which is read exactly with `readBigUvarint`.

import {
  VARINT_EOF,
  clearVarintError,
  uvarint,
  varintBig,
  varintEnd,
  varintError,
} from '../varint';

/** Why the last read failed: `READ_OK` while nothing has failed. */
export type ReadError = 0 | 1 | 2;
export const READ_OK = 0;
/** The bytes ended inside a varint (Go: io.ErrUnexpectedEOF) or before it (io.EOF). */
export const READ_EOF = 1;
/** More than 10 bytes, or a 10th byte above 1 (Go: "varint overflows a 64-bit integer"). */
export const READ_OVERFLOW = 2;

/** 2^49: varints at or above it were read through BigInt (see formats/varint.ts). */
const LONG = 2 ** 49;

export class ByteReader {
  /** Set by a failed read; reads after a failure keep returning 0 until `err` is cleared. */
  err: ReadError = READ_OK;

  constructor(
    readonly buf: Uint8Array,
    public pos = 0,
    public end = buf.length,
  ) {}

  get remaining(): number {
    return this.end - this.pos;
  }

  readByte(): number {
    if (this.pos >= this.end) {
      this.err = READ_EOF;
      return 0;
    }
    return this.buf[this.pos++] as number;
  }

  /** Reads an unsigned varint (see the file comment for values beyond 2^49). */
  readUvarint(): number {
    const v = uvarint(this.buf, this.pos, this.end);
    this.pos = varintEnd;
    if (v < 0) return this.failed();
    if (v < LONG) return v;
    return Number(BigInt.asIntN(64, varintBig));
  }

  private failed(): number {
    this.err = varintError === VARINT_EOF ? READ_EOF : READ_OVERFLOW;
    clearVarintError();
    return 0;
  }

  /** Reads an unsigned varint exactly, as a bigint (the wall clock of clock snapshots). */
  readBigUvarint(): bigint {
    const v = uvarint(this.buf, this.pos, this.end);
    this.pos = varintEnd;
    if (v < 0) {
      this.failed();
      return 0n;
    }
    return v < LONG ? BigInt(v) : varintBig;
  }
}

/** Go's wording for a failed varint read, for messages. */
export function readErrorText(e: ReadError): string {
  switch (e) {
    case READ_EOF:
      return 'unexpected EOF';
    case READ_OVERFLOW:
      return 'varint overflows a 64-bit integer';
    default:
      return 'no error';
  }
}
