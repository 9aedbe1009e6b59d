import { closeSync, mkdtempSync, openSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileSource } from './traceFile';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A file of `n` bytes 1, 2, 3, … (mod 251), opened; its path and descriptor. */
function file(n: number): { path: string; fd: number; bytes: Uint8Array } {
  const dir = mkdtempSync(join(tmpdir(), 'tracefile-'));
  dirs.push(dir);
  const bytes = Uint8Array.from({ length: n }, (_, i) => (i % 251) + 1);
  const path = join(dir, 'f');
  writeFileSync(path, bytes);
  return { path, fd: openSync(path, 'r'), bytes };
}

describe('FileSource', () => {
  it('reads into the caller’s buffer when it fits, else into a new one', () => {
    const f = file(10_000);
    try {
      const src = new FileSource(f.fd);
      const scratch = new Uint8Array(4096).fill(7);
      const a = src.readInto(100, 3100, scratch);
      expect(a.buffer).toBe(scratch.buffer);
      expect(a).toEqual(f.bytes.subarray(100, 3100));
      const b = src.readInto(0, 5000, scratch);
      expect(b.buffer).not.toBe(scratch.buffer);
      expect(b).toEqual(f.bytes.subarray(0, 5000));
      // Past the end: the bytes there are.
      expect(src.readInto(9_000, 12_000, scratch)).toEqual(f.bytes.subarray(9_000));
    } finally {
      closeSync(f.fd);
    }
  });

  it('gives zeros, not an earlier read, where the file shrank after it was opened', () => {
    const f = file(8_000);
    try {
      const src = new FileSource(f.fd);
      const scratch = new Uint8Array(8_000);
      src.readInto(0, 8_000, scratch);
      truncateSync(f.path, 5_000);
      const again = src.readInto(0, 8_000, scratch);
      expect(again.length).toBe(8_000);
      expect(again.subarray(0, 5_000)).toEqual(f.bytes.subarray(0, 5_000));
      expect(again.subarray(5_000).every((v) => v === 0)).toBe(true);
      expect(
        src
          .read(0, 8_000)
          .subarray(5_000)
          .every((v) => v === 0),
      ).toBe(true);
    } finally {
      closeSync(f.fd);
    }
  });
});
