// The engine RPC for real: serveEngine and EngineClient over a MessageChannel (structured clone and
// transfer as between the page and the worker), and a decode worker's handoff through its port.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { decodedTrace, traceOf, type TestTransition } from '../analysis/testTrace';
import { Engine } from '../engine/engine';
import { EngineClient } from './engineClient';
import { serveEngine } from './engineHost';
import type { Endpoint } from './engineProtocol';
import { handOff, handOffNothing, handOffPreview } from './handoff';

function pileUp() {
  const events: TestTransition[] = [];
  for (let g = 1; g <= 5; g++)
    events.push({ t: 0, g, state: 'waiting', reason: 'network', stack: 'main.serve;net.read' });
  for (let g = 6; g <= 8; g++) {
    events.push({ t: 0, g, state: 'running' });
    events.push({ t: 400, g, state: 'waiting', reason: 'sync', stack: 'main.lookup;sync.Lock' });
    events.push({ t: 500, g, state: 'runnable', waker: 9 });
  }
  events.push({ t: 0, g: 9, state: 'running' });
  return traceOf({ end: 1000, events }).m;
}

const open: MessagePort[] = [];
afterEach(() => {
  for (const p of open.splice(0)) p.close();
});

function connect(
  with_: Engine = new Engine(),
  options: { warmUpAfterMs?: number } = {},
): { client: EngineClient; engine: Engine } {
  const ch = new MessageChannel();
  open.push(ch.port1, ch.port2);
  const engine = serveEngine(ch.port1 as unknown as Endpoint, with_, options);
  return { client: new EngineClient(ch.port2 as unknown as Endpoint), engine };
}

/** An engine served over a channel that records the queries it runs, in order. */
function recording(warmUpAfterMs: number): { client: EngineClient; ran: string[] } {
  const ran: string[] = [];
  const engine = new Engine();
  const run = engine.run.bind(engine);
  engine.run = ((name, params) => {
    ran.push(name);
    return run(name, params);
  }) as Engine['run'];
  return { client: connect(engine, { warmUpAfterMs }).client, ran };
}

