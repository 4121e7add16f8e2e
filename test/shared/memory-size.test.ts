import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { approximateBytes } from '../../src/shared/index.js';

setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc') as () => void;

/** What `count` values made by `make` really add to the JS heap, and what approximateBytes says they hold. */
function measure(make: (i: number) => unknown, count = 20_000): { heap: number; estimate: number } {
  gc();
  const before = process.memoryUsage().heapUsed;
  const kept: unknown[] = [];
  let estimate = 0;
  for (let i = 0; i < count; i++) {
    const value = make(i);
    kept.push(value);
    estimate += approximateBytes(value);
  }
  gc();
  const heap = process.memoryUsage().heapUsed - before - 8 * count; // the array holding them
  expect(kept).toHaveLength(count);
  return { heap, estimate };
}

const wine = (id: number) => ({
  id,
  name: `Château Example ${id} Grand Vin de Bordeaux`,
  type: 'red',
  grapes: ['Cabernet Sauvignon', 'Merlot'],
  pairings: ['Beef', 'Lamb', 'Game Meat'],
  body: 'full',
  acidity: null,
  abv: 13.5,
  country: 'France',
  rating: 4.123,
  ratingCount: id,
});

describe('approximateBytes', () => {
  it('is within the same order as what values really take in the heap (search answers, Latin and Cyrillic text)', () => {
    for (const make of [
      (i: number) => Array.from({ length: 5 }, (_, j) => wine(i * 10 + j)),
      (i: number) => `A light white wine for fish number ${i}. `.repeat(4),
      (i: number) => `Красное сухое к стейку, вариант ${i}. `.repeat(4),
    ]) {
      const { heap, estimate } = measure(make);
      expect(estimate / heap).toBeGreaterThan(0.7);
      expect(estimate / heap).toBeLessThan(1.6);
    }
  });

  it('counts a value reached twice once, survives cycles, and ignores what every value shares', () => {
    const shared = { name: 'x'.repeat(1000) };
    expect(approximateBytes([shared, shared])).toBe(approximateBytes([shared]) + 4);
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    expect(approximateBytes(cyclic)).toBeGreaterThan(0);
    expect(approximateBytes([null, undefined, true, 1])).toBe(16 + 4 * 4);
    expect(approximateBytes('é'.repeat(100))).toBe(116);
    expect(approximateBytes('ж'.repeat(100))).toBe(216);
  });
});
