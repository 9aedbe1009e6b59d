// The decode worker: reads one File in chunks, decodes it with the same modules Node runs
// (src/formats), reports progress, and transfers the model's typed arrays back.

import { decodeFile, nameMismatch } from '../formats/index';
import { blockCache, generationSpans, type ByteSource } from '../formats/gotrace/chunks';
import { readHeader } from '../formats/gotrace/decode';
import { decodeInOrder } from '../formats/gotrace/parallel';
import { EvEndOfGeneration, GO126, V2_VERSIONS } from '../formats/gotrace/spec';
import { TraceBuilder } from '../model/traceBuilder';
import type { DecodedFile, DecodeOutcome } from '../model/file';
import type { TraceModel } from '../model/trace';
import { isBundle, unpackBundle } from '../formats/bundle';
import { describeError } from '../base/errors';
import { reserveShared } from '../model/columns';
import {
  canShare,
  handOff,
  handOffNothing,
  handOffPreview,
  type EngineHandoff,
} from './handoff';
import type { DecodeRequest, WorkerMessage } from './protocol';

// In an isolated page the model is built in shared memory: handOff then has (almost) nothing to
// copy before the engine and the page read it.
reserveShared(canShare());

const post = (msg: WorkerMessage, transfer: Transferable[] = []): void =>
  (self as unknown as Worker).postMessage(msg, transfer);

/** Limit of what a tab can hold as one ArrayBuffer; larger files get a clear message. */
const MAX_FILE_BYTES = 2 ** 31 - 1;
/** Files larger than this are read as a stream, with progress. */
const STREAM_ABOVE_BYTES = 64 << 20;

let lastPost = 0;
function progress(stage: string, fraction: number): void {
  const now = performance.now();
  if (fraction < 1 && now - lastPost < 50) return;
  lastPost = now;
  post({ type: 'progress', stage, fraction });
}

/** A host that sends nothing for this long is given up on (the file would wait forever). */
const STALL_MS = 60_000;
/** A size a host announces is allocated up to this much at once; beyond, the buffer grows. */
const TRUST_ANNOUNCED_BYTES = 64 << 20;

/**
 * Reads a stream into one buffer, chunk by chunk, reporting progress. With a known size the
 * buffer is allocated once (an announced size only up to TRUST_ANNOUNCED_BYTES: a host can
 * claim anything); otherwise it doubles (and is trimmed by the caller's subarray). `onChunk` is
 * called for every chunk (a stall timer).
 */
async function readStream(
  stream: ReadableStream<Uint8Array>,
  size: number | null,
  stage: string,
  options: { announced?: boolean; onChunk?: () => void } = {},
): Promise<Uint8Array> {
  let out = new Uint8Array(
    size === null ? 1 << 20 : options.announced ? Math.min(size, TRUST_ANNOUNCED_BYTES) : size,
  );
  const reader = stream.getReader();
  let pos = 0;
  for (;;) {
    const { done, value } = await reader.read();
    options.onChunk?.();
    if (done) break;
    if (pos + value.length > out.length) {
      if (size !== null && pos + value.length > size)
        throw new Error('the file grew while it was being read');
      if (pos + value.length > MAX_FILE_BYTES) throw new Error('the download is larger than 2 GiB');
      const next = new Uint8Array(
        Math.min(MAX_FILE_BYTES, Math.max(out.length * 2, pos + value.length)),
      );
      next.set(out.subarray(0, pos));
      out = next;
    }
    out.set(value, pos);
    pos += value.length;
    progress(stage, size ? pos / Math.max(1, size) : 0);
  }
  return out.subarray(0, pos);
}

