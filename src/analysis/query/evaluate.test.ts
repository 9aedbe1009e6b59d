import { describe, expect, it } from 'vitest';
import { DlvBuilder, type DlvModel } from '../../model/dlv';
import { traceOf, type TestTransition } from '../testTrace';
import {
  evaluateQuery,
  printedValues,
  resultOrder,
  runQuery,
  type DlvSource,
  type QueryOptions,
  type QueryResults,
} from './evaluate';
import { buildDlvQueryIndex, buildQueryIndex } from './queryIndex';
import { KIND_DLV, KIND_INTERVAL, KIND_LOG, KIND_NAMES, KIND_REGION, KIND_TASK } from './syntax';

// A small service, times in ns (the trace ends at 1000):
//   G1 main:      running 0-10, waiting "sync" 10-end (WaitGroup), re-stated at a generation
//                 start at 500 (one wait of 990, not two).
//   G2 handler:   running 0-100, waiting "sync" 100-300 in main.lookup (Mutex.Lock), woken by G3
//                 at 300: runnable 300-310, running 310-500, waiting "chan receive" 500-end.
//                 Region "lookup" 50-400 and task "handle" (ID 1) 40-500 on G2.
//   G3 refresher: running 0-50, waiting "sleep" 50-200, runnable 200-210 (a timer: no waker),
//                 running 210-end; logs phase/lock at 220 and phase/done at 300 in task
//                 "refreshCache" (ID 2, 205-end).
//   G4:           running 0-20, syscall 20-30, running 30-600, runnable "preempted" 600-610,
//                 running 610-end.
const LOOKUP = 'main.main;main.handle;main.lookup;sync.(*Mutex).Lock';
const events: TestTransition[] = [
  { t: 0, g: 1, state: 'running' },
  { t: 10, g: 1, state: 'waiting', reason: 'sync', stack: 'main.main;sync.(*WaitGroup).Wait' },
  { t: 500, g: 1, state: 'waiting', status: true },
  { t: 0, g: 2, state: 'running' },
  { t: 100, g: 2, state: 'waiting', reason: 'sync', stack: LOOKUP },
  { t: 300, g: 2, state: 'runnable', waker: 3, stack: 'main.refresh;sync.(*Mutex).Unlock' },
  { t: 310, g: 2, state: 'running' },
  { t: 500, g: 2, state: 'waiting', reason: 'chan receive', stack: 'main.handle;main.wait' },
  { t: 0, g: 3, state: 'running' },
  { t: 50, g: 3, state: 'waiting', reason: 'sleep', stack: 'main.refresh;time.Sleep' },
  { t: 200, g: 3, state: 'runnable' },
  { t: 210, g: 3, state: 'running' },
  { t: 0, g: 4, state: 'running' },
  { t: 20, g: 4, state: 'syscall', stack: 'main.io;syscall.read' },
  { t: 30, g: 4, state: 'running' },
  { t: 600, g: 4, state: 'runnable', reason: 'preempted', stack: 'main.io;main.spin' },
  { t: 610, g: 4, state: 'running' },
];
const t = traceOf({
  end: 1000,
  events,
  tasks: [
    { name: 'handle', start: 40, end: 500, g: 2 },
    { name: 'refreshCache', start: 205, end: 1000, g: 3 },
  ],
  regions: [{ name: 'lookup', g: 2, start: 50, end: 400, task: 1 }],
  logs: [
    { t: 220, g: 3, category: 'phase', message: 'lock', task: 2 },
    { t: 300, g: 3, category: 'phase', message: 'done', task: 2 },
  ],
});
const x = buildQueryIndex(t.m);

/** Results as readable rows in start order: "kind G<id> start-end". */
function rows(r: QueryResults): string[] {
  const out: string[] = [];
  for (const i of resultOrder(r, 'start')) {
    const g = r.goroutine[i]!;
    const lane = g >= 0 ? `G${t.m.goroutines.id[g]}` : 'G?';
    out.push(`${KIND_NAMES[r.kind[i]!]} ${lane} ${r.start[i]}-${r.end[i]}`);
  }
  return out;
}

function q(text: string, options: QueryOptions = {}): string[] {
  const o = runQuery(t.m, x, text, options);
  if (!o.ok) throw new Error(o.error.message);
  return rows(o.results);
}

