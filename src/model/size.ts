// Where a model's bytes go: every typed array under it, by path ("intervals.start"), and the
// strings (2 bytes a character, as V8 holds non-Latin-1 text; Latin-1 takes 1). For benchmarks
// (scripts/bench.ts --columns) and the README's bytes-per-event figure (issue 18).

export interface ColumnSize {
  /** Path from the model, e.g. "intervals.start", "metrics[].time". */
  name: string;
  bytes: number;
  /** Elements (rows) in the column; for strings, how many. */
  rows: number;
}

/** The typed arrays and strings under `model`, merged by path (array elements share one). */
export function modelColumns(model: object): ColumnSize[] {
  const byName = new Map<string, ColumnSize>();
  const add = (name: string, bytes: number, rows: number): void => {
    const c = byName.get(name);
    if (c) {
      c.bytes += bytes;
      c.rows += rows;
    } else byName.set(name, { name, bytes, rows });
  };
  const seen = new Set<object>();
  const visit = (v: unknown, path: string, depth: number): void => {
    if (typeof v === 'string') {
      add(path, 2 * v.length, 1);
      return;
    }
    if (v === null || typeof v !== 'object' || seen.has(v) || depth > 8) return;
    seen.add(v);
    if (ArrayBuffer.isView(v)) {
      const n = 'length' in v ? (v as unknown as { length: number }).length : v.byteLength;
      add(path, v.byteLength, n);
      return;
    }
    if (Array.isArray(v)) {
      for (const x of v) visit(x, `${path}[]`, depth + 1);
      return;
    }
    for (const [k, x] of Object.entries(v)) visit(x, path ? `${path}.${k}` : k, depth + 1);
  };
  visit(model, '', 0);
  return [...byName.values()];
}

/** Total bytes of `modelColumns(model)`. */
export function modelBytes(model: object): number {
  return modelColumns(model).reduce((s, c) => s + c.bytes, 0);
}