describe('engine RPC', () => {
  it("holds a new file's warm-ups back for the page's first question (the axis goes first)", async () => {
    // The timer is far away: only the question can let the warm-ups go.
    const { client, ran } = recording(60_000);
    client.addFile('t', decodedTrace(pileUp()));
    await new Promise((r) => setTimeout(r, 10));
    expect(ran).toEqual([]); // nothing warmed up yet
    await client.query('axis', { files: ['t'], offsets: {}, clock: null });
    expect(ran[0]).toBe('axis');
    await vi.waitFor(() => expect(ran.slice(1, 3)).toEqual(['traceView', 'lanes']));
  });

  it('warms a new file up on its own when the page asks nothing', async () => {
    const { client, ran } = recording(50);
    client.addFile('t', decodedTrace(pileUp()));
    await vi.waitFor(() => expect(ran).toContain('spikes'));
    expect(ran.slice(0, 2)).toEqual(['traceView', 'lanes']);
  });

  it('runs the warm-ups right after the questions that waited for the file', async () => {
    const { client, ran } = recording(60_000);
    const port = client.expectFile('x');
    open.push(port);
    const q = client.query('lanes', { trace: 'x', sort: 'id', filter: '', only: null });
    handOff(
      decodedTrace(pileUp()),
      { readMs: 0, decodeMs: 0, receivedAt: 0 },
      { fileId: 'x', port },
      () => {},
    );
    await q;
    // The timer is a minute away: the waiting question let the warm-ups go (a parked question
    // shows twice: its first try found no file).
    await vi.waitFor(() => expect(ran).toContain('traceView'));
    expect(ran[0]).toBe('lanes');
  });

  it('answers a query across the channel; transferred results leave the cached ones intact', async () => {
    const { client, engine } = connect();
    client.addFile('t', decodedTrace(pileUp()));
    const a = await client.query('spikes', { trace: 't' });
    expect(a[0]?.series).toBe('sync');
    expect(Array.from(a[0]!.goroutines)).toHaveLength(3);
    // The engine's cached result was copied before its buffers were transferred.
    expect(engine.run('spikes', { trace: 't' })[0]!.goroutines).toHaveLength(3);
    const b = await client.query('spikes', { trace: 't' });
    expect(b[0]!.goroutines).not.toBe(a[0]!.goroutines);
    expect(Array.from(b[0]!.goroutines)).toEqual(Array.from(a[0]!.goroutines));
  });

  it('a query for a file still being decoded waits for the decode worker to post it', async () => {
    const { client } = connect();
    const port = client.expectFile('x');
    open.push(port);
    let answered = false;
    const q = client.query('spikes', { trace: 'x' }).then((r) => {
      answered = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 30));
    expect(answered).toBe(false);
    // What the decode worker does when its file is decoded.
    const posted: unknown[] = [];
    handOff(
      decodedTrace(pileUp()),
      { readMs: 0, decodeMs: 0, receivedAt: 0 },
      { fileId: 'x', port },
      (msg) => posted.push(msg),
    );
    expect((await q)[0]?.series).toBe('sync');
    expect(posted).toHaveLength(1);
  });

  it('a query waiting for a file fails when the file is forgotten; unknown files fail at once', async () => {
    const { client } = connect();
    open.push(client.expectFile('y'));
    const q = client.query('spikes', { trace: 'y' });
    client.forget('y');
    await expect(q).rejects.toMatchObject({ name: 'FileNotLoaded' });
    await expect(client.query('spikes', { trace: 'nobody' })).rejects.toMatchObject({
      name: 'FileNotLoaded',
    });
  });

  it("answers from the preview the page holds, and background queries from the file's whole model", async () => {
    const { client } = connect();
    const port = client.expectFile('x');
    open.push(port);
    const timing = { readMs: 0, decodeMs: 0, receivedAt: 0 };
    const small = traceOf({
      end: 100,
      events: [{ t: 0, g: 1, state: 'running' }],
    }).m;
    const lanesOf = () => client.query('lanes', { trace: 'x', sort: 'id', filter: '', only: null });
    const count = (r: Awaited<ReturnType<typeof lanesOf>>) =>
      r.groups.reduce((n, g) => n + g.members.length, 0);
    handOffPreview(decodedTrace(small), 1, 0.1, { fileId: 'x', port }, () => {}, false);
    client.revise('x', 1);
    expect(count(await lanesOf())).toBe(1);
    // The page got preview 2 before the engine did: the engine answers from preview 2 only.
    client.revise('x', 2);
    const two = lanesOf();
    let spikes = false;
    const bg = client.query('spikes', { trace: 'x' }).then(
      () => (spikes = true),
      (e: Error) => e.name,
    );
    await new Promise((r) => setTimeout(r, 30));
    const twoG = traceOf({
      end: 100,
      events: [
        { t: 0, g: 1, state: 'running' },
        { t: 0, g: 2, state: 'running' },
      ],
    }).m;
    handOffPreview(decodedTrace(twoG), 2, 0.5, { fileId: 'x', port }, () => {}, false);
    expect(count(await two)).toBe(2);
    await new Promise((r) => setTimeout(r, 30));
    expect(spikes).toBe(false); // not computed on a preview
    // The whole model is the revision after the last preview: asked of it, never answered from
    // the preview still held.
    client.revise('x', 3);
    const whole = lanesOf();
    await new Promise((r) => setTimeout(r, 30));
    handOff(decodedTrace(pileUp()), timing, { fileId: 'x', port }, () => {}, false, 3);
    expect(count(await whole)).toBe(9);
    // A question parked since an older model is dropped (the page asks again, as here).
    expect(await bg).toBe('AbortError');
    expect((await client.query('spikes', { trace: 'x' }))[0]?.series).toBe('sync');
  });

  it('a failed decode takes its preview away', async () => {
    const { client } = connect();
    const port = client.expectFile('x');
    open.push(port);
    handOffPreview(decodedTrace(pileUp()), 1, 0.1, { fileId: 'x', port }, () => {}, false);
    client.revise('x', 1);
    await client.query('lanes', { trace: 'x', sort: 'id', filter: '', only: null });
    handOffNothing({ fileId: 'x', port });
    await expect(
      client.query('lanes', { trace: 'x', sort: 'id', filter: '', only: null }),
    ).rejects.toMatchObject({ name: 'FileNotLoaded' });
  });

  it('a newer query on a channel replaces the one waiting behind the running one', async () => {
    const { client } = connect();
    client.addFile('t', decodedTrace(pileUp()));
    const asked = [1, 2, 3, 4].map((k) =>
      client.query('spikes', { trace: 't' }, { channel: 'drag' }).then(
        () => `${k} answered`,
        (e: Error) => `${k} ${e.name}`,
      ),
    );
    expect(await Promise.all(asked)).toEqual([
      '1 answered',
      '2 AbortError',
      '3 AbortError',
      '4 answered',
    ]);
    await client.idle();
  });
});
