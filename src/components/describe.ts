// Text for tooltips and the details panel: what a row shows at a time, a goroutine interval, a
// dlv call. Everything here is plain text (the page renders it as text, never as HTML).

import { formatDuration } from '../base/units';
import { upperBound } from '../base/search';
import { formatBytes, formatCount } from '../base/format';
import type { Activity, RegionIndex } from '../analysis/traceLanes';
import type { DlvModel } from '../model/dlv';
import { goroutineOfInterval, taskEnd, taskStart } from '../model/lookup';
import { stackFrames } from '../model/stacks';
import {
  GOROUTINE_STATE_NAMES,
  GS_WAITING,
  GS_RUNNABLE,
  RANGE_GC,
  RANGE_STW,
  RANGE_NAMES,
  type TraceModel,
  wakerOf,
} from '../model/trace';
import type { RuntimeLanes } from '../analysis/runtimeLanes';
import { WORKER_NAMES, WORKER_NONE } from '../model/gcWorker';
import { DLV_ROW_HEIGHT } from '../render/dlvSpans';
import { gcWorkAt, logAt, procRunAt, procRunLabel } from '../render/runtimePainters';
import type { Row } from '../render/rowLayout';
import type { AxisUnit } from '../render/timeScale';
import type { Selection } from '../store/session';

/** The label column's tooltip: a row's whole name (the column cuts long ones) and what it is. */
export function describeLabel(row: Row): string[] {
  switch (row.kind) {
    case 'group':
      if (row.goroutines.length === 0)
        return [row.label, row.sub, row.collapsed ? 'click to expand' : 'click to collapse'].filter(
          Boolean,
        );
      return [
        row.label,
        `${row.goroutines.length} goroutine${row.goroutines.length === 1 ? '' : 's'} started by this function`,
        row.collapsed ? 'click to expand' : 'click to collapse',
      ];
    case 'goroutine':
      return [row.label, `started by ${row.sub}`];
    case 'dlv':
      return [row.label || 'dlv calls of the goroutine above', row.sub].filter(Boolean);
    default:
      return [row.label, row.sub].filter(Boolean);
  }
}

/** The task drawn at time ns, yInRow px into the tasks row (its level), or -1. */
export function taskAt(row: Extract<Row, { kind: 'tasks' }>, ns: number, yInRow: number): number {
  const level = Math.floor((yInRow - 2) / 14);
  const t = row.trace.tasks;
  const depth = row.view.tasks.depth;
  for (let i = 0; i < t.length; i++) {
    if (depth[i] !== level) continue;
    if (ns < taskStart(row.trace, i) || ns > taskEnd(row.trace, i)) continue;
    return i;
  }
  return -1;
}

