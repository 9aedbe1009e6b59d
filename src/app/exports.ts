// Exports: the flame graph's stack set as a gzip'd pprof (`go tool pprof` opens it), the timeline
// as a PNG, and the goroutine intervals in scope as CSV. Everything is made in the browser and
// downloaded; nothing is sent anywhere.

import { CSV_EOL, csvNumber, csvRecord, csvText } from '../base/csv';
import { flameView } from '../analysis/flameView';
import { filteredGoroutines } from '../analysis/timelineRows';
import { encodeProfileGzip } from '../formats/pprof/encode';
import { GOROUTINE_STATE_NAMES, GS_NOT_EXIST, type TraceModel } from '../model/trace';
import { flameRange, sourcesOf } from '../components/flame/FlamePanel';
import { topFunction } from '../components/describe';
import type { SessionState } from '../store/session';

export function download(blob: Blob, name: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

/** Sample type written for each trace source (pprof's names for the same kinds of profile). */
const SAMPLE_TYPES: Record<string, [string, string]> = {
  'trace:cpu': ['samples', 'count'],
  'trace:blocked': ['delay', 'nanoseconds'],
  'trace:sched': ['delay', 'nanoseconds'],
  'trace:syscall': ['syscall', 'nanoseconds'],
};

/** The flame graph's current stack set (range, goroutines, labels) as .pb.gz bytes and a file name. */
export function flameAsPprof(
  s: SessionState,
): { bytes: Uint8Array; name: string; samples: number } | null {
  const sources = sourcesOf(s.files);
  const r = flameRange(s, s.view);
  const v = flameView(sources, s.flame, { ...r, compare: null });
  if (!v) return null;
  const type = SAMPLE_TYPES[v.source.key] ?? [
    v.source.types[v.typeIndex]?.type ?? 'value',
    v.unit || 'count',
  ];
  const range = v.source.ranged ? r.range : null;
  const trace = traceOf(s);
  const wall = trace?.wallClockStartNs ?? null;
  const bytes = encodeProfileGzip(v.set, {
    sampleType: type,
    ...(range && wall !== null ? { timeNanos: wall + BigInt(Math.round(range.startNs)) } : {}),
    ...(range ? { durationNanos: range.endNs - range.startNs } : {}),
    comments: [
      `goroscope export: ${v.source.label}${range ? `, ${Math.round(range.startNs)}-${Math.round(range.endNs)} ns` : ''}`,
    ],
  });
  const slug = v.source.key.replace(/[^a-z0-9]+/gi, '-');
  return {
    bytes,
    name: `${slug}${range ? `-${Math.round(range.startNs / 1e6)}ms` : ''}.pb.gz`,
    samples: v.samples,
  };
}

function traceOf(s: SessionState): TraceModel | null {
  const t = s.axis.traceId ? s.files.find((f) => f.id === s.axis.traceId) : undefined;
  return t?.decoded?.format === 'go-trace' ? t.decoded.model : null;
}

const MAX_CSV_ROWS = 1_000_000;

/** Goroutine intervals overlapping the selection (or view), for the lanes the filter keeps. */
export function intervalsAsCsv(
  s: SessionState,
): { text: string; rows: number; cut: boolean } | null {
  const m = traceOf(s);
  if (!m) return null;
  const range = s.selection ?? s.view ?? { startNs: 0, endNs: m.durationNs };
  const keep = filteredGoroutines(m, s.lanes);
  const goroutines = keep ?? Int32Array.from({ length: m.goroutines.length }, (_, g) => g);
  // Names and reasons come from the file: quoted and neutralised (base/csv.ts).
  const lines = ['goroutine,start_function,state,reason,start_ns,end_ns,duration_ns,function'];
  let rows = 0;
  let cut = false;
  for (const g of goroutines) {
    const a = m.goroutines.intervalStart[g]!;
    const b = m.goroutines.intervalStart[g + 1]!;
    const sf = m.goroutines.startFunc[g]!;
    const name = sf >= 0 ? (m.strings[sf] ?? '') : '';
    for (let i = a; i < b; i++) {
      const t0 = m.intervals.start[i]!;
      const t1 = i + 1 < b ? m.intervals.start[i + 1]! : m.durationNs;
      if (t1 < range.startNs || t0 > range.endNs || m.intervals.state[i] === GS_NOT_EXIST) continue;
      if (rows >= MAX_CSV_ROWS) {
        cut = true;
        break;
      }
      lines.push(
        csvRecord([
          csvNumber(m.goroutines.id[g]!),
          csvText(name),
          csvText(GOROUTINE_STATE_NAMES[m.intervals.state[i]!] ?? ''),
          csvText(m.reasons[m.intervals.reason[i]!] ?? ''),
          csvNumber(Math.round(t0)),
          csvNumber(Math.round(t1)),
          csvNumber(Math.round(t1 - t0)),
          csvText(topFunction(m, m.intervals.stack[i]!)),
        ]),
      );
      rows++;
    }
    if (cut) break;
  }
  return { text: `${lines.join(CSV_EOL)}${CSV_EOL}`, rows, cut };
}

/** The timeline canvas as a PNG. */
export async function timelinePng(): Promise<Blob | null> {
  const canvas = document.querySelector<HTMLCanvasElement>('[data-testid=timeline-canvas]');
  if (!canvas) return null;
  return new Promise((resolve) => canvas.toBlob((b) => resolve(b), 'image/png'));
}
