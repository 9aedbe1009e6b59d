import { describe, expect, it } from 'vitest';
import { compileUserPattern, exactPattern as re2Exact } from './pattern';
import { exactPattern } from './quote';

describe('exactPattern', () => {
  it('quotes as RE2 does, and the pattern matches the name only', () => {
    for (const name of ['net/http.(*conn).serve', 'a[1]{x}|y$', 'x-y', 'main.main.func1^2']) {
      expect(exactPattern(name)).toBe(re2Exact(name));
      const p = compileUserPattern(exactPattern(name));
      expect(p.test(name)).toBe(true);
      expect(p.test(`x${name}`)).toBe(false);
    }
  });
});