describe('query index', () => {
  it('joins a wait re-stated at a generation start into one run', () => {
    const g1 = t.g(1);
    expect(x.goRuns[g1 + 1]! - x.goRuns[g1]!).toBe(2); // running, waiting (3 intervals)
    expect(t.m.goroutines.intervalStart[g1 + 1]! - t.m.goroutines.intervalStart[g1]!).toBe(3);
    expect(x.runCount).toBe(2 + 5 + 4 + 5);
  });

  it('gives a runnable run after a wait the stack of the wait', () => {
    const g2 = t.g(2);
    const runnable = x.goRuns[g2]! + 2;
    expect(x.runStack[runnable]).toBe(t.stack(LOOKUP));
  });

  it('lists task goroutines and names', () => {
    expect(Array.from(x.taskGo.subarray(x.taskGoStart[0], x.taskGoStart[1]))).toEqual([t.g(2)]);
    expect(Array.from(x.taskGo.subarray(x.taskGoStart[1], x.taskGoStart[2]))).toEqual([t.g(3)]);
    expect(x.regionNames.names).toEqual(['lookup']);
    expect(x.logCategories).toEqual({ names: ['phase'], counts: Uint32Array.of(2) });
  });
});

describe('query terms on a synthetic trace', () => {
  it('state: one row per run, ordered by start', () => {
    expect(q('state:waiting')).toEqual([
      'interval G1 10-1000',
      'interval G3 50-200',
      'interval G2 100-300',
      'interval G2 500-1000',
    ]);
    expect(q('state:syscall')).toEqual(['interval G4 20-30']);
    expect(q('state:runnable,syscall')).toEqual([
      'interval G4 20-30',
      'interval G3 200-210',
      'interval G2 300-310',
      'interval G4 600-610',
    ]);
    expect(q('-state:running -state:waiting')).toEqual(q('state:runnable,syscall'));
  });

  it('dur compares the run, not its intervals', () => {
    expect(runQuery(t.m, x, 'dur>150').ok).toBe(false); // a duration needs a unit
    expect(q('state:waiting reason:sync dur>150ns')).toEqual([
      'interval G1 10-1000',
      'interval G2 100-300',
    ]);
    expect(q('state:waiting dur>200ns')).toEqual(['interval G1 10-1000', 'interval G2 500-1000']);
    expect(q('state:waiting dur>=200ns')).toEqual([
      'interval G1 10-1000',
      'interval G2 100-300',
      'interval G2 500-1000',
    ]);
    expect(q('state:waiting dur<=150ns')).toEqual(['interval G3 50-200']);
    expect(q('state:waiting -dur>150ns')).toEqual(q('state:waiting dur<=150ns'));
    expect(q('dur=10ns')).toEqual([
      'interval G1 0-10',
      'interval G4 20-30',
      'interval G3 200-210',
      'interval G2 300-310',
      'interval G4 600-610',
    ]);
  });

  it('reason: families, text, exact text, and only where a reason applies', () => {
    expect(q('reason:sync')).toEqual(['interval G1 10-1000', 'interval G2 100-300']);
    expect(q('reason:chan')).toEqual(['interval G2 500-1000']);
    expect(q('reason="chan receive"')).toEqual(['interval G2 500-1000']);
    expect(q('reason="chan"')).toEqual([]);
    expect(q('reason:preempted')).toEqual(['interval G4 600-610']);
    expect(q('reason:system')).toEqual(['interval G4 600-610']); // preempted's family
    expect(q('state:waiting -reason:sync')).toEqual(['interval G3 50-200', 'interval G2 500-1000']);
    // Running and syscall runs have no reason: -reason keeps them, reason:* never has them.
    expect(q('state:syscall -reason:*')).toEqual(['interval G4 20-30']);
    expect(q('reason:*')).toHaveLength(5);
  });

  it('fn: a function on the goroutine own stack, in the three text modes', () => {
    const lookup = ['interval G2 100-300', 'interval G2 300-310'];
    expect(q('fn:main.lookup')).toEqual(lookup);
    expect(q('fn:LOOKUP')).toEqual(lookup);
    expect(q('fn=main.lookup')).toEqual(lookup);
    expect(q('fn=main.look')).toEqual([]);
    expect(q('fn:/^main\\.look/')).toEqual(lookup);
    expect(q('fn:/LOOKUP/')).toEqual([]);
    expect(q('fn:/LOOKUP/i')).toEqual(lookup);
    // The waker's stack (Mutex.Unlock in main.refresh) is on G2's runnable interval in the
    // model; fn: looks at the goroutine's own stack, so it does not find it there.
    expect(q('fn:Unlock')).toEqual([]);
    expect(q('fn=sync.(*Mutex).Lock state:waiting')).toEqual(['interval G2 100-300']);
    expect(q('fn:main.io')).toEqual(['interval G4 20-30', 'interval G4 600-610']);
  });

  it('wokenby: the runs a goroutine woke; wakes: the waker runs', () => {
    expect(q('wokenby:3')).toEqual(['interval G2 300-310']);
    expect(q('wokenby:2')).toEqual([]);
    expect(q('wokenby:*')).toEqual(['interval G2 300-310']);
    expect(q('wakes:2')).toEqual(['interval G3 210-1000']);
    expect(q('wakes:3')).toEqual([]); // G3's runnable at 200 was a timer's: no goroutine woke it
    expect(q('wakes:*')).toEqual(['interval G3 210-1000']);
    expect(q('state:running -wakes:2 g:3')).toEqual(['interval G3 0-50']);
  });

  it('g: every kind of item on the goroutine', () => {
    expect(q('g:2')).toEqual([
      'interval G2 0-100',
      'task G2 40-500',
      'region G2 50-400',
      'interval G2 100-300',
      'interval G2 300-310',
      'interval G2 310-500',
      'interval G2 500-1000',
    ]);
    expect(q('g:3 dur>700ns')).toEqual(['task G3 205-1000', 'interval G3 210-1000']);
    expect(q('g:99')).toEqual([]);
  });

  it('region: regions, and with interval terms the intervals inside them', () => {
    expect(q('region:lookup')).toEqual(['region G2 50-400']);
    expect(q('region:look')).toEqual(['region G2 50-400']);
    expect(q('region=look')).toEqual([]);
    expect(q('region:lookup state:waiting')).toEqual(['interval G2 100-300']);
    // Every run of G2 overlapping [50, 400), the first and last only partly.
    expect(q('region:lookup g:2 state:*')).toEqual([
      'interval G2 0-100',
      'interval G2 100-300',
      'interval G2 300-310',
      'interval G2 310-500',
    ]);
    expect(q('state:waiting -region:lookup')).toEqual([
      'interval G1 10-1000',
      'interval G3 50-200',
      'interval G2 500-1000',
    ]);
    expect(q('-region:lookup')).toEqual([]);
    expect(q('region:* task:handle')).toEqual(['region G2 50-400']);
    expect(q('region:* task:refresh')).toEqual([]);
  });

  it('task: tasks, and the intervals of its goroutines within it', () => {
    expect(q('task:handle')).toEqual(['task G2 40-500']);
    expect(q('task:*')).toEqual(['task G2 40-500', 'task G3 205-1000']);
    expect(q('task:handle state:waiting reason:sync')).toEqual(['interval G2 100-300']);
    expect(q('task:refreshCache state:waiting')).toEqual([]);
    expect(q('task:refreshCache state:running')).toEqual(['interval G3 210-1000']);
  });

  it('log: logs by category or message; with other kinds, points inside them', () => {
    expect(q('log:phase')).toEqual(['log G3 220-220', 'log G3 300-300']);
    expect(q('log=lock')).toEqual(['log G3 220-220']);
    expect(q('log:"done"')).toEqual(['log G3 300-300']);
    expect(q('log:phase task:refreshCache')).toEqual(['log G3 220-220', 'log G3 300-300']);
    expect(q('log:phase -task:refreshCache')).toEqual([]);
    expect(q('log:* task:handle')).toEqual([]);
    expect(q('state:running log:lock')).toEqual(['interval G3 210-1000']);
    // The eight running runs but G3's 210-1000, which wrote both logs.
    expect(q('state:running -log:*')).toHaveLength(7);
    expect(q('state:running -log:*')).not.toContain('interval G3 210-1000');
  });

  it('| joins kinds; an item matched twice appears once', () => {
    expect(q('region:lookup | log:lock | region:look')).toEqual([
      'region G2 50-400',
      'log G3 220-220',
    ]);
    const o = runQuery(t.m, x, 'state:syscall | task:* | log:*');
    if (!o.ok) throw new Error(o.error.message);
    expect(Array.from(o.results.kindCounts)).toEqual([1, 0, 2, 0, 2]);
  });

  it('terms repeated, or shared by alternatives, mean what they mean once', () => {
    // The evaluation keeps what each distinct term computed and combines the masks of one
    // property into one (evaluate.ts Ctx.memo, combine): no alternative may see another's.
    const union = (...qs: string[]) => [...new Set(qs.flatMap((s) => q(s)))].sort();
    const sorted = (s: string) => q(s).sort();
    expect(sorted('-wakes:2 -fn:lookup -wakes:2 -fn:lookup')).toEqual(
      sorted('-wakes:2 -fn:lookup'),
    );
    expect(q('-wakes:2 -fn:lookup').length).toBeGreaterThan(0);
    expect(sorted('(state:waiting | state:running) -wakes:2 -reason:sleep')).toEqual(
      union('state:waiting -wakes:2 -reason:sleep', 'state:running -wakes:2 -reason:sleep'),
    );
    expect(sorted('(reason:sync | reason:sleep) (g:1 | g:3) -region:lookup')).toEqual(
      union(
        'reason:sync g:1 -region:lookup',
        'reason:sync g:3 -region:lookup',
        'reason:sleep g:1 -region:lookup',
        'reason:sleep g:3 -region:lookup',
      ),
    );
    // One alternative combines -reason:sleep with another term; the next has it alone.
    expect(
      sorted('state:runnable -reason:sleep -reason:chan | state:waiting -reason:sleep'),
    ).toEqual(union('state:runnable -reason:sleep -reason:chan', 'state:waiting -reason:sleep'));
    expect(q('state:waiting -reason:sleep')).toContain('interval G2 500-1000');
    // Negated terms of one property: a run matching any of them is out; positive ones: all hold.
    expect(q('state:waiting -reason:sleep -reason:chan')).toEqual([
      'interval G1 10-1000',
      'interval G2 100-300',
    ]);
    expect(q('state:waiting reason:sync reason:"sync"')).toEqual(q('state:waiting reason="sync"'));
    expect(q('state:waiting reason:sync reason:sleep')).toEqual([]);
  });

  it('restricts to a time range: spans overlapping it, points inside it', () => {
    expect(q('state:waiting', { range: [0, 60] })).toEqual([
      'interval G1 10-1000',
      'interval G3 50-200',
    ]);
    // [200, 300]: G3's wait ends at 200 (touching, left out); G2's runnable starts at 300 (left out).
    expect(q('state:waiting | state:runnable', { range: [200, 300] })).toEqual([
      'interval G1 10-1000',
      'interval G2 100-300',
      'interval G3 200-210',
    ]);
    expect(q('log:*', { range: [300, 400] })).toEqual(['log G3 300-300']);
    expect(q('g:4', { range: [605, 605.5] })).toEqual(['interval G4 600-610']);
  });

  it('lays results out lane by lane, each lane in start order', () => {
    const o = runQuery(t.m, x, 'g:2 | g:3 state:waiting | log:*');
    if (!o.ok) throw new Error(o.error.message);
    const r = o.results;
    const lane = (id: number) => {
      const g = t.g(id);
      const out: string[] = [];
      for (let p = r.laneStart[g]!; p < r.laneStart[g + 1]!; p++) {
        out.push(`${KIND_NAMES[r.kind[p]!]} ${r.start[p]}-${r.end[p]}`);
      }
      return out;
    };
    expect(lane(1)).toEqual([]);
    expect(lane(2)).toEqual([
      'interval 0-100',
      'task 40-500',
      'region 50-400',
      'interval 100-300',
      'interval 300-310',
      'interval 310-500',
      'interval 500-1000',
    ]);
    expect(lane(3)).toEqual(['interval 50-200', 'log 220-220', 'log 300-300']);
    expect(r.laneStart[t.m.goroutines.length + 1]).toBe(r.count);
    // The index points at the model: the first interval of G3's wait.
    const p = r.laneStart[t.g(3)]!;
    expect(t.m.intervals.start[r.index[p]!]).toBe(50);
    expect(t.m.intervals.state[r.index[p]!]).toBe(4);
  });

  it('marks the lanes with results', () => {
    const o = runQuery(t.m, x, 'reason:sync | log:*');
    if (!o.ok) throw new Error(o.error.message);
    const lanes = [1, 2, 3, 4].filter((id) => o.results.goroutines[t.g(id)] === 1);
    expect(lanes).toEqual([1, 2, 3]);
  });

  it('an empty query has no results', () => {
    expect(q('')).toEqual([]);
  });

  it('orders results by duration or start, either way', () => {
    const o = runQuery(t.m, x, 'state:waiting');
    if (!o.ok) throw new Error(o.error.message);
    const r = o.results;
    const dur = (order: Uint32Array) => Array.from(order, (i) => r.end[i]! - r.start[i]!);
    expect(dur(resultOrder(r, 'duration'))).toEqual([150, 200, 500, 990]);
    expect(dur(resultOrder(r, 'duration', true))).toEqual([990, 500, 200, 150]);
    expect(Array.from(resultOrder(r, 'start', true), (i) => r.start[i])).toEqual([
      500, 100, 50, 10,
    ]);
  });
});

