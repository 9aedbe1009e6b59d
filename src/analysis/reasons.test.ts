import { describe, expect, it } from 'vitest';
import { corpusFiles, expectedSummary } from '../testing/summaryCompare';
import {
  familiesOf,
  familyInfo,
  FAMILY_INDEX,
  reasonFamily,
  reasonLabel,
  reasonMask,
  REASON_FAMILIES,
} from './reasons';

describe('reason families', () => {
  it.each([
    ['chan receive', 'channel'],
    ['chan send', 'channel'],
    ['chan receive (nil chan)', 'channel'],
    ['select', 'select'],
    ['select (no cases)', 'select'],
    ['sync', 'sync'],
    ['sync.Mutex.Lock', 'sync'],
    ['sync.RWMutex.RLock', 'sync'],
    ['sync.(*Cond).Wait', 'sync'],
    ['sync.WaitGroup.Wait', 'sync'],
    ['semacquire', 'sync'],
    ['network', 'network'],
    ['IO wait', 'network'],
    ['sleep', 'sleep'],
    ['GC assist marking', 'gc'],
    ['GC background sweeper wait', 'gc'],
    ['GC mark assist wait for work', 'gc'],
    ['GC worker (idle)', 'gc'],
    ['wait for GC cycle', 'gc'],
    ['garbage collection', 'gc'],
    ['system goroutine wait', 'system'],
    ['preempted', 'system'],
    ['runtime.Gosched', 'system'],
    ['forever', 'system'],
    ['', 'other'],
    ['unspecified', 'other'],
  ] as const)('%j is %s', (reason, family) => {
    expect(reasonFamily(reason)).toBe(family);
  });

  it('falls back on substrings for reasons a newer Go may add', () => {
    expect(reasonFamily('chan receive (something new)')).toBe('channel');
    expect(reasonFamily('select (new)')).toBe('select');
    expect(reasonFamily('sync.Something.Wait')).toBe('sync');
    expect(reasonFamily('GC something')).toBe('gc');
    expect(reasonFamily('entirely new')).toBe('other');
  });

  it('places every reason of the corpus traces in a family other than "other"', () => {
    const seen = new Set<string>();
    for (const path of corpusFiles('go-trace/spike', 'combined')) {
      if (!path.endsWith('.trace') && !path.endsWith('trace.out')) continue;
      const reasons = expectedSummary(path).waitReasons as Record<string, number> | undefined;
      for (const r of Object.keys(reasons ?? {})) seen.add(r);
    }
    expect(seen.size).toBeGreaterThan(8);
    for (const r of seen) {
      if (r !== '') expect([r, reasonFamily(r)]).not.toEqual([r, 'other']);
    }
  });

  it('lists every family once with a label and a description', () => {
    const ids = REASON_FAMILIES.map((f) => f.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const f of REASON_FAMILIES) {
      expect(REASON_FAMILIES[FAMILY_INDEX[f.id]]).toBe(f);
      expect(familyInfo(f.id).label.length).toBeGreaterThan(0);
      expect(f.description.length).toBeGreaterThan(0);
    }
  });

  it('masks a reason table by families or exact reasons', () => {
    const table = ['', 'sync', 'chan receive', 'sync.(*Cond).Wait', 'network'];
    expect(reasonMask(table, null)).toBeNull();
    expect(reasonMask(table, { families: [] })).toBeNull();
    expect(Array.from(reasonMask(table, { families: ['sync'] })!)).toEqual([0, 1, 0, 1, 0]);
    expect(Array.from(reasonMask(table, { reasons: ['sync'] })!)).toEqual([0, 1, 0, 0, 0]);
    expect(
      Array.from(reasonMask(table, { families: ['network'], reasons: ['chan receive'] })!),
    ).toEqual([0, 0, 1, 0, 1]);
    expect(Array.from(familiesOf(table))).toEqual(
      ['other', 'sync', 'channel', 'sync', 'network'].map(
        (f) => FAMILY_INDEX[f as keyof typeof FAMILY_INDEX],
      ),
    );
    expect(reasonLabel('')).toBe('(no reason)');
  });
});
