// The session's clock: a trace that failed or decoded to (almost) nothing never owns the axis, and
// the user can pick another trace (issue 21).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeFile } from '../formats/index';
import { corpusFiles } from '../testing/summaryCompare';
import { canBeClock, clockTrace, sessionAxis, type SessionFile } from './session';

const load = (id: string, path: string): SessionFile => {
  const bytes = new Uint8Array(readFileSync(path));
  const o = decodeFile(path.split('/').pop()!, bytes);
  return { id, decoded: o.ok ? o.file : null };
};
const find = (dir: string, name: string) => corpusFiles(dir).find((p) => p.endsWith(`/${name}`))!;

// A damaged trace that decodes to two Sync events and nothing else: 1 ns long.
const damaged = load('damaged', find('go-trace/bad', 'fuzz-large-id.trace'));
const failed = load('failed', find('go-trace/bad', 'future-version.trace'));
const trace = load('trace', find('combined', 'trace.out'));
const dlv = load('dlv', find('combined', 'dlv-trace.log'));
const cpu = load('cpu', find('combined', 'cpu.pprof'));
const spike = load('spike', find('go-trace/spike', 'go1.26.trace'));

describe('the session clock', () => {
  it('is never a trace that decoded to (almost) nothing or failed', () => {
    expect(damaged.decoded?.format).toBe('go-trace'); // it decoded: it stays in the session
    expect(failed.decoded).toBeNull();
    const m = (f: SessionFile) => (f.decoded?.format === 'go-trace' ? f.decoded.model : null)!;
    expect(m(damaged).durationNs).toBe(1);
    expect(canBeClock(m(damaged))).toBe(false);
    expect(canBeClock(m(trace))).toBe(true);
  });

  it('skips a damaged trace dropped first: the good profile and dlv log align with the good trace', () => {
    const axis = sessionAxis([failed, damaged, trace, dlv, cpu]);
    expect(axis.traceId).toBe('trace');
    expect(axis.clockCandidates).toEqual(['trace']);
    expect(axis.durationNs).toBeGreaterThan(1e9);
    expect(axis.dlv[0]?.alignment?.method).toBe('clock-snapshot');
    expect(axis.profiles[0]?.alignment?.method).toBe('clock-snapshot');
  });

  it('without a usable trace, the other files share an axis of their own', () => {
    const axis = sessionAxis([damaged, dlv]);
    expect(axis.traceId).toBeNull();
    expect(axis.dlv.map((d) => d.offsetNs)).toEqual([0]);
    expect(axis.durationNs).toBeGreaterThan(2e9);
  });

  it('can be picked among several traces', () => {
    const files = [trace, spike, dlv];
    expect(sessionAxis(files).traceId).toBe('trace');
    expect(sessionAxis(files, {}, 'spike').traceId).toBe('spike');
    expect(sessionAxis(files, {}, 'spike').clockCandidates).toEqual(['trace', 'spike']);
    // A pick that cannot be the clock (gone, or not a usable trace) falls back to the first.
    expect(sessionAxis([damaged, ...files], {}, 'damaged').traceId).toBe('trace');
    expect(sessionAxis(files, {}, 'gone').traceId).toBe('trace');
    expect(clockTrace(files, 'dlv')?.id).toBe('trace');
  });
});
