import { describe, expect, it } from 'vitest';
import { decodeFile } from '../formats/index';
import type { DecodeJob, DecodeResult, DecodeSource } from '../worker/client';
import { createSessionStore, pageState } from './session';

/** Decodes on the spot with the real decoders, as the worker would. */
function fakeDecode(name: string, source: DecodeSource): DecodeJob {
  const blob = source instanceof Blob ? source : new Blob([]);
  let cancelled = false;
  const result = blob.arrayBuffer().then((buf): DecodeResult => {
    if (cancelled) throw new DOMException('cancelled', 'AbortError');
    const o = decodeFile(name, new Uint8Array(buf));
    return o.ok
      ? { ok: true, file: o.file }
      : {
          ok: false,
          format: o.format,
          error: { kind: o.error.kind, message: o.error.message },
        };
  });
  return { result, cancel: () => (cancelled = true) };
}

const dlv = (text: string, name = 'x.log') => ({ name, blob: new Blob([text]) });
const settle = () => new Promise((r) => setTimeout(r, 20));

describe('session store', () => {
  it('goes empty -> loading -> ready and builds the shared axis', async () => {
    const store = createSessionStore({ decode: fakeDecode });
    expect(pageState(store.getState())).toBe('empty');
    store
      .getState()
      .addFiles([
        dlv(
          '2026-01-01T00:00:01Z > goroutine(1): main.a()\n2026-01-01T00:00:03Z >> goroutine(1): main.a => ()\n',
          'a.log',
        ),
        dlv('2026-01-01T00:00:00Z > goroutine(2): main.b()\n', 'b.log'),
      ]);
    expect(pageState(store.getState())).toBe('loading');
    await settle();
    const s = store.getState();
    expect(pageState(s)).toBe('ready');
    expect(s.axis.durationNs).toBe(3e9);
    expect(s.axis.dlv.map((t) => t.offsetNs).sort()).toEqual([0, 1e9]);
    expect(s.view).toEqual({ startNs: 0, endNs: 3e9 });
  });

  it('reports error only when no file could be read, and removal cancels', async () => {
    const store = createSessionStore({ decode: fakeDecode });
    store
      .getState()
      .addFiles([{ name: 'r.bin', blob: new Blob([new Uint8Array([1, 2, 3, 250])]) }]);
    await settle();
    expect(pageState(store.getState())).toBe('error');
    expect(store.getState().files[0]?.error).toMatch(/r\.bin: unrecognized file/);
    store.getState().addFiles([dlv('> goroutine(1): main.a()\n')]);
    await settle();
    expect(pageState(store.getState())).toBe('ready');
    store.getState().removeFile(store.getState().files[0]!.id);
    expect(store.getState().files).toHaveLength(1);
    expect(store.getState().axis.sequential).toHaveLength(1);
  });
});
