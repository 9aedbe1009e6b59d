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
  /**
   * The page now holds revision `rev` of a file still decoding (a preview, or the model after
   * previews: worker/client.ts Preview). Queries asked from now on are answered from that revision
   * or a later one, and `revision()` changes so that views ask again. Engines that never see
   * previews (tests, scripts) need not implement it.
   */
  revise?(fileId: string, rev: number): void;
  /** A number that changes at every `revise` (see useEngineQuery). */
  revision?(): number;
  /** Calls `onChange` after every `revise`; returns how to stop. */
  subscribeRevision?(onChange: () => void): () => void;
}
