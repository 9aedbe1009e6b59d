import { describe, expect, it } from 'vitest';
import { ByteReader, READ_EOF, READ_OK, READ_OVERFLOW } from './bytes';
import { uvarint } from './testWriter';

function encode(...values: Array<number | bigint>): Uint8Array {
  const out: number[] = [];
  for (const v of values) uvarint(out, v);
  return new Uint8Array(out);
}

describe('ByteReader varints', () => {
  it('reads values across byte-length boundaries exactly', () => {
    const values = [
      0,
      1,
      127,
      128,
      300,
      16383,
      16384,
      2 ** 28 - 1,
      2 ** 28,
      2 ** 35 + 7,
      2 ** 49 - 1,
      2 ** 49,
      2 ** 53 - 1,
    ];
    const r = new ByteReader(encode(...values));
    for (const v of values) expect(r.readUvarint()).toBe(v);
    expect(r.err).toBe(READ_OK);
    expect(r.remaining).toBe(0);
  });

  it('reads uint64(-1), the runtime\'s "no thread", as exactly -1', () => {
    const r = new ByteReader(encode(-1n, 5));
    expect(r.readUvarint()).toBe(-1);
    expect(r.readUvarint()).toBe(5);
  });

  it('reads values beyond 2^53 exactly as bigints and rounded as numbers', () => {
    const big = 2n ** 60n + 12345n;
    expect(new ByteReader(encode(big)).readBigUvarint()).toBe(big);
    expect(new ByteReader(encode(big)).readUvarint()).toBe(Number(big));
    expect(new ByteReader(encode(2n ** 64n - 1n)).readBigUvarint()).toBe(2n ** 64n - 1n);
  });

  it('reports a varint cut short', () => {
    const r = new ByteReader(new Uint8Array([0x80, 0x80]));
    r.readUvarint();
    expect(r.err).toBe(READ_EOF);
    const e = new ByteReader(new Uint8Array([]));
    e.readUvarint();
    expect(e.err).toBe(READ_EOF);
    const b = new ByteReader(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]));
    b.readBigUvarint();
    expect(b.err).toBe(READ_EOF);
  });

  it('reports overflow like encoding/binary: an 11th byte, or a 10th above 1', () => {
    const eleven = new Uint8Array(11).fill(0xff);
    eleven[10] = 0x01;
    const r = new ByteReader(eleven);
    r.readUvarint();
    expect(r.err).toBe(READ_OVERFLOW);
    const tenth = new Uint8Array(10).fill(0xff);
    tenth[9] = 0x02;
    const t = new ByteReader(tenth);
    t.readUvarint();
    expect(t.err).toBe(READ_OVERFLOW);
  });

  it('stays within its end', () => {
    const bytes = encode(1, 300, 7);
    const r = new ByteReader(bytes, 1, 2); // the first byte of 300 only
    r.readUvarint();
    expect(r.err).toBe(READ_EOF);
  });
});
