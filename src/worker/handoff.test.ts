// Sharing a decoded model between the page and the engine (worker/handoff.ts): the shared copy
// equals the model column for column, lives in SharedArrayBuffers, and the originals' resizable
// buffers are given back as they are copied.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Engine } from '../engine/engine';
import { decodeFile } from '../formats/index';
import { F64Col, growTo, reserveShared, trimTo } from '../model/columns';
import type { DecodedFile } from '../model/file';
import { corpusPath } from '../testing/corpus';
import { handOff, shareColumns } from './handoff';
import { transferCopy } from './engineProtocol';
import type { WorkerMessage } from './protocol';

function decode(path: string): DecodedFile {
  const o = decodeFile(path, new Uint8Array(readFileSync(corpusPath(path))));
  if (!o.ok) throw new Error(o.error.message);
  return o.file;
}

/** Every typed array reachable from `v`. */
function views(v: unknown, out: ArrayBufferView[] = []): ArrayBufferView[] {
  if (v === null || typeof v !== 'object') return out;
  if (ArrayBuffer.isView(v)) out.push(v);
  else for (const x of Object.values(v)) views(x, out);
  return out;
}

describe('shareColumns', () => {
  it('gives a model whose every column is shared and equal to the original', () => {
    for (const path of [
      'combined/go1.27/trace.out',
      'combined/go1.27/cpu.pprof',
      'combined/go1.27/dlv-trace.log',
    ]) {
      const file = decode(path);
      const before = structuredClone(file);
      const shared = shareColumns(file);
      expect(shared).toEqual(before);
      const cols = views(shared.model);
      expect(cols.length).toBeGreaterThan(10);
      expect(cols.every((c) => c.buffer instanceof SharedArrayBuffer)).toBe(true);
    }
  });

  it('gives a column in a resizable buffer back once copied; views of one buffer stay one buffer', () => {
    const col = new F64Col();
    for (let i = 0; i < 300_000; i++) col.push(i); // 2.4 MB: a resizable buffer
    const big = col.finish();
    expect((big.buffer as ArrayBuffer & { resizable: boolean }).resizable).toBe(true);
    const pair = new Int32Array(8).map((_, i) => i);
    const value = { big, head: pair.subarray(0, 4), tail: pair.subarray(4) };
    const out = shareColumns(value);
    expect(out.big.length).toBe(300_000);
    expect(out.big[299_999]).toBe(299_999);
    expect(big.length).toBe(0); // given back
    expect([...out.head, ...out.tail]).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(out.head.buffer).toBe(out.tail.buffer);
  });
});

describe('a model built in shared memory (reserveShared, the decode worker of an isolated page)', () => {
  it('equals the model built without; its large columns are shared already and not copied again', () => {
    const path = 'go-trace/spike/go1.26.trace';
    const plain = decode(path);
    let file: DecodedFile;
    try {
      expect(reserveShared(true)).toBe(true);
      file = decode(path);
    } finally {
      reserveShared(false);
    }
    expect(structuredClone(file)).toEqual(structuredClone(plain));
    if (file.format !== 'go-trace') throw new Error('not a trace');
    const { start, stack } = file.model.intervals;
    expect(stack.byteLength).toBeGreaterThan(1 << 20);
    for (const col of [start, stack]) {
      const buf = col.buffer as SharedArrayBuffer & { growable: boolean };
      expect(buf instanceof SharedArrayBuffer && buf.growable).toBe(true);
    }
    // A large column is already shared: shareColumns keeps it (no copy); small ones are copied.
    const shared = shareColumns(file);
    if (shared.format !== 'go-trace') throw new Error('not a trace');
    expect(shared.model.intervals.start).toBe(start);
    expect(shared.model.intervals.stack).toBe(stack);
    expect(views(shared.model).every((c) => c.buffer instanceof SharedArrayBuffer)).toBe(true);
    expect(structuredClone(shared)).toEqual(structuredClone(plain));
  });

  it('grows a column in place and cuts it to a fixed-length view (a growable buffer cannot shrink)', () => {
    let col: F64Col;
    try {
      reserveShared(true);
      col = new F64Col();
      for (let i = 0; i < 300_000; i++) col.push(i);
    } finally {
      reserveShared(false);
    }
    const out = col.finish();
    expect(out.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(out.length).toBe(300_000);
    expect(out.buffer.byteLength).toBeGreaterThanOrEqual(300_000 * 8);
    expect(out[299_999]).toBe(299_999);
    // Grown again after the cut: the same buffer, the data kept.
    const again = growTo(out, Float64Array, 400_000);
    expect(again.buffer).toBe(out.buffer);
    expect(again.length).toBe(400_000);
    expect(again[299_999]).toBe(299_999);
    // Cut, then grown again: what lay past the cut reads as zeros, as in a fresh column.
    const cut = trimTo(again, Float64Array, 10);
    expect(cut.length).toBe(10);
    const regrown = growTo(cut, Float64Array, 20);
    expect(Array.from(regrown.subarray(8, 12))).toEqual([8, 9, 0, 0]);
  });
});

describe('handOff', () => {
  it('shares one model with the engine and the page, transferring nothing', () => {
    const file = decode('combined/go1.27/trace.out');
    const before = structuredClone(file);
    const { port1, port2 } = new MessageChannel();
    const toEngine: unknown[] = [];
    port1.postMessage = ((msg: unknown, transfer?: Transferable[]) => {
      toEngine.push(msg, transfer ?? []);
    }) as MessagePort['postMessage'];
    const posted: Array<[WorkerMessage, Transferable[]]> = [];
    handOff(
      file,
      { readMs: 0, decodeMs: 0 } as never,
      { fileId: 'f1', port: port1 },
      (msg, transfer) => posted.push([msg, transfer]),
      true,
    );
    port2.close();
    const [msg, transfer] = toEngine as [{ file: DecodedFile }, Transferable[]];
    const [page, pageTransfer] = posted[0] as [WorkerMessage & { file: DecodedFile }, unknown[]];
    expect(transfer).toEqual([]);
    expect(pageTransfer).toEqual([]);
    expect(page.file).toEqual(before);
    // The same shared columns on both sides.
    expect(views(msg.file.model).map((v) => v.buffer)).toEqual(
      views(page.file.model).map((v) => v.buffer),
    );
  });
});

describe('an engine that shares its large results', () => {
  it('answers traceView and runtimeLanes in shared memory, equal to the unshared answers, and the page gets them without a copy', () => {
    const file = decode('combined/go1.27/trace.out');
    const plain = new Engine();
    plain.addFile('t', file);
    const shared = new Engine({ share: shareColumns });
    shared.addFile('t', file);
    for (const name of ['traceView', 'runtimeLanes'] as const) {
      const a = plain.run(name, { trace: 't' });
      const b = shared.run(name, { trace: 't' });
      expect(b).toEqual(a);
      const cols = views(b);
      expect(cols.length).toBeGreaterThan(3);
      expect(cols.every((c) => c.buffer instanceof SharedArrayBuffer)).toBe(true);
      // What the engine worker posts to the page: the same shared arrays, nothing to transfer.
      const out = transferCopy(b);
      expect(out.transfer).toEqual([]);
      expect(views(out.value).map((v) => v.buffer)).toEqual(cols.map((c) => c.buffer));
    }
  });
});
