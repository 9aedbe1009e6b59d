// Cross-check: Go's own reader (`GO tool trace -d=parsed TRACE`) vs the project's summarize.
// Usage: npm run crosscheck -- TRACE GO_BIN [--against EXPECTED.json] [--dump REF.json] [--go GID]
//   --against: compare the reference computation with a given summary (e.g. a corpus
//              X.expected.json) instead of running the project's summarize (validates this script).
//   --dump:    write the reference summary as JSON.
//   --go GID:  print Go's state transitions for goroutine GID (with the interval each one closes).
// Reference choices (see SUMMARY.md):
//   - times are Go's Event.Time() ints as printed; durationNs = last event time - first event time
//   - a goroutine's clock starts at its first StateTransition; transition at t closes [prev t, t]
//     and the interval goes to the transition's *from* state (Undetermined/NotExist are not
//     counted); the state open at the end is closed at the trace's last event (any kind)
//   - every StateTransition event of the goroutine counts in `transitions` (incl. X->X status
//     re-emissions at generation boundaries)
//   - waitReasons: every goroutine transition whose new state is Waiting, by Reason
//   - gcCycles: RangeBegin + RangeActive named "GC concurrent mark phase"
//   - STW: RangeBegin/RangeActive named "stop-the-world (...)" counted; ns = End - Begin, paired
//     per name+scope; a range still open at the end is closed at the last event
//   - cpuSamples: StackSample events; leaf = first frame printed after its Stack=
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { openSync, readSync, closeSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

type States = { running: number; runnable: number; waiting: number; syscall: number };
type G = States & { transitions: number; cur: string; since: number; alt: States };

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
};
const against = flag('--against');
const dump = flag('--dump');
const watchG = flag('--go');
const [TRACE, GO_BIN] = args;
if (!TRACE || !GO_BIN) {
  console.error(
    'usage: npm run crosscheck -- TRACE GO_BIN [--against EXPECTED.json] [--dump REF.json] [--go GID]',
  );
  process.exit(2);
}

