// The why queries on real traces: the spike program's lock spike (testdata/WHY.md) and the
// bundled example's run, through one Engine, as the page asks them.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeFile } from '../formats/index';
import { goroutineOfInterval } from '../model/lookup';
import { GS_RUNNING, GS_WAITING, type TraceModel } from '../model/trace';
import { corpusPath } from '../testing/corpus';
import { Engine } from './engine';
import type { FlameParams } from './flame';

function load(engine: Engine, id: string, path: string): TraceModel {
  const o = decodeFile(path, new Uint8Array(readFileSync(corpusPath(path))));
  if (!o.ok || o.file.format !== 'go-trace') throw new Error(`${path} did not decode`);
  engine.addFile(id, o.file);
  return o.file.model;
}

const engine = new Engine();
const spike = load(engine, 'spike', 'go-trace/spike/go1.27.trace');
const example = load(engine, 'example', 'combined/go1.27/trace.out');
const reference = JSON.parse(
  readFileSync(corpusPath('why/spike-go1.27.expected.json'), 'utf8'),
) as { causes: Array<{ goroutine: number; state: string }> };

const flameOf = (trace: string, range: FlameParams['range'], scope: FlameParams['scope']) =>
  engine.run('flame', {
    files: [{ id: trace, name: 'trace.out' }],
    settings: {
      source: 'trace:cause',
      types: {},
      search: '',
      focus: '',
      ignore: '',
      hide: '',
      mergeBy: 'function',
      zoom: [],
      labels: [],
      split: 'reason',
    },
    range,
    scope,
    compare: null,
  });

describe('spikeWhy', () => {
  it("names the spike program's lock holder refreshing its cache for the top sync spike", () => {
    const spikes = engine.run('spikes', { trace: 'spike' });
    const top = spikes.findIndex((s) => s.topReason === 'sync');
    expect(top).toBeGreaterThanOrEqual(0);
    const why = engine.run('spikeWhy', { trace: 'spike', spike: top });
    expect(why).not.toBeNull();
    const first = why!.causes[0]!;
    // The reference's culprit (WHY.md: the top sync spike's first cause runs main.refreshCache).
    expect(first.goId).toBe(reference.causes[0]!.goroutine);
    expect(first.state).toBe('running');
    expect(first.function).toBe('main.refreshCache');
    expect(why!.text).toBe(`held up by ${first.text}`);
    expect(why!.text).toMatch(/^held up by G\d+ main\.refreshCache: running \d+%$/);
    // What a click selects: an interval of the culprit, running, inside the charged time.
    const iv = first.interval;
    expect(goroutineOfInterval(spike, iv)).toBe(first.goroutine);
    expect(spike.intervals.state[iv]).toBe(GS_RUNNING);
    expect(spike.intervals.start[iv]!).toBeLessThanOrEqual(first.lastNs);
  });

  it('on the example: the top spike is held up by the refresher G67', () => {
    const why = engine.run('spikeWhy', { trace: 'example', spike: 0 });
    expect(why?.causes[0]?.goId).toBe(67);
    expect(why?.text).toMatch(/^held up by G67 main\.refreshCache: running/);
    expect(engine.run('spikeWhy', { trace: 'example', spike: 10_000 })).toBeNull();
  });
});

