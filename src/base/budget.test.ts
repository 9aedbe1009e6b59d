import { describe, expect, it } from 'vitest';
import { InflateBudget, gzipDeclaredSize, gzipWant, INFLATE_BUDGET_BYTES } from './budget';

const MIB = 1 << 20;
const gz = (isize: number) => {
  const tail = new Uint8Array(4);
  new DataView(tail.buffer).setUint32(0, isize, true);
  return { head: new Uint8Array([0x1f, 0x8b]), tail };
};

describe('InflateBudget', () => {
  it('reserves allowances so that jobs in flight never exceed the budget together', () => {
    const b = new InflateBudget(100 * MIB);
    const grants = ['a', 'b', 'c', 'd'].map((k) => b.grant(k, 60 * MIB));
    expect(grants.map((g) => g.allowanceBytes / MIB)).toEqual([60, 40, 0, 0]);
    expect(grants.map((g) => g.availableBytes / MIB)).toEqual([100, 40, 0, 0]);
    expect(b.availableBytes).toBe(0);
    // A finished job keeps what it inflated to; a failed one gives everything back.
    b.settle('a', 10 * MIB);
    b.release('b');
    expect(b.heldBytes).toBe(10 * MIB);
    expect(b.grant('c', 60 * MIB).allowanceBytes).toBe(60 * MIB);
    // Removing the file frees what it kept.
    b.release('a');
    expect(b.availableBytes).toBe(40 * MIB);
  });

  it('gives a job of unknown size half of what is left, and nothing to a file that is not gzip', () => {
    const b = new InflateBudget(100 * MIB);
    expect(b.grant('x', 0).allowanceBytes).toBe(0);
    expect(b.heldBytes).toBe(0);
    expect(b.grant('u1', null).allowanceBytes).toBe(50 * MIB);
    expect(b.grant('u2', null).allowanceBytes).toBe(32 * MIB); // at least 32 MiB while there is
    expect(b.grant('u3', null).allowanceBytes).toBe(18 * MIB);
    // Granting a key again gives back what it held first.
    expect(b.grant('u1', 1 * MIB).allowanceBytes).toBe(1 * MIB);
    expect(b.heldBytes).toBe(51 * MIB);
    expect(new InflateBudget().totalBytes).toBe(INFLATE_BUDGET_BYTES);
  });
});

describe('gzip declared size', () => {
  it('reads ISIZE from the trailer, only for gzip data', () => {
    const { head, tail } = gz(123_456_789);
    expect(gzipDeclaredSize(head, tail, 1000)).toBe(123_456_789);
    expect(gzipDeclaredSize(head, gz(0xffffffff).tail, 1000)).toBe(0xffffffff);
    expect(gzipDeclaredSize(new Uint8Array([0x1f, 0x8c]), tail, 1000)).toBeNull();
    expect(gzipDeclaredSize(head, tail, 10)).toBeNull();
  });
  it('asks for the declared size with headroom, never past what deflate can make', () => {
    const { head, tail } = gz(500 * MIB);
    expect(gzipWant(head, tail, 100 * MIB)).toBe(800 * MIB); // 8x the compressed size
    expect(gzipWant(head, tail, 10 * MIB)).toBe(500 * MIB);
    expect(gzipWant(head, gz(5).tail, 1000)).toBe(1000 * 1032); // deflate's 1032:1
    expect(gzipWant(head, gz(5).tail, 1 * MIB)).toBe(32 * MIB);
    expect(gzipWant(new Uint8Array([0x7b, 0x22]), tail, 1 * MIB)).toBe(0);
  });
});
