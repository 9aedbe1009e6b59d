// Decompression bombs made by the test (testing/gzipBombs.ts): stopped at the file's allowance
// from the session's budget, not at gigabytes, with a message that says the file inflates past
// the budget and what the budget is.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InflateBudget, gzipWant, INFLATE_BUDGET_BYTES } from '../base/budget';
import { corpusFiles } from '../testing/summaryCompare';
import { gzipBomb, gzipTimes } from '../testing/gzipBombs';
import { gunzip } from './gzip';
import { decodeFile } from './index';

const MIB = 1 << 20;
const want = (b: Uint8Array) => gzipWant(b.subarray(0, 2), b.subarray(-4), b.length);
const errorOf = (o: ReturnType<typeof decodeFile>) => (o.ok ? null : o.error);

describe('gzip bombs', () => {
  it('stops a bomb that declares its size at the budget, holding nothing', () => {
    const bomb = gzipBomb(2048); // 2 KB per MiB: 2 MB that inflate to 2 GiB
    const limit = new InflateBudget(64 * MIB).grant('bomb', want(bomb));
    expect(limit.allowanceBytes).toBe(64 * MIB);
    const e = errorOf(decodeFile('bomb.pb.gz', bomb, { inflate: limit }));
    expect(e?.kind).toBe('limit');
    expect(e?.message).toBe(
      "the file inflates past the memory budget: more than 64.0 MiB decompressed (the session's budget for decompressed data is 64.0 MiB); its gzip trailer declares 2.00 GiB",
    );
  });

  it('still calls a truncated file truncated, whatever its last four bytes say', () => {
    const cut = gzipBomb(8).subarray(0, 5000);
    const limit = { allowanceBytes: 1024, budgetBytes: 1024, availableBytes: 1024 };
    expect(
      errorOf(decodeFile('cut.gz', cut, { inflate: { ...limit, allowanceBytes: 64 * MIB } }))
        ?.message,
    ).toMatch(/truncated/);
  });

  it('stops a bomb that lies about its size at its allowance', () => {
    const bomb = gzipBomb(4096, { declared: 1000 }); // 4 MB, 4 GiB inside, says 1000 bytes
    const budget = new InflateBudget();
    const limit = budget.grant('bomb', want(bomb));
    expect(limit.allowanceBytes).toBe(8 * bomb.length);
    const e = errorOf(decodeFile('bomb.gz', bomb, { inflate: limit }));
    expect(e?.kind).toBe('limit');
    expect(e?.message).toMatch(
      /^the file inflates past the memory budget: more than 32\.4 MiB decompressed, the share of the session's 1\.00 GiB budget for decompressed data granted to it; its gzip trailer declares only 1000 B: the file is damaged or a decompression bomb$/,
    );
  });

  it('shares one budget among bombs decoded at the same time', () => {
    // Four bombs granted at once (as four workers would be): together they never get more than
    // the budget, and each stops at its share.
    const budget = new InflateBudget(96 * MIB);
    const bombs = [1, 2, 3, 4].map(() => gzipBomb(1024, { declared: 1000 }));
    const limits = bombs.map((b, i) => budget.grant(`f${i}`, want(b)));
    const granted = limits.reduce((n, l) => n + l.allowanceBytes, 0);
    expect(granted).toBeLessThanOrEqual(96 * MIB);
    const messages = bombs.map((b, i) => errorOf(decodeFile('b.gz', b, { inflate: limits[i] })));
    expect(messages.map((e) => e?.kind)).toEqual(['limit', 'limit', 'limit', 'limit']);
    expect(messages[0]?.message).toMatch(/more than 32\.0 MiB decompressed, the share of/);
    expect(messages[2]?.message).toBe(
      "the file inflates past the memory budget: more than 32.0 MiB decompressed (the session's budget for decompressed data is 96.0 MiB; other files hold 64.0 MiB of it); its gzip trailer declares only 1000 B",
    );
    expect(messages[3]?.message).toBe(
      "the file inflates past the memory budget: other files hold all of the session's 96.0 MiB budget for decompressed data; close some of them and open this file again",
    );
    for (let i = 0; i < 4; i++) budget.release(`f${i}`);
    expect(budget.availableBytes).toBe(96 * MIB);
  });

  it('stops a bomb of unknown size (a link) at half of what is left', () => {
    const bomb = gzipBomb(600, { complete: false });
    const budget = new InflateBudget(64 * MIB);
    const e = errorOf(decodeFile('x', bomb, { inflate: budget.grant('x', null) }));
    expect(e?.message).toMatch(/^the file inflates past the memory budget: more than 32\.0 MiB/);
  });

  it('does not inflate a gzip inside a gzip (10 MB of zeros gzip-ed three times)', () => {
    const nested = gzipTimes(new Uint8Array(10 * MIB), 3);
    const o = decodeFile('zeros.gz', nested);
    expect(errorOf(o)?.message).toMatch(/^zeros\.gz: unrecognized file \(gzip-compressed\)/);
  });
});

describe('gzip within the budget', () => {
  const good = corpusFiles('pprof/other').find((p) => p.endsWith('sample.cpu.pb.gz'))!;
  const bytes = new Uint8Array(readFileSync(good));

  it('decodes an honest file, which then holds its decompressed size', () => {
    const budget = new InflateBudget();
    const o = decodeFile('cpu.pb.gz', bytes, { inflate: budget.grant('cpu', want(bytes)) });
    expect(o.ok).toBe(true);
    const inflated = o.ok ? (o.file.inflatedBytes ?? 0) : 0;
    expect(inflated).toBeGreaterThan(bytes.length);
    budget.settle('cpu', inflated);
    expect(budget.heldBytes).toBe(inflated);
    expect(budget.availableBytes).toBe(INFLATE_BUDGET_BYTES - inflated);
  });

  it('reads a multi-member file past its trailer, and a bomb bounded by a small allowance', () => {
    const one = gzipBomb(2);
    const two = new Uint8Array(one.length * 2);
    two.set(one);
    two.set(one, one.length);
    expect(gunzip(two).length).toBe(4 * MIB);
    const e = (() => {
      try {
        gunzip(two, undefined, {
          allowanceBytes: 3 * MIB,
          budgetBytes: 3 * MIB,
          availableBytes: 3 * MIB,
        });
      } catch (err) {
        return err as Error;
      }
    })();
    expect(e?.message).toMatch(/more than 3\.00 MiB decompressed/);
  });
});
