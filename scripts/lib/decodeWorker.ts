// A worker_threads worker of the Node CLI's parallel trace decoder (scripts/lib/traceFile.ts):
// reads one run of generations from the file itself (never the whole file), decodes it with
// src/formats/gotrace/chunks.ts `decodeRun`, and transfers the result's buffers back.

import { closeSync, openSync, readSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { decodeRun } from '../../src/formats/gotrace/chunks';

export interface RunRequest {
  id: number;
  path: string;
  byteStart: number;
  byteEnd: number;
  version: number;
  continued: boolean;
}

/** Every ArrayBuffer under `value`, to transfer rather than copy. */
function buffers(value: unknown, out: Set<ArrayBuffer> = new Set(), depth = 0): ArrayBuffer[] {
  if (value !== null && typeof value === 'object' && depth < 6) {
    if (ArrayBuffer.isView(value)) {
      if (value.buffer instanceof ArrayBuffer && value.buffer.byteLength > 0) out.add(value.buffer);
    } else {
      for (const v of Object.values(value)) buffers(v, out, depth + 1);
    }
  }
  return [...out];
}

parentPort?.on('message', (req: RunRequest) => {
  try {
    const fd = openSync(req.path, 'r');
    const bytes = new Uint8Array(req.byteEnd - req.byteStart);
    try {
      for (let done = 0; done < bytes.length;) {
        const n = readSync(fd, bytes, done, bytes.length - done, req.byteStart + done);
        if (n <= 0) throw new Error(`${req.path} ended at byte ${req.byteStart + done}`);
        done += n;
      }
    } finally {
      closeSync(fd);
    }
    const result = decodeRun(bytes, req.byteStart, req.version, req.continued);
    parentPort?.postMessage({ id: req.id, result }, buffers(result.log));
  } catch (e) {
    parentPort?.postMessage({ id: req.id, error: e instanceof Error ? e.message : String(e) });
  }
});
