// A hand-written cursor over the trace bytes: unsigned LEB128 varints (Go's encoding/binary
// Uvarint, as the runtime writes them in src/runtime/tracebuf.go, go1.26) and single bytes, read
// straight from one Uint8Array with no DataView and no allocation per value.
//
// Numbers: a varint of up to 7 bytes (49 bits) is exact as a float64 and takes the fast path.
// Longer ones go through BigInt once and come back as a number read as a signed 64-bit value:
// Go's IDs are int64 (ThreadID, GoID, ProcID), and the runtime writes "none" as uint64(-1), a
// 10-byte varint that must read back as exactly -1 (Go src/internal/trace/resources.go, go1.26:
// NoThread = -1). Values in [2^53, 2^63) are rounded to the nearest float64; the only such values
// in real traces are far-apart PCs, and the wall clock, which is read exactly with `readBigUvarint`.

/** Why the last read failed: `READ_OK` while nothing has failed. */
export type ReadError = 0 | 1 | 2;
export const READ_OK = 0;
/** The bytes ended inside a varint (Go: io.ErrUnexpectedEOF) or before it (io.EOF). */
export const READ_EOF = 1;
/** More than 10 bytes, or a 10th byte above 1 (Go: "varint overflows a 64-bit integer"). */
export const READ_OVERFLOW = 2;

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
    const buf = this.buf;
    let pos = this.pos;
    const end = this.end;
    if (pos >= end) {
      this.err = READ_EOF;
      return 0;
    }
    let b = buf[pos++] as number;
    if (b < 0x80) {
      this.pos = pos;
      return b;
    }
    let v = b & 0x7f;
    let mul = 128;
    for (let i = 1; i < 7; i++) {
      if (pos >= end) {
        this.err = READ_EOF;
        this.pos = pos;
        return 0;
      }
      b = buf[pos++] as number;
      v += (b & 0x7f) * mul;
      if (b < 0x80) {
        this.pos = pos;
        return v;
      }
      mul *= 128;
    }
    // 8 bytes or more: rare (NoThread, large PCs); exact through BigInt.
    return this.slowTail(v, pos);
  }

  private slowTail(low49: number, pos: number): number {
    const big = this.bigTail(BigInt(low49), pos);
    if (big === null) return 0;
    return Number(BigInt.asIntN(64, big));
  }

  /** Reads an unsigned varint exactly, as a bigint (the wall clock of clock snapshots). */
  readBigUvarint(): bigint {
    const start = this.pos;
    let v = 0n;
    let shift = 0n;
    let pos = start;
    for (let i = 0; i < 10; i++) {
      if (pos >= this.end) {
        this.err = READ_EOF;
        this.pos = pos;
        return 0n;
      }
      const b = this.buf[pos++] as number;
      if (i === 9 && b > 1) {
        this.err = READ_OVERFLOW;
        this.pos = pos;
        return 0n;
      }
      v |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) {
        this.pos = pos;
        return v;
      }
      shift += 7n;
    }
    this.err = READ_OVERFLOW;
    this.pos = pos;
    return 0n;
  }

  /** Continues a varint whose first 7 bytes (all with the continuation bit) gave `low`. */
  private bigTail(low: bigint, pos: number): bigint | null {
    let v = low;
    let shift = 49n;
    for (let i = 7; i < 10; i++) {
      if (pos >= this.end) {
        this.err = READ_EOF;
        this.pos = pos;
        return null;
      }
      const b = this.buf[pos++] as number;
      if (i === 9 && b > 1) {
        this.err = READ_OVERFLOW;
        this.pos = pos;
        return null;
      }
      v |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) {
        this.pos = pos;
        return v;
      }
      shift += 7n;
    }
    this.err = READ_OVERFLOW;
    this.pos = pos;
    return null;
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
