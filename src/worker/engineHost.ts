// The engine's side of the RPC: one Engine behind an Endpoint (the engine worker's global scope;
// a MessagePort in tests). Queries run one at a time, by priority (engine/queries.ts: what the
// first picture needs first, spikes last), in order within one; a query that names a file the page
// announced but whose model has not arrived yet waits for it. A newer query on a channel replaces
// an older one of the same channel that has not started; a running query runs to its end (it is
// synchronous), and the page's client keeps at most one per channel in flight anyway.

import { abortError } from '../base/errors';
import { Engine } from '../engine/engine';
import { FileNotLoaded } from '../engine/errors';
import type { QueryName, QueryParams } from '../engine/api';
import { QUERIES, warmUp, type Priority } from '../engine/queries';
import {
  transferCopy,
  type DecoderToEngine,
  type Endpoint,
  type FromEngine,
  type ToEngine,
} from './engineProtocol';

/** How long a new file's warm-ups wait for the page's first question (see `warming`). */
const WARM_UP_AFTER_MS = 50;

interface Job {
  id: number;
  channel: string | null;
  name: QueryName;
  params: unknown;
  /** Revisions of files still decoding that the job must read (ToEngine 'query'). */
  needs?: Record<string, number>;
}

export function serveEngine(
  endpoint: Endpoint,
  engine = new Engine(),
  options: { warmUpAfterMs?: number } = {},
): Engine {
  const warmUpAfterMs = options.warmUpAfterMs ?? WARM_UP_AFTER_MS;
  /** Files announced whose model has not arrived: their decode worker's port. */
  const expected = new Map<string, MessagePort>();
  const queue: Job[] = [];
  /** Jobs waiting for an expected file. */
  const parked = new Map<string, Job[]>();
  let scheduled = false;
  /**
   * Warm-ups of a file that just arrived, held back until the page's first question after it (or
   * WARM_UP_AFTER_MS): the page asks for the axis within a few ms of receiving the same model, and
   * that answer (a millisecond) should not wait behind the first warm-up (the timeline's colours,
   * 100 ms on a 10 MB trace), since the page draws what it can with the axis meanwhile.
   */
  let warming: Job[] = [];
  let warmTimer: ReturnType<typeof setTimeout> | null = null;
  const startWarmUps = (): void => {
    if (warmTimer !== null) clearTimeout(warmTimer);
    warmTimer = null;
    queue.push(...warming);
    warming = [];
    schedule();
  };

  const reply = (msg: FromEngine, transfer: Transferable[] = []): void =>
    endpoint.postMessage(msg, transfer);
  const fail = (job: Job, e: unknown): void => {
    const err = e instanceof Error ? e : new Error(String(e));
    reply({
      type: 'result',
      id: job.id,
      ok: false,
      error: { name: err.name, message: err.message },
    });
  };

  const schedule = (): void => {
    if (scheduled || queue.length === 0) return;
    scheduled = true;
    // One job per task: messages that arrived meanwhile (newer queries, files) are handled first.
    setTimeout(() => {
      scheduled = false;
      const job = next();
      if (job) runJob(job);
      schedule();
    }, 0);
  };

  const rank: Record<Priority, number> = { first: 0, normal: 1, background: 2 };
  /** The first waiting job of the most urgent priority. */
  const next = (): Job | undefined => {
    let best = -1;
    for (let i = 0; i < queue.length; i++) {
      const r = rank[QUERIES[queue[i]!.name]?.priority ?? 'normal'];
      if (best < 0 || r < rank[QUERIES[queue[best]!.name]?.priority ?? 'normal']) best = i;
      if (r === 0) break;
    }
    return best < 0 ? undefined : queue.splice(best, 1)[0];
  };

  /** Revision of the model held of each file that had previews (absent: 0). */
  const revs = new Map<string, number>();
  /** A file still decoding whose held revision is older than the job needs, or null. */
  const behind = (job: Job): string | null => {
    for (const [id, rev] of Object.entries(job.needs ?? {}))
      if (expected.has(id) && (revs.get(id) ?? 0) < rev) return id;
    return null;
  };
  /** A file whose held model is newer than the one the job was asked of, or null. */
  const staleFor = (job: Job): string | null => {
    for (const [id, rev] of Object.entries(job.needs ?? {}))
      if ((revs.get(id) ?? 0) > rev) return id;
    return null;
  };
  const park = (fileId: string, job: Job): void => {
    const list = parked.get(fileId) ?? [];
    list.push(job);
    parked.set(fileId, list);
  };

  const runJob = (job: Job): void => {
    // Asked of a model older than the one held: the page asks again once it holds this one (and
    // an answer from it would be taken for the older model's).
    if (staleFor(job) !== null) {
      fail(job, abortError('asked of an older model of the file'));
      return;
    }
    // The page already holds a newer preview than this engine: wait for it (it is on its way).
    const waitFor = behind(job);
    if (waitFor !== null) {
      park(waitFor, job);
      return;
    }
    try {
      const value = engine.run(job.name, job.params as QueryParams<typeof job.name>);
      if (job.id < 0) return; // a warm-up: nobody waits for it
      const out = transferCopy(value);
      reply({ type: 'result', id: job.id, ok: true, value: out.value }, out.transfer);
    } catch (e) {
      if (job.id < 0) return;
      if (e instanceof FileNotLoaded && expected.has(e.fileId)) {
        park(e.fileId, job);
        return;
      }
      fail(job, e);
    }
  };

  /**
   * A model of `fileId` arrived (`preview`: what is decoded so far; the port stays open for the
   * next), or it never will (it failed, or the page dropped it).
   */
  const arrived = (fileId: string, preview = false): void => {
    if (!preview) {
      expected.get(fileId)?.close();
      expected.delete(fileId);
    }
    const jobs = parked.get(fileId) ?? [];
    parked.delete(fileId);
    // Back to the front, in their order: they were asked before anything queued since. (Those
    // that need more than a preview park again; those asked of an older model of the file are
    // dropped when their turn comes, before the page's new questions run: see runJob.)
    queue.unshift(...jobs);
    // What the page will ask first, computed while it draws the axis; of a preview, only what the
    // first picture needs.
    const file = engine.getFile(fileId);
    if (file) {
      for (const w of warmUp(fileId, file)) {
        if (preview && !QUERIES[w.name].previews) continue;
        warming.push({ id: -1, channel: null, name: w.name, params: w.params });
      }
      // The page asked before the file arrived (questions parked or still queued): the warm-ups
      // go right after them.
      if (queue.length > 0) startWarmUps();
      else if (warming.length > 0 && warmTimer === null)
        warmTimer = setTimeout(startWarmUps, warmUpAfterMs);
    }
    schedule();
  };

  const drop = (fileId: string): void => {
    warming = warming.filter((j) => (j.params as { trace?: string }).trace !== fileId);
    engine.dropFile(fileId);
    revs.delete(fileId);
    arrived(fileId); // parked jobs run again and fail with FileNotLoaded
  };

  endpoint.onmessage = (ev: MessageEvent<ToEngine>) => {
    const msg = ev.data;
    switch (msg.type) {
      case 'expect': {
        expected.set(msg.fileId, msg.port);
        msg.port.onmessage = (e: MessageEvent<DecoderToEngine>) => {
          const d = e.data;
          if (!expected.has(d.fileId)) return;
          if (d.type === 'failed') {
            // A preview may be held: the file has no model after all.
            drop(d.fileId);
            return;
          }
          // Warm-ups of the model replaced are of no use any more.
          warming = warming.filter((j) => (j.params as { trace?: string }).trace !== d.fileId);
          engine.addFile(d.fileId, d.file, { preview: d.type === 'preview' });
          revs.set(d.fileId, d.rev);
          arrived(d.fileId, d.type === 'preview');
        };
        return;
      }
      case 'add':
        engine.addFile(msg.fileId, msg.file);
        arrived(msg.fileId);
        return;
      case 'drop':
        drop(msg.fileId);
        return;
      case 'query': {
        if (msg.channel !== null) {
          // Waiting in the queue, or parked until a file's model arrives.
          for (const list of [queue, ...parked.values()]) {
            for (let i = list.length - 1; i >= 0; i--) {
              const old = list[i] as Job;
              if (old.channel !== msg.channel) continue;
              list.splice(i, 1);
              fail(old, abortError('superseded by a newer query on the same channel'));
            }
          }
        }
        queue.push({
          id: msg.id,
          channel: msg.channel,
          name: msg.name,
          params: msg.params,
          ...(msg.needs ? { needs: msg.needs } : {}),
        });
        if (warming.length > 0) startWarmUps();
        schedule();
        return;
      }
      case 'cancel': {
        const i = queue.findIndex((j) => j.id === msg.id);
        if (i >= 0) fail(queue.splice(i, 1)[0] as Job, abortError('cancelled'));
        for (const list of parked.values()) {
          const k = list.findIndex((j) => j.id === msg.id);
          if (k >= 0) fail(list.splice(k, 1)[0] as Job, abortError('cancelled'));
        }
        return;
      }
    }
  };
  return engine;
}