/** Fetches a `?url=` file, explaining what to change on the host when the browser refuses. */
async function readUrl(url: string): Promise<Uint8Array> {
  // Say at once that the file is being fetched (not "queued"), and give up on a silent host.
  post({ type: 'progress', stage: 'downloading', fraction: 0 });
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const alive = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(), STALL_MS);
  };
  alive();
  const stalled = () =>
    new Error(`could not fetch ${url}: the host sent nothing for ${STALL_MS / 1000} s`);
  let res: Response;
  try {
    res = await fetch(url, { mode: 'cors', credentials: 'omit', signal: controller.signal });
  } catch {
    clearTimeout(timer);
    if (controller.signal.aborted) throw stalled();
    throw new Error(
      `could not fetch ${url}: the network failed or the host does not allow cross-origin requests. ` +
        'Serve the file from the same site as goroscope, or have the host send ' +
        '"Access-Control-Allow-Origin: *" (or this site\'s origin) for it.',
    );
  }
  if (!res.ok)
    throw new Error(
      `could not fetch ${url}: the host answered HTTP ${res.status} ${res.statusText}`.trim(),
    );
  if (!res.body) throw new Error(`could not fetch ${url}: the response has no body`);
  const len = Number(res.headers.get('content-length'));
  // A compressed transfer reports the compressed length: use it only when no encoding is applied.
  const known =
    Number.isFinite(len) && len > 0 && !res.headers.get('content-encoding') ? len : null;
  if (known !== null && known > MAX_FILE_BYTES) throw new Error(`${url} is larger than 2 GiB`);
  try {
    return await readStream(res.body, known, 'downloading', { announced: true, onChunk: alive });
  } catch (e) {
    if (controller.signal.aborted) throw stalled();
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Posts a decode's outcome: the model's buffers transferred, with where the time went, and a copy
 * to the engine when the page gave a port for it (handoff.ts).
 */
function finish(
  outcome: DecodeOutcome,
  t0: number,
  t1: number,
  engine: EngineHandoff | null,
  previews: number,
  previewMs = 0,
): void {
  // The model's revision: 0 when it is the only one, else the one after the last preview.
  const rev = previews === 0 ? 0 : previews + 1;
  const t2 = performance.now();
  if (outcome.ok) {
    const timing = {
      readMs: t1 - t0,
      decodeMs: t2 - t1,
      previewMs,
      receivedAt: performance.timeOrigin + t0,
    };
    handOff(outcome.file, timing, engine, post, canShare(), rev);
  } else {
    handOffNothing(engine);
    const e = outcome.error;
    post({
      type: 'failed',
      format: outcome.format,
      error: { kind: e.kind, message: e.message, offset: e.offset },
    });
  }
}

/**
 * Bytes a File is read by, at most: each FileReaderSync call costs about 2 ms whatever its size,
 * and reads of 16 MiB run at about 260 MB/s (64 KiB: 36 MB/s).
 */
const READ_BLOCK_BYTES = 16 << 20;

/** A File read in slices, synchronously (FileReaderSync exists in workers only). */
function blobSource(blob: Blob): ByteSource {
  const reader = new FileReaderSync();
  return {
    size: blob.size,
    read: (start, end) => new Uint8Array(reader.readAsArrayBuffer(blob.slice(start, end))),
  };
}

/** Go 1.22+ traces above this size are read a generation at a time, never as one buffer. */
const SLICE_ABOVE_BYTES = 16 << 20;

/**
 * When the first preview of a large trace is posted, in ms of decoding: the page then draws what
 * is decoded so far (issue 18: a first picture within 1.5 s of a drop), and a later preview comes
 * once the decode has run twice as long as when the last one was posted, so previews cost a
 * bounded share of the decode.
 */
const FIRST_PREVIEW_MS = 400;
/**
 * No preview past this share of the file, nor past this many bytes of it. Each preview is a copy
 * of the model so far, and the engine and the page then work on it on the core the decode shares
 * with them: on the 176 MB trace, previews up to a quarter of it (three) made the page ready about
 * 1.2x later; on the 817 MB one, previews up to 192 MiB of it took the worker 8.6 s and made it
 * ready 1.44x later (npm run bench:ui -- --load-rows).
 */
const PREVIEW_UNTIL_FRACTION = 0.25;
const PREVIEW_UNTIL_BYTES = 48 << 20;

/**
 * Decodes a Go 1.22+ trace from `src` reading one generation at a time (issue 18: the worker never
 * holds the whole file), decoding each generation as soon as the scan has found it and posting
 * previews of what is decoded so far (`preview`). Returns null for anything else and for traces
 * with a fault, which the general path decodes (it says what failed and where).
 */
function decodeTraceInSlices(
  name: string,
  file: ByteSource,
  /** Called when a preview is due, with what makes it (timed by the caller). */
  preview: ((snapshot: () => DecodedFile, fraction: number) => void) | null,
): DecodeOutcome | null {
  const header = readHeader(file.read(0, 64));
  if (header === null || !V2_VERSIONS.includes(header.minor)) return null;
  // The scan now finds damage only when it reaches it, after what comes before is decoded. A Go
  // 1.26+ trace ends with an end-of-generation marker: one cut short is sent to the general path
  // at once, not decoded twice. (Older traces have no marker: a damaged one is.)
  if (header.minor >= GO126 && file.read(file.size - 1, file.size)[0] !== EvEndOfGeneration)
    return null;
  // A trace to scan and decode forward: read by the block (other files are read whole). The scan
  // runs a generation ahead of the decode, and the two blocks they are in are held, so each block
  // is read once.
  const src = blockCache(file, READ_BLOCK_BYTES, 2);
  const spans = generationSpans(src, header.length, header.minor);
  // Every goroutine transition takes at least one byte of input: a bound for the reservation.
  const builder = new TraceBuilder({ maxIntervals: src.size });
  const meta = (threadCount: number) => ({
    version: `1.${header.minor}`,
    threadCount,
    partial: false,
    lostBytes: 0,
    byteLength: src.size,
  });
  const asFile = (model: TraceModel): DecodedFile => ({
    format: 'go-trace',
    gzip: false,
    model,
    nameMismatch: nameMismatch(name, 'go-trace'),
    warnings: [],
    partialError: null,
  });
  const t0 = performance.now();
  let previewAt = FIRST_PREVIEW_MS;
  const r = decodeInOrder(src, spans, header.minor, builder, (f, threads) => {
    progress('decoding', f);
    if (preview === null || f >= PREVIEW_UNTIL_FRACTION || f * src.size > PREVIEW_UNTIL_BYTES)
      return;
    if (performance.now() - t0 < previewAt) return;
    preview(() => asFile(builder.snapshot(meta(threads))), f);
    previewAt = 2 * (performance.now() - t0);
  });
  if ('failed' in r) return null;
  return { ok: true, file: asFile(builder.finish(meta(r.threadCount))) };
}

self.onmessage = async (ev: MessageEvent<DecodeRequest>) => {
  const req = ev.data;
  if (req.type !== 'decode') return;
  const t0 = performance.now();
  const engine = req.engine ?? null;
  /** Previews posted of this file: the final model is their successor. */
  let previews = 0;
  try {
    const src = req.source;
    let bytes: Uint8Array;
    if (src instanceof Blob) {
      if (src.size > MAX_FILE_BYTES) {
        const gib = (src.size / 2 ** 30).toFixed(1);
        throw new Error(
          `${req.name} is ${gib} GiB; files over 2 GiB cannot be opened in a browser tab`,
        );
      }
      if (src.size > SLICE_ABOVE_BYTES) {
        const t1 = performance.now();
        let previewMs = 0;
        const outcome = decodeTraceInSlices(req.name, blobSource(src), (snapshot, fraction) => {
          const p0 = performance.now();
          handOffPreview(snapshot(), ++previews, fraction, engine, post);
          previewMs += performance.now() - p0;
        });
        if (outcome !== null) {
          finish(outcome, t0, t1, engine, previews, previewMs);
          return;
        }
      }
      // Small files in one read (faster); large ones streamed, so reading shows progress.
      bytes =
        src.size <= STREAM_ABOVE_BYTES
          ? new Uint8Array(await src.arrayBuffer())
          : await readStream(src.stream(), src.size, 'reading');
    } else {
      bytes = await readUrl(src.url);
    }
    if (isBundle(bytes)) {
      handOffNothing(engine);
      const bundle = unpackBundle(bytes);
      const files = bundle.files.map((f) => ({
        name: f.name,
        bytes: f.bytes.slice(),
        ...(f.error ? { error: f.error } : {}),
      }));
      post(
        { type: 'bundle', state: bundle.state, files },
        files.map((f) => f.bytes.buffer),
      );
      return;
    }
    const t1 = performance.now();
    finish(
      decodeFile(req.name, bytes, { onProgress: progress, inflate: req.inflate }),
      t0,
      t1,
      engine,
      previews,
    );
  } catch (e) {
    handOffNothing(engine);
    const message = describeError(e).startsWith(req.name)
      ? describeError(e)
      : `${req.name}: ${describeError(e)}`;
    post({
      type: 'failed',
      format: null,
      error: { kind: 'corrupt', message },
    });
  }
};
