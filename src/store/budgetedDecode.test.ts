// Four 10 MB decompression bombs dropped together with a good gzip'd profile: the session's
// budget stops each bomb at its share, the profile opens, and the messages name the budget.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InflateBudget } from '../base/budget';
import type { DecodeJob } from '../worker/client';
import { decodeWithBudget } from './budgetedDecode';
import { sessionStore, settle } from '../testing/fakeDecode';
import { gzipBomb } from '../testing/gzipBombs';
import { corpusFiles } from '../testing/summaryCompare';

const blob = (b: Uint8Array) => new Blob([b as Uint8Array<ArrayBuffer>]);

describe('the session budget for decompressed data', () => {
  it('stops four bombs dropped at once, and still opens the good file', async () => {
    const good = corpusFiles('pprof/other').find((p) => p.endsWith('sample.cpu.pb.gz'))!;
    // 10 MB each, 10 GiB of zeros inside, declaring 1000 bytes.
    const bomb = gzipBomb(10_000, { declared: 1000 });
    expect(bomb.length).toBeGreaterThan(10e6);
    const store = sessionStore();
    store
      .getState()
      .addFiles([
        ...[1, 2, 3, 4].map((i) => ({ name: `bomb${i}.pb.gz`, blob: blob(bomb) })),
        { name: 'cpu.pb.gz', blob: blob(new Uint8Array(readFileSync(good))) },
      ]);
    for (let i = 0; i < 200 && store.getState().files.some((f) => f.status === 'loading'); i++)
      await settle(50);
    const files = store.getState().files;
    expect(files.map((f) => f.status)).toEqual(['error', 'error', 'error', 'error', 'ready']);
    for (const f of files.slice(0, 4)) {
      expect(f.error).toMatch(
        /^the file inflates past the memory budget: more than 79\.1 MiB decompressed, the share of the session's 1\.00 GiB budget for decompressed data granted to it; its gzip trailer declares only 1000 B: the file is damaged or a decompression bomb$/,
      );
    }
  });
});

describe('files of unknown size (URLs)', () => {
  it('take turns, so that a link of twelve small files opens every one of them', async () => {
    const budget = new InflateBudget();
    const granted: number[] = [];
    let running = 0;
    let most = 0;
    const decode = (_n: string, _s: unknown, _p: unknown, limit?: { allowanceBytes: number }) => {
      granted.push(limit!.allowanceBytes);
      running++;
      most = Math.max(most, running);
      const result = settle(5).then(() => {
        running--;
        // A small gzip'd profile: it keeps 10 KiB of what it was granted.
        return { ok: true, file: { inflatedBytes: 10 << 10 } } as never;
      });
      return { result, cancel() {} } as DecodeJob;
    };
    const jobs = Array.from({ length: 12 }, (_, i) =>
      decodeWithBudget(
        budget,
        decode,
        `f${i}`,
        `f${i}.pb.gz`,
        { url: `https://h/f${i}` },
        () => {},
      ),
    );
    await Promise.all(jobs.map((j) => j.result));
    expect(granted).toHaveLength(12);
    // Every one got a real allowance (not the 0 that granting all at once left the 7th).
    for (const g of granted) expect(g).toBeGreaterThan(100 << 20);
    expect(most).toBeLessThanOrEqual(2);
    expect(budget.heldBytes).toBe(12 * (10 << 10));
  });
});

describe('bundle entries kept as bytes', () => {
  it('are granted what their gzip trailer declares, as a Blob would be, without waiting a turn', async () => {
    const bomb = gzipBomb(1, { declared: 1000 });
    const grants = async (source: Parameters<typeof decodeWithBudget>[4]) => {
      const budget = new InflateBudget();
      let granted = -1;
      const decode = (_n: string, _s: unknown, _p: unknown, limit?: { allowanceBytes: number }) => {
        granted = limit!.allowanceBytes;
        return {
          result: Promise.resolve({ ok: true, file: {} } as never),
          cancel() {},
        } as DecodeJob;
      };
      await decodeWithBudget(budget, decode, 'f', 'f.pb.gz', source, () => {}).result;
      return granted;
    };
    const fromBlob = await grants(blob(bomb));
    expect(fromBlob).toBeGreaterThan(0);
    expect(await grants({ bytes: bomb })).toBe(fromBlob);
    // Not gzip'd: nothing to reserve.
    expect(await grants({ bytes: new Uint8Array([1, 2, 3]) })).toBe(0);
  });
});