describe('the Cause flame source', () => {
  it("is listed after Blocked and, for the spike's goroutines, weighs the culprit's stacks", () => {
    const spikes = engine.run('spikes', { trace: 'example' });
    const sp = spikes[0]!;
    const ids = Array.from(sp.goroutines, (g) => example.goroutines.id[g]!);
    const f = flameOf('example', { startNs: sp.startNs, endNs: sp.endNs }, { kind: 'ids', ids });
    expect(f).not.toBeNull();
    const keys = f!.sources.map((s) => s.key);
    expect(keys.indexOf('trace:cause')).toBe(keys.indexOf('trace:blocked') + 1);
    expect(f!.source.key).toBe('trace:cause');
    const t = f!.tree;
    // Roots are the culprits' states; the heaviest is "running" and leads to main.refreshCache.
    const roots: Array<{ name: string; total: number }> = [];
    for (let c = 1; c < t.length; c = t.end[c]!)
      roots.push({ name: t.names[t.name[c]!]!, total: t.total[c]! });
    roots.sort((a, b) => b.total - a.total);
    expect(roots[0]?.name).toBe('running');
    const names = new Set(Array.from(t.name, (n) => (n >= 0 ? t.names[n] : '')));
    expect(names.has('main.refreshCache')).toBe(true);
    // The total is the blocked time charged: the charge of the same goroutines' waits.
    expect(t.total[0]!).toBeGreaterThan(0);
    let blocked = 0;
    for (const g of sp.goroutines) {
      const a = example.goroutines.intervalStart[g]!;
      const b = example.goroutines.intervalStart[g + 1]!;
      for (let i = a; i < b; i++) {
        if (example.intervals.state[i] !== GS_WAITING) continue;
        const s = Math.max(sp.startNs, example.intervals.start[i]!);
        const e = Math.min(
          sp.endNs,
          i + 1 < b ? example.intervals.start[i + 1]! : example.durationNs,
        );
        // Waits still open at the end of the trace are not charged (WHY.md).
        if (e > s && i + 1 < b) blocked += e - s;
      }
    }
    expect(t.total[0]!).toBeCloseTo(blocked, -3);
  });
});

describe('whyChain', () => {
  it('follows a blocked handler back to the lock holder, with lines and arrows', () => {
    const why = engine.run('spikeWhy', { trace: 'example', spike: 0 })!;
    const culprit = why.causes[0]!.goroutine;
    // A handler's sync wait in the spike whose chain reaches the culprit.
    const sp = engine.run('spikes', { trace: 'example' })[0]!;
    let found = null;
    for (const g of sp.goroutines) {
      const a = example.goroutines.intervalStart[g]!;
      const b = example.goroutines.intervalStart[g + 1]!;
      for (let i = a; i < b && !found; i++) {
        if (example.intervals.state[i] !== GS_WAITING) continue;
        if (example.intervals.start[i]! < sp.startNs || example.intervals.start[i]! > sp.endNs)
          continue;
        const ch = engine.run('whyChain', { trace: 'example', interval: i });
        if (ch?.segments.some((s) => s.goroutine === culprit && s.charged)) found = ch;
      }
      if (found) break;
    }
    expect(found).not.toBeNull();
    const ch = found!;
    expect(ch.ended).toBe('goroutine');
    expect(ch.lines[0]!.text).toMatch(/^G\d+ waited .* woken by G\d+$/);
    expect(ch.arrows.length).toBeGreaterThan(0);
    expect(ch.arrows[0]!.toGoroutine).toBe(ch.goroutine);
    // The runnable interval right after the wait asks the same chain.
    const next = ch.interval + 1;
    let z = ch.interval;
    while (example.intervals.state[z + 1] === GS_WAITING) z++;
    expect(engine.run('whyChain', { trace: 'example', interval: z + 1 })?.interval).toBe(
      ch.interval,
    );
    expect(next).toBeGreaterThan(0);
    // A running interval has no chain.
    let running = -1;
    for (let i = 0; i < example.intervals.length && running < 0; i++)
      if (
        example.intervals.state[i] === GS_RUNNING &&
        example.intervals.state[i - 1] !== GS_WAITING
      )
        running = i;
    expect(engine.run('whyChain', { trace: 'example', interval: running })).toBeNull();
  });
});

describe('whySlow', () => {
  it('breaks a region down into its states, adding up to its duration, with its causes', () => {
    const m = example;
    expect(m.regions.length).toBeGreaterThan(0);
    // The longest complete region.
    let best = -1;
    for (let r = 0; r < m.regions.length; r++) {
      const d = m.regions.end[r]! - m.regions.start[r]!;
      if (d === d && (best < 0 || d > m.regions.end[best]! - m.regions.start[best]!)) best = r;
    }
    const v = engine.run('whySlow', {
      trace: 'example',
      target: { kind: 'region', region: best },
    })!;
    const t = v.total;
    expect(t.runningNs + t.runnableNs + t.syscallNs + t.blockedNs + t.otherNs).toBeCloseTo(
      v.durationNs,
      -1,
    );
    expect(v.spans).toHaveLength(1);
    if (v.blockedNs > 0) expect(v.causes.length).toBeGreaterThan(0);
    expect(
      engine.run('whySlow', { trace: 'example', target: { kind: 'task', task: -1 } }),
    ).toBeNull();
  });
});
