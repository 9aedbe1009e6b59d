// The engine: it owns the decoded models by file id and answers typed queries (./queries.ts), each
// a pure function of (models, params) built from src/analysis, memoized by the query's name and
// params in one LRU (base/lru.ts). It is plain code with no idea of threads: the engine worker
// (worker/engineWorker.ts) hosts one for the page, and tests, scripts and the CLI make their own
// and call `run` directly, so every caller gets the same answers from the same code.
//
// Three kinds of memory, each bounded and each freed with its file:
//   - results: the values queries return, in one LRU by entries and bytes;
//   - per-file derived data: intermediate products that several queries share (stack sets, call
//     trees, lane groups), in an LRU per file (`memo`), and the file's range indexes (TraceIndexes);
//   - the models themselves, until the file is dropped.

import { stableJson } from '../base/json';
import { byteSize, Lru, type Memo } from '../base/lru';
import type { DecodedFile } from '../model/file';
import type { DlvModel } from '../model/dlv';
import type { ProfileModel } from '../model/profile';
import type { TraceModel } from '../model/trace';
import { traceIndexes, type TraceIndexes } from '../analysis/traceIndex';
import { FileNotLoaded, QueryError } from './errors';
import { QUERIES, type QueryName, type QueryParams, type QueryResult } from './queries';

/** What a query's code can read: the files it names, their indexes and memos, other queries. */
export interface QueryContext {
  /** The decoded file; throws FileNotLoaded when the engine does not hold it (yet). */
  file(id: string): DecodedFile;
  trace(id: string): TraceModel;
  profile(id: string): ProfileModel;
  dlv(id: string): DlvModel;
  /** The trace's shared range indexes (analysis/traceIndex.ts), built on first use. */
  indexes(id: string): TraceIndexes;
  /** A memo bound to the file: derived data several queries share, freed with the file. */
  memo(id: string): Memo;
  /**
   * A memo for the few products a file has one of (not parameterized: its timeline view, its
   * processor lanes, the why indexes), kept as long as the file: `memo` is bounded by count, and
   * a drag's range stack sets would otherwise push these out and have them built again.
   */
  keep(id: string): Memo;
  /** Another query's result, through the same result cache. */
  query<N extends QueryName>(name: N, params: QueryParams<N>): QueryResult<N>;
  /**
   * `value` in memory the page shares, for a large result the page receives whole (EngineOptions
   * `share`): the page then reads the engine's own copy instead of getting one of its own. The
   * value must not be changed afterwards, nor its arrays used again.
   */
  share<T>(value: T): T;
}

interface FileEntry {
  decoded: DecodedFile;
  /** A preview of a file still decoding (see `addFile`). */
  preview: boolean;
  indexes: TraceIndexes | null;
  memo: Lru<string, unknown>;
  kept: Map<string, unknown>;
}

export interface EngineOptions {
  /** Results kept (default 256 entries, 256 MiB). */
  maxResults?: number;
  maxResultBytes?: number;
  /**
   * Derived entries kept per file (default 64). Bounded by count only: derived data (stack sets,
   * trees) shares the model's tables, which a byte estimate would count again in every entry.
   */
  maxDerived?: number;
  /**
   * Moves a result into memory shared with the page (the engine worker passes
   * worker/handoff.ts `shareColumns` when the page is cross-origin isolated); default: as it is.
   */
  share?: <T>(value: T) => T;
}

/** The cache key of a query: its name and its params as canonical JSON. */
export function queryKey(name: string, params: unknown): string {
  return `${name}\0${stableJson(params)}`;
}

export class Engine {
  private readonly files = new Map<string, FileEntry>();
  private readonly results: Lru<string, unknown>;
  /** For each cached result, the files it read (dropped with any of them). */
  private readonly readFiles = new Map<string, ReadonlySet<string>>();
  private readonly options: Required<EngineOptions>;

  constructor(options: EngineOptions = {}) {
    this.options = {
      maxResults: options.maxResults ?? 256,
      maxResultBytes: options.maxResultBytes ?? 256 * 2 ** 20,
      maxDerived: options.maxDerived ?? 64,
      share: options.share ?? (<T>(value: T): T => value),
    };
    this.results = new Lru({
      maxEntries: this.options.maxResults,
      maxBytes: this.options.maxResultBytes,
      sizeOf: (v) => byteSize(v),
    });
  }

