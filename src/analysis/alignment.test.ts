import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeFile } from '../formats/index';
import type { DecodedFile } from '../model/file';
import { decodeDlv } from '../formats/dlv/decode';
import { CORPUS_DIR } from '../testing/summaryCompare';
import { alignDlv, alignProfile, runningIntervals, wallToTrace } from './alignment';
import type { TraceModel } from '../model/trace';
import type { DlvModel } from '../model/dlv';
import type { ProfileModel } from '../model/profile';

function load(rel: string): DecodedFile {
  const o = decodeFile(rel, new Uint8Array(readFileSync(join(CORPUS_DIR, rel))));
  if (!o.ok) throw o.error;
  return o.file;
}

describe('alignment on the combined run (Go 1.27, clock snapshots)', () => {
  const trace = load('combined/go1.27/trace.out').model as TraceModel;
  const dlv = load('combined/go1.27/dlv-trace.log').model as DlvModel;
  const cpu = load('combined/go1.27/cpu.pprof').model as ProfileModel;

  it('places the dlv log by clock snapshot with at least 98% of lines inside Running', () => {
    const a = alignDlv(trace, dlv);
    expect(a.method).toBe('clock-snapshot');
    expect(a.insideRunning).toBeGreaterThanOrEqual(0.98);
    // firstTimestamp 00:24:22.517590758 minus the trace's wall start 00:24:21.672939116.
    expect(Math.abs((a.startNs as number) - 844_651_642)).toBeLessThan(1000);
  });

  it('infers an offset with at least 98% too when the snapshot is ignored, close to the clock', () => {
    const clock = alignDlv(trace, dlv);
    const a = alignDlv(trace, dlv, { ignoreClockSnapshot: true });
    expect(a.method).toBe('auto');
    expect(a.insideRunning).toBeGreaterThanOrEqual(0.98);
    expect(Math.abs((a.offsetNs as number) - (clock.offsetNs as number))).toBeLessThan(2e6);
  });

  it('lands the CPU profile within 1 ms of its true start', () => {
    const a = alignProfile(trace, cpu);
    expect(a.method).toBe('clock-snapshot');
    // time_nanos is 3.106 ms before the trace's first event (the profile started first).
    const truth = Number(cpu.timeNanos - (trace.wallClockStartNs as bigint));
    expect(Math.abs((a.startNs as number) - truth)).toBeLessThan(1e6);
    expect(wallToTrace(trace, trace.wallClockStartNs as bigint)).toBeCloseTo(0, -1);
  });

  it('refuses to force a log from another run onto the trace', () => {
    const other = load('dlv/dlv-verbose3.log').model as DlvModel;
    const a = alignDlv(trace, other, { ignoreClockSnapshot: true });
    expect(a.method).toBe('none');
    expect(a.quality).toMatch(/do not seem to come from the same run/);
  });

  it('says a log without timestamps can only be shown in sequence', () => {
    const a = alignDlv(trace, load('dlv/dlv-mixed.log').model as DlvModel);
    expect(a.method).toBe('none');
    expect(a.quality).toMatch(/no timestamps/);
  });

  it('reads timestamps in any zone: the same log written at +02:00 lands at the same place', () => {
    const text = readFileSync(join(CORPUS_DIR, 'combined/go1.27/dlv-trace.log'), 'utf8').replace(
      /2026-11-28T00:(\d\d:\d\d\.\d+)Z/g,
      '2026-11-28T02:$1+02:00',
    );
    const shifted = decodeDlv(new TextEncoder().encode(text));
    expect(alignDlv(trace, shifted).startNs).toBe(alignDlv(trace, dlv).startNs);
  });

  it('finds a shifted log again (synthetic: the log clock 5 s late, no snapshot)', () => {
    const text = readFileSync(join(CORPUS_DIR, 'combined/go1.27/dlv-trace.log'), 'utf8').replace(
      /2026-11-28T00:24:(\d\d)\.(\d+)Z/g,
      (_, s: string, f: string) =>
        `2026-11-28T00:24:${String(Number(s) + 5).padStart(2, '0')}.${f}Z`,
    );
    const late = decodeDlv(new TextEncoder().encode(text));
    const a = alignDlv(trace, late, { ignoreClockSnapshot: true });
    expect(a.method).toBe('auto');
    expect(Math.abs((a.startNs as number) - (alignDlv(trace, dlv).startNs as number))).toBeLessThan(
      2e6,
    );
    expect(runningIntervals(trace).get(35)).toBeDefined();
  });
});
