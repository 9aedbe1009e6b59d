import { describe, expect, it } from 'vitest';
import {
  VARINT_EOF,
  VARINT_OK,
  VARINT_OVERFLOW,
  VARINT_TOO_LONG,
  clearVarintError,
  skipUvarint,
  uvarint,
  varintBig,
  varintEnd,
  varintError,
} from './varint';
import { uvarint as put } from './gotrace/testWriter';

function encode(...values: Array<number | bigint>): Uint8Array {
  const out: number[] = [];
  for (const v of values) put(out, v);
  return new Uint8Array(out);
}

describe('uvarint, the one varint reader', () => {
  it('reads every length from 1 to 10 bytes exactly, and says where it ended', () => {
    const values = [0, 127, 128, 2 ** 14, 2 ** 21, 2 ** 28, 2 ** 35, 2 ** 42, 2 ** 49 - 1];
    const bytes = encode(...values);
    let pos = 0;
    for (const v of values) {
      expect(uvarint(bytes, pos, bytes.length)).toBe(v);
      expect(skipUvarint(bytes, pos)).toBe(varintEnd);
      pos = varintEnd;
    }
    expect(pos).toBe(bytes.length);
    for (const big of [2n ** 49n, 2n ** 56n + 3n, 2n ** 63n + 1n, 2n ** 64n - 1n]) {
      const b = encode(big);
      expect(uvarint(b, 0, b.length)).toBe(Number(big));
      expect(varintBig).toBe(big);
      expect(varintEnd).toBe(b.length);
    }
  });

  it('fails with -1 and a reason, which stays until cleared', () => {
    clearVarintError();
    expect(uvarint(new Uint8Array([0x80, 0x80]), 0, 2)).toBe(-1);
    expect(varintError).toBe(VARINT_EOF);
    expect(uvarint(new Uint8Array([5]), 0, 1)).toBe(5);
    expect(varintError).toBe(VARINT_EOF);
    clearVarintError();
    expect(varintError).toBe(VARINT_OK);
    // A varint cut by `end`, not by the buffer.
    expect(uvarint(encode(300), 0, 1)).toBe(-1);
    expect(varintError).toBe(VARINT_EOF);
    clearVarintError();
  });

  it('tells an overflowing 10th byte (protobuf keeps the low 64 bits) from an 11th byte', () => {
    const tenth = new Uint8Array(10).fill(0xff);
    tenth[9] = 0x03;
    expect(uvarint(tenth, 0, 10)).toBe(-1);
    expect(varintError).toBe(VARINT_OVERFLOW);
    expect(varintBig).toBe(2n ** 64n - 1n);
    clearVarintError();
    const eleven = new Uint8Array(11).fill(0xff);
    eleven[10] = 0x01;
    expect(uvarint(eleven, 0, 11)).toBe(-1);
    expect(varintError).toBe(VARINT_TOO_LONG);
    clearVarintError();
  });
});
