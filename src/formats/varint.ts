// Unsigned LEB128 varints: the one varint reader of formats/ (Go's execution traces of both
// formats, pprof's protobuf, the sniffers). Go writes them with encoding/binary's PutUvarint
// (src/runtime/tracebuf.go, src/internal/trace/raw, go1.26) and protobuf with the same encoding.
//
// `uvarint(buf, pos, end)` returns the value and leaves where it ended in `varintEnd`, with no
// allocation and no object per value: the decoders call it tens of millions of times. A value of
// up to 7 bytes (49 bits) is exact as a float64 and takes the fast path. Longer ones are read
// exactly through BigInt once: the returned number is the unsigned value rounded to a float64, and
// `varintBig` holds it exactly (callers that need Go's int64, such as the trace's "none" IDs
// written as uint64(-1), take `BigInt.asIntN(64, varintBig)`; see ByteReader).
//
// Errors: `varintError` says why the last read failed, and the value is then -1:
//   VARINT_EOF       the bytes ended inside the varint or before it (Go: io.ErrUnexpectedEOF);
//   VARINT_OVERFLOW  a 10th byte above 1 (Go's binary.Uvarint: "varint overflows a 64-bit
//                    integer"). protobuf drops the bits past 64 instead: `varintBig` then holds
//                    the low 64 bits, for the pprof decoder;
//   VARINT_TOO_LONG  more than 10 bytes (an overflow to Go's binary.Uvarint, an error to protobuf).
// A successful read leaves `varintError` as it was: callers read many values and check once.

export const VARINT_OK = 0;
export const VARINT_EOF = 1;
export const VARINT_OVERFLOW = 2;
export const VARINT_TOO_LONG = 3;

/** Offset just after the varint read last. */
export let varintEnd = 0;
/** Why a read failed (sticky until `clearVarintError`); VARINT_OK while none has. */
export let varintError = 0;
/** The exact value of the last varint longer than 7 bytes (its low 64 bits on overflow). */
export let varintBig = 0n;

export function clearVarintError(): void {
  varintError = VARINT_OK;
}

/** Reads the varint at `pos`, bounded by `end`: its value, or -1 on error (see the file comment). */
export function uvarint(buf: Uint8Array, pos: number, end: number): number {
  // One byte: most values in a trace. Small enough for V8 to inline into every caller.
  if (pos < end) {
    const b0 = buf[pos] as number;
    if (b0 < 0x80) {
      varintEnd = pos + 1;
      return b0;
    }
  }
  return uvarintMulti(buf, pos, end);
}

/** Two to four bytes without a loop; longer ones byte by byte. */
function uvarintMulti(buf: Uint8Array, pos: number, end: number): number {
  if (pos + 3 < end) {
    const b0 = buf[pos] as number;
    const b1 = buf[pos + 1] as number;
    if (b1 < 0x80) {
      varintEnd = pos + 2;
      return (b0 & 0x7f) | (b1 << 7);
    }
    const b2 = buf[pos + 2] as number;
    if (b2 < 0x80) {
      varintEnd = pos + 3;
      return (b0 & 0x7f) | ((b1 & 0x7f) << 7) | (b2 << 14);
    }
    const b3 = buf[pos + 3] as number;
    if (b3 < 0x80) {
      varintEnd = pos + 4;
      return (b0 & 0x7f) | ((b1 & 0x7f) << 7) | ((b2 & 0x7f) << 14) | (b3 << 21);
    }
  }
  return uvarintSlow(buf, pos, end);
}

/** Up to 7 bytes exactly as a float64, bytes by byte; longer through `uvarintLong`. */
function uvarintSlow(buf: Uint8Array, pos: number, end: number): number {
  let v = 0;
  let mul = 1;
  for (let i = 0; i < 7; i++) {
    if (pos >= end) return fail(pos, VARINT_EOF);
    const b = buf[pos++] as number;
    v += (b & 0x7f) * mul;
    if (b < 0x80) {
      varintEnd = pos;
      return v;
    }
    mul *= 128;
  }
  return uvarintLong(buf, pos, end, v);
}

/** Bytes 8 to 10 of a varint whose first 7 gave `low49`. */
function uvarintLong(buf: Uint8Array, pos: number, end: number, low49: number): number {
  let v = BigInt(low49);
  let shift = 49n;
  for (let i = 7; i < 10; i++) {
    if (pos >= end) return fail(pos, VARINT_EOF);
    const b = buf[pos++] as number;
    v |= BigInt(b & 0x7f) << shift;
    if (b < 0x80) {
      varintBig = BigInt.asUintN(64, v);
      if (i === 9 && b > 1) return fail(pos, VARINT_OVERFLOW);
      varintEnd = pos;
      return Number(v);
    }
    shift += 7n;
  }
  return fail(pos, VARINT_TOO_LONG);
}

function fail(pos: number, why: number): number {
  varintEnd = pos;
  varintError = why;
  return -1;
}

/** Offset after the varint at `pos`, without reading its value (for bytes read before). */
export function skipUvarint(buf: Uint8Array, pos: number): number {
  while ((buf[pos] as number) >= 0x80) pos++;
  return pos + 1;
}

/** Go's wording for a failed read, for messages. */
export function varintErrorText(e: number): string {
  switch (e) {
    case VARINT_EOF:
      return 'unexpected EOF';
    case VARINT_OVERFLOW:
    case VARINT_TOO_LONG:
      return 'varint overflows a 64-bit integer';
    default:
      return 'no error';
  }
}