export function describeRowAt(
  row: Row,
  sel: Selection | null,
  ns: number,
  yInRow: number,
  unit: AxisUnit,
  runtime: RuntimeLanes | null = null,
  /** How far from ns a point mark (a user log) still counts as under the pointer. */
  slackNs = 0,
): string[] {
  switch (row.kind) {
    case 'goroutine': {
      const log = runtime ? logAt(runtime, row.g, ns, slackNs) : -1;
      const logLines = log >= 0 ? logSummary(row.trace, log) : [];
      if (sel?.kind !== 'interval') return logLines;
      const regions = regionsAt(row.trace, row.view.regions, row.g, ns);
      const gc = runtime ? gcWorkAt(runtime, row.g, ns) : -1;
      if (logLines.length > 0) return logLines;
      return [
        ...intervalSummary(row.trace, sel.interval),
        ...(regions.length ? [`in region ${regions.join(' › ')}`] : []),
        ...(gc >= 0 && runtime
          ? [
              `${RANGE_NAMES[runtime.gc.kind[gc]!]}: ${formatDuration(runtime.gc.endNs[gc]! - runtime.gc.startNs[gc]!)}`,
            ]
          : []),
      ];
    }
    case 'proc': {
      const id = row.trace.procs.id[row.p];
      const k = runtime ? procRunAt(runtime.procs, row.p, ns) : -1;
      if (!runtime || k < 0) return runtime ? [`P${id}: no goroutine running`] : [];
      const r = runtime.procs;
      const w = r.worker[k]!;
      return [
        `P${id}: ${procRunLabel(row.trace, runtime, k)}`,
        ...(w !== WORKER_NONE ? [`GC mark worker: ${WORKER_NAMES[w]}`] : []),
        `running ${formatDuration(r.end[k]! - r.start[k]!)} · ${formatDuration(r.start[k]!)} → ${formatDuration(r.end[k]!)}`,
        'click to select the goroutine’s interval',
      ];
    }
    case 'dlv':
      return sel?.kind === 'dlv' ? dlvSummary(row.model, sel.span, unit) : [];
    case 'group': {
      if (row.goroutines.length === 0) return [];
      return [
        `${row.label} ×${row.goroutines.length}`,
        row.activity ? activityLine(row.activity, ns) : '',
        row.collapsed ? 'click to expand' : '',
      ].filter(Boolean);
    }
    case 'gc':
      return rangesAt(row.trace, ns);
    case 'counts':
      return ['goroutines by state at this moment', activityLine(row.view.activity, ns)];
    case 'metric': {
      const { time, value } = row.series;
      const lo = upperBound(time, ns);
      if (lo === 0) return [row.label];
      const v = value[lo - 1]!;
      return [`${row.label}: ${row.unit === 'bytes' ? formatBytes(v) : formatCount(v)}`];
    }
    case 'tasks': {
      const i = taskAt(row, ns, yInRow);
      if (i < 0) return [];
      const t = row.trace.tasks;
      const s = taskStart(row.trace, i);
      const e = taskEnd(row.trace, i);
      return [
        `task ${row.trace.strings[t.name[i]!] ?? ''} (id ${t.id[i]})`,
        `${formatDuration(e - s)}${Number.isNaN(t.end[i]!) ? ' (still running at the end of the trace)' : ''}`,
        'click: why was it slow?',
      ];
    }
    case 'profile':
      return [
        row.label,
        row.sub,
        row.durationNs > 0 ? `covers ${formatDuration(row.durationNs)}` : '',
        'drag along the axis to shift it (manual alignment)',
      ].filter(Boolean);
    case 'file':
      return [row.label, row.sub, 'drag along the axis to shift its calls (manual alignment)'];
    default:
      return [];
  }
}

/** A user log: its category and message (text from the file, shown as text). */
function logSummary(m: TraceModel, i: number): string[] {
  const cat = m.strings[m.logs.category[i]!] ?? '';
  const msg = m.strings[m.logs.message[i]!] ?? '';
  return [
    `log ${cat ? `[${cat}] ` : ''}${msg.length > 200 ? `${msg.slice(0, 200)}…` : msg}`,
    `at ${formatDuration(m.logs.time[i]!)} on G${m.goroutines.id[m.logs.goroutine[i]!]}`,
  ];
}

/**
 * Goroutines per state in the bucket of `ns`, with the unit and each state's share: "running 2.0
 * goroutines (0.4%) · waiting 506.0 (99.6%) … (average over 1.20 ms)". Counts are averages over
 * the bucket, hence the decimals.
 */
export function activityLine(a: Activity, ns: number): string {
  const b = Math.min(a.buckets - 1, Math.max(0, Math.floor(ns / a.bucketNs)));
  const parts: Array<[string, number]> = [
    ['running', a.running[b]!],
    ['runnable', a.runnable[b]!],
    ['waiting', a.waiting[b]!],
    ['syscall', a.syscall[b]!],
  ];
  const total = parts.reduce((n, [, v]) => n + v, 0);
  const share = (v: number) => (total > 0 ? ` (${((100 * v) / total).toFixed(1)}%)` : '');
  const text = parts
    .map(([k, v], i) => `${k} ${v.toFixed(1)}${i === 0 ? ' goroutines' : ''}${share(v)}`)
    .join(' · ');
  return `${text} (average over ${formatDuration(a.bucketNs)})`;
}

