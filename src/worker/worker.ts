// The decode worker: reads one File in chunks, decodes it with the same modules Node runs
// (src/formats), reports progress, and transfers the model's typed arrays back.

import { decodeFile } from '../formats/index';
import { summarizeOutcome } from '../model/summary';
import { describeError } from '../base/errors';
import { transferables, type DecodeRequest, type WorkerMessage } from './protocol';

const post = (msg: WorkerMessage, transfer: Transferable[] = []): void =>
  (self as unknown as Worker).postMessage(msg, transfer);

/** Limit of what a tab can hold as one ArrayBuffer; larger files get a clear message. */
const MAX_FILE_BYTES = 2 ** 31 - 1;

let lastPost = 0;
function progress(stage: string, fraction: number): void {
  const now = performance.now();
  if (fraction < 1 && now - lastPost < 50) return;
  lastPost = now;
  post({ type: 'progress', stage, fraction });
}

/** Reads the blob into one buffer, chunk by chunk, reporting progress. */
async function readBlob(blob: Blob): Promise<Uint8Array> {
  const out = new Uint8Array(blob.size);
  const reader = blob.stream().getReader();
  let pos = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (pos + value.length > out.length) throw new Error('the file grew while it was being read');
    out.set(value, pos);
    pos += value.length;
    progress('reading', pos / Math.max(1, out.length));
  }
  return pos === out.length ? out : out.subarray(0, pos);
}

self.onmessage = async (ev: MessageEvent<DecodeRequest>) => {
  const req = ev.data;
  if (req.type !== 'decode') return;
  try {
    if (req.blob.size > MAX_FILE_BYTES) {
      throw new Error(
        `${req.name} is ${(req.blob.size / 2 ** 30).toFixed(1)} GiB; files over 2 GiB cannot be opened in a browser tab`,
      );
    }
    const bytes = await readBlob(req.blob);
    const outcome = decodeFile(req.name, bytes, { onProgress: progress });
    const summary = summarizeOutcome(outcome);
    if (outcome.ok) {
      post({ type: 'done', file: outcome.file, summary }, transferables(outcome.file.model));
    } else {
      const e = outcome.error;
      post({
        type: 'failed',
        format: outcome.format,
        error: { kind: e.kind, message: e.message, offset: e.offset },
        summary,
      });
    }
  } catch (e) {
    const message = `${req.name}: ${describeError(e)}`;
    post({
      type: 'failed',
      format: null,
      error: { kind: 'corrupt', message },
      summary: { error: message },
    });
  }
};
