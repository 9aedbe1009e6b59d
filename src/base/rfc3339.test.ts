import { describe, expect, it } from 'vitest';
import { formatRfc3339, parseRfc3339 } from './rfc3339';

describe('parseRfc3339', () => {
  it('reads Go RFC3339Nano with any fraction length', () => {
    expect(parseRfc3339('2026-11-28T00:24:25.790113688Z')).toBe(1795825465790113688n);
    expect(parseRfc3339('2026-11-28T00:24:27.90538219Z')).toBe(1795825467905382190n);
    expect(parseRfc3339('2026-11-28T00:24:27Z')).toBe(1795825467000000000n);
  });
  it('applies numeric zones', () => {
    expect(parseRfc3339('2023-11-27T14:56:54.338358579-08:00')).toBe(
      parseRfc3339('2023-11-27T22:56:54.338358579Z'),
    );
    expect(parseRfc3339('2026-11-28T01:24:27.5+01:00')).toBe(
      parseRfc3339('2026-11-28T00:24:27.5Z'),
    );
  });
  it('rejects what is not a timestamp', () => {
    expect(parseRfc3339('2026-13-28T00:24:27Z')).toBeNull();
    expect(parseRfc3339('hello')).toBeNull();
  });
  it('round-trips through formatRfc3339', () => {
    expect(formatRfc3339(1795825465790113688n)).toBe('2026-11-28T00:24:25.790113688Z');
  });
});
