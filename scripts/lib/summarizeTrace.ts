// One trace file's summary as `npm run summarize` prints it (scripts/summarize.ts), computed while
// it decodes: in parallel runs of generations read in slices (scripts/lib/traceFile.ts) into the
// summary sink, so the model is never held (issue 18: peak memory at most twice the file). The
// document is what summarizeOutcome(decodeFile(...)) gives for the same file; other files (not
// v2 traces, gzip-compressed ones) return null and take the general path.

import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { TraceSummarySink } from '../../src/model/traceSummarySink';
import { TraceBuilder } from '../../src/model/traceBuilder';
import type { TraceModel } from '../../src/model/trace';
import type { FileSummary } from '../../src/model/summary';
import { nameMismatch } from '../../src/formats/index';
import { decodeTraceFile, type TraceFileOptions } from './traceFile';

export async function summarizeTraceFile(
  path: string,
  options: TraceFileOptions = {},
): Promise<(FileSummary & { how: string; canBeClock: boolean }) | null> {
  const r = await decodeTraceFile(path, () => new TraceSummarySink(), options);
  if (r === null) return null;
  const doc = r.sink.finish({
    version: `1.${r.minor}`,
    threadCount: r.threadCount,
    partial: r.error !== null,
  });
  const s: FileSummary & { how: string; canBeClock: boolean } = {
    ...doc,
    how: r.how,
    // As analysis/session.ts canBeClock asks of a model.
    canBeClock:
      Number(doc.durationNs) > 0 &&
      (Number(doc.goroutineCount) > 0 || r.sink.procRan || Number(doc.cpuSamples) > 0),
  };
  if (r.error) {
    s.error = r.error.message;
    s.partial = true;
  }
  const mismatch = nameMismatch(basename(path), 'go-trace');
  if (mismatch !== null) s.error = mismatch;
  return s;
}

/** The full model of a v2 trace file, decoded as summarizeTraceFile decodes (null: not one). */
export async function decodeTraceModelFile(
  path: string,
  options: TraceFileOptions = {},
): Promise<{ model: TraceModel; error: string | null; how: string } | null> {
  // As the page's worker does: a transition takes a byte of the file at least, so the interval
  // columns reserve that many rows and never grow past their reservation by a copy.
  const size = statSync(path).size;
  const r = await decodeTraceFile(
    path,
    () => new TraceBuilder({ maxIntervals: Math.max(1024, size) }),
    options,
  );
  if (r === null) return null;
  const model = r.sink.finish({
    version: `1.${r.minor}`,
    threadCount: r.threadCount,
    partial: r.error !== null,
    lostBytes: 0,
    byteLength: 0,
  });
  return { model, error: r.error?.message ?? null, how: r.how };
}
