// The summary of one execution trace file, as `npm run summarize` computes it (scripts/summarize.ts),
// for the benchmark's summarize step.

import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { decodeFile } from '../../src/formats/index';
import { summarizeOutcome } from '../../src/model/summary';

export function summarizeTraceFile(path: string): { events: number; error?: string } {
  const outcome = decodeFile(basename(path), readFileSync(path));
  const s = summarizeOutcome(outcome);
  return { events: Number(s.events ?? 0), error: s.error };
}
