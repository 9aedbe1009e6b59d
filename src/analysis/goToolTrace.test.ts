// Beyond ANALYSIS.md: every figure this module computes against what go tool trace 1.27's own
// pages show for the same files, read with curl into testdata/go-tool-trace-1.27.json (its
// "source" says how): the per-goroutine breakdown of the /goroutine pages (execution, scheduler
// wait, syscall execution, block time per reason and for syscalls, unknown time, and the
// special ranges), the task and region tables, and the /mmu curve and worst windows for several
// option sets, system-wide and per P. Go prints durations to the nanosecond, so they must agree
// to the nanosecond (1 ns of slack for the parsing of Go's decimal strings).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeFile } from '../formats/index';
import type { TraceModel } from '../model/trace';
import { corpusPath } from '../testing/corpus';
import { goroutineRows } from './goroutineGroups';
import { goroutineSummaries } from './goroutineSummary';
import { buildMmuCurve, mmu, mutatorUtilization, worstWindows, type MmuOptions } from './mmu';
import { regionTypes, taskTypes, userRegions, userTasks } from './userTasks';

interface Table {
  type: string;
  startFunction?: string;
  count: number;
  histogram: { firstBucket: number; counts: number[] };
}
interface PageData {
  goroutines?: Record<
    string,
    { group: string; breakdown: Record<string, number>; ranges: Record<string, number> }
  >;
  tasks?: Table[];
  regions?: Table[];
  mmu?: Record<
    string,
    {
      curve: Array<[number, number]>;
      worst: Record<string, Array<{ time: number; utilization: number }>>;
    }
  >;
}
const pages = JSON.parse(
  readFileSync(new URL('./testdata/go-tool-trace-1.27.json', import.meta.url), 'utf8'),
) as { traces: Record<string, PageData> };

function load(rel: string): TraceModel {
  const path = corpusPath(rel);
  const out = decodeFile(path, new Uint8Array(readFileSync(path)));
  if (!out.ok || out.file.format !== 'go-trace') throw new Error(`${rel}: not decoded`);
  return out.file.model;
}

const stripHistogram = (t: Table): unknown => [
  t.type,
  t.startFunction ?? null,
  t.count,
  t.histogram.firstBucket,
  t.histogram.counts,
];

for (const [rel, page] of Object.entries(pages.traces)) {
  describe(`go tool trace 1.27 pages of ${rel}`, () => {
    const m = load(rel);
    const s = goroutineSummaries(m);

    if (page.goroutines) {
      it('per-goroutine breakdown and special ranges (/goroutine)', () => {
        const byId = new Map<number, number>();
        for (let g = 0; g < m.goroutines.length; g++) byId.set(m.goroutines.id[g] as number, g);
        let compared = 0;
        for (const [id, want] of Object.entries(page.goroutines!)) {
          const g = byId.get(Number(id));
          expect(g, `goroutine ${id}`).toBeDefined();
          const row = goroutineRows(m, s, [g!])[0]!;
          expect(row.name, `goroutine ${id}`).toBe(want.group);
          const mine: Record<string, number> = {
            Total: row.totalNs,
            'Execution time': row.execNs,
            'Sched wait time': row.schedWaitNs,
            'Syscall execution time': row.syscallNs,
            'Unknown time': row.unknownNs,
            'Block time (syscall)': row.syscallBlockNs,
          };
          for (const b of row.blockByReason) {
            const k = `Block time (${b.reason})`;
            mine[k] = (mine[k] ?? 0) + b.ns;
          }
          for (const [col, ns] of Object.entries(want.breakdown)) {
            expect(Math.abs((mine[col] ?? 0) - ns), `goroutine ${id}: ${col}`).toBeLessThanOrEqual(
              1,
            );
            compared++;
          }
          const ranges = Object.fromEntries(
            row.rangeTime.filter((r) => r.ns > 0).map((r) => [r.name, r.ns]),
          );
          expect(Object.keys(ranges).sort(), `goroutine ${id} ranges`).toEqual(
            Object.keys(want.ranges)
              .filter((k) => want.ranges[k]! > 0)
              .sort(),
          );
          for (const [name, ns] of Object.entries(want.ranges)) {
            expect(
              Math.abs((ranges[name] ?? 0) - ns),
              `goroutine ${id}: ${name}`,
            ).toBeLessThanOrEqual(1);
          }
        }
        expect(compared).toBeGreaterThan(100);
      });
    }

    if (page.tasks || page.regions) {
      it('task and region tables (/usertasks, /userregions)', () => {
        const regions = userRegions(m, s);
        const tasks = userTasks(m, regions);
        if (page.tasks) {
          expect(taskTypes(m, tasks).map(stripHistogram)).toEqual(page.tasks.map(stripHistogram));
        }
        if (page.regions) {
          expect(regionTypes(m, regions).map((r) => stripHistogram(r))).toEqual(
            page.regions.map(stripHistogram),
          );
        }
      });
    }

    for (const [flags, want] of Object.entries(page.mmu ?? {})) {
      it(`MMU curve and worst windows, flags ${flags} (/mmu)`, () => {
        const o: Record<string, boolean> = {};
        for (const f of flags.split('|')) o[f] = true;
        const curve = buildMmuCurve(mutatorUtilization(m, o as MmuOptions));
        for (const [w, u] of want.curve) expect(mmu(curve, w), `window ${w}`).toBeCloseTo(u, 12);
        for (const [w, list] of Object.entries(want.worst)) {
          const mine = worstWindows(curve, Number(w), 10);
          expect(mine.map((x) => x.utilization)).toEqual(list.map((x) => x.utilization));
          // Go's times are absolute: compare the windows' positions relative to the first.
          if (list.length > 0) {
            expect(mine.map((x) => x.startNs - mine[0]!.startNs)).toEqual(
              list.map((x) => x.time - list[0]!.time),
            );
          }
        }
      });
    }
  });
}
