// The parallel decoder must give exactly what decoding in order gives: every v2 trace of the
// corpus, and traces made with the test writer, decoded in runs of one generation each (the
// hardest case: every boundary is a run boundary) and compared column by column with the
// sequential decode.

import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TraceModel } from '../../model/trace';
import { TraceBuilder } from '../../model/traceBuilder';
import { CORPUS_DIR, corpusFiles } from '../../testing/summaryCompare';
import { decodeGoTrace, readHeader } from './decode';
import { bytesSource, scanGenerations } from './chunks';
import { decodeInOrder, decodeRunsInline } from './parallel';
import { V2_VERSIONS } from './spec';

/** The trace decoded in runs, or why not (a fallback the caller would take). */
export function decodeInRuns(bytes: Uint8Array, targetBytes = 1): TraceModel | string {
  const h = readHeader(bytes);
  if (h === null) return 'not a trace';
  const builder = new TraceBuilder({ maxIntervals: bytes.length });
  const r = decodeRunsInline(bytes, h.length, h.minor, builder, targetBytes);
  if (r === null) return 'decoded in order (one run, or a fault)';
  if ('failed' in r) return `runs not joined: ${r.failed}`;
  return builder.finish({
    version: `1.${h.minor}`,
    threadCount: r.joiner.state.threads.size,
    partial: false,
    lostBytes: 0,
    byteLength: bytes.length,
  });
}

const v2 = corpusFiles('go-trace', 'combined').filter((p) => {
  const h = readHeader(readFileSync(p).subarray(0, 32));
  return h !== null && V2_VERSIONS.includes(h.minor);
});

describe('decoding in runs of generations gives the sequential model', () => {
  for (const path of v2) {
    it(relative(CORPUS_DIR, path), () => {
      const bytes = new Uint8Array(readFileSync(path));
      let seq: TraceModel;
      try {
        const r = decodeGoTrace(bytes);
        if (r.error) return; // damaged: the parallel decoder leaves it to the sequential one
        seq = r.model;
      } catch {
        return;
      }
      const par = decodeInRuns(bytes);
      if (typeof par === 'string') {
        // Only a one-generation trace may stay in order.
        expect(par, path).toMatch(/one run/);
        expect(seq.generations.length).toBeLessThan(2);
        return;
      }
      expect(par).toEqual(seq);
    });
  }
});

describe('decoding in order a generation at a time gives the sequential model', () => {
  for (const path of v2) {
    it(relative(CORPUS_DIR, path), () => {
      const bytes = new Uint8Array(readFileSync(path));
      const h = readHeader(bytes);
      if (h === null) throw new Error('not a trace');
      let seq: TraceModel;
      try {
        const r = decodeGoTrace(bytes);
        if (r.error) return;
        seq = r.model;
      } catch {
        return;
      }
      const builder = new TraceBuilder({ maxIntervals: bytes.length });
      const src = bytesSource(bytes);
      const r = decodeInOrder(src, scanGenerations(src, h.length, h.minor), h.minor, builder);
      if ('failed' in r) throw new Error(r.failed);
      const model = builder.finish({
        version: `1.${h.minor}`,
        threadCount: r.threadCount,
        partial: false,
        lostBytes: 0,
        byteLength: bytes.length,
      });
      expect(model).toEqual(seq);
    });
  }
});