/** Names of the user regions of goroutine g open at ns, outermost first. */
function regionsAt(m: TraceModel, idx: RegionIndex, g: number, ns: number): string[] {
  const r = m.regions;
  const out: string[] = [];
  for (let k = idx.start[g]!; k < idx.start[g + 1]!; k++) {
    const i = idx.order[k]!;
    const s = Number.isNaN(r.start[i]!) ? 0 : r.start[i]!;
    if (s > ns) break;
    const e = Number.isNaN(r.end[i]!) ? m.durationNs : r.end[i]!;
    if (e >= ns) out.push(m.strings[r.name[i]!] ?? '');
  }
  return out;
}

function rangesAt(m: TraceModel, ns: number): string[] {
  const out: string[] = [];
  const r = m.ranges;
  for (let i = 0; i < r.length; i++) {
    const k = r.kind[i]!;
    if (k !== RANGE_GC && k !== RANGE_STW) continue;
    const s = r.start[i]!;
    const e = Number.isNaN(r.end[i]!) ? m.durationNs : r.end[i]!;
    if (ns < s || ns > e) continue;
    const name =
      k === RANGE_STW && r.name[i]! >= 0
        ? `stop-the-world (${m.strings[r.name[i]!]})`
        : RANGE_NAMES[k];
    out.push(`${name}: ${formatDuration(e - s)}`);
  }
  return out;
}

/** One line per fact of goroutine state interval i. */
export function intervalSummary(m: TraceModel, i: number): string[] {
  const g = goroutineOfInterval(m, i);
  const b = m.goroutines.intervalStart[g + 1]!;
  const start = m.intervals.start[i]!;
  const end = i + 1 < b ? m.intervals.start[i + 1]! : m.durationNs;
  const state = m.intervals.state[i]!;
  const reason = m.reasons[m.intervals.reason[i]!] ?? '';
  const sf = m.goroutines.startFunc[g]!;
  const lines = [
    `G${m.goroutines.id[g]} ${sf >= 0 ? (m.strings[sf] ?? '') : ''}`.trim(),
    `${GOROUTINE_STATE_NAMES[state] ?? 'unknown'}${reason ? ` (${reason})` : ''}`,
    `${formatDuration(end - start)} · ${formatDuration(start)} → ${formatDuration(end)}`,
  ];
  const waker = wakerOf(m.intervals, g, i);
  if (state === GS_RUNNABLE && waker >= 0) lines.push(`unblocked by G${m.goroutines.id[waker]}`);
  const top = topFunction(m, m.intervals.stack[i]!);
  if (top) lines.push(state === GS_WAITING ? `blocked in ${top}` : `at ${top}`);
  return lines;
}

export function topFunction(m: TraceModel, stack: number): string {
  if (stack < 0) return '';
  const f = m.stacks.frame[stack]!;
  return m.strings[m.frames.func[f]!] ?? '';
}

/** A stack as text, innermost frame first: "func\n    file:line". */
export function stackText(
  m: { strings: readonly string[]; frames: TraceModel['frames']; stacks: TraceModel['stacks'] },
  stack: number,
): string {
  if (stack < 0) return '';
  return stackFrames(m.stacks, stack)
    .map((f) => {
      const fn = m.strings[m.frames.func[f]!] ?? '';
      const file = m.strings[m.frames.file[f]!] ?? '';
      const line = m.frames.line[f]!;
      return file ? `${fn}\n    ${file}${line ? `:${line}` : ''}` : fn;
    })
    .join('\n');
}

export function dlvSummary(m: DlvModel, i: number, unit: AxisUnit): string[] {
  const s = m.spans;
  const lines = [
    `${m.strings[s.func[i] as number] ?? ''}`,
    `goroutine ${s.goroutine[i]} · depth ${s.depth[i]}`,
  ];
  if (unit === 'seq') {
    lines.push(
      `lines #${s.startSeq[i]}–${(s.endSeq[i] as number) >= 0 ? `#${s.endSeq[i]}` : 'never returned'}`,
    );
  } else {
    const dur = (s.endNs[i] as number) - (s.startNs[i] as number);
    lines.push(
      Number.isNaN(dur)
        ? 'never returned'
        : `duration ${formatDuration(dur)} (includes Delve's stops)`,
    );
  }
  const args = m.strings[s.args[i] as number] ?? '';
  if (args) lines.push(`args: ${args.length > 160 ? `${args.slice(0, 160)}…` : args}`);
  return lines;
}

export { DLV_ROW_HEIGHT };