describe('dlv calls in queries', () => {
  // One log on the trace's clock with offset 10: main.lookup on G2 at 40-290 (trace 50-300), an
  // unfinished main.refresh on G3 from 200 (ends at the log's last timestamp, 290), a lookup on
  // G99 (not in the trace), and a call without a time.
  const b = new DlvBuilder();
  const span = (goroutine: number, func: string, args: string, startNs: number) =>
    b.addSpan({
      goroutine,
      func,
      tracepoint: null,
      args,
      depth: 0,
      frame: -1,
      startNs,
      ebpf: false,
    });
  const lookup = span(
    2,
    'main.lookup',
    'ctx: context.Context(*context.valueCtx) 0xbeef\nk: 42',
    40,
  );
  span(3, 'main.refresh', '142, "a, b"', 200);
  const other = span(99, 'main.lookup', 'k: 7', 250);
  b.addReturn(99, 260, other, 'nil');
  b.addReturn(2, 290, lookup, '[]uint8 len: 32, cap: 32, [...]');
  span(5, 'main.untimed', '', NaN);
  const d: DlvModel = b.finish({
    wallBaseNs: 0n,
    firstTimestamp: null,
    lastTimestamp: null,
    otherLines: 0,
    unterminated: 0,
    gluedTimestamps: 0,
  });
  const dlv: DlvSource[] = [{ model: d, index: buildDlvQueryIndex(d), offsetNs: 10 }];

  it('finds calls by function, on the trace clock', () => {
    expect(q('dlv:main.lookup', { dlv })).toEqual(['dlv call G2 50-300', 'dlv call G? 260-270']);
    expect(q('dlv:*', { dlv })).toEqual([
      'dlv call G2 50-300',
      'dlv call G3 210-300',
      'dlv call G? 260-270',
    ]);
    expect(q('dlv:* g:99', { dlv })).toEqual(['dlv call G? 260-270']);
    expect(q('dlv:untimed', { dlv })).toEqual([]);
  });

  it('arg: and ret: match each printed value', () => {
    expect(printedValues('ctx: context.Context(*context.valueCtx) 0xbeef\nk: 42')).toEqual([
      'ctx: context.Context(*context.valueCtx) 0xbeef',
      'context.Context(*context.valueCtx) 0xbeef',
      'k: 42',
      '42',
    ]);
    expect(printedValues('142, "a, b"')).toEqual(['142', '"a, b"']);
    expect(q('arg=42', { dlv })).toEqual(['dlv call G2 50-300']);
    expect(q('arg:42', { dlv })).toEqual(['dlv call G2 50-300', 'dlv call G3 210-300']);
    expect(q('dlv:main.lookup arg=42', { dlv })).toEqual(['dlv call G2 50-300']);
    expect(q('arg="\\"a, b\\""', { dlv })).toEqual(['dlv call G3 210-300']);
    expect(q('ret=nil', { dlv })).toEqual(['dlv call G? 260-270']);
    expect(q('ret:* -dlv:*', { dlv })).toEqual([]);
  });

  it('with interval terms: the intervals the calls overlap on their goroutine', () => {
    expect(q('dlv:lookup state:waiting', { dlv })).toEqual(['interval G2 100-300']);
    expect(q('dlv:lookup arg=7 state:*', { dlv })).toEqual([]);
    expect(q('dlv:* log:lock', { dlv })).toEqual(['dlv call G3 210-300']);
    expect(q('dlv:* region:lookup', { dlv })).toEqual(['dlv call G2 50-300']);
  });

  it('counts the calls among the kinds', () => {
    const parsed = runQuery(t.m, x, 'dlv:* | g:3 state:waiting', { dlv });
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(parsed.results.kindCounts[KIND_DLV]).toBe(3);
    expect(parsed.results.kindCounts[KIND_INTERVAL]).toBe(1);
    expect(parsed.results.kindCounts[KIND_LOG]).toBe(0);
    expect(parsed.results.kindCounts[KIND_REGION]).toBe(0);
    expect(parsed.results.kindCounts[KIND_TASK]).toBe(0);
    // Without the log the same query finds only the interval.
    const none = evaluateQuery(t.m, x, parsed.query);
    expect(none.count).toBe(1);
  });
});
