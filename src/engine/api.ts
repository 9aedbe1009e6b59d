// What the page (and the store) see of the engine: typed, asynchronous queries. The engine worker's
// RPC client (worker/engineClient.ts) implements it for the page; LocalEngine (./local.ts) for
// tests and scripts, in process. Main-thread code imports these types only.

import type { QueryName, QueryParams, QueryResult } from './queries';

export type { QueryName, QueryParams, QueryResult };

export interface QueryOptions {
  /**
   * Queries on one channel supersede each other: a query asked while an earlier one of the same
   * channel is still waiting to run replaces it (the earlier promise rejects with an AbortError).
   * One view's successive questions go on one channel (useEngineQuery gives each hook its own).
   */
  channel?: string;
}

export interface EngineApi {
  query<N extends QueryName>(
    name: N,
    params: QueryParams<N>,
    options?: QueryOptions,
  ): Promise<QueryResult<N>>;
  /** The engine no longer needs this file (removed, failed, replaced by a bundle's files). */
  forget(fileId: string): void;
  /** Resolves once every query asked so far is answered and its callbacks have run. */
  idle(): Promise<void>;
}
