// The page's side of the engine worker: typed, asynchronous queries (engine/api.ts), at most one
// in flight per channel with the newest waiting one replacing older ones (base/coalesce.ts), and
// the file lifecycle: a MessagePort per file being decoded, so its decode worker posts the model
// to the engine itself, and `forget` when a file goes away.

import { Coalescer } from '../base/coalesce';
import { abortError } from '../base/errors';
import type { EngineApi, QueryName, QueryOptions, QueryParams, QueryResult } from '../engine/api';
import type { DecodedFile } from '../model/file';
import type { Endpoint, FromEngine, ToEngine } from './engineProtocol';

export class EngineClient implements EngineApi {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve(v: unknown): void; reject(e: unknown): void }
  >();
  private readonly lanes = new Coalescer();

  constructor(private readonly endpoint: Endpoint) {
    endpoint.onmessage = (ev: MessageEvent<FromEngine>) => {
      const msg = ev.data;
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.value);
      else {
        const e = new Error(msg.error.message);
        e.name = msg.error.name;
        p.reject(e);
      }
    };
  }

  /** The engine worker for this page. */
  static start(): EngineClient {
    const w = new Worker(new URL('./engineWorker.ts', import.meta.url), {
      type: 'module',
      name: 'engine',
    });
    return new EngineClient(w as unknown as Endpoint);
  }

  private post(msg: ToEngine, transfer: Transferable[] = []): void {
    this.endpoint.postMessage(msg, transfer);
  }

  /** Announces a file about to be decoded; its decode worker posts the model on the port returned. */
  expectFile(fileId: string): MessagePort {
    // Queries say which model of it they were asked of (0 until a preview: see `revise`).
    this.needs.set(fileId, 0);
    const ch = new MessageChannel();
    this.post({ type: 'expect', fileId, port: ch.port1 }, [ch.port1]);
    return ch.port2;
  }

  /** Gives the engine a decoded file directly (tests; the page's files come from decode workers). */
  addFile(fileId: string, file: DecodedFile): void {
    this.post({ type: 'add', fileId, file });
  }

  forget(fileId: string): void {
    this.needs.delete(fileId);
    this.post({ type: 'drop', fileId });
  }

  /**
   * Files decoded by a worker: the revision of their model the page holds (0: the only one, or
   * none yet), which queries must read at least (and which tells the engine a question asked of
   * an older model, which the page will ask again).
   */
  private readonly needs = new Map<string, number>();
  private epoch = 0;
  private readonly watchers = new Set<() => void>();

  revise(fileId: string, rev: number): void {
    this.needs.set(fileId, rev);
    this.epoch++;
    for (const w of [...this.watchers]) w();
  }

  revision = (): number => this.epoch;

  subscribeRevision = (onChange: () => void): (() => void) => {
    this.watchers.add(onChange);
    return () => this.watchers.delete(onChange);
  };

  query<N extends QueryName>(
    name: N,
    params: QueryParams<N>,
    options: QueryOptions = {},
  ): Promise<QueryResult<N>> {
    return this.lanes.run(options.channel ?? null, () => this.send(name, params, options.channel));
  }

  idle(): Promise<void> {
    return this.lanes.idle();
  }

  private send<N extends QueryName>(
    name: N,
    params: QueryParams<N>,
    channel: string | undefined,
  ): Promise<QueryResult<N>> {
    const id = this.nextId++;
    return new Promise<QueryResult<N>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      try {
        const needs = this.needs.size > 0 ? Object.fromEntries(this.needs) : undefined;
        this.post({ type: 'query', id, channel: channel ?? null, name, params, needs });
      } catch (e) {
        this.pending.delete(id);
        reject(e instanceof Error ? e : abortError(String(e)));
      }
    });
  }
}