  /**
   * Holds a decoded file under `id` (replacing any file of that id, and every result that read it).
   * A `preview` is what is decoded so far of a file still decoding: only the first picture's
   * queries read it (QueryDef.previews); the others throw FileNotLoaded as if nothing had arrived
   * (the engine worker holds them until the whole model comes), since their answers would be
   * dear and soon replaced.
   */
  addFile(id: string, decoded: DecodedFile, options: { preview?: boolean } = {}): void {
    this.dropFile(id);
    this.files.set(id, {
      decoded,
      preview: options.preview === true,
      indexes: null,
      memo: new Lru({ maxEntries: this.options.maxDerived }),
      kept: new Map(),
    });
  }

  /** Forgets a file, its derived data and every cached result that read it. */
  dropFile(id: string): void {
    this.files.delete(id);
    for (const [key, ids] of this.readFiles) {
      if (!ids.has(id)) continue;
      this.results.delete(key);
      this.readFiles.delete(key);
    }
  }

  hasFile(id: string): boolean {
    return this.files.has(id);
  }

  /** The decoded file of `id`, or undefined. */
  getFile(id: string): DecodedFile | undefined {
    return this.files.get(id)?.decoded;
  }

  /**
   * Answers a query: from the cache when the same name and params were asked before (and the
   * result is still held), else by running it. Throws FileNotLoaded for a file the engine does
   * not hold and QueryError for bad params; a failed query caches nothing.
   */
  run<N extends QueryName>(name: N, params: QueryParams<N>): QueryResult<N> {
    const outer = this.previews;
    this.previews = QUERIES[name]?.previews ?? false;
    try {
      return this.exec(name, params, null) as QueryResult<N>;
    } finally {
      this.previews = outer;
    }
  }
  /** The query running now reads previews (QueryDef.previews). */
  private previews = true;

  /** Runs or finds a query; the files it read are added to `outer` (a calling query's). */
  private exec(name: QueryName, params: unknown, outer: Set<string> | null): unknown {
    const def = QUERIES[name];
    if (!def) throw new QueryError(`unknown query ${String(name)}`);
    const cache = def.cache;
    const key = cache ? queryKey(name, params) : '';
    if (cache) {
      const hit = this.results.get(key);
      if (hit !== undefined) {
        for (const id of this.readFiles.get(key) ?? []) outer?.add(id);
        return hit;
      }
    }
    const read = new Set<string>();
    const value = (def.run as (c: QueryContext, p: unknown) => unknown)(this.context(read), params);
    for (const id of read) outer?.add(id);
    if (cache) {
      this.results.set(key, value);
      this.readFiles.set(key, read);
      // Entries the LRU evicted leave stale rows here; drop them now and then.
      if (this.readFiles.size > 2 * this.options.maxResults) {
        for (const k of this.readFiles.keys()) if (!this.results.has(k)) this.readFiles.delete(k);
      }
    }
    return value;
  }

  private entry(id: string, read: Set<string>): FileEntry {
    const e = this.files.get(id);
    if (!e || (e.preview && !this.previews)) throw new FileNotLoaded(id);
    read.add(id);
    return e;
  }

  private context(read: Set<string>): QueryContext {
    const file = (id: string): DecodedFile => this.entry(id, read).decoded;
    const wrong = (id: string, what: string): never => {
      throw new QueryError(`file ${id} is not ${what}`);
    };
    return {
      file,
      trace: (id) => {
        const d = file(id);
        return d.format === 'go-trace' ? d.model : wrong(id, 'an execution trace');
      },
      profile: (id) => {
        const d = file(id);
        return d.format === 'pprof' ? d.model : wrong(id, 'a pprof profile');
      },
      dlv: (id) => {
        const d = file(id);
        return d.format === 'dlv-trace' ? d.model : wrong(id, 'a dlv log');
      },
      indexes: (id) => {
        const e = this.entry(id, read);
        if (e.decoded.format !== 'go-trace') return wrong(id, 'an execution trace');
        e.indexes ??= traceIndexes(e.decoded.model);
        return e.indexes;
      },
      memo: (id) => {
        const e = this.entry(id, read);
        return <T>(key: string, make: () => T): T => e.memo.getOrCreate(key, make) as T;
      },
      keep: (id) => {
        const e = this.entry(id, read);
        return <T>(key: string, make: () => T): T => {
          if (!e.kept.has(key)) e.kept.set(key, make());
          return e.kept.get(key) as T;
        };
      },
      // A sub-query's files are read by the outer query too.
      query: (name, params) => this.exec(name, params, read) as QueryResult<typeof name>,
      share: this.options.share,
    };
  }
}
