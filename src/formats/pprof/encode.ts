// Writes a weighted stack set as a pprof profile (google/pprof proto/profile.proto), gzip'd as
// `go tool pprof` expects: the export of a selected range's CPU samples or blocked stacks. Only
// the frames the samples use are written: one Location per frame with one Line, one Function
// per distinct (name, file).

import { gzip } from 'pako';
import type { FrameTable, StackTable } from '../../model/stacks';
import { ProtoWriter } from './protoWriter';

export interface ExportStackSet {
  frames: FrameTable;
  stacks: StackTable;
  strings: readonly string[];
  sampleStacks: Int32Array;
  weights: Float64Array;
}

export interface ExportMeta {
  /** e.g. ['delay', 'nanoseconds'] or ['samples', 'count']. */
  sampleType: [string, string];
  periodType?: [string, string];
  period?: number;
  /** Wall clock of the start, ns since the epoch (0: unknown). */
  timeNanos?: bigint;
  durationNanos?: number;
  comments?: string[];
}

export function encodeProfile(set: ExportStackSet, meta: ExportMeta): Uint8Array {
  const strings: string[] = [''];
  const stringIndex = new Map<string, number>([['', 0]]);
  const str = (s: string): number => {
    let i = stringIndex.get(s);
    if (i === undefined) {
      i = strings.length;
      strings.push(s);
      stringIndex.set(s, i);
    }
    return i;
  };
  // Locations (frames) and functions actually used, numbered from 1.
  const locOf = new Map<number, number>();
  const funcOf = new Map<string, number>();
  const locations: Array<{ id: number; func: number; line: number }> = [];
  const functions: Array<{ id: number; name: number; file: number }> = [];
  const location = (frame: number): number => {
    let id = locOf.get(frame);
    if (id !== undefined) return id;
    const name = set.strings[set.frames.func[frame]!] ?? '';
    const file = set.strings[set.frames.file[frame]!] ?? '';
    const key = `${name}\u0000${file}`;
    let fid = funcOf.get(key);
    if (fid === undefined) {
      fid = functions.length + 1;
      functions.push({ id: fid, name: str(name), file: str(file) });
      funcOf.set(key, fid);
    }
    id = locations.length + 1;
    locations.push({ id, func: fid, line: set.frames.line[frame]! });
    locOf.set(frame, id);
    return id;
  };

  const w = new ProtoWriter();
  const sampleTypeName = str(meta.sampleType[0]);
  const sampleTypeUnit = str(meta.sampleType[1]);
  w.message(1, (m) => m.int(1, sampleTypeName).int(2, sampleTypeUnit));
  const ids: number[] = [];
  for (let i = 0; i < set.sampleStacks.length; i++) {
    const s = set.sampleStacks[i]!;
    const v = Math.round(set.weights[i]!);
    if (s < 0 || v === 0) continue;
    ids.length = 0;
    for (let k = s; k >= 0; k = set.stacks.parent[k]!) ids.push(location(set.stacks.frame[k]!));
    w.message(2, (m) => {
      m.repeated(1, ids, true);
      m.repeated(2, [v], true);
    });
  }
  for (const l of locations)
    w.message(4, (m) => m.int(1, l.id).message(4, (ln) => ln.int(1, l.func).int(2, l.line)));
  for (const f of functions)
    w.message(5, (m) => m.int(1, f.id).int(2, f.name).int(3, f.name).int(4, f.file));
  const periodType = meta.periodType ? [str(meta.periodType[0]), str(meta.periodType[1])] : null;
  const comments = (meta.comments ?? []).map(str);
  for (const s of strings) w.bytes(6, new TextEncoder().encode(s));
  if (meta.timeNanos) w.int(9, meta.timeNanos);
  if (meta.durationNanos) w.int(10, Math.round(meta.durationNanos));
  if (periodType) w.message(11, (m) => m.int(1, periodType[0]!).int(2, periodType[1]!));
  if (meta.period) w.int(12, Math.round(meta.period));
  if (comments.length) w.repeated(13, comments, true);
  return w.finish();
}

/** The profile gzip'd, as `go tool pprof` and every pprof writer store it. */
export function encodeProfileGzip(set: ExportStackSet, meta: ExportMeta): Uint8Array {
  return gzip(encodeProfile(set, meta));
}
