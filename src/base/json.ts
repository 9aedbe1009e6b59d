// Canonical JSON: object keys sorted, so equal values give equal strings whatever their key order.
// Query params become cache keys this way (engine/engine.ts, components/useEngineQuery.ts).

export function stableJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (ArrayBuffer.isView(v)) throw new TypeError('stableJson: typed arrays are not plain JSON');
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`)
    .join(',')}}`;
}
