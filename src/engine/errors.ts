// Errors a query can end with. They cross the worker boundary as their name and message.

/** A query named a file the engine does not hold (not decoded yet, failed, or dropped). */
export class FileNotLoaded extends Error {
  override readonly name = 'FileNotLoaded';
  constructor(readonly fileId: string) {
    super(`file ${fileId} is not loaded in the engine`);
  }
}

/** A query that cannot be answered as asked (unknown name, params of the wrong kind). */
export class QueryError extends Error {
  override readonly name = 'QueryError';
}
