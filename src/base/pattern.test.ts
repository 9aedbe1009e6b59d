import { describe, expect, it } from 'vitest';
import { compileUserPattern, exactPattern, PatternError } from './pattern';

describe('compileUserPattern', () => {
  it('matches anywhere, as RE2 does', () => {
    const p = compileUserPattern('main\\.(lookup|handle)$');
    expect(p.test('main.lookup')).toBe(true);
    expect(p.test('x/main.handle')).toBe(true);
    expect(p.test('main.lookupx')).toBe(false);
  });

  it('treats a plain word as a substring, with or without case', () => {
    expect(compileUserPattern('Lock').test('sync.(*Mutex).Lock')).toBe(true);
    expect(compileUserPattern('lock').test('sync.(*Mutex).Lock')).toBe(false);
    expect(compileUserPattern('lock', { ignoreCase: true }).test('sync.(*Mutex).Lock')).toBe(true);
    expect(compileUserPattern('LOOKUP', { ignoreCase: true }).test('main.lookup')).toBe(true);
  });

  it('runs a pattern that makes a backtracking engine explode in linear time', () => {
    const p = compileUserPattern('(.|.)*!$');
    const s = 'x'.repeat(200_000);
    const t0 = performance.now();
    expect(p.test(s)).toBe(false);
    // A backtracking engine does not finish this in a lifetime; RE2 scans once.
    expect(performance.now() - t0).toBeLessThan(5_000);
  });

  it('rejects invalid and non-RE2 syntax with the reason', () => {
    expect(() => compileUserPattern('a(b)(')).toThrow(PatternError);
    expect(() => compileUserPattern('a(b)(')).toThrow(/missing closing \)/);
    // Look-behind and back-references are not RE2.
    expect(() => compileUserPattern('(?<=a)b')).toThrow(PatternError);
    expect(() => compileUserPattern('(a)\\1')).toThrow(PatternError);
    expect(() => compileUserPattern('a'.repeat(5000) + '.')).toThrow(/at most/);
  });

  it('quotes a name for an exact match', () => {
    const name = 'net/http.(*conn).serve';
    const p = compileUserPattern(exactPattern(name));
    expect(p.test(name)).toBe(true);
    expect(p.test(`${name}.func1`)).toBe(false);
  });
});
