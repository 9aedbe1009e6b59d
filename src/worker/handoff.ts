// Where a decoded model goes: a copy to the engine worker, then the model itself to the page, both
// with their buffers transferred (the page paints and hit-tests with it; every analysis runs in
// the engine). The copy is made here, in the decode worker, with memcpy (typed arrays sliced, see
// transferCopy): structured clone would serialize every column here and deserialize it again in
// the engine, several times slower. The one place that decides this: a pool of decode workers, or
// columns shared through SharedArrayBuffer, would change only this function.

import type { DecodedFile } from '../model/file';
import { transferCopy, type DecoderToEngine } from './engineProtocol';
import { transferables, type WorkerMessage, type WorkerTiming } from './protocol';

export interface EngineHandoff {
  fileId: string;
  port: MessagePort;
}

export function handOff(
  file: DecodedFile,
  timing: Omit<WorkerTiming, 'postedAt'>,
  engine: EngineHandoff | null,
  post: (msg: WorkerMessage, transfer: Transferable[]) => void,
): void {
  if (engine) {
    // Before the transfer below detaches the buffers.
    const copy = transferCopy(file);
    const msg: DecoderToEngine = {
      type: 'file',
      fileId: engine.fileId,
      file: copy.value as DecodedFile,
    };
    engine.port.postMessage(msg, copy.transfer);
    engine.port.close();
  }
  post(
    {
      type: 'done',
      file,
      timing: { ...timing, postedAt: performance.timeOrigin + performance.now() },
    },
    transferables(file.model),
  );
}

/** The decode failed (or the file was a bundle): the engine will get no model for this id. */
export function handOffNothing(engine: EngineHandoff | null): void {
  if (!engine) return;
  const msg: DecoderToEngine = { type: 'failed', fileId: engine.fileId };
  engine.port.postMessage(msg);
  engine.port.close();
}
