// The catalog of named queries the engine answers. Each is a pure function of (the models it names
// by file id, params) built from src/analysis; its result is plain data (typed arrays, plain
// objects: nothing with methods, so it can cross postMessage) and is memoized by the engine under
// the query's name and params. Params are plain JSON.
//
// Adding a query: write `(c: QueryContext, p: Params) => Result` beside its kind (./trace.ts,
// ./flame.ts, ...), reading files through `c` (c.trace(id), c.indexes(id), c.memo(id)), and add
// one line here. The page then asks for it with `useEngineQuery('name', params)`, tests and
// scripts with `engine.run('name', params)`; both get the same result type from this table.

import type { QueryContext } from './engine';
import { spikes } from './trace';

export interface QueryDef<P, R> {
  run: (c: QueryContext, params: P) => R;
  /** false: never cached (the result is cheap, or unique to one call). */
  cache?: boolean;
}

function query<P, R>(run: (c: QueryContext, params: P) => R, cache = true): QueryDef<P, R> {
  return { run, cache };
}

export const QUERIES = {
  /** Blocking spikes of a trace, highest score first (analysis/spikes.ts). */
  spikes: query(spikes),
};

export type QueryName = keyof typeof QUERIES;
export type QueryParams<N extends QueryName> = Parameters<(typeof QUERIES)[N]['run']>[1];
export type QueryResult<N extends QueryName> = ReturnType<(typeof QUERIES)[N]['run']>;
