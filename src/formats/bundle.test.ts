import { describe, expect, it } from 'vitest';
import { isDecodeError } from '../base/errors';
import { BUNDLE_MAGIC, isBundle, MAX_BUNDLE_FILES, packBundle, unpackBundle } from './bundle';

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

/** A bundle with a hand-written header (what a hostile one may hold). */
function rawBundle(header: string, body: Uint8Array = new Uint8Array(0)): Uint8Array {
  const head = new TextEncoder().encode(`${BUNDLE_MAGIC}${header}\n`);
  const out = new Uint8Array(head.length + body.length);
  out.set(head);
  out.set(body, head.length);
  return out;
}

function failure(bytes: Uint8Array): string {
  try {
    unpackBundle(bytes);
  } catch (e) {
    expect(isDecodeError(e)).toBe(true);
    return (e as Error).message.replace(/ \(at byte \d+\)$/, '');
  }
  throw new Error('the bundle was accepted');
}

describe('session bundle validation', () => {
  it('names the field of null and wrongly typed values', () => {
    expect(failure(rawBundle('null'))).toBe(
      'session bundle: the header must be a JSON object, not null',
    );
    expect(failure(rawBundle('[1]'))).toBe(
      'session bundle: the header must be a JSON object, not a list',
    );
    expect(failure(rawBundle('{"files":null}'))).toBe(
      'session bundle: "files" must be a list of files, not null',
    );
    expect(failure(rawBundle('{"state":null,"files":[]}'))).toBe(
      'session bundle: "state" must be a string, not null',
    );
    expect(failure(rawBundle('{"files":[null]}'))).toBe(
      'session bundle: files[0] must be an object with "name" and "size", not null',
    );
    expect(failure(rawBundle('{"files":[{"name":5,"size":1}]}'))).toBe(
      'session bundle: files[0].name must be a string, not a number (5)',
    );
    expect(failure(rawBundle('{"files":[{"name":"a","size":0},{"name":"b","size":"3"}]}'))).toBe(
      'session bundle: files[1].size must be a whole number of bytes, not a string',
    );
    expect(failure(rawBundle('{"files":[{"name":"a","size":1e300}]}'))).toBe(
      'session bundle: files[0].size must be a whole number of bytes, not a number (1e+300)',
    );
    expect(failure(rawBundle('{"files":[{"name":"a","size":-1}]}'))).toBe(
      'session bundle: files[0].size must be a whole number of bytes, not a number (-1)',
    );
    expect(failure(rawBundle('{"files":[{"name":" ","size":0}]}'))).toBe(
      'session bundle: files[0].name is empty',
    );
  });

  it('bounds what a bundle may declare: files, names, sizes, state', () => {
    const many = JSON.stringify({
      files: Array.from({ length: MAX_BUNDLE_FILES + 1 }, () => ({ name: 'x', size: 1 })),
    });
    expect(failure(rawBundle(many, new Uint8Array(MAX_BUNDLE_FILES + 1)))).toBe(
      `session bundle: it lists ${MAX_BUNDLE_FILES + 1} files; at most ${MAX_BUNDLE_FILES} are opened from one bundle`,
    );
    expect(
      failure(rawBundle(JSON.stringify({ files: [{ name: 'n'.repeat(501), size: 0 }] }))),
    ).toBe('session bundle: files[0].name is 501 characters long; at most 500 are accepted');
    expect(failure(rawBundle('{"files":[{"name":"a","size":9007199254740991}]}'))).toBe(
      'session bundle: files[0] (a) is cut short (the bundle is truncated)',
    );
    expect(failure(rawBundle(JSON.stringify({ state: 'x'.repeat(70_000), files: [] })))).toBe(
      'session bundle: "state" is 70000 characters long; at most 65536 are read',
    );
  });

  it('does not open a bundle inside a bundle, and keeps the outer files', async () => {
    const inner = new Uint8Array(
      await packBundle('v=1,2', [{ name: 'x.log', bytes: new Uint8Array(3) }]).arrayBuffer(),
    );
    const outer = new Uint8Array(
      await packBundle('v=5,9', [
        { name: 'inner.goroscope', bytes: inner },
        { name: 'a.log', bytes: new Uint8Array([7]) },
      ]).arrayBuffer(),
    );
    const b = unpackBundle(outer);
    expect(b.state).toBe('v=5,9');
    expect(b.files).toEqual([
      {
        name: 'inner.goroscope',
        bytes: new Uint8Array(0),
        error:
          'inner.goroscope: a session bundle inside a session bundle is not opened; open it on its own',
      },
      { name: 'a.log', bytes: new Uint8Array([7]) },
    ]);
  });
});