function goUnquote(s: string): string {
  // Go %q output; JSON-compatible for the strings that appear here, except \x, \a, \v, \'.
  const fixed = s
    .replace(/\\x([0-9a-fA-F]{2})/g, '\\u00$1')
    .replace(/\\a/g, '\\u0007')
    .replace(/\\v/g, '\\u000b')
    .replace(/\\'/g, "'");
  try {
    return JSON.parse(fixed);
  } catch {
    return s.slice(1, -1);
  }
}

function headerVersion(path: string): string {
  const fd = openSync(path, 'r');
  const b = Buffer.alloc(16);
  readSync(fd, b, 0, 16, 0);
  closeSync(fd);
  const m = /^go 1\.(\d+) trace/.exec(b.toString('latin1'));
  return m ? `1.${m[1]}` : '?';
}

async function reference() {
  // Go 1.25+: -d=parsed. Go 1.22/1.23: -d=1 prints the same events (new reader) in an older layout.
  const help = spawnSync(GO_BIN!, ['tool', 'trace', '-h'], {
    encoding: 'utf8',
    env: { ...process.env, GOTOOLCHAIN: 'local' },
  });
  const dflag = /modes: .*parsed/.test(help.stderr + help.stdout) ? '-d=parsed' : '-d=1';
  const child = spawn(GO_BIN!, ['tool', 'trace', dflag, TRACE!], {
    env: { ...process.env, GOTOOLCHAIN: 'local', GOCACHE: process.env.GOCACHE ?? '/tmp/gocache' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const rl = createInterface({ input: child.stdout, crlfDelay: Infinity });
  const head = /^M=(-?\d+) P=(-?\d+) G=(-?\d+) (\w+) Time=(-?\d+)(.*)$/;
  const gst = /^ GoID=(-?\d+) (\w+)->(\w+) Reason=(".*")$/;
  const pst = /^ ProcID=(-?\d+) (\w+)->(\w+) Reason=(".*")$/;
  // Go 1.22-1.25 layout: Resource=Goroutine(1) Reason="" GoID=1 Undetermined->Running
  const gstOld = /^ Resource=\S+ Reason=(".*") GoID=(-?\d+) (\w+)->(\w+)$/;
  const pstOld = /^ Resource=\S+ Reason=(".*") ProcID=(-?\d+) (\w+)->(\w+)$/;
  const rng = /^ Name=(".*") Scope=(\S+)/;
  let first: number | null = null;
  let last = 0;
  let events = 0;
  const byKind: Record<string, number> = {};
  const gs = new Map<number, G>();
  const procs = new Set<number>();
  const threads = new Set<number>();
  const waitReasons: Record<string, number> = {};
  let cpuSamples = 0;
  const leaf: Record<string, number> = {};
  let pendingLeaf = false; // waiting for the first frame after Stack= of a StackSample
  let inSampleStack = false;
  let gcCycles = 0;
  let stwCount = 0;
  let stwNs = 0;
  const openStw = new Map<string, number[]>();
  let tasks = 0,
    regions = 0,
    logs = 0;
  let wallSnap: { trace: number; wall: string } | null = null;
  let wallWarned = false;
  let lastKind = '';
  let nonMono = 0;
  const watchLog: string[] = [];
  for await (const line of rl) {
    if (line.length === 0) continue;
    if (line.charCodeAt(0) !== 77 /* M */) {
      if (line === 'Stack=') {
        inSampleStack = lastKind === 'StackSample';
        pendingLeaf = inSampleStack;
      } else if (line === 'TransitionStack=') {
        inSampleStack = pendingLeaf = false;
      } else if (pendingLeaf && line.startsWith('\t') && !line.startsWith('\t\t')) {
        const at = line.lastIndexOf(' @ 0x');
        const fn = line.slice(1, at < 0 ? undefined : at);
        leaf[fn] = (leaf[fn] ?? 0) + 1;
        pendingLeaf = false;
      }
      continue;
    }
    const m = head.exec(line);
    if (!m) {
      console.error('unparsed line:', line);
      continue;
    }
    pendingLeaf = false;
    const M = Number(m[1]);
    const kind = m[4]!;
    const t = Number(m[5]);
    const rest = m[6]!;
    lastKind = kind;
    events++;
    byKind[kind] = (byKind[kind] ?? 0) + 1;
    if (first === null) first = t;
    if (t < last) nonMono++;
    last = Math.max(last, t);
    if (M !== -1) threads.add(M);
    switch (kind) {
      case 'StateTransition': {
        let x = gst.exec(rest);
        if (!x) {
          const y = gstOld.exec(rest);
          if (y) x = [y[0], y[2], y[3], y[4], y[1]] as unknown as RegExpExecArray;
        }
        if (x) {
          const id = Number(x[1]);
          const from = x[2]!,
            to = x[3]!;
          const reason = goUnquote(x[4]!);
          let g = gs.get(id);
          if (!g) {
            g = {
              running: 0,
              runnable: 0,
              waiting: 0,
              syscall: 0,
              transitions: 0,
              cur: from,
              since: t,
              alt: { running: 0, runnable: 0, waiting: 0, syscall: 0 },
            };
            gs.set(id, g);
          }
          const d = t - g.since;
          const k = from.toLowerCase() as keyof States;
          if (k in g.alt) g[k] += d;
          const k2 = g.cur.toLowerCase() as keyof States;
          if (k2 in g.alt) g.alt[k2] += d;
          if (watchG !== undefined && Number(watchG) === id)
            watchLog.push(
              `${t} (+${t - (first ?? t)}) ${line.replace(/^M=/, 'M=')}  [closes ${from} ${d}ns; prev to=${g.cur}]`,
            );
          g.transitions++;
          g.cur = to;
          g.since = t;
          if (to === 'Waiting') waitReasons[reason] = (waitReasons[reason] ?? 0) + 1;
          break;
        }
        x = pst.exec(rest);
        if (x) procs.add(Number(x[1]));
        else {
          const y = pstOld.exec(rest);
          if (y) procs.add(Number(y[2]));
          else console.error('unparsed transition:', line);
        }
        break;
      }
      case 'RangeBegin':
      case 'RangeActive':
      case 'RangeEnd': {
        const x = rng.exec(rest);
        if (!x) break;
        const name = goUnquote(x[1]!);
        if (name === 'GC concurrent mark phase' && kind !== 'RangeEnd') gcCycles++;
        if (/^stop-the-world \(.*\)$/.test(name)) {
          const key = name + '|' + x[2];
          if (kind === 'RangeEnd') {
            const q = openStw.get(key);
            const b = q?.shift();
            if (b !== undefined) stwNs += t - b;
            else {
              // End without a begin on the same scope: pair with any open STW of that name.
              let done = false;
              for (const [k2, q2] of openStw) {
                if (k2.startsWith(name + '|') && q2.length) {
                  stwNs += t - q2.shift()!;
                  done = true;
                  console.error(`note: STW end on ${x[2]} paired with begin on ${k2}`);
                  break;
                }
              }
              if (!done) console.error(`note: STW end without begin at ${t}: ${name}`);
            }
          } else {
            stwCount++;
            if (!openStw.has(key)) openStw.set(key, []);
            openStw.get(key)!.push(t);
          }
        }
        break;
      }
      case 'TaskBegin':
        tasks++;
        break;
      case 'RegionBegin':
        regions++;
        break;
      case 'Log':
        logs++;
        break;
      case 'StackSample':
        cpuSamples++;
        break;
      case 'Sync': {
        const x = / Trace=(\d+) Mono=\d+ Wall=(\S+)/.exec(rest);
        if (x && !wallSnap) {
          if (/\.\d+/.test(x[2]!)) wallSnap = { trace: Number(x[1]), wall: x[2]! };
          else if (!wallWarned) {
            // Go 1.25's Sync String() formats Wall with RFC3339 (whole seconds): unusable.
            console.error(
              'note: Go reader prints Wall without sub-second digits; wallClockStart not checked',
            );
            wallWarned = true;
          }
        }
        break;
      }
    }
  }
  const code: number = await new Promise((r) => child.on('close', (c) => r(c ?? 0)));
  if (code !== 0) console.error(`go tool trace exited ${code}: ${stderr.trim().slice(0, 300)}`);
  if (nonMono) console.error(`note: ${nonMono} events earlier than a previous event`);
  for (const [k, q] of openStw)
    for (const b of q) {
      stwNs += last - b;
      console.error(`note: STW ${k} open at end, closed at last event`);
    }
  const goroutines: Record<string, States & { transitions: number }> = {};
  const alt: Record<string, States> = {};
  let runningNsTotal = 0;
  for (const [id, g] of gs) {
    const d = last - g.since;
    const k = g.cur.toLowerCase() as keyof States;
    if (k in g.alt) {
      g[k] += d;
      g.alt[k] += d;
    }
    goroutines[String(id)] = {
      running: g.running,
      runnable: g.runnable,
      waiting: g.waiting,
      syscall: g.syscall,
      transitions: g.transitions,
    };
    alt[String(id)] = g.alt;
    runningNsTotal += g.running;
  }
  const top = Object.entries(leaf)
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, 10)
    .map(([name, value]) => ({ name, value }));
  let wallClockStart: string | undefined;
  let wallStartNs: bigint | undefined;
  if (wallSnap && first !== null) {
    wallStartNs = rfc3339ToNs(wallSnap.wall) + BigInt(first - wallSnap.trace);
    wallClockStart = nsToRfc3339(wallStartNs);
  }
  if (watchLog.length) console.log(watchLog.join('\n'));
  return {
    summary: {
      format: 'go-trace',
      version: headerVersion(TRACE!),
      events,
      eventsByKind: byKind,
      durationNs: last - (first ?? 0),
      ...(wallClockStart ? { wallClockStart } : {}),
      goroutineCount: gs.size,
      goroutines,
      runningNsTotal,
      procCount: procs.size,
      threadCount: threads.size,
      waitReasons,
      cpuSamples,
      cpuSamplesTopLeaf: top,
      gcCycles,
      stwCount,
      stwNs,
      tasks,
      regions,
      logs,
    } as Record<string, unknown>,
    alt,
    goExit: code,
    goErr: stderr.trim(),
  };
}

function rfc3339ToNs(s: string): bigint {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(s);
  if (!m) throw new Error('bad time ' + s);
  const secs = BigInt(Date.parse(m[1]! + (m[3] === 'Z' ? 'Z' : m[3]!)) / 1000);
  const frac = BigInt(((m[2] ?? '') + '000000000').slice(0, 9));
  return secs * 1_000_000_000n + frac;
}
function nsToRfc3339(ns: bigint): string {
  const secs = ns / 1_000_000_000n;
  const frac = ns % 1_000_000_000n;
  const d = new Date(Number(secs) * 1000).toISOString().replace(/\.\d{3}Z$/, '');
  return `${d}.${frac.toString().padStart(9, '0')}Z`;
}

function ours(): { s: Record<string, unknown> | null; err: string } {
  if (against) {
    return { s: JSON.parse(readFileSync(against, 'utf8')), err: '' };
  }
  const r = spawnSync(process.execPath, ['scripts/run.mjs', 'scripts/summarize.ts', TRACE!], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  try {
    const doc = JSON.parse(r.stdout);
    return { s: doc.files[0], err: r.stderr };
  } catch {
    return { s: null, err: `summarize exit ${r.status}: ${r.stderr}` };
  }
}

async function main() {
  const t0 = Date.now();
  const ref = await reference();
  const t1 = Date.now();
  const o = ours();
  if (dump) writeFileSync(dump, JSON.stringify(ref.summary, null, 1));
  const R = ref.summary;
  const label = TRACE!.split('/').pop();
  if (!o.s) {
    console.log(`${label}: VERDICT FAIL (project summarize produced no JSON) ${o.err}`);
    return;
  }
  const O = o.s;
  const problems: string[] = [];
  const info: string[] = [];
  const TOL = 1000;
  if (O.error !== undefined) problems.push(`project error: ${O.error}`);
  if (ref.goExit !== 0) problems.push(`Go reader error: ${ref.goErr.slice(0, 300)}`);
  const eq = (k: string) => {
    if (JSON.stringify(O[k]) !== JSON.stringify(R[k]))
      problems.push(`${k}: ours=${JSON.stringify(O[k])} go=${JSON.stringify(R[k])}`);
  };
  const ns = (k: string, a: unknown, b: unknown) => {
    if (typeof a !== 'number' || typeof b !== 'number' || Math.abs(a - b) > TOL)
      problems.push(
        `${k}: ours=${a} go=${b} (diff ${typeof a === 'number' && typeof b === 'number' ? a - b : '?'})`,
      );
  };
  eq('version');
  ns('durationNs', O.durationNs, R.durationNs);
  if (R.wallClockStart !== undefined) {
    if (typeof O.wallClockStart !== 'string' || typeof R.wallClockStart !== 'string')
      problems.push(`wallClockStart: ours=${O.wallClockStart} go=${R.wallClockStart}`);
    else {
      const d = rfc3339ToNs(O.wallClockStart) - rfc3339ToNs(R.wallClockStart);
      if (d > 1000n || d < -1000n)
        problems.push(
          `wallClockStart: ours=${O.wallClockStart} go=${R.wallClockStart} (diff ${d} ns)`,
        );
    }
  }
  eq('goroutineCount');
  const og = (O.goroutines ?? {}) as Record<string, Record<string, number>>;
  const rg = R.goroutines as Record<string, Record<string, number>>;
  let gBad = 0;
  const gLines: string[] = [];
  for (const id of new Set([...Object.keys(og), ...Object.keys(rg)])) {
    const a = og[id],
      b = rg[id];
    if (!a || !b) {
      gBad++;
      gLines.push(`goroutine ${id}: ours=${JSON.stringify(a)} go=${JSON.stringify(b)}`);
      continue;
    }
    const bad: string[] = [];
    for (const f of ['running', 'runnable', 'waiting', 'syscall'] as const) {
      if (Math.abs((a[f] ?? NaN) - (b[f] ?? NaN)) > TOL) {
        const altv = ref.alt[id]?.[f];
        bad.push(
          `${f} ours=${a[f]} go=${b[f]} diff=${(a[f] ?? 0) - (b[f] ?? 0)}${altv !== b[f] ? ` (alt-ref=${altv})` : ''}`,
        );
      }
    }
    if (a.transitions !== b.transitions)
      bad.push(`transitions ours=${a.transitions} go=${b.transitions}`);
    if (bad.length) {
      gBad++;
      gLines.push(`goroutine ${id}: ${bad.join('; ')}`);
    }
  }
  if (gBad)
    problems.push(
      `goroutines: ${gBad} mismatching\n    ${gLines.slice(0, 40).join('\n    ')}${gLines.length > 40 ? `\n    ... ${gLines.length - 40} more` : ''}`,
    );
  // The alternative attribution (interval to the previous transition's new state) — report if it differs.
  let altDiff = 0;
  for (const id of Object.keys(rg))
    for (const f of ['running', 'runnable', 'waiting', 'syscall'] as const)
      if (ref.alt[id]![f] !== rg[id]![f]) altDiff++;
  if (altDiff)
    info.push(
      `reference: ${altDiff} goroutine state times differ between from-state and previous-to-state attribution`,
    );
  const rt = O.runningNsTotal as number,
    rr = R.runningNsTotal as number;
  if (Math.abs(rt - rr) > TOL) problems.push(`runningNsTotal: ours=${rt} go=${rr} diff=${rt - rr}`);
  else if (rt !== rr) info.push(`runningNsTotal differs by ${rt - rr} ns (within tolerance)`);
  eq('procCount');
  const sortObj = (x: unknown) =>
    JSON.stringify(Object.entries((x ?? {}) as object).sort(([a], [b]) => (a < b ? -1 : 1)));
  if (sortObj(O.waitReasons) !== sortObj(R.waitReasons))
    problems.push(`waitReasons: ours=${sortObj(O.waitReasons)} go=${sortObj(R.waitReasons)}`);
  eq('cpuSamples');
  if (JSON.stringify(O.cpuSamplesTopLeaf ?? []) !== JSON.stringify(R.cpuSamplesTopLeaf))
    problems.push(
      `cpuSamplesTopLeaf: ours=${JSON.stringify(O.cpuSamplesTopLeaf)} go=${JSON.stringify(R.cpuSamplesTopLeaf)}`,
    );
  eq('gcCycles');
  eq('stwCount');
  ns('stwNs', O.stwNs, R.stwNs);
  eq('tasks');
  eq('regions');
  eq('logs');
  // informational
  if (O.events !== R.events) info.push(`events ours=${O.events} go=${R.events}`);
  if (sortObj(O.eventsByKind) !== sortObj(R.eventsByKind))
    info.push(`eventsByKind ours=${sortObj(O.eventsByKind)} go=${sortObj(R.eventsByKind)}`);
  if (O.threadCount !== R.threadCount)
    info.push(`threadCount ours=${O.threadCount} go=${R.threadCount}`);
  for (const p of problems) console.log('MISMATCH ' + p);
  for (const p of info) console.log('info     ' + p);
  console.log(
    `${label}: VERDICT ${problems.length ? `MISMATCH (${problems.length} keys)` : 'OK'} — version ${R.version}, ${R.events} events, ${R.goroutineCount} goroutines, durationNs ${R.durationNs}, go reader ${((t1 - t0) / 1000).toFixed(1)}s`,
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
