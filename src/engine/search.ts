// Queries behind the search box and the runtime lanes: a query over the trace and the dlv logs on
// its clock (analysis/query), its results in the list's orders, completion as the user types, and
// who ran on each P with the GC work goroutines paid (analysis/runtimeLanes.ts). The query
// indexes are built once per file (the file's memo) and never on the page's thread.

import { completeQuery, type Completion } from '../analysis/query/complete';
import {
  runQuery,
  resultOrder,
  type DlvSource,
  type QueryResults,
} from '../analysis/query/evaluate';
import { buildDlvQueryIndex, buildQueryIndex, type QueryIndex } from '../analysis/query/queryIndex';
import { KIND_DLV, type QuerySyntaxError } from '../analysis/query/syntax';
import { runtimeLanes as buildRuntimeLanes, type RuntimeLanes } from '../analysis/runtimeLanes';
import type { TraceModel } from '../model/trace';
import type { QueryContext } from './engine';

export interface SearchParams {
  trace: string;
  /** dlv logs on the trace's clock, with their offsets (trace ns = the log's ns + offsetNs). */
  dlv: Array<{ file: string; offsetNs: number }>;
  text: string;
  /** Only results overlapping [a, b] (the time selection), or null. */
  range: [number, number] | null;
}

/** Buckets of the overview's result histogram. */
export const SEARCH_BUCKETS = 1024;

export type SearchView =
  | { ok: false; error: QuerySyntaxError }
  | {
      ok: true;
      results: QueryResults;
      /** Lanes with results (goroutines.length), as Go ids (for "only lanes with results"). */
      goroutineIds: Float64Array;
      /** Per dlv log of params.dlv, 1 per call that is a result. */
      dlv: Array<{ fileId: string; spans: Uint8Array }>;
      /** Where the results are in time: result time per bucket (a point counts 1 ns). */
      histogram: { bucketNs: number; intervalNs: Float64Array; samples: Uint32Array };
    };

function queryIndex(c: QueryContext, trace: string): { m: TraceModel; x: QueryIndex } {
  const m = c.trace(trace);
  return { m, x: c.memo(trace)('queryIndex', () => buildQueryIndex(m)) };
}

function dlvSources(c: QueryContext, dlv: SearchParams['dlv']): DlvSource[] {
  return dlv.map(({ file, offsetNs }) => {
    const model = c.dlv(file);
    return {
      model,
      offsetNs,
      index: c.memo(file)('dlvQueryIndex', () => buildDlvQueryIndex(model)),
    };
  });
}

/** Runs a query of the search box. A syntax error is an answer (shown under the box). */
export function search(c: QueryContext, p: SearchParams): SearchView {
  const { m, x } = queryIndex(c, p.trace);
  const dlv = dlvSources(c, p.dlv);
  const out = runQuery(m, x, p.text, { dlv, range: p.range });
  if (!out.ok) return { ok: false, error: out.error };
  const r = out.results;
  const ids: number[] = [];
  for (let g = 0; g < r.goroutines.length; g++) if (r.goroutines[g]) ids.push(m.goroutines.id[g]!);
  const dlvMasks = dlv.map((d, k) => ({
    fileId: p.dlv[k]!.file,
    spans: new Uint8Array(d.model.spanCount),
  }));
  const B = SEARCH_BUCKETS;
  const bucketNs = Math.max(1, m.durationNs) / B;
  const intervalNs = new Float64Array(B);
  // Whole buckets a result covers go through a difference array: O(results + buckets).
  const full = new Float64Array(B + 1);
  for (let i = 0; i < r.count; i++) {
    if (r.kind[i] === KIND_DLV) dlvMasks[r.source[i]!]!.spans[r.index[i]!] = 1;
    const s = Math.max(0, r.start[i]!);
    const e = Math.max(s + 1, r.end[i]!);
    const b0 = Math.min(B - 1, Math.floor(s / bucketNs));
    const b1 = Math.min(B - 1, Math.floor(e / bucketNs));
    if (b0 === b1) {
      intervalNs[b0] = intervalNs[b0]! + (e - s);
      continue;
    }
    intervalNs[b0] = intervalNs[b0]! + ((b0 + 1) * bucketNs - s);
    intervalNs[b1] = intervalNs[b1]! + Math.max(0, e - b1 * bucketNs);
    full[b0 + 1] = full[b0 + 1]! + 1;
    full[b1] = full[b1]! - 1;
  }
  let covering = 0;
  for (let b = 0; b < B; b++) {
    covering += full[b]!;
    intervalNs[b] = intervalNs[b]! + covering * bucketNs;
  }
  return {
    ok: true,
    results: r,
    goroutineIds: Float64Array.from(ids),
    dlv: dlvMasks,
    histogram: { bucketNs, intervalNs, samples: new Uint32Array(B) },
  };
}

/** The search results in the list's order (positions into the results). */
export function searchOrder(
  c: QueryContext,
  p: SearchParams & { by: 'start' | 'duration'; descending: boolean },
): Uint32Array {
  const { by, descending, ...q } = p;
  const v = c.query('search', q);
  if (!v.ok) return new Uint32Array(0);
  return resultOrder(v.results, by, descending);
}

/** What can come next at the caret of the search box. */
export function searchComplete(
  c: QueryContext,
  p: { trace: string | null; dlv: string[]; text: string; caret: number },
): Completion {
  const trace = p.trace === null ? null : queryIndex(c, p.trace);
  return completeQuery(p.text, p.caret, {
    trace: trace ? { model: trace.m, index: trace.x } : null,
    dlv: dlvSources(
      c,
      p.dlv.map((file) => ({ file, offsetNs: 0 })),
    ).map((d) => ({ index: d.index })),
  });
}

/** Who ran on each P, mark worker modes, and each goroutine's assists and sweeps. */
export function runtimeLanes(c: QueryContext, p: { trace: string }): RuntimeLanes {
  const m = c.trace(p.trace);
  // Each P's runs (25 bytes a run): shared with the page rather than copied to it.
  return c.keep(p.trace)('runtimeLanes', () => c.share(buildRuntimeLanes(m)));
}
