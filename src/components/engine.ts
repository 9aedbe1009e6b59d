// The engine behind the page, for views: `useEngineQuery(name, params)` asks it a typed query and
// gives {data, pending, error}. While a newer answer is computed the previous one stays in `data`
// (views never flash empty), and a hook's successive questions go on one channel, so a drag asks
// the engine for the newest state only, never for a backlog.

import {
  createContext,
  useContext,
  useEffect,
  useId,
  useRef,
  useState,
  useSyncExternalStore,
} from 'react';
import { isAbort, describeError } from '../base/errors';
import { stableJson } from '../base/json';
import type { EngineApi, QueryName, QueryParams, QueryResult } from '../engine/api';

export const EngineContext = createContext<EngineApi | null>(null);

export function useEngine(): EngineApi {
  const engine = useContext(EngineContext);
  if (!engine) throw new Error('useEngine outside EngineContext');
  return engine;
}

export interface EngineQueryState<T, P = unknown> {
  /** The latest answer (kept while a newer one is computed), or null before the first. */
  data: T | null;
  /** A newer answer is being computed. */
  pending: boolean;
  /** The latest query failed: why. */
  error: string | null;
  /** The params `data` answers (a view can tell what it shows, e.g. which file's data). */
  params: P | null;
  /** `data` answers the params asked last. */
  current: boolean;
  /**
   * `data` was computed from the models the page holds now: false after a file still decoding
   * was revised (a newer preview, or its whole model) until the answer for it arrives.
   */
  fresh: boolean;
}

/**
 * Asks `name` with `params` whenever their value changes (compared as canonical JSON, so a new
 * object with the same content asks nothing). `null` params: nothing to ask; data is kept.
 */
export function useEngineQuery<N extends QueryName>(
  name: N,
  params: QueryParams<N> | null,
  options: { channel?: string } = {},
): EngineQueryState<QueryResult<N>, QueryParams<N>> {
  const engine = useEngine();
  const id = useId();
  const channel = options.channel ?? `${name}${id}`;
  // A file still decoding was revised (a newer preview, or its model after previews): ask again.
  const revision = useSyncExternalStore(
    engine.subscribeRevision ?? noSubscription,
    engine.revision ?? noRevision,
  );
  const key = params === null ? null : `${name}\0${revision}\0${stableJson(params)}`;
  const [state, setState] = useState<{
    data: QueryResult<N> | null;
    pending: boolean;
    error: string | null;
    key: string | null;
    params: QueryParams<N> | null;
    /** The engine revision `data` was asked at. */
    revision: number;
  }>({ data: null, pending: key !== null, error: null, key: null, params: null, revision: -1 });
  const latest = useRef<string | null>(null);
  const paramsRef = useRef(params);
  paramsRef.current = params;

  useEffect(() => {
    latest.current = key;
    if (key === null) {
      setState((s) => (s.pending ? { ...s, pending: false } : s));
      return;
    }
    setState((s) => (s.pending && s.error === null ? s : { ...s, pending: true, error: null }));
    const asked = paramsRef.current as QueryParams<N>;
    const askedAt = revision;
    engine.query(name, asked, { channel }).then(
      (data) => {
        if (latest.current === key)
          setState({ data, pending: false, error: null, key, params: asked, revision: askedAt });
      },
      (e: unknown) => {
        if (isAbort(e) || latest.current !== key) return;
        setState((s) => ({ ...s, pending: false, error: describeError(e) }));
      },
    );
  }, [engine, name, key, channel, revision]);

  return {
    data: state.data,
    pending: state.pending,
    error: state.error,
    params: state.params,
    current: state.key !== null && state.key === key,
    fresh: state.data !== null && state.revision === revision,
  };
}

const noSubscription = (): (() => void) => () => {};
const noRevision = (): number => 0;
