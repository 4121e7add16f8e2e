import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readConstraints, readMessage } from '../../src/understanding/index.js';
import { BoundedCache } from '../../src/shared/bounded-cache.js';

describe('BoundedCache', () => {
  it('never answers wrongly and never holds more than twice its capacity', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 20 }), fc.integer()), { maxLength: 300 }),
        (capacity, operations) => {
          const cache = new BoundedCache<number, number>(capacity);
          const truth = new Map<number, number>();
          for (const [isSet, key, value] of operations) {
            if (isSet) {
              cache.set(key, value);
              truth.set(key, value);
            } else {
              const got = cache.get(key);
              // A miss is allowed (evicted); a hit must be the latest value set for that key.
              if (got !== undefined) expect(got).toBe(truth.get(key));
            }
            expect(cache.size).toBeLessThanOrEqual(2 * capacity);
          }
        },
      ),
    );
  });

  it('keeps the latest entries and those read since the last rotation; drops the rest', () => {
    const cache = new BoundedCache<string, number>(3);
    for (const [i, key] of ['a', 'b', 'c', 'd', 'e', 'f'].entries()) cache.set(key, i);
    // Generations now: previous {a, b, c}, current {d, e, f}.
    expect(cache.get('a')).toBe(0); // moves up: previous {b, c}, then a rotation: previous {d, e, f}, current {a}
    cache.set('g', 6);
    expect(cache.get('e')).toBe(4); // read in the previous generation: moves up to {a, g, e}
    cache.set('h', 7); // rotation: previous {a, g, e}, current {h}; b, c, d, f are gone
    for (const gone of ['b', 'c', 'd', 'f']) expect(cache.get(gone)).toBeUndefined();
    expect([cache.get('a'), cache.get('e'), cache.get('g'), cache.get('h')]).toEqual([0, 4, 6, 7]);
  });

  it('never holds more than its byte bound, whatever the lengths of keys and values, and never answers wrongly', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 200, max: 4_000 }),
        fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 30 }), fc.string({ maxLength: 800 })), { maxLength: 200 }),
        (maxBytes, operations) => {
          const cache = new BoundedCache<string, string>(1_000, { maxBytes });
          const truth = new Map<string, string>();
          for (const [isSet, id, value] of operations) {
            const key = `key ${id} ${'x'.repeat(id * 10)}`;
            if (isSet) {
              cache.set(key, value);
              truth.set(key, value);
            } else {
              const got = cache.get(key);
              if (got !== undefined) expect(got).toBe(truth.get(key));
            }
            expect(cache.bytes).toBeLessThanOrEqual(maxBytes);
            expect(cache.bytes).toBeGreaterThanOrEqual(0);
          }
          cache.clear();
          expect([cache.size, cache.bytes]).toEqual([0, 0]);
        },
      ),
    );
  });

  it('rotates on bytes before entries when entries are large, and keeps no entry bigger than half the bound', () => {
    const cache = new BoundedCache<string, string>(100, { maxBytes: 4_000 });
    const big = (tag: string) => `${tag}${'ж'.repeat(600)}`; // ~1.2 kB each
    for (const key of ['a', 'b', 'c', 'd', 'e']) cache.set(key, big(key));
    // A generation holds half of 4,000 bytes, so one of these: every set rotated, far below 100 entries.
    expect(cache.size).toBe(2);
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([undefined, undefined, undefined]);
    expect(cache.get('e')).toBe(big('e'));
    expect(cache.through('huge', () => 'ж'.repeat(5_000))).toHaveLength(5_000);
    expect(cache.get('huge')).toBeUndefined();
  });

  it('replacing a key keeps one entry', () => {
    const cache = new BoundedCache<string, number>(2);
    cache.set('a', 1);
    cache.set('a', 2);
    expect(cache.size).toBe(1);
    expect(cache.get('a')).toBe(2);
  });

  it('rejects a capacity that is not a positive integer', () => {
    expect(() => new BoundedCache(0)).toThrow('positive integer');
    expect(() => new BoundedCache(1.5)).toThrow('positive integer');
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
