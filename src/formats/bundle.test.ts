import { describe, expect, it } from 'vitest';
import { isDecodeError } from '../base/errors';
import { isBundle, packBundle, unpackBundle } from './bundle';

describe('session bundle', () => {
  it('round-trips files and state', async () => {
    const blob = packBundle('v=1,2', [
      { name: 'trace.out', bytes: new Uint8Array([1, 2, 3]) },
      { name: 'dlv.log', bytes: new TextEncoder().encode('> goroutine(1): main.f()\n') },
    ]);
    const bytes = new Uint8Array(await blob.arrayBuffer());
    expect(isBundle(bytes)).toBe(true);
    const b = unpackBundle(bytes);
    expect(b.state).toBe('v=1,2');
    expect(b.files.map((f) => [f.name, f.bytes.length])).toEqual([
      ['trace.out', 3],
      ['dlv.log', 25],
    ]);
  });
  it('rejects truncated and malformed bundles with a DecodeError', async () => {
    const bytes = new Uint8Array(
      await packBundle('', [{ name: 'a', bytes: new Uint8Array(100) }]).arrayBuffer(),
    );
    for (const cut of [25, bytes.length - 1]) {
      try {
        unpackBundle(bytes.subarray(0, cut));
        expect.unreachable();
      } catch (e) {
        expect(isDecodeError(e)).toBe(true);
      }
    }
  });
});
