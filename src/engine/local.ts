// The engine in this thread, behind the same asynchronous API as the worker's RPC client: for
// tests, scripts and the store's tests, which then run exactly the page's queries. Queries run in
// a later task, one channel at a time, newest waiting query first (base/coalesce.ts), as in the
// worker.

import { Coalescer } from '../base/coalesce';
import type { DecodedFile } from '../model/file';
import type { EngineApi, QueryName, QueryOptions, QueryParams, QueryResult } from './api';
import { Engine } from './engine';

export class LocalEngine implements EngineApi {
  private readonly lanes = new Coalescer();

  constructor(readonly engine = new Engine()) {}

  addFile(fileId: string, file: DecodedFile): void {
    this.engine.addFile(fileId, file);
  }

  forget(fileId: string): void {
    this.engine.dropFile(fileId);
  }

  query<N extends QueryName>(
    name: N,
    params: QueryParams<N>,
    options: QueryOptions = {},
  ): Promise<QueryResult<N>> {
    return this.lanes.run(
      options.channel ?? null,
      () =>
        new Promise<QueryResult<N>>((resolve, reject) =>
          setTimeout(() => {
            try {
              resolve(this.engine.run(name, params));
            } catch (e) {
              reject(e);
            }
          }, 0),
        ),
    );
  }

  idle(): Promise<void> {
    return this.lanes.idle();
  }
}
