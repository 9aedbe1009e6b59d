import { describe, expect, it } from 'vitest';
import { byteSize, Lru } from './lru';

describe('Lru', () => {
  it('forgets the least recently used entry beyond maxEntries', () => {
    const c = new Lru<string, number>({ maxEntries: 2 });
    c.set('a', 1);
    c.set('b', 2);
    expect(c.get('a')).toBe(1); // a is now the most recent
    c.set('c', 3);
    expect([...c.keys()]).toEqual(['a', 'c']);
    expect(c.get('b')).toBeUndefined();
  });

  it('bounds bytes, never evicting the entry just set', () => {
    const c = new Lru<string, Uint8Array>({ maxBytes: 100 });
    c.set('a', new Uint8Array(60));
    c.set('b', new Uint8Array(30));
    expect(c.bytes).toBe(90);
    c.set('c', new Uint8Array(40));
    expect([...c.keys()]).toEqual(['b', 'c']);
    expect(c.bytes).toBe(70);
    c.set('huge', new Uint8Array(500));
    expect([...c.keys()]).toEqual(['huge']);
    expect(c.bytes).toBe(500);
  });

  it('getOrCreate makes a value once', () => {
    const c = new Lru<number, object>({ maxEntries: 4 });
    let made = 0;
    const make = () => ({ n: ++made });
    const first = c.getOrCreate(1, make);
    expect(c.getOrCreate(1, make)).toBe(first);
    expect(made).toBe(1);
  });

  it('deleteWhere drops matching keys and their bytes', () => {
    const c = new Lru<string, Float64Array>({ maxBytes: 1e6 });
    c.set('f1:x', new Float64Array(10));
    c.set('f2:x', new Float64Array(10));
    c.deleteWhere((k) => k.startsWith('f1:'));
    expect([...c.keys()]).toEqual(['f2:x']);
    expect(c.bytes).toBe(80);
  });
});

describe('byteSize', () => {
  it('counts a shared buffer once and walks plain objects', () => {
    const buf = new Float64Array(100);
    const v = { a: buf, b: buf.subarray(10), names: ['ab'] };
    // 32 (object) + 800 (buffer once) + array 32 + string (16 + 4)
    expect(byteSize(v)).toBe(32 + 800 + 32 + 20);
  });
});
