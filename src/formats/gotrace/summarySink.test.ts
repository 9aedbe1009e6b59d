// The summary computed while decoding (model/traceSummarySink.ts) is the summary of the model
// (model/traceSummary.ts), to the byte of its JSON: on every v2 trace of the corpus, decoded in
// order and in runs of one generation each (the parallel decoder's way).

import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { summarizeTrace } from '../../model/traceSummary';
import { TraceSummarySink } from '../../model/traceSummarySink';
import { CORPUS_DIR, corpusFiles } from '../../testing/summaryCompare';
import { decodeGoTrace, decodeV2Into, readHeader } from './decode';
import { decodeRunsInline } from './parallel';
import { V2_VERSIONS } from './spec';

const v2 = corpusFiles('go-trace', 'combined').filter((p) => {
  const h = readHeader(readFileSync(p).subarray(0, 32));
  return h !== null && V2_VERSIONS.includes(h.minor);
});

describe('the summary sink gives summarizeTrace of the model', () => {
  for (const path of v2) {
    it(relative(CORPUS_DIR, path), () => {
      const bytes = new Uint8Array(readFileSync(path));
      const h = readHeader(bytes);
      if (h === null) throw new Error('not a trace');
      let expected: Record<string, unknown>;
      try {
        expected = summarizeTrace(decodeGoTrace(bytes).model);
      } catch {
        return; // nothing usable: no summary to compare
      }
      const sink = new TraceSummarySink();
      const r = decodeV2Into(bytes, h.length, h.minor, sink);
      const inOrder = sink.finish({
        version: `1.${h.minor}`,
        threadCount: r.threadCount,
        partial: r.fault !== null,
      });
      expect(JSON.stringify(inOrder)).toBe(JSON.stringify(expected));
      if (r.fault !== null) return;
      const runs = new TraceSummarySink();
      const joined = decodeRunsInline(bytes, h.length, h.minor, runs, 1);
      if (joined === null || 'failed' in joined) return;
      const inRuns = runs.finish({
        version: `1.${h.minor}`,
        threadCount: joined.joiner.state.threads.size,
        partial: false,
      });
      expect(JSON.stringify(inRuns)).toBe(JSON.stringify(expected));
    });
  }
});
