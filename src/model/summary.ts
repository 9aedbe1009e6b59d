// The summary document of testdata/SUMMARY.md, computed from the models. The same code
// serves `npm run summarize`, the corpus tests and (for the page's automation API) the worker.

import type { DlvModel } from './dlv';
import { DLV_LINE_RETURN } from './dlv';
import type { DecodedFile, DecodeOutcome } from './file';
import { summarizeProfile } from './profileSummary';
import { summarizeTrace } from './traceSummary';

export type FileSummary = Record<string, unknown> & { format?: string; error?: string };

export function summarizeOutcome(outcome: DecodeOutcome): FileSummary {
  if (!outcome.ok) {
    const s: FileSummary = { error: outcome.error.message };
    if (outcome.format) s.format = outcome.format;
    return s;
  }
  const s = summarizeFile(outcome.file);
  if (outcome.file.partialError) {
    s.error = outcome.file.partialError;
    s.partial = true;
  }
  if (outcome.file.nameMismatch) s.error = outcome.file.nameMismatch;
  if (outcome.file.warnings.length > 0) s.warnings = outcome.file.warnings;
  return s;
}

export function summarizeFile(file: DecodedFile): FileSummary {
  switch (file.format) {
    case 'dlv-trace':
      return summarizeDlv(file.model);
    case 'pprof':
      return summarizeProfile(file.model);
    case 'go-trace':
      return summarizeTrace(file.model);
  }
}

export function summarizeDlv(m: DlvModel): FileSummary {
  const functions: Record<string, number> = {};
  let closed = 0;
  for (let i = 0; i < m.spanCount; i++) {
    const name = m.strings[m.spans.func[i] as number] ?? '';
    functions[name] = (functions[name] ?? 0) + 1;
    if ((m.spans.endSeq[i] as number) >= 0) closed++;
  }
  let returns = 0;
  const goroutines = new Set<number>();
  for (let i = 0; i < m.lineCount; i++) {
    if (m.lines.kind[i] === DLV_LINE_RETURN) returns++;
    goroutines.add(m.lines.goroutine[i] as number);
  }
  const s: FileSummary = {
    format: 'dlv-trace',
    calls: m.spanCount,
    returns,
    spans: m.spanCount,
    closedSpans: closed,
    goroutineCount: goroutines.size,
    functions: sortKeys(functions),
    hasTimestamps: m.firstTimestamp !== null,
  };
  if (m.firstTimestamp !== null) s.firstTimestamp = m.firstTimestamp;
  if (m.lastTimestamp !== null) s.lastTimestamp = m.lastTimestamp;
  return s;
}

function sortKeys<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
