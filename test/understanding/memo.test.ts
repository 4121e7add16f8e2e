import { describe, expect, it } from 'vitest';
import { readConstraints, readMessage } from '../../src/understanding/index.js';
import { BoundedCache } from '../../src/understanding/memo.js';

describe('BoundedCache', () => {
  it('evicts the least recently used entry once full', () => {
    const cache = new BoundedCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1); // "b" is now the oldest
    cache.set('c', 3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
    expect(cache.size).toBe(2);
  });

  it('replacing a key keeps one entry', () => {
    const cache = new BoundedCache<string, number>(2);
    cache.set('a', 1);
    cache.set('a', 2);
    expect(cache.size).toBe(1);
    expect(cache.get('a')).toBe(2);
  });

  it('rejects a capacity below one', () => {
    expect(() => new BoundedCache(0)).toThrow(/capacity/);
  });
});

describe('readMessage cache', () => {
  it('hands out copies: editing one reading does not change the next', () => {
    const text = 'Посоветуй красное сухое вино к стейку до 14%';
    const first = readMessage(text);
    const expected = structuredClone(first);
    first.constraints.types?.push('white');
    first.constraints.excludeTypes?.splice(0);
    first.constraints.foodWords.push('рыба');
    first.constraints.country = 'Chile';
    first.signals.followUp = !first.signals.followUp;
    const second = readMessage(text);
    expect(second).toEqual(expected);
    expect(second).not.toBe(first);
    expect(readConstraints(text)).toEqual(expected.constraints);
  });

  it('reads the same as a message never seen before', () => {
    const text = `a light white from France for oysters ${Math.random()}`;
    const fresh = readMessage(text);
    expect(readMessage(text)).toEqual(fresh);
    expect(fresh.constraints.types).toEqual(['white']);
    expect(fresh.constraints.country).toBe('France');
  });
});
